// Runs the shared scenarios (tests/scenarios/*.json, format in that directory's README) through the
// Swift package, on both stores (in memory and a SQLite file), like the Rust runner (XCTest).
//
// Request bodies go through the bindings' `*FromJson` readers (the core's own JSON rules), and the
// typed records they return are what the typed operations are called with; results come back as
// typed records and are compared through their `toJson()`.

import Foundation
import PivotalCore
import XCTest

private let defaultClock = "2024-01-01T00:00:00.000Z"
private let topKeys: Set<String> = ["name", "spec", "clock", "steps"]
private let stepKeys: Set<String> = [
    "op", "ref", "secret", "customer", "params", "idempotency_key", "save", "expect", "error", "at", "ms", "livemode", "actor",
]

private func bad(_ message: String) -> Failure { Failure(description: message) }

enum Backend: String, CaseIterable { case memory, sqlite }

/// The shared scenarios of `PIVOTAL_SCENARIOS` (tests/scenarios), each on both stores: one XCTest
/// failure per failing file, and the `swift-scenarios: N passed, N failed` line.
final class ScenarioTests: XCTestCase {
    func testEveryScenario() throws {
        let dir = ProcessInfo.processInfo.environment["PIVOTAL_SCENARIOS"] ?? "tests/scenarios"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertFalse(names.isEmpty, "no scenario files in \(dir)")
        var passed = 0
        for file in names {
            var failures: [String] = []
            var name = "?"
            do {
                let scenario = try JSON.parse(String(contentsOfFile: dir + "/" + file, encoding: .utf8))
                guard let n = scenario["name"]?.string else { throw bad("`name` is missing") }
                name = n
                for backend in Backend.allCases {
                    do {
                        try ScenarioRun(scenario: scenario, backend: backend).run()
                    } catch {
                        failures.append("[\(backend.rawValue)] \(error)")
                    }
                }
            } catch {
                failures.append("\(error)")
            }
            if failures.isEmpty {
                passed += 1
            } else {
                XCTFail("\(file): \(name)\n     " + failures.joined(separator: "\n     "))
            }
        }
        print("swift-scenarios: \(passed) passed, \(names.count - passed) failed")
    }
}

private final class ScenarioRun {
    let scenario: JSON
    let backend: Backend
    var saved: [String: JSON] = [:]

    init(scenario: JSON, backend: Backend) {
        self.scenario = scenario
        self.backend = backend
    }

    func run() throws {
        guard case let .object(keys, _) = scenario else { throw bad("a scenario must be a JSON object") }
        if let k = keys.first(where: { !topKeys.contains($0) }) { throw bad("unknown scenario key `\(k)`") }
        let start = try parseTimestamp(value: scenario["clock"]?.string ?? defaultClock)
        guard let steps = scenario["steps"]?.array else { throw bad("`steps` must be an array") }
        let clock = try FixedClock(at: start)
        var dir: URL? = nil
        let root: PivotalStore
        switch backend {
        case .memory:
            root = try PivotalStore.openInMemory(actor: "scenario", clock: clock)
        case .sqlite:
            dir = try tempDir()
            root = try PivotalStore.open(path: dir!.appendingPathComponent("scenario.db").path, actor: "scenario", clock: clock)
        }
        defer {
            root.close()
            if let dir = dir { try? FileManager.default.removeItem(at: dir) }
        }
        var db = root
        for (i, step) in steps.enumerated() {
            let op = step["op"]?.string ?? "?"
            do {
                db = try self.step(step, db, clock)
            } catch {
                throw bad("steps[\(i)] (\(op)): \(error)")
            }
        }
    }

