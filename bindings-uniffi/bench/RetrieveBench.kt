// Benchmark target 5 (BENCHMARKS.md): `retrieveOnboarding` through the Kotlin bindings (uniffi +
// JNA), p50 ≤ 25 µs, with the JNA call overhead reported separately, through the packaged JAR
// app.pivotal:pivotal-core (the release library inside). Built (its own Maven project,
// bindings-uniffi/bench/pom.xml) and run by bindings-uniffi/bench/run.sh.
//
// Mirrors the Rust `reads` bench (core/benches/reads.rs, `latencies`): on each fixture file
// (`onboardings-<n>.db`, n onboardings in live mode of the default workspace, display ids 1..n)
// 20,000 random onboardings are sampled, here by retrieving random display ids through the bindings;
// then, per timed operation, a warm-up pass over the keys (plus more warm-up calls, so the JIT has
// compiled the call path), then `--ops` calls timed one by one with System.nanoTime, cycling
// through the keys, summarised as nearest-rank percentiles. Timed at each size:
//
//   retrieve_by_id          store.retrieveOnboarding("onb_…")
//   retrieve_by_display_id  store.retrieveOnboarding("12345")
//   overheads, no store work:
//     jvm_noop             an empty lambda: the timer's floor
//     is_closed            store.isClosed(): 2 JNA calls (clone the handle, the method), a bool back
//     clock_now            FixedClock.now(): 3 JNA calls (clone, method, free), a RustBuffer back
//     format_timestamp     formatTimestamp(Instant): 3 JNA calls (alloc, function, free), a
//                          RustBuffer in and a String back; the shape of a retrieve's call, whose
//                          4 JNA calls are clone, alloc (the reference), method, free (the record)
//     onboarding_decode    FfiConverterTypeOnboarding.read of a retrieved record's bytes from a
//                          direct ByteBuffer: the JVM side of lifting the result, no FFI
//
// With `--rust-reads reads.json` (written by `cargo bench -p pivotal-core --bench reads`) the Rust
// p50 at the same size is reported with the Kotlin/Rust ratio. Prints a Markdown table, writes JSON
// to `--out`. `--smoke`: a temporary file with 200 onboardings created through the bindings, a few
// hundred calls of every timed path, every result checked; exits non-zero on any failure.
//
// Usage: RetrieveBenchKt [--smoke] [--out FILE] [--rust-reads FILE] [--ops N] [--warmup N]
//                        [--tmp DIR] [--library FILE] [FIXTURE.db ...]

package app.pivotal.bench

import app.pivotal.core.CustomerParams
import app.pivotal.core.FfiConverterTypeOnboarding
import app.pivotal.core.FixedClock
import app.pivotal.core.Onboarding
import app.pivotal.core.OnboardingParams
import app.pivotal.core.Phase
import app.pivotal.core.PivotalStore
import app.pivotal.core.formatTimestamp
import app.pivotal.tests.parseJson
import app.pivotal.tests.writeJson
import java.io.File
import java.lang.management.ManagementFactory
import java.nio.ByteBuffer
import java.nio.file.Files
import java.time.Instant
import java.util.Random
import kotlin.system.exitProcess

/** Onboardings sampled per file; every timed operation cycles through them (as in reads.rs). */
const val KEYS = 20_000
const val TARGET_P50_US = 25.0
val T0: Instant = Instant.parse("2024-01-01T00:00:00Z")
const val T0_TEXT = "2024-01-01T00:00:00.000Z"

class BenchFailure(message: String) : Exception(message)

fun check(ok: Boolean, message: () -> String) {
    if (!ok) throw BenchFailure(message())
}

// ---------------------------------------------------------------------------------------------
// Percentiles, as support::Latencies: nearest rank, in microseconds.

class Stats(ns: LongArray) {
    private val sorted = ns.copyOf().also { it.sort() }
    val n = sorted.size
    val mean = if (n == 0) Double.NaN else sorted.sum().toDouble() / n / 1_000.0

