// Runs the shared scenarios (tests/scenarios/*.json, format in that directory's README) through the
// Kotlin bindings, on both stores (in memory and a SQLite file), like the Rust runner: one JUnit
// test per file.
//
// Request bodies go through the bindings' `*FromJson` readers (the core's own JSON rules: unknown
// fields, types, `null` = clear), and the typed records they return are what the typed operations
// are called with; results come back as typed records and are compared through their `toJson()`.

package app.pivotal.tests

import app.pivotal.core.*
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.nio.file.Files
import kotlin.test.assertTrue
import kotlin.test.fail

class ScenarioFailure(message: String) : Exception(message)

private fun bad(message: String): Nothing = throw ScenarioFailure(message)

private const val DEFAULT_CLOCK = "2024-01-01T00:00:00.000Z"
private val TOP_KEYS = setOf("name", "spec", "clock", "steps")
private val STEP_KEYS = setOf(
    "op", "ref", "secret", "customer", "params", "idempotency_key", "save", "expect", "error", "at", "ms", "livemode", "actor",
)

enum class Backend { MEMORY, SQLITE }

/** One JUnit test per scenario file of `-Dpivotal.scenarios` (tests/scenarios), each on both stores. */
class ScenarioTests {
    @TestFactory
    fun scenarios(): List<DynamicTest> {
        val dir = File(System.getProperty("pivotal.scenarios") ?: "tests/scenarios")
        val files = dir.listFiles { f -> f.isFile && f.name.endsWith(".json") }?.sortedBy { it.name } ?: emptyList()
        assertTrue(files.isNotEmpty(), "no scenario files in $dir")
        return files.map { file -> DynamicTest.dynamicTest(file.name) { runScenario(file) } }
    }

    private fun runScenario(file: File) {
        val scenario = parseJson(file.readText()) as? Map<*, *> ?: bad("a scenario must be a JSON object")
        val name = scenario["name"] as? String ?: bad("`name` is missing")
        @Suppress("UNCHECKED_CAST")
        val failures = Backend.values().mapNotNull { backend ->
            try {
                ScenarioRun(scenario as Map<String, Any?>, backend).run()
                null
            } catch (e: Exception) {
                "[${backend.name.lowercase()}] ${e.message ?: e.toString()}"
            }
        }
        if (failures.isNotEmpty()) fail("${file.name}: $name\n     " + failures.joinToString("\n     "))
    }
}

private class ScenarioRun(val scenario: Map<String, Any?>, val backend: Backend) {
    val saved = HashMap<String, Any?>()

    fun run() {
        scenario.keys.firstOrNull { it !in TOP_KEYS }?.let { bad("unknown scenario key `$it`") }
        val start = parseTimestamp(scenario["clock"] as? String ?: DEFAULT_CLOCK)
        val steps = scenario["steps"] as? List<*> ?: bad("`steps` must be an array")
        val clock = FixedClock(start)
        val dir = if (backend == Backend.SQLITE) Files.createTempDirectory("pivotal-scenario") else null
        val root = when (backend) {
            Backend.MEMORY -> PivotalStore.openInMemory(actor = "scenario", clock = clock)
            Backend.SQLITE -> PivotalStore.open(dir!!.resolve("scenario.db").toString(), actor = "scenario", clock = clock)
        }
        val handles = mutableListOf(root)
        try {
            var db = root
            for ((i, step) in steps.withIndex()) {
                @Suppress("UNCHECKED_CAST")
                val raw = step as? Map<String, Any?> ?: bad("steps[$i]: a step must be an object")
                val op = raw["op"] as? String ?: "?"
                try {
                    db = step(raw, db, clock).also { if (it !== db) handles += it }
                } catch (e: ScenarioFailure) {
                    bad("steps[$i] ($op): ${e.message}")
                } catch (e: Exception) {
                    bad("steps[$i] ($op): ${e::class.simpleName}: ${e.message}")
                }
            }
        } finally {
            root.closeStore()
            handles.forEach { it.close() }
            clock.close()
            dir?.toFile()?.deleteRecursively()
        }
    }