    /// Runs one step; returns the store handle later steps use (changed by `session.set`).
    func step(_ raw: JSON, _ current: PivotalStore, _ clock: FixedClock) throws -> PivotalStore {
        guard case let .object(keys, values) = raw else { throw bad("a step must be an object") }
        if let k = keys.first(where: { !stepKeys.contains($0) }) { throw bad("unknown step key `\(k)`") }
        var args: [String: JSON] = [:]
        for k in keys where k != "expect" && k != "error" { args[k] = try substitute(values[k]!) }
        guard let op = args["op"]?.string else { throw bad("`op` is missing") }
        var db = current
        let result: JSON
        do {
            switch op {
            case "clock.set":
                guard let at = args["at"]?.string else { throw bad("`at` is missing") }
                try clock.set(at: try parseTimestamp(value: at))
                result = .null
            case "clock.advance":
                guard let ms = args["ms"]?.int else { throw bad("`ms` must be an integer") }
                try clock.advanceMs(ms: ms)
                result = .null
            case "session.set":
                if let live = args["livemode"], !live.isNull {
                    guard let b = live.bool else { throw bad("`livemode` must be a boolean") }
                    db = try db.withLivemode(livemode: b)
                }
                if let actor = args["actor"], !actor.isNull {
                    guard let a = actor.string else { throw bad("`actor` must be a string") }
                    db = try db.withActor(actor: a)
                }
                result = .null
            case "session.workspace":
                db = try db.withWorkspace(reference: try ref(args, "ref"))
                result = try wire(db.me().toJson())
            case "session.authenticate":
                guard let secret = args["secret"]?.string else { throw bad("`secret` is missing") }
                db = try db.authenticate(secret: secret)
                result = try wire(db.me().toJson())
            default:
                result = try operation(op, args, db)
            }
        } catch let e as PivotalError {
            let info = e.info()
            let actual = JSON.obj([
                ("type", .string(info.errorType)), ("code", .string(info.code)), ("message", .string(info.detail)),
                ("field", info.field.map { .string($0) } ?? .null),
            ])
            guard let want = values["error"] else { throw bad("unexpected error: \(actual)") }
            try check(want, actual)
            if let name = values["save"]?.string { saved[name] = actual }
            return db
        }
        if let want = values["error"] { throw bad("expected error \(want), got success: \(result)") }
        if let want = values["expect"] { try check(want, result) }
        if let name = values["save"]?.string { saved[name] = result }
        return db
    }

    func check(_ want: JSON, _ actual: JSON) throws {
        if let why = try Matcher(saved: saved).match(want, actual, "$") {
            throw bad("\(why)\n         expected: \(want)\n         actual:   \(actual)")
        }
    }

