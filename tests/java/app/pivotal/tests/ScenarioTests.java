// Runs the shared scenarios (tests/scenarios/*.json, format in that directory's README) through the
// Java (FFM) bindings, on both stores (in memory and a SQLite file), like the Rust runner: one JUnit
// test per file.
//
// Request bodies go through the bindings' `*FromJson` readers (the core's own JSON rules: unknown
// fields, types, `null` = clear), and the typed records they return are what the typed operations
// are called with; results come back as typed records and are compared through their `toJson()`.

package app.pivotal.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import app.pivotal.core.*;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** One JUnit test per scenario file of {@code -Dpivotal.scenarios} (tests/scenarios), each on both stores. */
class ScenarioTests {
    enum Backend { MEMORY, SQLITE }

    @TestFactory
    List<DynamicTest> scenarios() {
        File dir = new File(System.getProperty("pivotal.scenarios", "tests/scenarios"));
        File[] found = dir.listFiles(f -> f.isFile() && f.getName().endsWith(".json"));
        List<File> files = found == null ? List.of() : Arrays.stream(found).sorted(Comparator.comparing(File::getName)).toList();
        assertFalse(files.isEmpty(), "no scenario files in " + dir);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getName(), () -> runScenario(f))).toList();
    }

    @SuppressWarnings("unchecked")
    private static void runScenario(File file) throws IOException {
        if (!(Json.parse(Files.readString(file.toPath())) instanceof Map<?, ?> scenario)) throw new ScenarioFailure("a scenario must be a JSON object");
        if (!(scenario.get("name") instanceof String name)) throw new ScenarioFailure("`name` is missing");
        List<String> failures = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            try {
                new Run((Map<String, Object>) scenario, backend).run();
            } catch (Exception e) {
                failures.add("[" + backend.name().toLowerCase() + "] " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            }
        }
        if (!failures.isEmpty()) fail(file.getName() + ": " + name + "\n     " + String.join("\n     ", failures));
    }

    private static final String DEFAULT_CLOCK = "2024-01-01T00:00:00.000Z";
    private static final Set<String> TOP_KEYS = Set.of("name", "spec", "clock", "steps");
    private static final Set<String> STEP_KEYS = Set.of(
        "op", "ref", "secret", "customer", "params", "idempotency_key", "save", "expect", "error", "at", "ms", "livemode", "actor");

    static ScenarioFailure bad(String message) {
        return new ScenarioFailure(message);
    }

    private static final class Run {
        final Map<String, Object> scenario;
        final Backend backend;
        final Map<String, Object> saved = new HashMap<>();

        Run(Map<String, Object> scenario, Backend backend) {
            this.scenario = scenario;
            this.backend = backend;
        }

        @SuppressWarnings("unchecked")
        void run() throws Exception {
            for (String k : scenario.keySet()) if (!TOP_KEYS.contains(k)) throw bad("unknown scenario key `" + k + "`");
            Timestamp start = PivotalUniffi.parseTimestamp(scenario.get("clock") instanceof String s ? s : DEFAULT_CLOCK);
            if (!(scenario.get("steps") instanceof List<?> steps)) throw bad("`steps` must be an array");
            FixedClock clock = new FixedClock(start);
            Path dir = backend == Backend.SQLITE ? Files.createTempDirectory("pivotal-scenario") : null;
            PivotalStore root = backend == Backend.MEMORY
                ? PivotalStore.openInMemory("scenario", clock)
                : PivotalStore.open(dir.resolve("scenario.db").toString(), "scenario", clock, null, null);
            List<PivotalStore> handles = new ArrayList<>(List.of(root));
            try {
                PivotalStore db = root;
                for (int i = 0; i < steps.size(); i++) {
                    if (!(steps.get(i) instanceof Map<?, ?> raw)) throw bad("steps[" + i + "]: a step must be an object");
                    String op = raw.get("op") instanceof String s ? s : "?";
                    try {
                        PivotalStore next = step((Map<String, Object>) raw, db, clock);
                        if (next != db) handles.add(next);
                        db = next;
                    } catch (ScenarioFailure e) {
                        throw bad("steps[" + i + "] (" + op + "): " + e.getMessage());
                    } catch (Exception e) {
                        throw bad("steps[" + i + "] (" + op + "): " + e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            } finally {
                root.closeStore();
                handles.forEach(PivotalStore::close);
                clock.close();
                if (dir != null) {
                    try (Stream<Path> paths = Files.walk(dir)) {
                        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }

        /** Runs one step; returns the store handle later steps use (changed by `session.set`). */
        PivotalStore step(Map<String, Object> raw, PivotalStore current, FixedClock clock) throws Exception {
            for (String k : raw.keySet()) if (!STEP_KEYS.contains(k)) throw bad("unknown step key `" + k + "`");
            Map<String, Object> args = new LinkedHashMap<>();
            raw.forEach((k, v) -> {
                if (!k.equals("expect") && !k.equals("error")) args.put(k, substitute(v));
            });
            if (!(args.get("op") instanceof String op)) throw bad("`op` is missing");
            PivotalStore db = current;
            Object save = raw.get("save");
            try {
                Object result;
                switch (op) {
                    case "clock.set" -> {
                        if (!(args.get("at") instanceof String at)) throw bad("`at` is missing");
                        clock.set(PivotalUniffi.parseTimestamp(at));
                        result = null;
                    }
                    case "clock.advance" -> {
                        if (!(args.get("ms") instanceof Long ms)) throw bad("`ms` must be an integer");
                        clock.advanceMs(ms);
                        result = null;
                    }
                    case "session.set" -> {
                        if (args.containsKey("livemode")) {
                            if (!(args.get("livemode") instanceof Boolean b)) throw bad("`livemode` must be a boolean");
                            db = db.withLivemode(b);
                        }
                        if (args.containsKey("actor")) {
                            if (!(args.get("actor") instanceof String a)) throw bad("`actor` must be a string");
                            db = db.withActor(a);
                        }
                        result = null;
                    }
                    case "session.workspace" -> {
                        db = db.withWorkspace(ref(args, "ref"));
                        result = wire(db.me().toJson());
                    }
                    case "session.authenticate" -> {
                        if (!(args.get("secret") instanceof String secret)) throw bad("`secret` is missing");
                        db = db.authenticate(secret);
                        result = wire(db.me().toJson());
                    }
                    default -> result = operation(op, args, db);
                }
                if (raw.containsKey("error")) {
                    throw bad("expected error " + Json.write(raw.get("error")) + ", got success: " + Json.write(result));
                }
                if (raw.containsKey("expect")) check(raw.get("expect"), result);
                if (save instanceof String s) saved.put(s, result);
            } catch (PivotalException e) {
                ErrorInfo info = Errors.info(e);
                Map<String, Object> actual = new LinkedHashMap<>();
                actual.put("type", info.errorType());
                actual.put("code", info.code());
                actual.put("message", info.detail());
                actual.put("field", info.field());
                if (!raw.containsKey("error")) throw bad("unexpected error: " + Json.write(actual));
                check(raw.get("error"), actual);
                if (save instanceof String s) saved.put(s, actual);
            }
            return db;
        }

        void check(Object want, Object actual) {
            String why = new Matcher(saved).match(want, actual, "$");
            if (why != null) {
                throw bad(why + "\n         expected: " + Json.write(want) + "\n         actual:   " + Json.write(actual));
            }
        }

        Object operation(String op, Map<String, Object> a, PivotalStore db) throws Exception {
            Object body = a.containsKey("params") && a.get("params") != null ? a.get("params") : Map.of();
            String text = Json.write(body);
            String key = null;
            if (a.get("idempotency_key") != null) {
                if (!(a.get("idempotency_key") instanceof String k)) throw bad("`idempotency_key` must be a string");
                key = k;
            }
            String name = body instanceof Map<?, ?> m && m.get("name") instanceof String s ? s : "";
            return switch (op) {
                case "health" -> wire(db.health().toJson());
                case "me" -> wire(db.me().toJson());
                case "workspaces.create" -> wire(db.createWorkspace(name, body instanceof Map<?, ?> m && m.get("slug") instanceof String s ? s : null).toJson());
                case "workspaces.list" -> all(db.listWorkspaces(), Workspace::toJson);
                case "api_keys.create" -> wire(db.createApiKey(name).toJson());
                case "api_keys.list" -> all(db.listApiKeys(), ApiKey::toJson);
                case "api_keys.revoke" -> wire(db.revokeApiKey(ref(a, "ref")).toJson());
                case "customers.create" -> wire(db.createCustomer(PivotalUniffi.customerParamsFromJson(text), key).toJson());
                case "customers.retrieve" -> wire(db.retrieveCustomer(ref(a, "ref")).toJson());
                case "customers.update" -> wire(db.updateCustomer(ref(a, "ref"), PivotalUniffi.customerPatchFromJson(text)).toJson());
                case "customers.delete" -> wire(db.deleteCustomer(ref(a, "ref")).toJson());
                case "customers.list" -> wire(db.listCustomers(customerQuery(body)).toJson());
                case "customers.list_all" -> all(Lists.allCustomers(db, customerQuery(body)), Customer::toJson);
                case "customers.timeline" -> wire(db.customerTimeline(ref(a, "ref"), pagingQuery(body)).toJson());
                case "contacts.create" -> wire(db.createContact(ref(a, "customer"), PivotalUniffi.contactParamsFromJson(text), key).toJson());
                case "contacts.retrieve" -> wire(db.retrieveContact(ref(a, "ref")).toJson());
                case "contacts.update" -> wire(db.updateContact(ref(a, "ref"), PivotalUniffi.contactPatchFromJson(text)).toJson());
                case "contacts.delete" -> wire(db.deleteContact(ref(a, "ref")).toJson());
                case "contacts.list" -> wire(db.listContacts(ref(a, "customer"), pagingQuery(body)).toJson());
                case "contacts.list_all" -> all(Lists.allContacts(db, ref(a, "customer"), pagingQuery(body)), Contact::toJson);
                case "onboardings.create" -> wire(db.createOnboarding(PivotalUniffi.onboardingParamsFromJson(text), key).toJson());
                case "onboardings.retrieve" -> wire(db.retrieveOnboarding(ref(a, "ref")).toJson());
                case "onboardings.update" -> wire(db.updateOnboarding(ref(a, "ref"), PivotalUniffi.onboardingPatchFromJson(text)).toJson());
                case "onboardings.delete" -> wire(db.deleteOnboarding(ref(a, "ref")).toJson());
                case "onboardings.list" -> wire(db.listOnboardings(onboardingQuery(body)).toJson());
                case "onboardings.list_all" -> all(Lists.allOnboardings(db, onboardingQuery(body)), Onboarding::toJson);
                case "onboardings.list_for_customer" -> wire(db.listCustomerOnboardings(ref(a, "customer")).toJson());
                case "onboardings.transitions" -> all(db.onboardingTransitions(ref(a, "ref")), PhaseTransition::toJson);
                case "events.list" -> wire(db.listEvents(eventQuery(body)).toJson());
                case "analytics.onboarding" -> {
                    String r = ref(a, "ref");
                    Timestamp asOf = new Query(body, Set.of("as_of")).instant("as_of");
                    yield wire(db.analyticsOnboarding(r, asOf).toJson());
                }
                case "analytics.workspace" -> wire(db.analyticsWorkspace(reportQuery(body)).toJson());
                case "import" -> {
                    Query q = new Query(body, Set.of("items", "on_error", "chunk_size"));
                    if (!(q.get("items") instanceof List<?> items)) throw bad("`params.items` must be an array");
                    String e = q.string("on_error");
                    OnError onError = switch (e == null ? "stop" : e) {
                        case "stop" -> OnError.STOP;
                        case "skip" -> OnError.SKIP;
                        default -> throw bad("`on_error`: " + e);
                    };
                    Long chunk = q.integer("chunk_size");
                    yield summaryJson(db.importJson(Json.write(items), onError, chunk == null ? null : chunk.intValue()));
                }
                default -> throw bad("unknown op `" + op + "`");
            };
        }

        /** A record's {@code toJson()}. */
        interface ToJson<T> {
            String apply(T record) throws PivotalException;
        }

        static Object wire(String text) {
            return Json.parse(text);
        }

        /** The records of a list or a stream, each through its {@code toJson()}. */
        static <T> List<Object> all(Iterable<T> records, ToJson<T> toJson) throws PivotalException {
            List<Object> out = new ArrayList<>();
            for (T r : records) out.add(wire(toJson.apply(r)));
            return out;
        }

        static <T> List<Object> all(Stream<T> records, ToJson<T> toJson) throws PivotalException {
            try (records) {
                return all(records::iterator, toJson);
            } catch (Lists.PageException e) {
                throw e.getCause();
            }
        }

        /** An import's summary as the scenario files describe it (each error without its line). */
        static Map<String, Object> summaryJson(ImportSummary s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("object", "import_summary");
            m.put("created", s.created());
            m.put("updated", s.updated());
            m.put("unchanged", s.unchanged());
            m.put("skipped", s.skipped());
            List<Object> errors = new ArrayList<>();
            for (ImportItemError it : s.errors()) {
                ErrorInfo e = it.error();
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("type", e.errorType());
                err.put("code", e.code());
                err.put("message", e.detail());
                err.put("field", e.field());
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("index", it.index());
                item.put("error", err);
                errors.add(item);
            }
            m.put("errors", errors);
            return m;
        }

        /** A record reference: a string, or an integer display id. */
        static String ref(Map<String, Object> a, String key) {
            Object v = a.get(key);
            if (v instanceof String s) return s;
            if (v instanceof Long l) return l.toString();
            throw bad("`" + key + "` must be a string or an integer, not " + Json.write(v));
        }

        // --- list and analytics queries: parsed here, exactly as the Rust runner does ---

        interface Parse<T> {
            T apply(String s) throws Exception;
        }

        static final class Query {
            final Map<?, ?> map;

            Query(Object body, Set<String> accepted) {
                if (!(body instanceof Map<?, ?> m)) throw bad("list `params` must be an object");
                map = m;
                for (Object k : m.keySet()) if (!accepted.contains(k)) throw bad("unknown list parameter `" + k + "`");
            }

            Object get(String key) {
                return map.get(key);
            }

            Long integer(String key) {
                Object v = get(key);
                if (v == null) return null;
                if (v instanceof Long l) return l;
                throw bad("`" + key + "` must be an integer");
            }

            String string(String key) {
                Object v = get(key);
                if (v == null) return null;
                if (v instanceof String s) return s;
                if (v instanceof Long || v instanceof Double) return Json.write(v);
                throw bad("`" + key + "` must be a string");
            }

            Double number(String key) {
                Object v = get(key);
                if (v == null) return null;
                if (v instanceof Long l) return l.doubleValue();
                if (v instanceof Double d) return d;
                throw bad("`" + key + "` must be a number");
            }

            Timestamp instant(String key) {
                String s = string(key);
                if (s == null) return null;
                try {
                    return PivotalUniffi.parseTimestamp(s);
                } catch (PivotalException e) {
                    throw bad("`" + key + "`: not an RFC 3339 instant: " + s);
                }
            }

            <T> T parsed(String key, Parse<T> parse) {
                String s = string(key);
                if (s == null) return null;
                try {
                    return parse.apply(s);
                } catch (Exception e) {
                    throw bad("`" + key + "`: unknown value `" + s + "`");
                }
            }
        }

        static ListParams pagingQuery(Object body) {
            Query q = new Query(body, Set.of("limit", "cursor"));
            return new ListParams(q.integer("limit"), q.string("cursor"));
        }

        static CustomerListParams customerQuery(Object body) {
            Query q = new Query(body, Set.of("status", "slug", "limit", "cursor"));
            return new CustomerListParams(q.parsed("status", PivotalUniffi::customerStatusFromWire), q.string("slug"), q.integer("limit"), q.string("cursor"));
        }

        static OnboardingListParams onboardingQuery(Object body) {
            Query q = new Query(body, Set.of("customer_id", "phase", "state", "limit", "cursor"));
            return new OnboardingListParams(q.string("customer_id"), q.parsed("phase", PivotalUniffi::phaseFromWire),
                q.parsed("state", PivotalUniffi::stateFromWire), q.integer("limit"), q.string("cursor"));
        }

        static WorkspaceReportParams reportQuery(Object body) {
            Query q = new Query(body, Set.of("as_of", "customer_id", "csm_id", "template_id", "stalled_after_days"));
            return new WorkspaceReportParams(q.instant("as_of"), q.string("customer_id"), q.string("csm_id"), q.string("template_id"),
                q.number("stalled_after_days"));
        }

        static EventListParams eventQuery(Object body) {
            Query q = new Query(body, Set.of("after_sequence", "types", "object_id", "limit"));
            List<EventType> types = new ArrayList<>();
            Object t = q.get("types");
            if (t instanceof List<?> l) {
                for (Object x : l) {
                    if (!(x instanceof String s)) throw bad("`types`: unknown event type " + Json.write(x));
                    try {
                        types.add(PivotalUniffi.eventTypeFromWire(s));
                    } catch (PivotalException e) {
                        throw bad("`types`: unknown event type \"" + s + "\"");
                    }
                }
            } else if (t != null) {
                throw bad("`types` must be an array, not " + Json.write(t));
            }
            return new EventListParams(q.integer("after_sequence"), types, q.string("object_id"), q.integer("limit"));
        }

        // --- `$name.path` references ---

        Object substitute(Object v) {
            if (v instanceof String s) {
                if (s.startsWith("$$")) return s.substring(1);
                if (s.startsWith("$")) return new Matcher(saved).lookup(s.substring(1));
                return s;
            }
            if (v instanceof List<?> l) {
                List<Object> out = new ArrayList<>();
                for (Object x : l) out.add(substitute(x));
                return out;
            }
            if (v instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put((String) k, substitute(x)));
                return out;
            }
            return v;
        }
    }
}