    /** Runs one step; returns the store handle later steps use (changed by `session.set`). */
    fun step(raw: Map<String, Any?>, current: PivotalStore, clock: FixedClock): PivotalStore {
        raw.keys.firstOrNull { it !in STEP_KEYS }?.let { bad("unknown step key `$it`") }
        val args = raw.filterKeys { it != "expect" && it != "error" }.mapValues { substitute(it.value) }
        val op = args["op"] as? String ?: bad("`op` is missing")
        var db = current
        val result: Any?
        var error: PivotalException? = null
        try {
            result = when (op) {
                "clock.set" -> {
                    clock.set(parseTimestamp(args["at"] as? String ?: bad("`at` is missing")))
                    null
                }
                "clock.advance" -> {
                    clock.advanceMs(args["ms"] as? Long ?: bad("`ms` must be an integer"))
                    null
                }
                "session.set" -> {
                    args["livemode"]?.let { db = db.withLivemode(it as? Boolean ?: bad("`livemode` must be a boolean")) }
                    args["actor"]?.let { db = db.withActor(it as? String ?: bad("`actor` must be a string")) }
                    null
                }
                "session.workspace" -> {
                    db = db.withWorkspace(ref(args, "ref"))
                    wire(db.me().toJson())
                }
                "session.authenticate" -> {
                    db = db.authenticate(args["secret"] as? String ?: bad("`secret` is missing"))
                    wire(db.me().toJson())
                }
                else -> operation(op, args, db)
            }
            if (raw.containsKey("error")) bad("expected error ${writeJson(raw["error"])}, got success: ${writeJson(result)}")
            if (raw.containsKey("expect")) check(raw["expect"], result)
            (raw["save"] as? String)?.let { saved[it] = result }
        } catch (e: PivotalException) {
            error = e
        }
        if (error != null) {
            val info = error.info()
            val actual = linkedMapOf("type" to info.errorType, "code" to info.code, "message" to info.detail, "field" to info.field)
            val want = raw["error"] ?: bad("unexpected error: ${writeJson(actual)}")
            check(want, actual)
            (raw["save"] as? String)?.let { saved[it] = actual }
        }
        return db
    }

    fun check(want: Any?, actual: Any?) {
        val why = Matcher(saved).match(want, actual, "$") ?: return
        bad("$why\n         expected: ${writeJson(want)}\n         actual:   ${writeJson(actual)}")
    }