    func operation(_ op: String, _ a: [String: JSON], _ db: PivotalStore) throws -> JSON {
        let body = a["params"] ?? .obj([])
        let text = body.write()
        var key: String? = nil
        if let k = a["idempotency_key"], !k.isNull {
            guard let s = k.string else { throw bad("`idempotency_key` must be a string") }
            key = s
        }
        let name = body["name"]?.string ?? ""
        switch op {
        case "health": return try wire(db.health().toJson())
        case "me": return try wire(db.me().toJson())
        case "workspaces.create":
            return try wire(db.createWorkspace(name: name, slug: body["slug"]?.string).toJson())
        case "workspaces.list": return .array(try db.listWorkspaces().map { try wire($0.toJson()) })
        case "api_keys.create": return try wire(db.createApiKey(name: name).toJson())
        case "api_keys.list": return .array(try db.listApiKeys().map { try wire($0.toJson()) })
        case "api_keys.revoke": return try wire(db.revokeApiKey(id: ref(a, "ref")).toJson())
        case "customers.create":
            return try wire(db.createCustomer(params: customerParamsFromJson(json: text), idempotencyKey: key).toJson())
        case "customers.retrieve": return try wire(db.retrieveCustomer(reference: ref(a, "ref")).toJson())
        case "customers.update":
            let r = try ref(a, "ref")
            return try wire(db.updateCustomer(reference: r, patch: customerPatchFromJson(json: text)).toJson())
        case "customers.delete": return try wire(db.deleteCustomer(reference: ref(a, "ref")).toJson())
        case "customers.list": return try wire(db.listCustomers(params: customerQuery(body)).toJson())
        case "customers.list_all":
            let q = try customerQuery(body)
            return try every(db.allCustomers(params: CustomerListParams(status: q.status, slug: q.slug, limit: q.limit, cursor: q.cursor))) { try $0.toJson() }
        case "customers.timeline":
            return try wire(db.customerTimeline(reference: ref(a, "ref"), params: pagingQuery(body)).toJson())
        case "contacts.create":
            let c = try ref(a, "customer")
            return try wire(db.createContact(customer: c, params: contactParamsFromJson(json: text), idempotencyKey: key).toJson())
        case "contacts.retrieve": return try wire(db.retrieveContact(reference: ref(a, "ref")).toJson())
        case "contacts.update":
            let r = try ref(a, "ref")
            return try wire(db.updateContact(reference: r, patch: contactPatchFromJson(json: text)).toJson())
        case "contacts.delete": return try wire(db.deleteContact(reference: ref(a, "ref")).toJson())
        case "contacts.list": return try wire(db.listContacts(customer: ref(a, "customer"), params: pagingQuery(body)).toJson())
        case "contacts.list_all":
            let c = try ref(a, "customer")
            let q = try pagingQuery(body)
            return try every(db.allContacts(customer: c, params: ListParams(limit: q.limit, cursor: q.cursor))) { try $0.toJson() }
        case "onboardings.create":
            return try wire(db.createOnboarding(params: onboardingParamsFromJson(json: text), idempotencyKey: key).toJson())
        case "onboardings.retrieve": return try wire(db.retrieveOnboarding(reference: ref(a, "ref")).toJson())
        case "onboardings.update":
            let r = try ref(a, "ref")
            return try wire(db.updateOnboarding(reference: r, patch: onboardingPatchFromJson(json: text)).toJson())
        case "onboardings.delete": return try wire(db.deleteOnboarding(reference: ref(a, "ref")).toJson())
        case "onboardings.list": return try wire(db.listOnboardings(params: onboardingQuery(body)).toJson())
        case "onboardings.list_all":
            let q = try onboardingQuery(body)
            return try every(db.allOnboardings(params: OnboardingListParams(
                customerId: q.customerId, phase: q.phase, state: q.state, limit: q.limit, cursor: q.cursor))) { try $0.toJson() }
        case "onboardings.list_for_customer":
            return try wire(db.listCustomerOnboardings(customer: ref(a, "customer")).toJson())
        case "onboardings.transitions":
            return .array(try db.onboardingTransitions(reference: ref(a, "ref")).map { try wire($0.toJson()) })
        case "events.list": return try wire(db.listEvents(params: eventQuery(body)).toJson())
        case "analytics.onboarding":
            let r = try ref(a, "ref")
            let asOf = try Query(body, ["as_of"]).instant("as_of")
            return try wire(db.analyticsOnboarding(reference: r, asOf: asOf).toJson())
        case "analytics.workspace": return try wire(db.analyticsWorkspace(params: reportQuery(body)).toJson())
        case "import":
            let q = try Query(body, ["items", "on_error", "chunk_size"])
            guard let items = q.map["items"], items.array != nil else { throw bad("`params.items` must be an array") }
            let onError: OnError
            switch try q.string("on_error") {
            case nil, "stop"?: onError = .stop
            case "skip"?: onError = .skip
            case let other?: throw bad("`on_error`: \(other)")
            }
            let chunkSize = try q.int("chunk_size").map { UInt32($0) }
            return summaryJson(try db.importJson(json: items.write(), onError: onError, chunkSize: chunkSize))
        default: throw bad("unknown op `\(op)`")
        }
    }

    /// Follows `next_cursor` from the first page to the last, collecting every record.
    /// Every record of a list sequence, as JSON (`nextOrThrow`: a page that fails fails the step).
    func every<T>(_ records: Pages<T>, _ json: (T) throws -> String) throws -> JSON {
        var all: [JSON] = []
        while let record = try records.nextOrThrow() { all.append(try wire(json(record))) }
        return .array(all)
    }