    fun p(p: Double): Double {
        if (n == 0) return Double.NaN
        val rank = Math.ceil(p / 100.0 * n).toInt().coerceIn(1, n)
        return sorted[rank - 1] / 1_000.0
    }

    val p50 get() = p(50.0)
    val p99 get() = p(99.0)

    fun json(): Map<String, Any?> =
        if (n == 0) linkedMapOf("n" to 0)
        else linkedMapOf("n" to n, "p50_us" to p(50.0), "p90_us" to p(90.0), "p99_us" to p(99.0), "mean_us" to mean)
}

/** One timed operation: its latencies, its first (cold) pass, and the GC and JIT work meanwhile. */
class Measured(val timed: Stats, val firstPass: Stats, val warmup: Int, val gcCount: Long, val gcMs: Long, val jitMs: Long) {
    fun json(): Map<String, Any?> = LinkedHashMap(timed.json()).apply {
        put("warmup_calls", warmup)
        put("first_pass", firstPass.json())
        put("gc_during", linkedMapOf("collections" to gcCount, "ms" to gcMs))
        put("jit_ms_during", jitMs)
    }
}

fun gcTotals(): Pair<Long, Long> {
    var count = 0L
    var ms = 0L
    for (gc in ManagementFactory.getGarbageCollectorMXBeans()) {
        count += maxOf(0L, gc.collectionCount)
        ms += maxOf(0L, gc.collectionTime)
    }
    return count to ms
}

fun jitMs(): Long =
    ManagementFactory.getCompilationMXBean()?.takeIf { it.isCompilationTimeMonitoringSupported }?.totalCompilationTime ?: 0L

/**
 * Times `ops` calls of `f(i)` one by one, after a warm-up: one pass over the keys (timed, reported
 * as `first_pass`, to show the JIT's effect) and untimed calls up to `warmup` in all.
 */
fun measure(ops: Int, warmup: Int, f: (Int) -> Unit): Measured {
    val first = LongArray(minOf(KEYS, ops))
    for (i in first.indices) {
        val t = System.nanoTime()
        f(i)
        first[i] = System.nanoTime() - t
    }
    for (i in first.size until warmup) f(i)
    val (gc0, gcMs0) = gcTotals()
    val jit0 = jitMs()
    val out = LongArray(ops)
    for (i in 0 until ops) {
        val t = System.nanoTime()
        f(i)
        out[i] = System.nanoTime() - t
    }
    val (gc1, gcMs1) = gcTotals()
    return Measured(Stats(out), Stats(first), maxOf(warmup, first.size), gc1 - gc0, gcMs1 - gcMs0, jitMs() - jit0)
}

// ---------------------------------------------------------------------------------------------
// One store: sample the keys, time every path.

class Key(val id: String, val displayId: Long, val display: String)

/** `KEYS` random onboardings (display ids 1..n, seeded by n), retrieved through the bindings. */
fun sample(store: PivotalStore, n: Long): List<Key> {
    val rng = Random(n)
    return List(KEYS) {
        val display = (1 + (rng.nextDouble() * n).toLong().coerceAtMost(n - 1)).toString()
        val o = store.retrieveOnboarding(display)
        check(o.displayId.toString() == display) { "retrieved display id ${o.displayId} for $display" }
        check(o.id.startsWith("onb_")) { "unexpected onboarding id ${o.id}" }
        Key(o.id, o.displayId, display)
    }
}

class SizeResult(
    val n: Long,
    val file: String,
    val fileMb: Long,
    val ops: Map<String, Measured>,
    val tookS: Double,
)

val OVERHEADS = listOf("jvm_noop", "is_closed", "clock_now", "format_timestamp", "onboarding_decode")