    fun operation(op: String, a: Map<String, Any?>, db: PivotalStore): Any? {
        val body = a["params"] ?: emptyMap<String, Any?>()
        val text = writeJson(body)
        val key = a["idempotency_key"]?.let { it as? String ?: bad("`idempotency_key` must be a string") }
        val name = (body as? Map<*, *>)?.get("name") as? String ?: ""
        return when (op) {
            "health" -> wire(db.health().toJson())
            "me" -> wire(db.me().toJson())
            "workspaces.create" -> wire(db.createWorkspace(name, (body as? Map<*, *>)?.get("slug") as? String).toJson())
            "workspaces.list" -> db.listWorkspaces().map { wire(it.toJson()) }
            "api_keys.create" -> wire(db.createApiKey(name).toJson())
            "api_keys.list" -> db.listApiKeys().map { wire(it.toJson()) }
            "api_keys.revoke" -> wire(db.revokeApiKey(ref(a, "ref")).toJson())
            "customers.create" -> wire(db.createCustomer(customerParamsFromJson(text), key).toJson())
            "customers.retrieve" -> wire(db.retrieveCustomer(ref(a, "ref")).toJson())
            "customers.update" -> {
                val r = ref(a, "ref")
                wire(db.updateCustomer(r, customerPatchFromJson(text)).toJson())
            }
            "customers.delete" -> wire(db.deleteCustomer(ref(a, "ref")).toJson())
            "customers.list" -> wire(db.listCustomers(customerQuery(body)).toJson())
            "customers.list_all" -> db.allCustomers(customerQuery(body)).map { wire(it.toJson()) }.toList()
            "customers.timeline" -> wire(db.customerTimeline(ref(a, "ref"), pagingQuery(body)).toJson())
            "contacts.create" -> {
                val c = ref(a, "customer")
                wire(db.createContact(c, contactParamsFromJson(text), key).toJson())
            }
            "contacts.retrieve" -> wire(db.retrieveContact(ref(a, "ref")).toJson())
            "contacts.update" -> {
                val r = ref(a, "ref")
                wire(db.updateContact(r, contactPatchFromJson(text)).toJson())
            }
            "contacts.delete" -> wire(db.deleteContact(ref(a, "ref")).toJson())
            "contacts.list" -> wire(db.listContacts(ref(a, "customer"), pagingQuery(body)).toJson())
            "contacts.list_all" -> {
                val c = ref(a, "customer")
                db.allContacts(c, pagingQuery(body)).map { wire(it.toJson()) }.toList()
            }
            "onboardings.create" -> wire(db.createOnboarding(onboardingParamsFromJson(text), key).toJson())
            "onboardings.retrieve" -> wire(db.retrieveOnboarding(ref(a, "ref")).toJson())
            "onboardings.update" -> {
                val r = ref(a, "ref")
                wire(db.updateOnboarding(r, onboardingPatchFromJson(text)).toJson())
            }
            "onboardings.delete" -> wire(db.deleteOnboarding(ref(a, "ref")).toJson())
            "onboardings.list" -> wire(db.listOnboardings(onboardingQuery(body)).toJson())
            "onboardings.list_all" -> db.allOnboardings(onboardingQuery(body)).map { wire(it.toJson()) }.toList()
            "onboardings.list_for_customer" -> wire(db.listCustomerOnboardings(ref(a, "customer")).toJson())
            "onboardings.transitions" -> db.onboardingTransitions(ref(a, "ref")).map { wire(it.toJson()) }
            "events.list" -> wire(db.listEvents(eventQuery(body)).toJson())
            "analytics.onboarding" -> {
                val r = ref(a, "ref")
                val asOf = Query(body, setOf("as_of")).instant("as_of")
                wire(db.analyticsOnboarding(r, asOf).toJson())
            }
            "analytics.workspace" -> wire(db.analyticsWorkspace(reportQuery(body)).toJson())
            "import" -> {
                val q = Query(body, setOf("items", "on_error", "chunk_size"))
                val items = q.get("items") as? List<*> ?: bad("`params.items` must be an array")
                val onError = when (val e = q.string("on_error")) {
                    null, "stop" -> OnError.STOP
                    "skip" -> OnError.SKIP
                    else -> bad("`on_error`: $e")
                }
                summaryJson(db.importJson(writeJson(items), onError, q.int("chunk_size")?.toUInt()))
            }
            else -> bad("unknown op `$op`")
        }
    }

    fun wire(text: String): Any? = parseJson(text)

    /** An import's summary as the scenario files describe it (each error without its line). */
    fun summaryJson(s: ImportSummary): Map<String, Any?> = linkedMapOf(
        "object" to "import_summary",
        "created" to s.created.toLong(),
        "updated" to s.updated.toLong(),
        "unchanged" to s.unchanged.toLong(),
        "skipped" to s.skipped.toLong(),
        "errors" to s.errors.map {
            val e = it.error
            linkedMapOf(
                "index" to it.index.toLong(),
                "error" to linkedMapOf("type" to e.errorType, "code" to e.code, "message" to e.detail, "field" to e.field),
            )
        },
    )

    /** A record reference: a string, or an integer display id. */
    fun ref(a: Map<String, Any?>, key: String): String = when (val v = a[key]) {
        is String -> v
        is Long -> v.toString()
        else -> bad("`$key` must be a string or an integer, not ${writeJson(v)}")
    }

    // --- list and analytics queries: parsed here, exactly as the Rust runner does ---

    inner class Query(body: Any?, accepted: Set<String>) {
        @Suppress("UNCHECKED_CAST")
        val map = body as? Map<String, Any?> ?: bad("list `params` must be an object")

        init {
            map.keys.firstOrNull { it !in accepted }?.let { bad("unknown list parameter `$it`") }
        }

        fun get(key: String): Any? = map[key]
        fun int(key: String): Long? = get(key)?.let { it as? Long ?: bad("`$key` must be an integer") }
        fun string(key: String): String? = when (val v = get(key)) {
            null -> null
            is String -> v
            is Long, is Double -> writeJson(v)
            else -> bad("`$key` must be a string")
        }
        fun number(key: String): Double? = when (val v = get(key)) {
            null -> null
            is Long -> v.toDouble()
            is Double -> v
            else -> bad("`$key` must be a number")
        }
        fun instant(key: String): java.time.Instant? = string(key)?.let {
            try {
                parseTimestamp(it)
            } catch (e: PivotalException) {
                bad("`$key`: not an RFC 3339 instant: $it")
            }
        }
        fun <T> parsed(key: String, parse: (String) -> T): T? = string(key)?.let {
            try {
                parse(it)
            } catch (e: PivotalException) {
                bad("`$key`: unknown value `$it`")
            }
        }
    }