    func wire(_ text: String) throws -> JSON { try JSON.parse(text) }

    /// An import's summary as the scenario files describe it (each error without its line).
    func summaryJson(_ s: ImportSummary) -> JSON {
        let errors: [JSON] = s.errors.map { item in
            let e = item.error
            return JSON.obj([
                ("index", .int(Int64(item.index))),
                ("error", JSON.obj([
                    ("type", .string(e.errorType)), ("code", .string(e.code)), ("message", .string(e.detail)),
                    ("field", e.field.map { .string($0) } ?? .null),
                ])),
            ])
        }
        return JSON.obj([
            ("object", .string("import_summary")), ("created", .int(Int64(s.created))),
            ("updated", .int(Int64(s.updated))), ("unchanged", .int(Int64(s.unchanged))),
            ("skipped", .int(Int64(s.skipped))), ("errors", .array(errors)),
        ])
    }

    /// A record reference: a string, or an integer display id.
    func ref(_ a: [String: JSON], _ key: String) throws -> String {
        switch a[key] {
        case let .string(s)?: return s
        case let .int(n)?: return String(n)
        case let other: throw bad("`\(key)` must be a string or an integer, not \(other.map { $0.write() } ?? "nothing")")
        }
    }

    // --- list and analytics queries: parsed here, exactly as the Rust runner does ---

    struct Query {
        let map: [String: JSON]

        init(_ body: JSON, _ accepted: Set<String>) throws {
            guard case let .object(keys, values) = body else { throw bad("list `params` must be an object") }
            if let k = keys.first(where: { !accepted.contains($0) }) { throw bad("unknown list parameter `\(k)`") }
            map = values.filter { !$0.value.isNull }
        }

        func int(_ key: String) throws -> Int64? {
            guard let v = map[key] else { return nil }
            guard let i = v.int else { throw bad("`\(key)` must be an integer") }
            return i
        }

        func string(_ key: String) throws -> String? {
            switch map[key] {
            case nil: return nil
            case let .string(s)?: return s
            case let .int(i)?: return String(i)
            case let .double(d)?: return String(d)
            default: throw bad("`\(key)` must be a string")
            }
        }

        func number(_ key: String) throws -> Double? {
            switch map[key] {
            case nil: return nil
            case let .int(i)?: return Double(i)
            case let .double(d)?: return d
            default: throw bad("`\(key)` must be a number")
            }
        }

        func instant(_ key: String) throws -> Date? {
            guard let s = try string(key) else { return nil }
            do { return try parseTimestamp(value: s) } catch { throw bad("`\(key)`: not an RFC 3339 instant: \(s)") }
        }

        func parsed<T>(_ key: String, _ parse: (String) throws -> T) throws -> T? {
            guard let s = try string(key) else { return nil }
            do { return try parse(s) } catch { throw bad("`\(key)`: unknown value `\(s)`") }
        }
    }

    func pagingQuery(_ body: JSON) throws -> ListParams {
        let q = try Query(body, ["limit", "cursor"])
        return ListParams(limit: try q.int("limit"), cursor: try q.string("cursor"))
    }

    func customerQuery(_ body: JSON) throws -> CustomerListParams {
        let q = try Query(body, ["status", "slug", "limit", "cursor"])
        return CustomerListParams(
            status: try q.parsed("status") { try customerStatusFromWire(value: $0) },
            slug: try q.string("slug"), limit: try q.int("limit"), cursor: try q.string("cursor")
        )
    }

    func onboardingQuery(_ body: JSON) throws -> OnboardingListParams {
        let q = try Query(body, ["customer_id", "phase", "state", "limit", "cursor"])
        return OnboardingListParams(
            customerId: try q.string("customer_id"),
            phase: try q.parsed("phase") { try phaseFromWire(value: $0) },
            state: try q.parsed("state") { try stateFromWire(value: $0) },
            limit: try q.int("limit"), cursor: try q.string("cursor")
        )
    }

