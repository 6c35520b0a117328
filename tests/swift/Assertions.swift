// What the Swift suites share beyond XCTest: a call fails with a given PivotalError, and the
// helpers that read instants and JSON the API's way.

import Foundation
import PivotalCore
import XCTest

/// A check that failed; thrown, it fails the test it ends.
struct Failure: Error, CustomStringConvertible {
    let description: String
}

/// Runs `block`, which must throw a `PivotalError` of `type` and `code` (any when nil); `field` is
/// checked when given, and must be absent when `noField`.
@discardableResult
func expectError(
    _ type: String, _ code: String? = nil, field: String? = nil, noField: Bool = false,
    file: StaticString = #filePath, line: UInt = #line, _ block: () throws -> Void
) throws -> PivotalError {
    do {
        try block()
    } catch let e as PivotalError {
        let info = e.info()
        XCTAssertEqual(type, info.errorType, "error type", file: file, line: line)
        if let code = code { XCTAssertEqual(code, info.code, "error code", file: file, line: line) }
        if let field = field { XCTAssertEqual(field, info.field, "error field", file: file, line: line) }
        if noField { XCTAssertNil(info.field, "error field", file: file, line: line) }
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
