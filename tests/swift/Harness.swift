// A tiny test harness: named tests, assertions, and the `N passed, N failed` closing line.

import Foundation
import PivotalCore

struct Failure: Error, CustomStringConvertible {
    let description: String
}

final class Suite {
    let name: String
    private(set) var passed = 0
    private(set) var failed = 0

    init(_ name: String) { self.name = name }

    func test(_ title: String, _ body: () throws -> Void) {
        do {
            try body()
            passed += 1
            print("ok   \(title)")
        } catch {
            failed += 1
            print("FAIL \(title)\n     \(error)")
        }
    }

    func summary() -> Bool {
        print("\(name): \(passed) passed, \(failed) failed")
        return failed == 0
    }
}

func eq<T: Equatable>(_ expected: T, _ actual: T, _ what: String = "value", line: Int = #line) throws {
    if expected != actual { throw Failure(description: "line \(line): \(what): expected <\(expected)>, got <\(actual)>") }
}

func check(_ condition: Bool, _ message: @autoclosure () -> String = "check failed", line: Int = #line) throws {
    if !condition { throw Failure(description: "line \(line): \(message())") }
}

/// Runs `block`, which must throw a `PivotalError` of `type` and `code` (any when nil); `field` is
/// checked when given, and must be absent when `noField`.
@discardableResult
func expectError(
    _ type: String, _ code: String? = nil, field: String? = nil, noField: Bool = false, line: Int = #line,
    _ block: () throws -> Void
) throws -> PivotalError {
    do {
        try block()
    } catch let e as PivotalError {
        let info = e.info()
        try eq(type, info.errorType, "error type", line: line)
        if let code = code { try eq(code, info.code, "error code", line: line) }
        if let field = field { try eq(field, info.field, "error field", line: line) }
        if noField { try eq(nil, info.field, "error field", line: line) }
        return e
    } catch {
        throw Failure(description: "line \(line): expected PivotalError \(type)/\(code ?? "*"), got \(error)")
    }
    throw Failure(description: "line \(line): expected \(type)/\(code ?? "*"), but the call succeeded")
}

/// The instant as the API writes it, for comparing `Date`s exactly.
func wire(_ date: Date?) throws -> String? {
    guard let date = date else { return nil }
    return try formatTimestamp(at: date)
}

func json(_ text: String) throws -> JSON { try JSON.parse(text) }
