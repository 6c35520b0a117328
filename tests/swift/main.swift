// Entry point of the Swift checks:
//   swift-tests tests              the binding test suite
//   swift-tests scenarios <dir>    the shared scenarios
// Each prints `<suite>: N passed, N failed` last and exits non-zero on any failure.

import Foundation

let arguments = CommandLine.arguments
var ok = false
switch arguments.count > 1 ? arguments[1] : "" {
case "tests":
    let suite = Suite("swift-tests")
    bindingTests(suite)
    ok = suite.summary()
case "scenarios":
    ok = runScenarios(dir: arguments.count > 2 ? arguments[2] : "tests/scenarios", suiteName: "swift-scenarios")
default:
    FileHandle.standardError.write("usage: swift-tests tests | scenarios <dir>\n".data(using: .utf8)!)
}
exit(ok ? 0 : 1)
