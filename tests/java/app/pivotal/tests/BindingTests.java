// The Java (FFM) artifact as an application uses it: the library loaded from the JAR, typed records
// and their JSON, errors as typed exceptions, closing, lazy paging, threads.

package app.pivotal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.pivotal.core.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BindingTests {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    static PivotalStore fresh() throws PivotalException {
        return PivotalStore.openInMemory("java", new FixedClock(new Timestamp(T0)));
    }

    static Customer customer(PivotalStore db, String name) throws PivotalException {
        return db.createCustomer(PivotalUniffi.customerParamsFromJson(Json.write(Map.of("name", name, "domain", "acme.com"))), null);
    }

    interface Call {
        void run() throws Exception;
    }

    /** Runs {@code call}, which must throw a PivotalException of {@code type} and {@code code}. */
    static PivotalException expectError(String type, String code, Call call) {
        PivotalException e = assertThrows(PivotalException.class, call::run, "expected " + type + "/" + code);
        ErrorInfo i = Errors.info(e);
        assertEquals(type, i.errorType(), "error type");
        assertEquals(code, i.code(), "error code");
        return e;
    }

    @Test
    void theLibraryIsLoadedFromTheJarWithoutALibraryPath() throws Exception {
        try (PivotalStore db = fresh()) {
            assertEquals("ok", db.health().status());
        }
        String maps = Files.readString(Path.of("/proc/self/maps"));
        String lib = maps.lines().filter(l -> l.endsWith("/libpivotal_uniffi.so")).map(l -> l.substring(l.indexOf('/'))).findFirst()
            .orElseThrow(() -> new AssertionError("libpivotal_uniffi.so is not mapped"));
        assertTrue(lib.contains("/pivotal-core-java"), "loaded from the JAR's extracted copy, not " + lib);
        assertFalse(System.getProperty("java.library.path").contains("release"), System.getProperty("java.library.path"));
        assertNull(System.getProperty("uniffi.component.pivotal_uniffi.libraryOverride"));
    }

    @Test
    void openInMemoryHealthAndJson() throws Exception {
        try (PivotalStore db = fresh()) {
            Health health = db.health();
            assertEquals(new Timestamp(T0), health.timestamp());
            Map<String, Object> json = Json.parseObject(health.toJson());
            assertEquals("2024-01-01T00:00:00.000Z", json.get("timestamp"));
            assertInstanceOf(Long.class, json.get("schema_version"));
            Customer c = customer(db, "Acme");
            assertTrue(c.id().startsWith("cus_"), c.id());
            assertEquals(1L, c.displayId());
            assertEquals(c, db.retrieveCustomer("1"));
            assertEquals(c, PivotalUniffi.customerFromJson(c.toJson()));
        }
    }

    @Test
    void aSqliteFileSurvivesClosingAndReopening() throws Exception {
        Path dir = Files.createTempDirectory("pivotal-java");
        String path = dir.resolve("pivotal.db").toString();
        try {
            try (PivotalStore db = PivotalStore.open(path, "writer", null, null, null)) {
                customer(db, "Acme");
                db.closeStore();
                assertTrue(db.isClosed());
                PivotalException e = expectError("invalid_request_error", "store_closed", () -> db.retrieveCustomer("1"));
                assertInstanceOf(PivotalException.InvalidRequest.class, e);
            }
            try (PivotalStore db = PivotalStore.open(path, "reader", null, null, null)) {
                assertEquals("Acme", db.retrieveCustomer("1").name());
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void errorsAreTypedExceptionsWithTypeCodeDetailFieldAndStatus() throws Exception {
        try (PivotalStore db = fresh()) {
            PivotalException e = expectError("invalid_request_error", "too_long", () -> customer(db, "x".repeat(300)));
            PivotalException.InvalidRequest ir = assertInstanceOf(PivotalException.InvalidRequest.class, e);
            assertEquals("name", ir.field());
            assertEquals((short) 400, ir.httpStatus());
            assertFalse(ir.detail().isEmpty(), "detail");
            PivotalException nf = expectError("not_found", "customer_not_found", () -> db.retrieveCustomer("nope"));
            assertNull(Errors.info(nf).field());
            String kind;
            try {
                db.retrieveContact("1");
                kind = "none";
            } catch (PivotalException.NotFound x) {
                kind = "not_found:" + x.httpStatus();
            }
            assertEquals("not_found:404", kind);
            expectError("invalid_request_error", "unknown_field", () -> PivotalUniffi.customerParamsFromJson("{\"name\":\"A\",\"nope\":1}"));
        }
    }

    @Test
    void listsPageLazilyThroughThePagers() throws Exception {
        try (PivotalStore db = fresh()) {
            for (int i = 1; i <= 5; i++) customer(db, "C" + i);
            CustomerListParams byTwo = new CustomerListParams(null, null, 2L, null);
            assertEquals(2, db.listCustomers(byTwo).data().size());
            List<Long> newestFirst = db.listCustomers(new CustomerListParams(null, null, 100L, null)).data().stream().map(Customer::displayId).toList();
            assertEquals(5, newestFirst.size());
            try (Stream<Customer> all = Lists.allCustomers(db, byTwo)) {
                assertEquals(newestFirst, all.map(Customer::displayId).toList());
            }
            try (Stream<Customer> first = Lists.allCustomers(db, byTwo)) {
                assertEquals(newestFirst.subList(0, 3), first.limit(3).map(Customer::displayId).toList());
            }
            // A bad filter fails where the list is asked for, not while reading it.
            expectError("invalid_request_error", "invalid_limit",
                () -> Lists.allCustomers(db, new CustomerListParams(null, null, 0L, null)).close());
            List<Long> events = new ArrayList<>();
            try (Stream<Event> all = Lists.allEvents(db, new EventListParams(null, List.of(), null, 2L))) {
                all.forEach(ev -> events.add(ev.sequence()));
            }
            assertEquals(LongStream.rangeClosed(events.get(0), events.get(0) + 4).boxed().toList(), events);
        }
    }

    @Test
    void oneStoreSharedByConcurrentWriters() throws Exception {
        try (PivotalStore db = fresh()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 1; t <= 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 1; i <= 25; i++) ids.add(customer(db, "T" + thread + "-" + i).displayId());
                    return ids;
                }));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<List<Long>> f : futures) ids.addAll(f.get(60, TimeUnit.SECONDS));
            pool.shutdown();
            ids.sort(null);
            assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), ids);
        }
    }
}