    func reportQuery(_ body: JSON) throws -> WorkspaceReportParams {
        let q = try Query(body, ["as_of", "customer_id", "csm_id", "template_id", "stalled_after_days"])
        return WorkspaceReportParams(
            asOf: try q.instant("as_of"), customerId: try q.string("customer_id"), csmId: try q.string("csm_id"),
            templateId: try q.string("template_id"), stalledAfterDays: try q.number("stalled_after_days")
        )
    }

    func eventQuery(_ body: JSON) throws -> EventListParams {
        let q = try Query(body, ["after_sequence", "types", "object_id", "limit"])
        var types: [EventType] = []
        switch q.map["types"] {
        case nil: break
        case let .array(items)?:
            for item in items {
                guard let s = item.string, let t = try? eventTypeFromWire(value: s) else {
                    throw bad("`types`: unknown event type \(item)")
                }
                types.append(t)
            }
        case let other?: throw bad("`types` must be an array, not \(other)")
        }
        return EventListParams(afterSequence: try q.int("after_sequence"), types: types,
                               objectId: try q.string("object_id"), limit: try q.int("limit"))
    }

    // --- `$name.path` references ---

    func substitute(_ v: JSON) throws -> JSON {
        switch v {
        case let .string(s) where s.hasPrefix("$$"): return .string(String(s.dropFirst()))
        case let .string(s) where s.hasPrefix("$"): return try Matcher(saved: saved).lookup(String(s.dropFirst()))
        case let .array(items): return .array(try items.map { try substitute($0) })
        case let .object(keys, values):
            var out: [String: JSON] = [:]
            for k in keys { out[k] = try substitute(values[k]!) }
            return .object(keys: keys, values: out)
        default: return v
        }
    }
}

/// The `expect` matcher of the scenario format (same rules as tests/rust/src/matching.rs).
struct Matcher {
    let saved: [String: JSON]

    func lookup(_ path: String) throws -> JSON {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard var value = saved[parts[0]] else { throw bad("`$\(path)`: no result saved as `\(parts[0])`") }
        for part in parts.dropFirst() {
            switch value {
            case let .object(_, values):
                guard let next = values[part] else { throw bad("`$\(path)`: nothing at `\(part)`") }
                value = next
            case let .array(items):
                guard let i = Int(part), items.indices.contains(i) else { throw bad("`$\(path)`: nothing at `\(part)`") }
                value = items[i]
            default:
                throw bad("`$\(path)`: nothing at `\(part)`")
            }
        }
        return value
    }

    /// nil when `actual` matches `expected`, else the first difference.
    func match(_ expected: JSON, _ actual: JSON, _ path: String) throws -> String? {
        switch expected {
        case .string("$any"): return nil
        case .string("$absent"): return differ(path, "no value", actual)
        case let .string(s):
            let wanted: JSON
            if s.hasPrefix("$$") {
                wanted = .string(String(s.dropFirst()))
            } else if s.hasPrefix("$") {
                wanted = try lookup(String(s.dropFirst()))
            } else {
                wanted = expected
            }
            return same(wanted, actual) ? nil : differ(path, wanted.write(), actual)
        case let .object(keys, values) where keys.contains(where: { $0.hasPrefix("$") }):
            return try matcher(keys, values, actual, path)
        case let .object(keys, values):
            guard case let .object(_, got) = actual else { return differ(path, "an object", actual) }
            return try object(keys, values, got, path, exact: false)
        case let .array(items):
            guard case let .array(got) = actual else { return differ(path, "an array", actual) }
            if items.count != got.count { return "at \(path): expected \(items.count) elements, got \(got.count)" }
            for (i, (e, a)) in zip(items, got).enumerated() {
                if let why = try match(e, a, "\(path).\(i)") { return why }
            }
            return nil
        default:
            return same(expected, actual) ? nil : differ(path, expected.write(), actual)
        }
    }