fun timeStore(store: PivotalStore, n: Long, file: String, ops: Int, warmup: Int): SizeResult {
    val started = System.nanoTime()
    val keys = sample(store, n)
    fun key(i: Int) = keys[i % keys.size]
    val results = LinkedHashMap<String, Measured>()

    results["retrieve_by_id"] = measure(ops, warmup) { i ->
        val k = key(i)
        val o = store.retrieveOnboarding(k.id)
        if (o.id != k.id) throw BenchFailure("retrieved ${o.id} for ${k.id}")
    }
    results["retrieve_by_display_id"] = measure(ops, warmup) { i ->
        val k = key(i)
        val o = store.retrieveOnboarding(k.display)
        if (o.displayId != k.displayId) throw BenchFailure("retrieved display id ${o.displayId} for ${k.display}")
    }

    var sink = 0L
    results["jvm_noop"] = measure(ops, warmup) { i -> sink += i }
    results["is_closed"] = measure(ops, warmup) { _ ->
        if (store.isClosed()) throw BenchFailure("the store reports closed")
    }
    FixedClock(T0).use { clock ->
        results["clock_now"] = measure(ops, warmup) { _ ->
            if (clock.now() != T0) throw BenchFailure("FixedClock.now() moved")
        }
    }
    results["format_timestamp"] = measure(ops, warmup) { _ ->
        val text = formatTimestamp(T0)
        if (text != T0_TEXT) throw BenchFailure("formatTimestamp gave $text")
    }
    // The record as it crosses the boundary (uniffi's serialisation, big-endian), decoded from a
    // direct buffer as RustBuffer.asByteBuffer() gives it: no FFI, the JVM side of a retrieve's lift.
    val record: Onboarding = store.retrieveOnboarding(keys[0].id)
    val bytes = ByteBuffer.allocateDirect(FfiConverterTypeOnboarding.allocationSize(record).toInt())
    FfiConverterTypeOnboarding.write(record, bytes)
    results["onboarding_decode"] = measure(ops, warmup) { _ ->
        bytes.position(0)
        val o = FfiConverterTypeOnboarding.read(bytes)
        if (o.id != record.id) throw BenchFailure("decoded ${o.id}, expected ${record.id}")
    }
    bytes.position(0)
    check(FfiConverterTypeOnboarding.read(bytes) == record) { "the decoded record differs from the retrieved one" }
    if (sink == Long.MIN_VALUE) println(sink)
    val fileMb = File(file).takeIf { it.exists() }?.length()?.div(1_000_000) ?: 0L
    return SizeResult(n, file, fileMb, results, (System.nanoTime() - started) / 1e9)
}

/** The smoke store: a customer and `n` onboardings created through the bindings, in `dir`. */
fun smokeStore(dir: File, n: Int): Pair<PivotalStore, String> {
    val path = File(dir, "kotlin-bench.db").path
    val store = PivotalStore.open(path, actor = "bench", clock = FixedClock(T0))
    val customer = store.createCustomer(CustomerParams(name = "Customer 0", domain = "customer0.example.com"))
    check(customer.displayId == 1L) { "the first customer has display id ${customer.displayId}" }
    val phases = Phase.values()
    for (i in 0 until n) {
        val o = store.createOnboarding(
            OnboardingParams(
                customerId = if (i % 2 == 0) "1" else customer.id,
                phase = phases[i % phases.size],
                csmId = "csm_${i % 20}",
                notes = if (i % 4 == 0) "Kick-off call done; waiting for the brand kit." else null,
            ),
        )
        check(o.displayId == i + 1L) { "onboarding $i has display id ${o.displayId}" }
    }
    return store to path
}

// ---------------------------------------------------------------------------------------------
// Reading JSON values (parsed by tests/kotlin/JsonValues.kt: integers are Long, other numbers Double).

@Suppress("UNCHECKED_CAST")
fun Any?.at(vararg path: Any): Any? {
    var v: Any? = this
    for (p in path) {
        v = when {
            p is String && v is Map<*, *> -> (v as Map<String, Any?>)[p]
            p is Int && v is List<*> -> v.getOrNull(p)
            else -> null
        }
    }
    return v
}

/** A JSON number as a Double, or null. */
fun Any?.number(): Double? = (this as? Number)?.toDouble()

// ---------------------------------------------------------------------------------------------
// The machine, the Rust numbers, the report.