    fun pagingQuery(body: Any?): ListParams {
        val q = Query(body, setOf("limit", "cursor"))
        return ListParams(limit = q.int("limit"), cursor = q.string("cursor"))
    }

    fun customerQuery(body: Any?): CustomerListParams {
        val q = Query(body, setOf("status", "slug", "limit", "cursor"))
        return CustomerListParams(
            status = q.parsed("status", ::customerStatusFromWire),
            slug = q.string("slug"),
            limit = q.int("limit"),
            cursor = q.string("cursor"),
        )
    }

    fun onboardingQuery(body: Any?): OnboardingListParams {
        val q = Query(body, setOf("customer_id", "phase", "state", "limit", "cursor"))
        return OnboardingListParams(
            customerId = q.string("customer_id"),
            phase = q.parsed("phase", ::phaseFromWire),
            state = q.parsed("state", ::stateFromWire),
            limit = q.int("limit"),
            cursor = q.string("cursor"),
        )
    }

    fun reportQuery(body: Any?): WorkspaceReportParams {
        val q = Query(body, setOf("as_of", "customer_id", "csm_id", "template_id", "stalled_after_days"))
        return WorkspaceReportParams(
            asOf = q.instant("as_of"),
            customerId = q.string("customer_id"),
            csmId = q.string("csm_id"),
            templateId = q.string("template_id"),
            stalledAfterDays = q.number("stalled_after_days"),
        )
    }

    fun eventQuery(body: Any?): EventListParams {
        val q = Query(body, setOf("after_sequence", "types", "object_id", "limit"))
        val types = when (val t = q.get("types")) {
            null -> emptyList()
            is List<*> -> t.map { x ->
                val s = x as? String ?: bad("`types`: unknown event type ${writeJson(x)}")
                try {
                    eventTypeFromWire(s)
                } catch (e: PivotalException) {
                    bad("`types`: unknown event type \"$s\"")
                }
            }
            else -> bad("`types` must be an array, not ${writeJson(t)}")
        }
        return EventListParams(afterSequence = q.int("after_sequence"), types = types, objectId = q.string("object_id"), limit = q.int("limit"))
    }

    // --- `$name.path` references ---

    fun substitute(v: Any?): Any? = when (v) {
        is String -> when {
            v.startsWith("$$") -> v.substring(1)
            v.startsWith("$") -> lookup(v.substring(1))
            else -> v
        }
        is List<*> -> v.map { substitute(it) }
        is Map<*, *> -> v.entries.associateTo(LinkedHashMap()) { (k, x) -> k as String to substitute(x) }
        else -> v
    }

    fun lookup(path: String): Any? = Matcher(saved).lookup(path)
}

/** The `expect` matcher of the scenario format (same rules as tests/rust/src/matching.rs). */
class Matcher(private val saved: Map<String, Any?>) {
    fun lookup(path: String): Any? {
        val parts = path.split('.')
        val name = parts[0]
        if (!saved.containsKey(name)) bad("`$$path`: no result saved as `$name`")
        var value = saved[name]
        for (part in parts.drop(1)) {
            value = when (value) {
                is Map<*, *> -> if (value.containsKey(part)) value[part] else bad("`$$path`: nothing at `$part`")
                is List<*> -> {
                    val i = part.toIntOrNull()
                    if (i == null || i !in value.indices) bad("`$$path`: nothing at `$part`") else value[i]
                }
                else -> bad("`$$path`: nothing at `$part`")
            }
        }
        return value
    }