    private func differ(_ path: String, _ expected: String, _ actual: JSON) -> String {
        "at \(path): expected \(expected), got \(actual.write())"
    }

    private func object(_ keys: [String], _ expected: [String: JSON], _ actual: [String: JSON], _ path: String,
                        exact: Bool) throws -> String? {
        for k in keys {
            let here = "\(path).\(k)"
            let want = expected[k]!
            if want == .string("$absent") {
                if let got = actual[k] { return differ(here, "no value", got) }
                continue
            }
            guard let got = actual[k] else { return "at \(here): missing" }
            if let why = try match(want, got, here) { return why }
        }
        if exact, let extra = actual.keys.sorted().first(where: { expected[$0] == nil }) {
            return "at \(path).\(extra): not expected (`$exact`)"
        }
        return nil
    }

    private func matcher(_ keys: [String], _ m: [String: JSON], _ actual: JSON, _ path: String) throws -> String? {
        for name in keys {
            let arg = m[name]!
            switch (name, arg) {
            case let ("$exact", .object(ks, vs)):
                guard case let .object(_, got) = actual else { return differ(path, "an object", actual) }
                if let why = try object(ks, vs, got, path, exact: true) { return why }
            case let ("$id", .string(prefix)):
                guard let s = actual.string, s.hasPrefix(prefix),
                      s.utf8.count - prefix.utf8.count >= 16,
                      s.utf8.dropFirst(prefix.utf8.count).allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) })
                else { return differ(path, "an id `\(prefix)` + 16 or more of [a-z0-9]", actual) }
            case ("$len", _):
                guard let items = actual.array, let n = arg.int, Int64(items.count) == n else {
                    return differ(path, "an array of length \(arg.write())", actual)
                }
            case let ("$asc", .array(ks)), let ("$desc", .array(ks)):
                guard let items = actual.array else { return differ(path, "an array", actual) }
                let want = name == "$asc" ? -1 : 1
                for i in 0 ..< max(0, items.count - 1) where try order(items[i], items[i + 1], ks) != want {
                    return "at \(path).\(i + 1): not strictly \(name) by \(arg.write()) after the element before"
                }
            default:
                return "at \(path): unknown matcher `\(name): \(arg.write())`"
            }
        }
        return nil
    }

    private func order(_ a: JSON, _ b: JSON, _ keys: [JSON]) throws -> Int {
        for key in keys {
            guard let k = key.string else { throw bad("`$asc`/`$desc` take key names") }
            let (x, y) = (a[k] ?? .null, b[k] ?? .null)
            let o: Int
            if let p = number(x), let q = number(y) {
                o = p < q ? -1 : (p > q ? 1 : 0)
            } else if let p = x.string, let q = y.string {
                let (u, v) = (Array(p.unicodeScalars.map(\.value)), Array(q.unicodeScalars.map(\.value)))
                o = u.lexicographicallyPrecedes(v) ? -1 : (u == v ? 0 : 1)
            } else {
                throw bad("cannot order \(x.write()) and \(y.write()) by `\(k)`")
            }
            if o != 0 { return o }
        }
        return 0
    }

    private func number(_ v: JSON) -> Double? {
        switch v {
        case let .int(i): return Double(i)
        case let .double(d): return d
        default: return nil
        }
    }

    /// Deep equality, numbers by value.
    private func same(_ a: JSON, _ b: JSON) -> Bool {
        switch (a, b) {
        case let (.int(x), .int(y)): return x == y
        case (.int, .double), (.double, .int), (.double, .double): return number(a) == number(b)
        case let (.array(x), .array(y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (.object(xk, xv), .object(yk, yv)):
            return xk.count == yk.count && xk.allSatisfy { k in yv[k].map { same(xv[k]!, $0) } ?? false }
        default: return a == b
        }
    }
}
