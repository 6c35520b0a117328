// A minimal JSON value, reader and writer for the Swift test runners: integers stay integers,
// booleans stay booleans and object keys keep their order (no NSNumber ambiguity on Linux).

import Foundation

indirect enum JSON: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object(keys: [String], values: [String: JSON])

    static func obj(_ pairs: [(String, JSON)]) -> JSON {
        var keys: [String] = []
        var values: [String: JSON] = [:]
        for (k, v) in pairs {
            if values[k] == nil { keys.append(k) }
            values[k] = v
        }
        return .object(keys: keys, values: values)
    }

    subscript(key: String) -> JSON? {
        if case let .object(_, values) = self { return values[key] }
        return nil
    }

    var string: String? { if case let .string(s) = self { return s }; return nil }
    var int: Int64? { if case let .int(i) = self { return i }; return nil }
    var bool: Bool? { if case let .bool(b) = self { return b }; return nil }
    var array: [JSON]? { if case let .array(a) = self { return a }; return nil }
    var isNull: Bool { if case .null = self { return true }; return false }

    var description: String { write() }

    func write() -> String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d): out += d.isFinite ? String(d) : "null"
        case let .string(s): JSON.quote(s, into: &out)
        case let .array(items):
            out += "["
            for (i, x) in items.enumerated() {
                if i > 0 { out += "," }
                x.write(into: &out)
            }
            out += "]"
        case let .object(keys, values):
            out += "{"
            for (i, k) in keys.enumerated() {
                if i > 0 { out += "," }
                JSON.quote(k, into: &out)
                out += ":"
                values[k]!.write(into: &out)
            }
            out += "}"
        }
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    static func parse(_ text: String) throws -> JSON {
        var r = Reader(bytes: Array(text.utf8))
        r.ws()
        let v = try r.value(depth: 0)
        r.ws()
        if r.i != r.bytes.count { throw r.fail("trailing characters") }
        return v
    }
}

struct JSONError: Error, CustomStringConvertible {
    let description: String
}

private struct Reader {
    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ what: String) -> JSONError { JSONError(description: "\(what) at offset \(i)") }

    mutating func ws() {
        while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    func peek(_ c: UInt8) -> Bool { i < bytes.count && bytes[i] == c }

    mutating func expect(_ c: UInt8) throws {
        guard peek(c) else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
        i += 1
    }

    mutating func value(depth: Int) throws -> JSON {
        if depth > 512 { throw fail("nesting too deep") }
        guard i < bytes.count else { throw fail("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var pairs: [(String, JSON)] = []
            ws()
            if peek(UInt8(ascii: "}")) { i += 1; return .obj(pairs) }
            while true {
                ws()
                let k = try string()
                ws()
                try expect(UInt8(ascii: ":"))
                ws()
                pairs.append((k, try value(depth: depth + 1)))
                ws()
                if peek(UInt8(ascii: ",")) { i += 1; continue }
                try expect(UInt8(ascii: "}"))
                return .obj(pairs)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSON] = []
            ws()
            if peek(UInt8(ascii: "]")) { i += 1; return .array(items) }
            while true {
                ws()
                items.append(try value(depth: depth + 1))
                ws()
                if peek(UInt8(ascii: ",")) { i += 1; continue }
                try expect(UInt8(ascii: "]"))
                return .array(items)
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    mutating func literal(_ word: String, _ v: JSON) throws -> JSON {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i ..< i + w.count]) == w else { throw fail("bad literal") }
        i += w.count
        return v
    }

    mutating func number() throws -> JSON {
        let start = i
        func digits() { while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 } }
        if peek(UInt8(ascii: "-")) { i += 1 }
        digits()
        var integral = true
        if peek(UInt8(ascii: ".")) { integral = false; i += 1; digits() }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            integral = false
            i += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { i += 1 }
            digits()
        }
        let text = String(decoding: bytes[start ..< i], as: UTF8.self)
        if text.isEmpty || text == "-" { throw fail("bad number") }
        if integral, let n = Int64(text) { return .int(n) }
        guard let d = Double(text) else { throw fail("bad number") }
        return .double(d)
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i ..< i + 4], as: UTF8.self), radix: 16)
        else { throw fail("bad \\u escape") }
        i += 4
        return v
    }

    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush() {
            if !run.isEmpty {
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                run.removeAll()
            }
        }
        while true {
            guard i < bytes.count else { throw fail("unterminated string") }
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { flush(); return String(scalars) }
            if c != UInt8(ascii: "\\") { run.append(c); continue }
            flush()
            guard i < bytes.count else { throw fail("bad escape") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var v = try hex4()
                if v >= 0xD800, v < 0xDC00, i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
                   bytes[i + 1] == UInt8(ascii: "u") {
                    let save = i
                    i += 2
                    let low = try hex4()
                    if low >= 0xDC00, low < 0xE000 {
                        v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        i = save
                    }
                }
                scalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            default: throw fail("bad escape")
            }
        }
    }
}
