// Entry point of the Kotlin checks:
//   MainKt tests                 the binding test suite
//   MainKt scenarios <dir>       the shared scenarios
// Each prints `<suite>: N passed, N failed` last and exits non-zero on any failure.

package app.pivotal.tests

import java.io.File
import kotlin.system.exitProcess

fun main(args: Array<String>) {
    val ok = when (args.firstOrNull()) {
        "tests" -> Suite("kotlin-tests").also { bindingTests(it) }.summary()
        "scenarios" -> runScenarios(File(args.getOrNull(1) ?: "tests/scenarios"), "kotlin-scenarios")
        else -> {
            System.err.println("usage: MainKt tests | scenarios <dir>")
            false
        }
    }
    exitProcess(if (ok) 0 else 1)
}
