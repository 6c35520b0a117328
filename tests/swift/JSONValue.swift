// A JSON value for the Swift tests and scenario runner, read and written by Foundation's
// JSONDecoder/JSONEncoder (Codable): integers stay integers and booleans stay booleans.

import Foundation

indirect enum JSON: Equatable, CustomStringConvertible, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    /// An object; `keys` is the order it is written in (a parsed object's order is not kept).
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

    /// Objects are equal whatever their keys' order.
    static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(_, x), .object(_, y)): return x == y
        default: return false
        }
    }

    static func parse(_ text: String) throws -> JSON {
        try JSONDecoder().decode(JSON.self, from: Data(text.utf8))
    }

    /// Compact JSON text; a number that is not finite is written as null.
    func write() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "<not JSON>" }
        return String(decoding: data, as: UTF8.self)
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        if var items = try? decoder.unkeyedContainer() {
            var array: [JSON] = []
            while !items.isAtEnd { array.append(try items.decode(JSON.self)) }
            self = .array(array)
        } else if let object = try? decoder.container(keyedBy: Key.self) {
            var values: [String: JSON] = [:]
            for key in object.allKeys { values[key.stringValue] = try object.decode(JSON.self, forKey: key) }
            self = .object(keys: values.keys.sorted(), values: values)
        } else {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() {
                self = .null
            } else if let b = try? value.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? value.decode(Int64.self) {
                self = .int(i)
            } else if let d = try? value.decode(Double.self) {
                self = .double(d)
            } else {
                self = .string(try value.decode(String.self))
            }
        }
    }

    func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case let .bool(b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case let .int(i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case let .double(d):
            var c = encoder.singleValueContainer()
            if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
        case let .string(s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case let .array(items):
            var c = encoder.unkeyedContainer()
            for x in items { try c.encode(x) }
        case let .object(keys, values):
            var c = encoder.container(keyedBy: Key.self)
            for k in keys { try c.encode(values[k] ?? .null, forKey: Key(stringValue: k)) }
        }
    }
}