fun run(vararg cmd: String): String? = try {
    val p = ProcessBuilder(*cmd).redirectErrorStream(true).start()
    p.inputStream.bufferedReader().readText().trim().also { p.waitFor() }
} catch (e: Exception) {
    null
}

fun machine(smoke: Boolean): Map<String, Any?> {
    fun read(path: String) = try {
        File(path).readText()
    } catch (e: Exception) {
        ""
    }
    val cpu = read("/proc/cpuinfo").lineSequence().firstOrNull { it.startsWith("model name") }?.substringAfter(':')?.trim()
    return linkedMapOf(
        "arch" to (run("uname", "-m") ?: System.getProperty("os.arch")),
        "cpu" to (cpu ?: ""),
        "cpus" to Runtime.getRuntime().availableProcessors(),
        "loadavg" to read("/proc/loadavg").trim(),
        "java" to "${System.getProperty("java.vm.name")} ${System.getProperty("java.runtime.version")}",
        "kotlin" to KotlinVersion.CURRENT.toString(),
        "jna" to com.sun.jna.Native.VERSION,
        "smoke" to smoke,
    )
}

/**
 * The Rust p50 and p99 of each retrieve at `n` onboardings from reads.json, with the Kotlin/Rust
 * p50 ratio and difference (the cost of the bindings), or null.
 */
fun rustAt(reads: Any?, s: SizeResult): Map<String, Any?>? {
    val sizes = reads.at("sizes") as? List<*> ?: return null
    val size = sizes.firstOrNull { it.at("onboardings").number()?.toLong() == s.n } ?: return null
    return listOf("retrieve_by_id", "retrieve_by_display_id").associateWith { op ->
        val p50 = size.at("library", op, "p50_us").number()
        val kotlin = s.ops.getValue(op).timed.p50
        linkedMapOf(
            "p50_us" to p50,
            "p99_us" to size.at("library", op, "p99_us").number(),
            "kotlin_vs_rust_p50" to p50?.let { kotlin / it },
            "kotlin_minus_rust_p50_us" to p50?.let { kotlin - it },
        )
    }
}

fun fmt(x: Double?, digits: Int = 1): String = if (x == null || !x.isFinite()) "—" else "%,.${digits}f".format(x)

fun table(sizes: List<SizeResult>, rust: List<Map<String, Any?>?>, library: String): String {
    val out = StringBuilder()
    fun row(label: String, cell: (Int) -> String) {
        out.append("| $label | ").append(sizes.indices.joinToString(" | ") { cell(it) }).append(" |\n")
    }
    fun pct(s: Stats) = "${fmt(s.p50)} / ${fmt(s.p(90.0))} / ${fmt(s.p99)}"
    out.append("Kotlin through the bindings ($library), µs: p50 / p90 / p99 of ${sizes[0].ops.values.first().timed.n} calls timed one by one\n\n")
    out.append("| operation | ").append(sizes.joinToString(" | ") { "%,d (%,d MB)".format(it.n, it.fileMb) }).append(" |\n")
    out.append("|---|").append("---|".repeat(sizes.size)).append("\n")
    for (op in listOf("retrieve_by_id", "retrieve_by_display_id")) {
        row(op.replace('_', ' ')) { pct(sizes[it].ops.getValue(op).timed) }
    }
    for (op in listOf("retrieve_by_id", "retrieve_by_display_id")) {
        row("Rust p50 / p99, ${op.replace('_', ' ')} (reads.json)") {
            val r = rust[it]
            "${fmt(r.at(op, "p50_us").number())} / ${fmt(r.at(op, "p99_us").number())}"
        }
        row("Kotlin ÷ Rust p50 (Kotlin − Rust), ${op.replace('_', ' ')}") {
            val r = rust[it].at(op, "p50_us").number()
            val k = sizes[it].ops.getValue(op).timed.p50
            if (r == null) "—" else "${fmt(k / r, 2)}× (+${fmt(k - r)} µs)"
        }
    }
    row("first pass (JIT cold), retrieve by id") { pct(sizes[it].ops.getValue("retrieve_by_id").firstPass) }
    val labels = mapOf(
        "jvm_noop" to "overhead: JVM no-op (timer floor)",
        "is_closed" to "overhead: store.isClosed() (2 JNA calls, bool back)",
        "clock_now" to "overhead: FixedClock.now() (3 JNA calls, RustBuffer back)",
        "format_timestamp" to "overhead: formatTimestamp() (3 JNA calls, RustBuffer in, String back)",
        "onboarding_decode" to "JVM only: Onboarding record decode (no FFI)",
    )
    for (op in OVERHEADS) row(labels.getValue(op)) { pct(sizes[it].ops.getValue(op).timed) }
    row("GC collections (ms) while timing retrieve by id / display id") {
        val a = sizes[it].ops.getValue("retrieve_by_id")
        val b = sizes[it].ops.getValue("retrieve_by_display_id")
        "${a.gcCount} (${a.gcMs}) / ${b.gcCount} (${b.gcMs})"
    }
    return out.toString()
}

