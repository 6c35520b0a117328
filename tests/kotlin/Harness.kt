// A tiny test harness: named tests, assertions, and the `N passed, N failed` closing line.

package app.pivotal.tests

import app.pivotal.core.PivotalException

class AssertionFailed(message: String) : Exception(message)

class Suite(private val name: String) {
    var passed = 0
        private set
    var failed = 0
        private set

    fun test(title: String, body: () -> Unit) {
        try {
            body()
            passed++
            println("ok   $title")
        } catch (t: Throwable) {
            failed++
            println("FAIL $title\n     ${t::class.qualifiedName}: ${t.message}")
            t.stackTrace.take(6).forEach { println("       at $it") }
        }
    }

    fun summary(): Boolean {
        println("$name: $passed passed, $failed failed")
        return failed == 0
    }
}

fun fail(message: String): Nothing = throw AssertionFailed(message)

fun check(condition: Boolean, message: () -> String = { "check failed" }) {
    if (!condition) fail(message())
}

fun <T> eq(expected: T, actual: T, what: String = "value") {
    if (expected != actual) fail("$what: expected <$expected>, got <$actual>")
}

/** Runs [block], which must throw a [PivotalException] of [type] and [code] (any when null) and [field]. */
fun expectError(
    type: String,
    code: String? = null,
    field: String? = null,
    anyField: Boolean = field == null,
    block: () -> Unit,
): PivotalException {
    try {
        block()
    } catch (e: PivotalException) {
        val info = e.info()
        eq(type, info.errorType, "error type")
        if (code != null) eq(code, info.code, "error code")
        if (!anyField) eq(field, info.field, "error field")
        return e
    }
    fail("expected $type/$code, but the call succeeded")
}

inline fun <reified T : Throwable> expectThrows(block: () -> Unit): T {
    try {
        block()
    } catch (t: Throwable) {
        if (t is T) return t
        fail("expected ${T::class.simpleName}, got ${t::class.qualifiedName}: ${t.message}")
    }
    fail("expected ${T::class.simpleName}, but the call succeeded")
}
