// The Swift suite: every operation of the typed API and every kind of error, through the generated
// bindings (module PivotalCore) and the real library.

import Foundation
import PivotalCore

let t0 = Date(timeIntervalSince1970: 1_704_067_200) // 2024-01-01T00:00:00Z

func fresh(_ clock: FixedClock? = nil, actor: String = "swift") throws -> PivotalStore {
    try PivotalStore.openInMemory(actor: actor, clock: clock ?? FixedClock(at: t0))
}

extension PivotalStore {
    func acme(_ name: String = "Acme", key: String? = nil) throws -> Customer {
        try createCustomer(params: CustomerParams(name: name, domain: "acme.com"), idempotencyKey: key)
    }

    func onboarding(of c: Customer, phase: Phase? = nil) throws -> Onboarding {
        try createOnboarding(params: OnboardingParams(customerId: c.id, phase: phase))
    }
}

func tempDir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pivotal-swift-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

func bindingTests(_ s: Suite) {
    s.test("open in memory: session defaults and health") {
        let db = try PivotalStore.openInMemory(clock: FixedClock(at: t0))
        defer { db.close() }
        let session = try db.session()
        try eq("local", session.actor)
        try eq(true, session.livemode)
        try check(session.workspace.id.hasPrefix("org_"), session.workspace.id)
        try eq("default", session.workspace.slug)
        let health = try db.health()
        try eq("ok", health.status)
        try eq(t0, health.timestamp)
        try eq(.string("2024-01-01T00:00:00.000Z"), try json(health.toJson())["timestamp"])
    }

    s.test("open a SQLite file: data survives closing and reopening") {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("pivotal.db").path
        let db = try PivotalStore.open(path: path, actor: "writer")
        _ = try db.acme()
        db.close()
        try check(db.isClosed())
        let again = try PivotalStore.open(path: path, durability: .full, mmapSize: 1 << 24)
        defer { again.close() }
        try eq("Acme", try again.retrieveCustomer(reference: "1").name)
        try eq("writer", try again.listEvents().data[0].actor)
    }

    s.test("a file that cannot be opened is storage_unavailable") {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("no/such/dir.db").path
        let e = try expectError("internal_error", "storage_unavailable") {
            _ = try PivotalStore.open(path: path)
        }
        try check(e.info().detail.contains("cannot open"))
    }

    s.test("customers: create with every field, timestamps are Dates") {
        let db = try fresh()
        defer { db.close() }
        let c = try db.createCustomer(params: CustomerParams(
            name: "  Acme Corp ", domain: "acme.com", status: .active, plan: "pro", mrr: 125_000,
            monthlyOrders: 40, hubspotCompanyId: "hs-1", hubspotDealId: "hd-1", stripeCustomerId: "cus_stripe",
            intercomCompanyId: "ic-1", slackChannelId: "C042", metadata: #"{"tier":"gold","nested":{"a":[1,2.5,null]}}"#
        ))
        try eq("Acme Corp", c.name)
        try eq("acme-corp", c.slug)
        try eq("acme.com", c.domain)
        try eq(.active, c.status)
        try eq(1, c.displayId)
        try check(c.id.hasPrefix("cus_"), c.id)
        try eq(125_000, c.mrr)
        try eq(t0, c.createdAt)
        try eq(t0, c.updatedAt)
        try eq(.obj([("tier", .string("gold")), ("nested", .obj([("a", .array([.int(1), .double(2.5), .null]))]))]),
               try json(c.metadata))
        let z = try db.createCustomer(params: CustomerParams(name: "Zeta Labs"))
        try eq("zeta-labs", z.slug)
        try eq(.onboarding, z.status)
        try eq(nil, z.domain)
        try eq("{}", z.metadata)
        try eq(z, try db.retrieveCustomer(reference: z.id))
        try eq(z, try db.retrieveCustomer(reference: String(z.displayId)))
    }

    s.test("customers: a patch sets, clears and leaves fields alone") {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        defer { db.close() }
        let c = try db.createCustomer(params: CustomerParams(name: "Acme", domain: "acme.com", plan: "pro", mrr: 10))
        try clock.advanceMs(ms: 60_000)
        let u = try db.updateCustomer(reference: c.id, patch: CustomerPatch(plan: "enterprise", clear: [.domain, .mrr]))
        try eq("enterprise", u.plan)
        try eq(nil, u.domain)
        try eq(nil, u.mrr)
        try eq("Acme", u.name)
        try eq(t0.addingTimeInterval(60), u.updatedAt)
        try clock.advanceMs(ms: 60_000)
        let same = try db.updateCustomer(reference: c.id, patch: CustomerPatch(plan: "enterprise"))
        try eq(u.updatedAt, same.updatedAt)
        try eq(2, try db.listEvents(params: EventListParams(objectId: c.id)).data.count)
        try eq(#"{"a":1}"#, try db.updateCustomer(reference: c.id, patch: CustomerPatch(metadata: #"{"a":1}"#)).metadata)
        try expectError("invalid_request_error", "invalid_type", field: "metadata") {
            _ = try db.updateCustomer(reference: c.id, patch: CustomerPatch(clear: [.metadata]))
        }
        try expectError("invalid_request_error", "conflicting_fields", field: "plan") {
            _ = try db.updateCustomer(reference: c.id, patch: CustomerPatch(plan: "x", clear: [.plan]))
        }
        let typed = try expectError("invalid_request_error", field: "name") {
            _ = try db.updateCustomer(reference: c.id, patch: CustomerPatch(clear: [.name]))
        }
        let viaJson = try expectError("invalid_request_error", field: "name") {
            _ = try db.updateCustomer(reference: c.id, patch: customerPatchFromJson(json: #"{"name":null}"#))
        }
        try eq(viaJson.info().code, typed.info().code)
    }

    s.test("customers: delete, conflicts and validation errors") {
        let db = try fresh()
        defer { db.close() }
        let c = try db.acme()
        let taken = try expectError("conflict", "slug_taken", field: "slug") { _ = try db.acme() }
        guard case .Conflict(_, _, _, _, 409) = taken else { throw Failure(description: "Conflict/409: \(taken)") }
        try expectError("invalid_request_error", "too_small", field: "mrr") {
            _ = try db.createCustomer(params: CustomerParams(name: "B", mrr: -1))
        }
        try expectError("invalid_request_error", "invalid_slug", field: "slug") {
            _ = try db.createCustomer(params: CustomerParams(name: "B", slug: "Not A Slug"))
        }
        try expectError("invalid_request_error", "invalid_domain", field: "domain") {
            _ = try db.createCustomer(params: CustomerParams(name: "B", domain: "https://b.com/path"))
        }
        try expectError("invalid_request_error", field: "name") {
            _ = try db.createCustomer(params: CustomerParams(name: "   "))
        }
        let d = try db.deleteCustomer(reference: String(c.displayId))
        try eq(Deleted(id: c.id, displayId: c.displayId, deleted: true), d)
        try eq(.string("deleted"), try json(d.toJson())["object"])
        let nf = try expectError("not_found", "customer_not_found", noField: true) {
            _ = try db.retrieveCustomer(reference: c.id)
        }
        guard case .NotFound(_, _, _, _, 404) = nf else { throw Failure(description: "NotFound/404: \(nf)") }
        try expectError("not_found", "customer_not_found") { _ = try db.deleteCustomer(reference: c.id) }
        try expectError("not_found", "customer_not_found") {
            _ = try db.updateCustomer(reference: c.id, patch: CustomerPatch(plan: "x"))
        }
    }

    s.test("customers: list pages follow cursors, filters apply first") {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        defer { db.close() }
        var made: [String] = []
        for i in 1 ... 7 {
            made.append(try db.createCustomer(params: CustomerParams(name: "Customer \(i)", status: i % 2 == 0 ? .active : nil)).id)
            if i % 3 == 0 { try clock.advanceMs(ms: 1_000) }
        }
        var seen: [Customer] = []
        var cursor: String? = nil
        var pages = 0
        repeat {
            let page = try db.listCustomers(params: CustomerListParams(limit: 2, cursor: cursor))
            try check(page.data.count <= 2)
            try eq(page.hasMore, page.nextCursor != nil, "has_more iff next_cursor")
            seen += page.data
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil
        try eq(4, pages)
        try eq(Set(made), Set(seen.map(\.id)))
        try eq(7, seen.count)
        for (a, b) in zip(seen, seen.dropFirst()) { try check(a.createdAt >= b.createdAt, "newest first") }
        try eq(3, try db.listCustomers(params: CustomerListParams(status: .active)).data.count)
        try eq(["customer-5"], try db.listCustomers(params: CustomerListParams(slug: "customer-5")).data.map(\.slug))
        try eq(3, try db.listCustomers(params: CustomerListParams(cursor: "2024-01-01T00:00:01Z")).data.count)
        for bad: Int64 in [0, 101, Int64.min] {
            try expectError("invalid_request_error", "invalid_limit", field: "limit") {
                _ = try db.listCustomers(params: CustomerListParams(limit: bad))
            }
        }
        try expectError("invalid_request_error", "invalid_cursor", field: "cursor") {
            _ = try db.listCustomers(params: CustomerListParams(cursor: "not-a-cursor"))
        }
    }

    s.test("idempotency keys replay the first response and refuse other parameters") {
        let db = try fresh()
        defer { db.close() }
        let first = try db.acme(key: "crm-42")
        try eq(first, try db.acme(key: "crm-42"))
        try eq(1, try db.listCustomers().data.count)
        try expectError("conflict", "idempotency_key_reused") {
            _ = try db.createCustomer(params: CustomerParams(name: "Other"), idempotencyKey: "crm-42")
        }
        try expectError("invalid_request_error", "invalid_idempotency_key") {
            _ = try db.createCustomer(params: CustomerParams(name: "Other"), idempotencyKey: "")
        }
        let p = ContactParams(name: "Ann", email: "ann@acme.com")
        try eq(try db.createContact(customer: first.id, params: p, idempotencyKey: "c-1"),
               try db.createContact(customer: first.id, params: p, idempotencyKey: "c-1"))
        let o = OnboardingParams(customerId: first.id)
        try eq(try db.createOnboarding(params: o, idempotencyKey: "o-1"), try db.createOnboarding(params: o, idempotencyKey: "o-1"))
        try eq(1, try db.listOnboardings().data.count)
    }

    s.test("contacts: create, one primary, list, update, delete") {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        defer { db.close() }
        let c = try db.acme()
        let ann = try db.createContact(customer: String(c.displayId), params: ContactParams(
            name: "Ann", email: "  Ann@Acme.COM ", title: "CTO", phone: "+1 (555) 010-0000", labels: ["VIP", "vip", "Beta"]
        ))
        try eq(c.id, ann.customerId)
        try eq("ann@acme.com", ann.email)
        try eq(true, ann.isPrimary, "the first contact is primary")
        try eq(["vip", "beta"], ann.labels)
        try clock.advanceMs(ms: 1_000)
        let bob = try db.createContact(customer: c.id, params: ContactParams(name: "Bob", email: "bob@acme.com", isPrimary: true))
        try eq(true, bob.isPrimary)
        try eq(false, try db.retrieveContact(reference: ann.id).isPrimary, "demoted")
        try expectError("conflict", "email_taken", field: "email") {
            _ = try db.createContact(customer: c.id, params: ContactParams(name: "Ann 2", email: "ANN@acme.com"))
        }
        try expectError("invalid_request_error", "invalid_email", field: "email") {
            _ = try db.createContact(customer: c.id, params: ContactParams(name: "X", email: "not-an-email"))
        }
        try expectError("not_found", "customer_not_found") {
            _ = try db.createContact(customer: "cus_nope", params: ContactParams(name: "X", email: "x@y.com"))
        }
        let page1 = try db.listContacts(customer: c.id, params: ListParams(limit: 1))
        try eq([bob.id], page1.data.map(\.id))
        let page2 = try db.listContacts(customer: c.id, params: ListParams(limit: 1, cursor: page1.nextCursor))
        try eq([ann.id], page2.data.map(\.id))
        try eq(false, page2.hasMore)
        let u = try db.updateContact(reference: ann.id, patch: ContactPatch(isPrimary: true, labels: [], clear: [.title, .phone]))
        try eq(nil, u.title)
        try eq(nil, u.phone)
        try eq([], u.labels)
        try eq(true, u.isPrimary)
        try eq(false, try db.retrieveContact(reference: bob.id).isPrimary)
        try expectError("invalid_request_error", "invalid_type", field: "labels") {
            _ = try db.updateContact(reference: ann.id, patch: ContactPatch(clear: [.labels]))
        }
        try eq(Deleted(id: bob.id, displayId: bob.displayId, deleted: true), try db.deleteContact(reference: bob.id))
        try expectError("not_found", "contact_not_found") { _ = try db.retrieveContact(reference: bob.id) }
        try expectError("not_found", "contact_not_found") {
            _ = try db.updateContact(reference: bob.id, patch: ContactPatch(name: "B"))
        }
        try eq([ann.id], try db.listContacts(customer: c.id).data.map(\.id))
    }

    s.test("onboardings: create with defaults and Date fields (millisecond precision)") {
        let db = try fresh()
        defer { db.close() }
        let c = try db.acme()
        let o = try db.createOnboarding(params: OnboardingParams(customerId: String(c.displayId)))
        try check(o.id.hasPrefix("onb_"), o.id)
        try eq(c.id, o.customerId)
        try eq(.beforeGettingStarted, o.phase)
        try eq(.active, o.state)
        try eq(t0, o.startedAt)
        try eq(nil, o.completedAt)
        try eq(true, o.reminderEmail)
        try eq(1, o.reminderFrequencyDays)
        let o2 = try db.createOnboarding(params: OnboardingParams(
            customerId: c.id, startedAt: try parseTimestamp(value: "2023-12-01T10:00:00.123Z"),
            targetLaunchDate: try parseTimestamp(value: "2026-07-15"), csmId: "u_1", notes: "kick-off done",
            reminderFrequencyDays: 7
        ))
        // A Date is a Double: .123 arrives as .122999…, and is read back as .123.
        try eq("2023-12-01T10:00:00.123Z", try wire(o2.startedAt))
        try eq("2026-07-15T00:00:00.000Z", try wire(o2.targetLaunchDate))
        try eq(.string("2023-12-01T10:00:00.123Z"), try json(o2.toJson())["started_at"])
        let done = try db.onboarding(of: c, phase: .completed)
        try eq(t0, done.completedAt)
        try eq(0, try db.onboardingTransitions(reference: done.id).count)
        try expectError("not_found", "customer_not_found", field: "customer_id") {
            _ = try db.createOnboarding(params: OnboardingParams(customerId: "999"))
        }
        try expectError("invalid_request_error", "too_large", field: "reminder_frequency_days") {
            _ = try db.createOnboarding(params: OnboardingParams(customerId: c.id, reminderFrequencyDays: 91))
        }
    }

    s.test("onboardings: phase rules, reasons and transitions") {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock, actor: "csm")
        defer { db.close() }
        let o = try db.onboarding(of: try db.acme())
        try clock.advanceMs(ms: 1_000)
        try eq(.programDesign, try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .programDesign)).phase)
        try expectError("invalid_request_error", "transition_reason_required") {
            _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .launch))
        }
        try clock.advanceMs(ms: 1_000)
        try eq(.launch, try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .launch, reason: "pilot done")).phase)
        try clock.advanceMs(ms: 1_000)
        let done = try db.updateOnboarding(reference: String(o.displayId), patch: OnboardingPatch(phase: .completed))
        try eq(t0.addingTimeInterval(3), done.completedAt)
        try expectError("invalid_request_error", "invalid_phase_transition", field: "phase") {
            _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .launch, reason: "reopen"))
        }
        let ts = try db.onboardingTransitions(reference: o.id)
        try eq([.beforeGettingStarted, .programDesign, .launch], ts.map(\.fromPhase))
        try eq([.programDesign, .launch, .completed], ts.map(\.toPhase))
        try eq([nil, "pilot done", nil], ts.map(\.reason))
        try eq(["csm", "csm", "csm"], ts.map(\.actor))
        try check(ts.allSatisfy { $0.id.hasPrefix("ptr_") && $0.onboardingId == o.id })
        try eq(ts[1], try phaseTransitionFromJson(json: ts[1].toJson()))
        try expectError("not_found", "onboarding_not_found") { _ = try db.onboardingTransitions(reference: "onb_missing") }
    }

    s.test("onboardings: waiting invariant, paused, conflicting fields") {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        defer { db.close() }
        let o = try db.onboarding(of: try db.acme())
        try clock.advanceMs(ms: 5_000)
        let waiting = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(waitingOnCustomer: true))
        try eq(.waiting, waiting.state)
        try eq(t0.addingTimeInterval(5), waiting.waitingOnCustomerSince)
        let back = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(state: .active))
        try eq(false, back.waitingOnCustomer)
        try eq(nil, back.waitingOnCustomerSince)
        try expectError("invalid_request_error", "conflicting_fields") {
            _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(state: .active, waitingOnCustomer: true))
        }
        _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(state: .paused))
        try expectError("invalid_request_error", "onboarding_paused") {
            _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .programDesign))
        }
        let cleared = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(csmId: "u_9", clear: [.targetLaunchDate]))
        try eq("u_9", cleared.csmId)
        try eq(nil, cleared.targetLaunchDate)
        try expectError("invalid_request_error", field: "phase") {
            _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(clear: [.phase]))
        }
    }

    s.test("onboardings: list filters, list for a customer, delete; churn pauses") {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        defer { db.close() }
        let a = try db.acme()
        let b = try db.createCustomer(params: CustomerParams(name: "Beta"))
        let o1 = try db.onboarding(of: a)
        try clock.advanceMs(ms: 1_000)
        let o2 = try db.onboarding(of: a, phase: .launch)
        try clock.advanceMs(ms: 1_000)
        let o3 = try db.onboarding(of: b)
        try eq([o3.id, o2.id, o1.id], try db.listOnboardings().data.map(\.id))
        try eq([o2.id, o1.id], try db.listOnboardings(params: OnboardingListParams(customerId: a.id)).data.map(\.id))
        try eq([o2.id], try db.listOnboardings(params: OnboardingListParams(phase: .launch)).data.map(\.id))
        try eq(0, try db.listOnboardings(params: OnboardingListParams(state: .paused)).data.count)
        let page = try db.listOnboardings(params: OnboardingListParams(limit: 2))
        try eq(true, page.hasMore)
        try eq([o1.id], try db.listOnboardings(params: OnboardingListParams(limit: 2, cursor: page.nextCursor)).data.map(\.id))
        let forA = try db.listCustomerOnboardings(customer: String(a.displayId))
        try eq([o2.id, o1.id], forA.data.map(\.id))
        try eq(false, forA.hasMore)
        try expectError("not_found", "customer_not_found", field: "customer_id") {
            _ = try db.listOnboardings(params: OnboardingListParams(customerId: "cus_missing"))
        }
        _ = try db.updateCustomer(reference: b.id, patch: CustomerPatch(status: .churned))
        try eq(.paused, try db.retrieveOnboarding(reference: o3.id).state)
        try eq(Deleted(id: o1.id, displayId: o1.displayId, deleted: true), try db.deleteOnboarding(reference: o1.id))
        try expectError("not_found", "onboarding_not_found") { _ = try db.retrieveOnboarding(reference: o1.id) }
        _ = try db.deleteCustomer(reference: a.id)
        try expectError("not_found", "onboarding_not_found") { _ = try db.retrieveOnboarding(reference: o2.id) }
        try eq([o3.id], try db.listOnboardings().data.map(\.id))
    }

    s.test("analytics: one onboarding's clocks, now and as of a past instant") {
        let day: Int64 = 86_400_000
        func at(_ ms: Int64) -> Date { t0.addingTimeInterval(Double(ms) / 1000) }
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        defer { db.close() }
        let o = try db.createOnboarding(params: OnboardingParams(customerId: try db.acme().id, targetLaunchDate: at(10 * day)))
        try clock.advanceMs(ms: day)
        _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .programDesign))
        try clock.advanceMs(ms: day)
        _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(waitingOnCustomer: true))
        try clock.advanceMs(ms: 2 * day)
        _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(waitingOnCustomer: false))
        try clock.advanceMs(ms: day / 2)
        // Day 4.5: 1 day before getting started, then 3.5 in program design, 2 of them waiting.
        let m = try db.analyticsOnboarding(reference: o.id)
        try eq("2024-01-05T12:00:00.000Z", try wire(m.asOf), "as_of")
        try eq(.programDesign, m.phase)
        try eq(.active, m.state)
        try eq(9 * day / 2, m.elapsedMs, "elapsed_ms")
        try eq(2 * day, m.waitingMs, "waiting_ms")
        try eq(5 * day / 2, m.slaMs, "sla_ms")
        try eq(day, m.timeInPhaseMs.beforeGettingStarted, "time_in_phase_ms.before_getting_started")
        try eq(7 * day / 2, m.timeInPhaseMs.programDesign, "time_in_phase_ms.program_design")
        try eq(7 * day / 2, m.timeInPhaseMs.get(phase: .programDesign), "time_in_phase_ms[program_design]")
        try eq(m.elapsedMs, m.timeInPhaseMs.total(), "time_in_phase_ms total")
        try eq(try wire(at(day)), try wire(m.currentPhaseSince), "current_phase_since")
        try eq(3 * day / 2, m.currentPhaseSlaMs, "current_phase_sla_ms")
        try eq("2024-01-11T00:00:00.000Z", try wire(m.targetLaunchDate))
        try eq(nil, m.launchedAt)
        try eq(nil, m.onTime)
        try eq(false, m.overdue)
        // toJson() is the core's JSON, and reads back.
        let j = try json(m.toJson())
        try eq(.string("onboarding_metrics"), j["object"])
        try eq(.string("2024-01-05T12:00:00.000Z"), j["as_of"])
        try eq(.int(7 * day / 2), j["time_in_phase_ms"]?["program_design"])
        try eq(m, try onboardingMetricsFromJson(json: m.toJson()))
        // As of a past instant, by display id: in the middle of the wait.
        let past = try db.analyticsOnboarding(reference: String(o.displayId), asOf: at(3 * day))
        try eq(.waiting, past.state)
        try eq(3 * day, past.elapsedMs)
        try eq(day, past.waitingMs)
        // Unknown, or not created yet at `as_of`: not_found.
        try expectError("not_found", "onboarding_not_found") { _ = try db.analyticsOnboarding(reference: "onb_missing") }
        let e = try expectError("not_found", "onboarding_not_found") {
            _ = try db.analyticsOnboarding(reference: o.id, asOf: at(-1))
        }
        guard case .NotFound = e else { throw Failure(description: "expected .NotFound, got \(e)") }
        try eq(404, e.info().httpStatus)
    }

    s.test("analytics: the workspace report counts, rates, percentiles, stalled, and filters") {
        let day: Int64 = 86_400_000
        func at(_ ms: Int64) -> Date { t0.addingTimeInterval(Double(ms) / 1000) }
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        defer { db.close() }
        let acme = try db.acme()
        let beta = try db.createCustomer(params: CustomerParams(name: "Beta"))
        let a = try db.createOnboarding(params: OnboardingParams(
            customerId: acme.id, phase: .internalQa, targetLaunchDate: at(3 * day), csmId: "csm_1"))
        let b = try db.createOnboarding(params: OnboardingParams(customerId: acme.id, targetLaunchDate: at(day)))
        _ = try db.createOnboarding(params: OnboardingParams(customerId: beta.id, state: .atRisk, csmId: "csm_2"))
        try clock.advanceMs(ms: 2 * day)
        _ = try db.updateOnboarding(reference: a.id, patch: OnboardingPatch(phase: .launch)) // launched on day 2, target day 3
        _ = try db.updateOnboarding(reference: b.id, patch: OnboardingPatch(waitingOnCustomer: true)) // target (day 1) passed
        try clock.advanceMs(ms: 3 * day)
        let r = try db.analyticsWorkspace(params: WorkspaceReportParams(stalledAfterDays: 2.5))
        try eq("2024-01-06T00:00:00.000Z", try wire(r.asOf))
        try eq(3, r.total)
        try eq(ByPhase(beforeGettingStarted: 2, programDesign: 0, review: 0, programBuildout: 0, internalQa: 0, launch: 1, completed: 0),
               r.byPhase)
        try eq(ByState(active: 1, paused: 0, atRisk: 1, waiting: 1), r.byState)
        try eq([1, 1, 1], [r.launched, r.launchedWithTarget, r.launchedOnTime], "launched")
        try eq(1.0, r.onTimeRate, "on_time_rate")
        try eq(LaunchDays(count: 1, median: 2.0, p90: 2.0), r.daysToLaunch)
        try eq(r.daysToLaunch, r.slaDaysToLaunch)
        try eq(1, r.overdue, "overdue")
        try eq(2, r.atRisk, "at_risk") // b is overdue, the third is at risk
        // Stalled above 2.5 days: a (3 days in launch) and the at-risk one (5); b's 3 waiting days do not count.
        try eq(2, r.stalled, "stalled")
        let j = try json(r.toJson())
        try eq(.string("workspace_report"), j["object"])
        try eq(.double(2.5), j["stalled_after_days"])
        try eq(r, try workspaceReportFromJson(json: r.toJson()))

        let betaOnly = try db.analyticsWorkspace(params: WorkspaceReportParams(customerId: String(beta.displayId)))
        try eq(beta.id, betaOnly.customerId)
        try eq(1, betaOnly.total)
        try eq(nil, betaOnly.stalled)
        let early = try db.analyticsWorkspace(params: WorkspaceReportParams(asOf: at(day / 2), csmId: "csm_1"))
        try eq(1, early.total)
        try eq(0, early.launched)
        try eq(nil, early.onTimeRate)
        try eq(nil, early.daysToLaunch.median)
        try eq(3, try db.analyticsWorkspace().total)
        try expectError("not_found", "customer_not_found", field: "customer_id") {
            _ = try db.analyticsWorkspace(params: WorkspaceReportParams(customerId: "cus_missing"))
        }
        try expectError("invalid_request_error", "too_small", field: "stalled_after_days") {
            _ = try db.analyticsWorkspace(params: WorkspaceReportParams(stalledAfterDays: -1))
        }
        try expectError("invalid_request_error", "invalid_type", field: "stalled_after_days") {
            _ = try db.analyticsWorkspace(params: WorkspaceReportParams(stalledAfterDays: .nan))
        }
    }

    s.test("events and timeline: tail the change log, filter, paginate") {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock, actor: "tailer")
        defer { db.close() }
        let c = try db.acme()
        try clock.advanceMs(ms: 1_000)
        _ = try db.createContact(customer: c.id, params: ContactParams(name: "Ann", email: "ann@acme.com"))
        try clock.advanceMs(ms: 1_000)
        let o = try db.onboarding(of: c)
        _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .programDesign))
        let all = try db.listEvents()
        try eq([.customerCreated, .contactCreated, .onboardingCreated, .onboardingUpdated, .onboardingPhaseChanged],
               all.data.map(\.eventType))
        for (x, y) in zip(all.data, all.data.dropFirst()) { try check(x.sequence < y.sequence, "ascending sequence") }
        let first = all.data[0]
        try check(first.id.hasPrefix("evt_"))
        try eq("v1", first.apiVersion)
        try eq("tailer", first.actor)
        try eq(true, first.livemode)
        try eq(nil, first.data.previousAttributes)
        try eq(.string(c.id), try json(first.data.object)["id"])
        try eq(.obj([("phase", .string("before_getting_started"))]), try json(all.data[3].data.previousAttributes ?? "null"))
        try eq([.onboardingPhaseChanged],
               try db.listEvents(params: EventListParams(types: [.onboardingPhaseChanged])).data.map(\.eventType))
        try eq(3, try db.listEvents(params: EventListParams(objectId: o.id)).data.count)
        let after = try db.listEvents(params: EventListParams(afterSequence: first.sequence, limit: 2))
        try eq(2, after.data.count)
        try eq(true, after.hasMore)
        try eq(String(after.data[1].sequence), after.nextCursor)
        try eq(2, try db.listEvents(params: EventListParams(afterSequence: Int64(after.nextCursor!)!)).data.count)
        try eq(.string("customer.created"), try json(first.toJson())["type"])
        try eq(first, try eventFromJson(json: first.toJson()))
        let timeline = try db.customerTimeline(reference: c.id, params: ListParams(limit: 2))
        try eq([.onboardingPhaseChanged, .onboardingUpdated], timeline.data.map(\.eventType))
        try eq(true, timeline.hasMore)
        let rest = try db.customerTimeline(reference: c.id, params: ListParams(cursor: timeline.nextCursor))
        try eq([.onboardingCreated, .contactCreated, .customerCreated], rest.data.map(\.eventType))
        try expectError("not_found", "customer_not_found") { _ = try db.customerTimeline(reference: "cus_missing") }
        try expectError("invalid_request_error", "invalid_cursor", field: "cursor") {
            _ = try db.customerTimeline(reference: c.id, params: ListParams(cursor: "!!"))
        }
        try expectError("invalid_request_error", "invalid_limit", field: "limit") {
            _ = try db.listEvents(params: EventListParams(limit: 0))
        }
    }

    s.test("sessions: test mode is isolated, actors are recorded") {
        let db = try fresh()
        defer { db.close() }
        _ = try db.acme()
        let test = try db.withLivemode(livemode: false)
        try eq(false, try test.session().livemode)
        try eq(0, try test.listCustomers().data.count)
        let t = try test.acme()
        try eq([t.id], try test.listCustomers().data.map(\.id))
        try eq([false], try test.listEvents().data.map(\.livemode))
        try expectError("not_found", "customer_not_found") { _ = try db.retrieveCustomer(reference: t.id) }
        let job = try db.withActor(actor: "sync-job")
        try eq("sync-job", try job.session().actor)
        _ = try job.createCustomer(params: CustomerParams(name: "Beta"))
        try eq(["swift", "sync-job"], try db.listEvents().data.map(\.actor))
    }

    s.test("identity, workspaces and API keys: me, authenticate, revoke") {
        let db = try fresh()
        defer { db.close() }
        let me = try db.me()
        try eq(nil, me.apiKey)
        try eq("default", me.organization.slug)
        try eq(.string("me"), try json(me.toJson())["object"])
        try eq(.null, try json(me.toJson())["api_key"])
        let created = try db.createApiKey(name: "sync-script")
        try check(created.secret.hasPrefix("pivotal_") && !created.secret.hasPrefix("pivotal_test_"), created.secret)
        try eq(40, created.secret.count)
        try eq(String(created.secret.prefix(12)), created.apiKey.prefix)
        try eq(nil, created.apiKey.revokedAt)
        try eq([created.apiKey], try db.listApiKeys())
        let keyed = try db.authenticate(secret: created.secret)
        try eq("sync-script", try keyed.session().actor)
        try eq(created.apiKey.id, try keyed.me().apiKey?.id)
        let c = try keyed.createCustomer(params: CustomerParams(name: "Via key"))
        try eq("sync-script", try keyed.listEvents().data.last?.actor)
        // A key's session keeps its workspace, mode and actor.
        for escape in [
            { _ = try keyed.withWorkspace(reference: "default") },
            { _ = try keyed.withLivemode(livemode: false) },
            { _ = try keyed.withActor(actor: "spoofed") },
        ] as [() throws -> Void] {
            let p = try expectError("permission_error", "permission_denied", escape)
            guard case .Permission(_, _, _, _, 403) = p else { throw Failure(description: "Permission/403: \(p)") }
        }
        try eq(t0, try db.revokeApiKey(id: created.apiKey.id).revokedAt)
        let e = try expectError("authentication_error", "api_key_revoked") { _ = try keyed.retrieveCustomer(reference: c.id) }
        guard case .Authentication(_, _, _, _, 401) = e else { throw Failure(description: "Authentication/401: \(e)") }
        try expectError("authentication_error", "api_key_revoked") { _ = try db.authenticate(secret: created.secret) }
        try expectError("authentication_error", "invalid_api_key") { _ = try db.authenticate(secret: "pivotal_nope") }
        try expectError("invalid_request_error", "missing_field", field: "actor") { _ = try db.withActor(actor: "  ") }
        try expectError("invalid_request_error", "too_long", field: "actor") { _ = try db.withActor(actor: String(repeating: "x", count: 201)) }
        try eq("sync", try db.withActor(actor: " sync ").session().actor)
        try expectError("not_found", "api_key_not_found") { _ = try db.revokeApiKey(id: "key_missing") }
        let test = try db.withLivemode(livemode: false)
        let testKey = try test.createApiKey(name: "tester")
        try check(testKey.secret.hasPrefix("pivotal_test_"), testKey.secret)
        try eq(false, try db.authenticate(secret: testKey.secret).session().livemode)
        let ws = try db.createWorkspace(name: "Second Org")
        try eq("second-org", ws.slug)
        try eq(ws, try db.retrieveWorkspace(reference: ws.id))
        try eq(Set(["default", "second-org"]), Set(try db.listWorkspaces().map(\.slug)))
        try expectError("conflict", "slug_taken", field: "slug") { _ = try db.createWorkspace(name: "Second Org") }
        try expectError("not_found", "workspace_not_found") { _ = try db.withWorkspace(reference: "nope") }
        let other = try db.withWorkspace(reference: "second-org")
        try eq(ws, try other.session().workspace)
        _ = try other.acme()
        try eq(1, try other.listCustomers().data.count)
        try eq(["Via key"], try db.listCustomers().data.map(\.name))
    }

    s.test("JSON: every object converts to and from the API's JSON") {
        let db = try fresh()
        defer { db.close() }
        let c = try db.createCustomer(params: CustomerParams(name: "Acme", metadata: #"{"k":"v"}"#))
        let contact = try db.createContact(customer: c.id, params: ContactParams(name: "Ann", email: "ann@acme.com"))
        let o = try db.onboarding(of: c)
        let cj = try json(c.toJson())
        try eq(.string("customer"), cj["object"])
        try eq(.obj([("k", .string("v"))]), cj["metadata"])
        try eq(c, try customerFromJson(json: c.toJson()))
        try eq(contact, try contactFromJson(json: contact.toJson()))
        try eq(o, try onboardingFromJson(json: o.toJson()))
        let list = try json(db.listCustomers().toJson())
        try eq(.string("list"), list["object"])
        try eq(.null, list["next_cursor"])
        try eq(.string("list"), try json(db.listContacts(customer: c.id).toJson())["object"])
        try eq(.string("list"), try json(db.listOnboardings().toJson())["object"])
        try eq(.string("list"), try json(db.listEvents().toJson())["object"])
        try expectError("invalid_request_error", "invalid_type", field: "object") { _ = try customerFromJson(json: o.toJson()) }
        try expectError("invalid_request_error", "invalid_type") { _ = try contactFromJson(json: "{") }
        let params = try customerParamsFromJson(json: #"{"name":"Beta","status":"active","metadata":{"x":[1]}}"#)
        try eq(.active, params.status)
        try eq(#"{"x":[1]}"#, params.metadata)
        try expectError("invalid_request_error", "unknown_field", field: "nmae") {
            _ = try customerParamsFromJson(json: #"{"nmae":"x"}"#)
        }
        try expectError("invalid_request_error", "missing_field", field: "email") {
            _ = try contactParamsFromJson(json: #"{"name":"x"}"#)
        }
        let patch = try customerPatchFromJson(json: #"{"plan":null,"mrr":5}"#)
        try eq(CustomerPatch(mrr: 5, clear: [.plan]), patch)
        try eq(#"{"plan":null,"mrr":5}"#, try patch.toJson())
        try eq(ContactPatch(labels: ["a"], clear: [.title]), try contactPatchFromJson(json: #"{"labels":["a"],"title":null}"#))
        let op = try onboardingPatchFromJson(json: #"{"phase":"launch","reason":"skip","target_launch_date":"2026-07-15"}"#)
        try eq(.launch, op.phase)
        try eq("skip", op.reason)
        try eq("2026-07-15T00:00:00.000Z", try wire(op.targetLaunchDate))
        try eq(OnboardingParams(customerId: "1", phase: .review),
               try onboardingParamsFromJson(json: #"{"customer_id":"1","phase":"review"}"#))
        try expectError("invalid_request_error", "invalid_enum_value", field: "phase") {
            _ = try onboardingParamsFromJson(json: #"{"customer_id":"1","phase":"nope"}"#)
        }
    }

    s.test("enums: description is the wire string, *FromWire parses it") {
        try eq("internal_qa", Phase.internalQa.description)
        try eq("onboarding.back_on_track", "\(EventType.onboardingBackOnTrack)")
        for p in Phase.allCases { try eq(p, try phaseFromWire(value: p.description)) }
        for t in EventType.allCases { try eq(t, try eventTypeFromWire(value: t.description)) }
        for st in State.allCases { try eq(st, try stateFromWire(value: st.description)) }
        for st in CustomerStatus.allCases { try eq(st, try customerStatusFromWire(value: st.description)) }
        try eq("is_primary", ContactField.isPrimary.description)
        try eq("target_launch_date", OnboardingField.targetLaunchDate.description)
        try expectError("invalid_request_error", "invalid_enum_value", field: "phase") { _ = try phaseFromWire(value: "Launch") }
    }

    s.test("errors: PivotalError cases carry type, code, detail, field and HTTP status") {
        let db = try fresh()
        defer { db.close() }
        let e = try expectError("invalid_request_error", "too_long", field: "name") {
            _ = try db.createCustomer(params: CustomerParams(name: String(repeating: "x", count: 300)))
        }
        guard case let .InvalidRequest(errorType, code, detail, field, httpStatus) = e else {
            throw Failure(description: "InvalidRequest: \(e)")
        }
        try eq("invalid_request_error", errorType)
        try eq("too_long", code)
        try eq("name", field)
        try eq(400, httpStatus)
        try check(!detail.isEmpty)
        let envelope = try json(e.toJson())["error"]
        try eq(.string("too_long"), envelope?["code"])
        try eq(.string(detail), envelope?["message"])
        try eq(.string("name"), envelope?["field"])
        try check((e as Error).localizedDescription.contains("too_long"), (e as Error).localizedDescription)
        let nf = try expectError("not_found", "customer_not_found", noField: true) { _ = try db.retrieveCustomer(reference: "nope") }
        try eq(nil, try json(nf.toJson())["error"]?["field"])
        var kind = "none"
        do {
            _ = try db.retrieveContact(reference: "1")
        } catch let PivotalError.NotFound(_, code, _, _, status) {
            kind = "\(code):\(status)"
        }
        try eq("contact_not_found:404", kind)
        // One case per error type (an exhaustive switch).
        func status(_ x: PivotalError) -> Int {
            switch x {
            case .InvalidRequest: return 400
            case .Authentication: return 401
            case .Permission: return 403
            case .NotFound: return 404
            case .Conflict: return 409
            case .RateLimit: return 429
            case .Internal: return 500
            }
        }
        try eq(400, status(e))
        try eq(404, status(nf))
    }

    s.test("close: close() closes every handle; later calls raise store_closed") {
        let db = try fresh()
        let c = try db.acme()
        let test = try db.withLivemode(livemode: false)
        let other = try db.withActor(actor: "other")
        try eq(false, db.isClosed())
        test.close()
        for h in [db, test, other] {
            try eq(true, h.isClosed())
            let e = try expectError("invalid_request_error", "store_closed") { _ = try h.retrieveCustomer(reference: c.id) }
            guard case .InvalidRequest = e else { throw Failure(description: "InvalidRequest: \(e)") }
            try expectError("invalid_request_error", "store_closed") { _ = try h.createCustomer(params: CustomerParams(name: "X")) }
            try expectError("invalid_request_error", "store_closed") { _ = try h.listEvents() }
            try expectError("invalid_request_error", "store_closed") { _ = try h.health() }
            try expectError("invalid_request_error", "store_closed") { _ = try h.withActor(actor: "x") }
        }
        db.close() // idempotent
    }

    s.test("hostile input gets a typed error, never a crash") {
        let db = try fresh()
        defer { db.close() }
        let c = try db.acme()
        let far = Date(timeIntervalSince1970: 9e12) // year ~287,000: past chrono's range
        for at in [far, Date(timeIntervalSince1970: -9e12)] {
            try expectError("invalid_request_error", "invalid_timestamp") {
                _ = try db.createOnboarding(params: OnboardingParams(customerId: c.id, startedAt: at))
            }
            try expectError("invalid_request_error", "invalid_timestamp") { _ = try FixedClock(at: at) }
        }
        let future = try db.createOnboarding(params: OnboardingParams(customerId: c.id, targetLaunchDate: Date.distantFuture))
        try eq("4001-01-01T00:00:00.000Z", try wire(future.targetLaunchDate))
        try expectError("invalid_request_error", "invalid_type") {
            _ = try db.createCustomer(params: CustomerParams(name: "B", metadata: "{not json"))
        }
        try expectError("invalid_request_error", "invalid_type") {
            _ = try db.updateCustomer(reference: c.id, patch: CustomerPatch(metadata: "[1,2]"))
        }
        try expectError("invalid_request_error", "invalid_type") {
            _ = try customerFromJson(json: String(repeating: "[", count: 100_000))
        }
        try expectError("invalid_request_error", "invalid_type") { _ = try eventFromJson(json: "") }
        try expectError("invalid_request_error", "too_long", field: "name") {
            _ = try db.createCustomer(params: CustomerParams(name: String(repeating: "é", count: 1_000_000)))
        }
        try expectError("invalid_request_error", "invalid_cursor", field: "cursor") {
            _ = try db.listCustomers(params: CustomerListParams(cursor: String(repeating: "\u{0}", count: 10_000)))
        }
        for ref in ["", "0", "-1", "99999999999999999999999", "cus_\u{0}", "😀", " 1"] {
            try expectError("not_found", "customer_not_found") { _ = try db.retrieveCustomer(reference: ref) }
        }
        try expectError("invalid_request_error", "too_large", field: "reminder_frequency_days") {
            _ = try db.createOnboarding(params: OnboardingParams(customerId: c.id, reminderFrequencyDays: Int64.max))
        }
        do {
            let odd = try db.createCustomer(params: CustomerParams(name: "Zürich 😀 a\u{0}b", mrr: Int64.max))
            try eq(odd.name, try db.retrieveCustomer(reference: odd.id).name)
            try eq(odd, try customerFromJson(json: odd.toJson()))
        } catch let e as PivotalError {
            try eq("invalid_request_error", e.info().errorType)
        }
        try expectError("invalid_request_error", "invalid_timestamp") { _ = try parseTimestamp(value: "yesterday") }
        _ = try db.health()
    }

    s.test("FixedClock: set, advance, now; timestamps parse and format the API's way") {
        let clock = try FixedClock(at: t0)
        try eq(t0, clock.now())
        try clock.advanceMs(ms: 1_500)
        try eq("2024-01-01T00:00:01.500Z", try wire(clock.now()))
        try clock.advanceMs(ms: -500)
        try eq(t0.addingTimeInterval(1), clock.now())
        try clock.set(at: try parseTimestamp(value: "2030-05-06T07:08:09.010Z"))
        try eq("2030-05-06T07:08:09.010Z", try wire(clock.now()))
        try eq("2024-04-01T10:00:00.000Z", try wire(try parseTimestamp(value: "2024-04-01T12:00:00+02:00")))
    }

    s.test("FixedClock: a move out of the years 1–9999 is invalid_timestamp and leaves the clock") {
        let last = try parseTimestamp(value: "9999-12-31T23:59:59.999Z")
        let first = try parseTimestamp(value: "0001-01-01T00:00:00Z")
        let clock = try FixedClock(at: last)
        for ms in [Int64(1), Int64.max] {
            try expectError("invalid_request_error", "invalid_timestamp", field: "ms") { try clock.advanceMs(ms: ms) }
            try eq("9999-12-31T23:59:59.999Z", try wire(clock.now()))
        }
        for at in [try parseTimestamp(value: "9999-12-31T23:59:59.999Z").addingTimeInterval(0.002),
                   first.addingTimeInterval(-0.001)] {
            try expectError("invalid_request_error", "invalid_timestamp", field: "at") { try clock.set(at: at) }
            try eq("9999-12-31T23:59:59.999Z", try wire(clock.now()))
            try expectError("invalid_request_error", "invalid_timestamp", field: "at") { _ = try FixedClock(at: at) }
        }
        let db = try fresh(clock)
        try eq("9999-12-31T23:59:59.999Z", try wire(try db.acme().createdAt))
        db.close()
        try clock.set(at: first)
        for ms in [Int64(-1), Int64.min] {
            try expectError("invalid_request_error", "invalid_timestamp", field: "ms") { try clock.advanceMs(ms: ms) }
            try eq("0001-01-01T00:00:00.000Z", try wire(clock.now()))
        }
    }

    s.test("path: the file, nil in memory; the widest mmapSize opens") {
        let mem = try fresh()
        try eq(nil, mem.path())
        mem.close()
        let named = try PivotalStore.open(path: ":memory:")
        try eq(nil, named.path())
        _ = try named.acme()
        try eq("Acme", try named.retrieveCustomer(reference: "1").name)
        named.close()
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("p.db").path
        let db = try PivotalStore.open(path: path, mmapSize: UInt64.max)
        try eq(path, db.path())
        _ = try db.health()
        db.close()
        try expectError("invalid_request_error", "missing_field", field: "path") { _ = try PivotalStore.open(path: "") }
        try expectError("invalid_request_error", "invalid_type", field: "path") { _ = try PivotalStore.open(path: "a\u{0}b.db") }
    }

    s.test("metadata nested too deep through the typed API: invalid_type, the store still lists") {
        let db = try fresh()
        defer { db.close() }
        func deep(_ levels: Int) -> String {
            String(repeating: "{\"a\":", count: levels - 1) + "{}" + String(repeating: "}", count: levels - 1)
        }
        let c = try db.createCustomer(params: CustomerParams(name: "Deep", metadata: deep(32)))
        for levels in [33, 35, 41, 1_000, 100_000] {
            try expectError("invalid_request_error", "invalid_type", field: "metadata") {
                _ = try db.createCustomer(params: CustomerParams(name: "Deeper", metadata: deep(levels)))
            }
            try expectError("invalid_request_error", "invalid_type", field: "metadata") {
                _ = try db.updateCustomer(reference: c.id, patch: CustomerPatch(metadata: deep(levels)))
            }
        }
        try eq([c], try db.listCustomers(params: CustomerListParams()).data)
        try eq(c, try db.retrieveCustomer(reference: c.id))
        try eq(1, try db.listEvents(params: EventListParams()).data.count)
        try eq(1, try db.customerTimeline(reference: c.id, params: ListParams()).data.count)
        _ = try db.health()
    }

    s.test("import and export: ids kept, re-import unchanged, skip and stop, round trip") {
        let customer = #"{"object":"customer","id":"cus_acme0000000000001","display_id":7,"name":"Acme","slug":"acme","created_at":"2024-01-02T03:04:05Z","updated_at":"2024-01-02T03:04:05Z"}"#
        func contact(_ id: String, _ displayId: Int, _ email: String) -> String {
            #"{"object":"contact","id":"\#(id)","display_id":\#(displayId),"customer_id":"cus_acme0000000000001","name":"Ada","email":"\#(email)","is_primary":false,"created_at":"2024-01-03T00:00:00Z","updated_at":"2024-01-03T00:00:00Z"}"#
        }
        let text = contact("con_ada00000000000001", 3, "ada@acme.com") + "\n" + customer + "\n"
        let db = try fresh()
        defer { db.close() }
        let s = try db.importJson(json: text)
        try eq([2, 0, 0, 0], [s.created, s.updated, s.unchanged, s.skipped])
        try eq("cus_acme0000000000001", try db.retrieveCustomer(reference: "7").id)
        try eq("con_ada00000000000001", try db.retrieveContact(reference: "3").id)
        try eq(8, try db.createCustomer(params: CustomerParams(name: "Next")).displayId)
        let again = try db.importJson(json: text)
        try eq([0, 2], [again.created, again.unchanged])

        let bad = contact("con_bad0000000000001", 4, "not-an-email") + "\n" + contact("con_ok00000000000001", 5, "ok@acme.com")
        let e = try expectError("invalid_request_error", "invalid_email", field: "email") { _ = try db.importJson(json: bad) }
        try check(e.info().detail.hasPrefix("item 0 (line 1): "), e.info().detail)
        _ = try expectError("not_found", "contact_not_found") { _ = try db.retrieveContact(reference: "con_ok00000000000001") }
        let skipped = try db.importJson(json: bad, onError: .skip, chunkSize: 1)
        try eq([1, 1], [skipped.created, skipped.skipped])
        try eq(1, skipped.errors.count)
        try eq(0, skipped.errors[0].index)
        try eq(1, skipped.errors[0].line)
        try eq("invalid_email", skipped.errors[0].error.code)
        try eq("email", skipped.errors[0].error.field)

        let customers = try db.exportJson(list: .customers(params: CustomerListParams()))
        try eq(2, customers.split(separator: "\n").count)
        let contacts = try db.exportJson(list: .contacts(customer: nil), format: .json)
        try check(contacts.hasPrefix(#"{"object":"list","data":["#), contacts)
        try eq("", try db.exportJson(list: .onboardings(params: OnboardingListParams()), format: .csv))
        let copy = try fresh()
        defer { copy.close() }
        try eq(2, try copy.importJson(json: customers).created)
        try eq(2, try copy.importJson(json: contacts).created)
        try eq(try db.listCustomers(params: CustomerListParams()).data, try copy.listCustomers(params: CustomerListParams()).data)
        try eq(try db.listContacts(customer: "7", params: ListParams()).data, try copy.listContacts(customer: "7", params: ListParams()).data)
    }

    s.test("threads: one store shared by concurrent writers") {
        let db = try fresh()
        defer { db.close() }
        let lock = NSLock()
        var ids: [Int64] = []
        var errors: [Error] = []
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for i in 1 ... 25 {
                do {
                    let id = try db.createCustomer(params: CustomerParams(name: "T\(t)-\(i)")).displayId
                    lock.lock(); ids.append(id); lock.unlock()
                } catch {
                    lock.lock(); errors.append(error); lock.unlock()
                }
            }
        }
        try eq(0, errors.count)
        try eq(Array(1 ... 100), ids.sorted())
        try eq(100, try db.listCustomers(params: CustomerListParams(limit: 100)).data.count)
    }
}