// ---------------------------------------------------------------------------------------------

class Args(argv: Array<String>) {
    var smoke = false
    var out: File? = null
    var rustReads: File? = null
    var ops: Int? = null
    var warmup: Int? = null
    var tmp: File? = null
    var library = ""
    val fixtures = ArrayList<File>()

    init {
        var i = 0
        fun next(): String = argv.getOrNull(++i) ?: throw BenchFailure("${argv[i - 1]} needs a value")
        while (i < argv.size) {
            when (val a = argv[i]) {
                "--smoke" -> smoke = true
                "--out" -> out = File(next())
                "--rust-reads" -> rustReads = File(next())
                "--ops" -> ops = next().toInt()
                "--warmup" -> warmup = next().toInt()
                "--tmp" -> tmp = File(next())
                "--library" -> library = next()
                else -> if (a.startsWith("--")) throw BenchFailure("unknown option $a") else fixtures.add(File(a))
            }
            i++
        }
    }
}

/** `onboardings-<n>.db` -> n. */
fun onboardingsIn(file: File): Long =
    Regex("""onboardings-(\d+)\.db""").matchEntire(file.name)?.groupValues?.get(1)?.toLong()
        ?: throw BenchFailure("not a fixture file name (onboardings-<n>.db): $file")

fun bench(args: Args) {
    val started = System.nanoTime()
    val smoke = args.smoke
    val ops = args.ops ?: if (smoke) 300 else 20_000
    val warmup = args.warmup ?: if (smoke) 0 else 10_000
    val machineBefore = machine(smoke)
    val reads = args.rustReads?.takeIf { it.exists() }?.let { parseJson(it.readText()) }
    val sizes = ArrayList<SizeResult>()

    if (smoke) {
        val parent = (args.tmp ?: File(System.getProperty("java.io.tmpdir"))).also { it.mkdirs() }
        val dir = Files.createTempDirectory(parent.toPath(), "kotlin-bench").toFile()
        try {
            val n = 200
            val (store, path) = smokeStore(dir, n)
            store.use { sizes.add(timeStore(it, n.toLong(), path, ops, warmup)) }
        } finally {
            dir.deleteRecursively()
        }
    } else {
        check(args.fixtures.isNotEmpty()) { "no fixture files given (onboardings-<n>.db)" }
        for (file in args.fixtures.sortedBy { onboardingsIn(it) }) {
            check(file.isFile) { "missing fixture $file" }
            val n = onboardingsIn(file)
            System.err.println("kotlin bench: $n onboardings ($file)")
            PivotalStore.open(file.path).use { sizes.add(timeStore(it, n, file.path, ops, warmup)) }
        }
    }

    val rust = sizes.map { rustAt(reads, it) }
    val largest = sizes.last()
    val p50 = largest.ops.getValue("retrieve_by_id").timed.p50
    val rustP50 = rust.last().at("retrieve_by_id", "p50_us").number()
    val targets = linkedMapOf<String, Any?>(
        "onboardings" to largest.n,
        "retrieve_p50_kotlin_us" to p50,
        "retrieve_p99_kotlin_us" to largest.ops.getValue("retrieve_by_id").timed.p99,
        "retrieve_by_display_id_p50_kotlin_us" to largest.ops.getValue("retrieve_by_display_id").timed.p50,
        "limit_p50_us" to TARGET_P50_US,
        "met" to if (smoke) null else p50 <= TARGET_P50_US,
        "retrieve_p50_rust_us" to rustP50,
        "retrieve_p50_kotlin_vs_rust" to rustP50?.let { p50 / it },
        "jna_overhead_p50_us" to linkedMapOf(
            "is_closed" to largest.ops.getValue("is_closed").timed.p50,
            "clock_now" to largest.ops.getValue("clock_now").timed.p50,
            "format_timestamp" to largest.ops.getValue("format_timestamp").timed.p50,
            "onboarding_decode" to largest.ops.getValue("onboarding_decode").timed.p50,
            "timer_floor" to largest.ops.getValue("jvm_noop").timed.p50,
        ),
    )
    val results = linkedMapOf(
        "bench" to "kotlin",
        "command" to "bash bindings-uniffi/bench/run.sh" + if (smoke) " --smoke" else "",
        "smoke" to smoke,
        "library" to args.library,
        "jvm_flags" to ManagementFactory.getRuntimeMXBean().inputArguments,
        "machine_before" to machineBefore,
        "machine_after" to machine(smoke),
        "took_s" to (System.nanoTime() - started) / 1e9,
        "keys" to KEYS,
        "ops" to ops,
        "rust_reads" to args.rustReads?.path,
        "rust_reads_modified" to args.rustReads?.takeIf { reads != null }?.let { Instant.ofEpochMilli(it.lastModified()).toString() },
        "rust_reads_loadavg" to reads.at("machine_before", "loadavg"),
        "targets" to targets,
        "sizes" to sizes.mapIndexed { i, s ->
            linkedMapOf(
                "onboardings" to s.n,
                "file" to s.file,
                "file_mb" to s.fileMb,
                "took_s" to s.tookS,
                "kotlin" to linkedMapOf(
                    "retrieve_by_id" to s.ops.getValue("retrieve_by_id").json(),
                    "retrieve_by_display_id" to s.ops.getValue("retrieve_by_display_id").json(),
                ),
                "overhead" to OVERHEADS.associateWith { s.ops.getValue(it).json() },
                "rust" to rust[i],
            )
        },
    )

    println(table(sizes, rust, args.library.ifEmpty { "library" }))
    if (smoke) {
        println("smoke run (JIT barely warm): every path ran and checked its results; no measurement")
    } else {
        println(
            "target 5 at %,d onboardings: retrieve p50 %s µs (limit %.0f): %s".format(
                largest.n, fmt(p50), TARGET_P50_US, if (p50 <= TARGET_P50_US) "met" else "missed",
            ) + (rustP50?.let { "; Rust p50 %s µs, Kotlin ÷ Rust %.2f×".format(fmt(it), p50 / it) } ?: ""),
        )
    }

    // Every number present and sane, and the JSON readable back (so neither can rot).
    for (s in sizes) {
        for ((op, m) in s.ops) {
            check(m.timed.n == ops && m.timed.p50 > 0 && m.timed.p50 <= m.timed.p99) { "bad latencies for $op: ${m.json()}" }
        }
    }
    val text = writeJson(results) + "\n"
    check(parseJson(text).at("sizes", 0, "kotlin", "retrieve_by_id", "n") == ops.toLong()) { "the JSON does not read back" }
    args.out?.let {
        it.parentFile?.mkdirs()
        it.writeText(text)
        println("results -> $it")
    }
}

fun main(argv: Array<String>) {
    try {
        bench(Args(argv))
    } catch (t: Throwable) {
        System.err.println("kotlin bench FAILED: $t")
        t.printStackTrace()
        exitProcess(1)
    }
    exitProcess(0)
}