    /** Null when [actual] matches [expected], else the first difference. */
    fun match(expected: Any?, actual: Any?, path: String): String? {
        return when {
            expected == "\$any" -> null
            expected == "\$absent" -> "at $path: expected no value, got ${writeJson(actual)}"
            expected is String -> {
                val wanted: Any? = when {
                    expected.startsWith("$$") -> expected.substring(1)
                    expected.startsWith("$") -> lookup(expected.substring(1))
                    else -> expected
                }
                if (same(wanted, actual)) null else differ(path, writeJson(wanted), actual)
            }
            expected is Map<*, *> && expected.keys.any { (it as String).startsWith("$") } -> matcher(expected, actual, path)
            expected is Map<*, *> -> {
                if (actual !is Map<*, *>) differ(path, "an object", actual) else obj(expected, actual, path, false)
            }
            expected is List<*> -> {
                if (actual !is List<*>) return differ(path, "an array", actual)
                if (expected.size != actual.size) return "at $path: expected ${expected.size} elements, got ${actual.size}"
                expected.indices.firstNotNullOfOrNull { i -> match(expected[i], actual[i], "$path.$i") }
            }
            same(expected, actual) -> null
            else -> differ(path, writeJson(expected), actual)
        }
    }

    private fun differ(path: String, expected: String, actual: Any?) = "at $path: expected $expected, got ${writeJson(actual)}"

    private fun obj(expected: Map<*, *>, actual: Map<*, *>, path: String, exact: Boolean): String? {
        for ((k, want) in expected) {
            val here = "$path.$k"
            val present = actual.containsKey(k)
            if (want == "\$absent") {
                if (present) return differ(here, "no value", actual[k])
                continue
            }
            if (!present) return "at $here: missing"
            match(want, actual[k], here)?.let { return it }
        }
        if (exact) actual.keys.firstOrNull { !expected.containsKey(it) }?.let { return "at $path.$it: not expected (`\$exact`)" }
        return null
    }

    private fun matcher(m: Map<*, *>, actual: Any?, path: String): String? {
        for ((name, arg) in m) {
            when {
                name == "\$exact" && arg is Map<*, *> -> {
                    if (actual !is Map<*, *>) return differ(path, "an object", actual)
                    obj(arg, actual, path, true)?.let { return it }
                }
                name == "\$id" && arg is String -> {
                    val body = (actual as? String)?.takeIf { it.startsWith(arg) }?.substring(arg.length)
                    if (body == null || body.length < 16 || !body.all { it in 'a'..'z' || it in '0'..'9' }) {
                        return differ(path, "an id `$arg` + 16 or more of [a-z0-9]", actual)
                    }
                }
                name == "\$len" -> {
                    val len = (actual as? List<*>)?.size?.toLong()
                    if (len == null || arg !is Long || len != arg) return differ(path, "an array of length ${writeJson(arg)}", actual)
                }
                (name == "\$asc" || name == "\$desc") && arg is List<*> -> {
                    if (actual !is List<*>) return differ(path, "an array", actual)
                    val want = if (name == "\$asc") -1 else 1
                    for (i in 0 until actual.size - 1) {
                        if (order(actual[i], actual[i + 1], arg) != want) {
                            return "at $path.${i + 1}: not strictly $name by ${writeJson(arg)} after the element before"
                        }
                    }
                }
                else -> return "at $path: unknown matcher `$name: ${writeJson(arg)}`"
            }
        }
        return null
    }

    private fun order(a: Any?, b: Any?, keys: List<*>): Int {
        for (key in keys) {
            val k = key as? String ?: bad("`\$asc`/`\$desc` take key names")
            val x = (a as? Map<*, *>)?.get(k)
            val y = (b as? Map<*, *>)?.get(k)
            val o = when {
                x is Number && y is Number -> x.toDouble().compareTo(y.toDouble())
                x is String && y is String -> compareCodePoints(x, y)
                else -> bad("cannot order ${writeJson(x)} and ${writeJson(y)} by `$k`")
            }
            if (o != 0) return o.coerceIn(-1, 1)
        }
        return 0
    }

    private fun compareCodePoints(x: String, y: String): Int {
        val a = x.codePoints().toArray()
        val b = y.codePoints().toArray()
        for (i in 0 until minOf(a.size, b.size)) if (a[i] != b[i]) return a[i].compareTo(b[i])
        return a.size.compareTo(b.size)
    }

    /** Deep equality, numbers by value. */
    private fun same(a: Any?, b: Any?): Boolean = when {
        a is Long && b is Long -> a == b
        a is Number && b is Number -> a.toDouble() == b.toDouble()
        a is List<*> && b is List<*> -> a.size == b.size && a.indices.all { same(a[it], b[it]) }
        a is Map<*, *> && b is Map<*, *> -> a.size == b.size && a.all { (k, v) -> b.containsKey(k) && same(v, b[k]) }
        else -> a == b
    }
}
