// The Swift suite (XCTest): every operation of the typed API and every kind of error, through the
// Swift package PivotalCore (the generated bindings and the real library).

import Foundation
import PivotalCore
import XCTest

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

final class BindingTests: XCTestCase {
    func testOpenInMemorySessionDefaultsAndHealth() throws {
        let db = try PivotalStore.openInMemory(clock: FixedClock(at: t0))
        defer { db.close() }
        let session = try db.session()
        XCTAssertEqual("local", session.actor)
        XCTAssertEqual(true, session.livemode)
        XCTAssertTrue(session.workspace.id.hasPrefix("org_"), session.workspace.id)
        XCTAssertEqual("default", session.workspace.slug)
        let health = try db.health()
        XCTAssertEqual("ok", health.status)
        XCTAssertEqual(t0, health.timestamp)
        XCTAssertEqual(.string("2024-01-01T00:00:00.000Z"), try json(health.toJson())["timestamp"])
    }

    func testOpenASQLiteFileDataSurvivesClosingAndReopening() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("pivotal.db").path
        let db = try PivotalStore.open(path: path, actor: "writer")
        _ = try db.acme()
        db.close()
        XCTAssertTrue(db.isClosed())
        let again = try PivotalStore.open(path: path, durability: .full, mmapSize: 1 << 24)
        defer { again.close() }
        XCTAssertEqual("Acme", try again.retrieveCustomer(reference: "1").name)
        XCTAssertEqual("writer", try again.listEvents().data[0].actor)
    }

    func testAFileThatCannotBeOpenedIsStorageUnavailable() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("no/such/dir.db").path
        let e = try expectError("internal_error", "storage_unavailable") {
            _ = try PivotalStore.open(path: path)
        }
        XCTAssertTrue(e.info().detail.contains("cannot open"))
    }

    func testCustomersCreateWithEveryFieldTimestampsAreDates() throws {
        let db = try fresh()
        defer { db.close() }
        let c = try db.createCustomer(params: CustomerParams(
            name: "  Acme Corp ", domain: "acme.com", status: .active, plan: "pro", mrr: 125_000,
            monthlyOrders: 40, hubspotCompanyId: "hs-1", hubspotDealId: "hd-1", stripeCustomerId: "cus_stripe",
            intercomCompanyId: "ic-1", slackChannelId: "C042", metadata: #"{"tier":"gold","nested":{"a":[1,2.5,null]}}"#
        ))
        XCTAssertEqual("Acme Corp", c.name)
        XCTAssertEqual("acme-corp", c.slug)
        XCTAssertEqual("acme.com", c.domain)
        XCTAssertEqual(.active, c.status)
        XCTAssertEqual(1, c.displayId)
        XCTAssertTrue(c.id.hasPrefix("cus_"), c.id)
        XCTAssertEqual(125_000, c.mrr)
        XCTAssertEqual(t0, c.createdAt)
        XCTAssertEqual(t0, c.updatedAt)
        XCTAssertEqual(.obj([("tier", .string("gold")), ("nested", .obj([("a", .array([.int(1), .double(2.5), .null]))]))]),
               try json(c.metadata))
        let z = try db.createCustomer(params: CustomerParams(name: "Zeta Labs"))
        XCTAssertEqual("zeta-labs", z.slug)
        XCTAssertEqual(.onboarding, z.status)
        XCTAssertEqual(nil, z.domain)
        XCTAssertEqual("{}", z.metadata)
        XCTAssertEqual(z, try db.retrieveCustomer(reference: z.id))
        XCTAssertEqual(z, try db.retrieveCustomer(reference: String(z.displayId)))
    }

    func testCustomersAPatchSetsClearsAndLeavesFieldsAlone() throws {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        defer { db.close() }
        let c = try db.createCustomer(params: CustomerParams(name: "Acme", domain: "acme.com", plan: "pro", mrr: 10))
        try clock.advanceMs(ms: 60_000)
        let u = try db.updateCustomer(reference: c.id, patch: CustomerPatch(plan: "enterprise", clear: [.domain, .mrr]))
        XCTAssertEqual("enterprise", u.plan)
        XCTAssertEqual(nil, u.domain)
        XCTAssertEqual(nil, u.mrr)
        XCTAssertEqual("Acme", u.name)
        XCTAssertEqual(t0.addingTimeInterval(60), u.updatedAt)
        try clock.advanceMs(ms: 60_000)
        let same = try db.updateCustomer(reference: c.id, patch: CustomerPatch(plan: "enterprise"))
        XCTAssertEqual(u.updatedAt, same.updatedAt)
        XCTAssertEqual(2, try db.listEvents(params: EventListParams(objectId: c.id)).data.count)
        XCTAssertEqual(#"{"a":1}"#, try db.updateCustomer(reference: c.id, patch: CustomerPatch(metadata: #"{"a":1}"#)).metadata)
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
        XCTAssertEqual(viaJson.info().code, typed.info().code)
    }

    func testCustomersDeleteConflictsAndValidationErrors() throws {
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
        XCTAssertEqual(Deleted(id: c.id, displayId: c.displayId, deleted: true), d)
        XCTAssertEqual(.string("deleted"), try json(d.toJson())["object"])
        let nf = try expectError("not_found", "customer_not_found", noField: true) {
            _ = try db.retrieveCustomer(reference: c.id)
        }
        guard case .NotFound(_, _, _, _, 404) = nf else { throw Failure(description: "NotFound/404: \(nf)") }
        try expectError("not_found", "customer_not_found") { _ = try db.deleteCustomer(reference: c.id) }
        try expectError("not_found", "customer_not_found") {
            _ = try db.updateCustomer(reference: c.id, patch: CustomerPatch(plan: "x"))
        }
    }

    func testCustomersListPagesFollowCursorsFiltersApplyFirst() throws {
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
            XCTAssertTrue(page.data.count <= 2)
            XCTAssertEqual(page.hasMore, page.nextCursor != nil, "has_more iff next_cursor")
            seen += page.data
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil
        XCTAssertEqual(4, pages)
        XCTAssertEqual(Set(made), Set(seen.map(\.id)))
        XCTAssertEqual(7, seen.count)
        for (a, b) in zip(seen, seen.dropFirst()) { XCTAssertTrue(a.createdAt >= b.createdAt, "newest first") }
        XCTAssertEqual(3, try db.listCustomers(params: CustomerListParams(status: .active)).data.count)
        XCTAssertEqual(["customer-5"], try db.listCustomers(params: CustomerListParams(slug: "customer-5")).data.map(\.slug))
        XCTAssertEqual(3, try db.listCustomers(params: CustomerListParams(cursor: "2024-01-01T00:00:01Z")).data.count)
        for bad: Int64 in [0, 101, Int64.min] {
            try expectError("invalid_request_error", "invalid_limit", field: "limit") {
                _ = try db.listCustomers(params: CustomerListParams(limit: bad))
            }
        }
        try expectError("invalid_request_error", "invalid_cursor", field: "cursor") {
            _ = try db.listCustomers(params: CustomerListParams(cursor: "not-a-cursor"))
        }
    }

    func testIdempotencyKeysReplayTheFirstResponseAndRefuseOtherParameters() throws {
        let db = try fresh()
        defer { db.close() }
        let first = try db.acme(key: "crm-42")
        XCTAssertEqual(first, try db.acme(key: "crm-42"))
        XCTAssertEqual(1, try db.listCustomers().data.count)
        try expectError("conflict", "idempotency_key_reused") {
            _ = try db.createCustomer(params: CustomerParams(name: "Other"), idempotencyKey: "crm-42")
        }
        try expectError("invalid_request_error", "invalid_idempotency_key") {
            _ = try db.createCustomer(params: CustomerParams(name: "Other"), idempotencyKey: "")
        }
        let p = ContactParams(name: "Ann", email: "ann@acme.com")
        XCTAssertEqual(try db.createContact(customer: first.id, params: p, idempotencyKey: "c-1"),
               try db.createContact(customer: first.id, params: p, idempotencyKey: "c-1"))
        let o = OnboardingParams(customerId: first.id)
        XCTAssertEqual(try db.createOnboarding(params: o, idempotencyKey: "o-1"), try db.createOnboarding(params: o, idempotencyKey: "o-1"))
        XCTAssertEqual(1, try db.listOnboardings().data.count)
    }

    func testContactsCreateOnePrimaryListUpdateDelete() throws {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        defer { db.close() }
        let c = try db.acme()
        let ann = try db.createContact(customer: String(c.displayId), params: ContactParams(
            name: "Ann", email: "  Ann@Acme.COM ", title: "CTO", phone: "+1 (555) 010-0000", labels: ["VIP", "vip", "Beta"]
        ))
        XCTAssertEqual(c.id, ann.customerId)
        XCTAssertEqual("ann@acme.com", ann.email)
        XCTAssertEqual(true, ann.isPrimary, "the first contact is primary")
        XCTAssertEqual(["vip", "beta"], ann.labels)
        try clock.advanceMs(ms: 1_000)
        let bob = try db.createContact(customer: c.id, params: ContactParams(name: "Bob", email: "bob@acme.com", isPrimary: true))
        XCTAssertEqual(true, bob.isPrimary)
        XCTAssertEqual(false, try db.retrieveContact(reference: ann.id).isPrimary, "demoted")
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
        XCTAssertEqual([bob.id], page1.data.map(\.id))
        let page2 = try db.listContacts(customer: c.id, params: ListParams(limit: 1, cursor: page1.nextCursor))
        XCTAssertEqual([ann.id], page2.data.map(\.id))
        XCTAssertEqual(false, page2.hasMore)
        let u = try db.updateContact(reference: ann.id, patch: ContactPatch(isPrimary: true, labels: [], clear: [.title, .phone]))
        XCTAssertEqual(nil, u.title)
        XCTAssertEqual(nil, u.phone)
        XCTAssertEqual([], u.labels)
        XCTAssertEqual(true, u.isPrimary)
        XCTAssertEqual(false, try db.retrieveContact(reference: bob.id).isPrimary)
        try expectError("invalid_request_error", "invalid_type", field: "labels") {
            _ = try db.updateContact(reference: ann.id, patch: ContactPatch(clear: [.labels]))
        }
        XCTAssertEqual(Deleted(id: bob.id, displayId: bob.displayId, deleted: true), try db.deleteContact(reference: bob.id))
        try expectError("not_found", "contact_not_found") { _ = try db.retrieveContact(reference: bob.id) }
        try expectError("not_found", "contact_not_found") {
            _ = try db.updateContact(reference: bob.id, patch: ContactPatch(name: "B"))
        }
        XCTAssertEqual([ann.id], try db.listContacts(customer: c.id).data.map(\.id))
    }

    func testOnboardingsCreateWithDefaultsAndDateFieldsMillisecondPrecision() throws {
        let db = try fresh()
        defer { db.close() }
        let c = try db.acme()
        let o = try db.createOnboarding(params: OnboardingParams(customerId: String(c.displayId)))
        XCTAssertTrue(o.id.hasPrefix("onb_"), o.id)
        XCTAssertEqual(c.id, o.customerId)
        XCTAssertEqual(.beforeGettingStarted, o.phase)
        XCTAssertEqual(.active, o.state)
        XCTAssertEqual(t0, o.startedAt)
        XCTAssertEqual(nil, o.completedAt)
        XCTAssertEqual(true, o.reminderEmail)
        XCTAssertEqual(1, o.reminderFrequencyDays)
        let o2 = try db.createOnboarding(params: OnboardingParams(
            customerId: c.id, startedAt: try parseTimestamp(value: "2023-12-01T10:00:00.123Z"),
            targetLaunchDate: try parseTimestamp(value: "2026-07-15"), csmId: "u_1", notes: "kick-off done",
            reminderFrequencyDays: 7
        ))
        // A Date is a Double: .123 arrives as .122999…, and is read back as .123.
        XCTAssertEqual("2023-12-01T10:00:00.123Z", try wire(o2.startedAt))
        XCTAssertEqual("2026-07-15T00:00:00.000Z", try wire(o2.targetLaunchDate))
        XCTAssertEqual(.string("2023-12-01T10:00:00.123Z"), try json(o2.toJson())["started_at"])
        let done = try db.onboarding(of: c, phase: .completed)
        XCTAssertEqual(t0, done.completedAt)
        XCTAssertEqual(0, try db.onboardingTransitions(reference: done.id).count)
        try expectError("not_found", "customer_not_found", field: "customer_id") {
            _ = try db.createOnboarding(params: OnboardingParams(customerId: "999"))
        }
        try expectError("invalid_request_error", "too_large", field: "reminder_frequency_days") {
            _ = try db.createOnboarding(params: OnboardingParams(customerId: c.id, reminderFrequencyDays: 91))
        }
    }

    func testOnboardingsPhaseRulesReasonsAndTransitions() throws {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock, actor: "csm")
        defer { db.close() }
        let o = try db.onboarding(of: try db.acme())
        try clock.advanceMs(ms: 1_000)
        XCTAssertEqual(.programDesign, try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .programDesign)).phase)
        try expectError("invalid_request_error", "transition_reason_required") {
            _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .launch))
        }
        try clock.advanceMs(ms: 1_000)
        XCTAssertEqual(.launch, try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .launch, reason: "pilot done")).phase)
        try clock.advanceMs(ms: 1_000)
        let done = try db.updateOnboarding(reference: String(o.displayId), patch: OnboardingPatch(phase: .completed))
        XCTAssertEqual(t0.addingTimeInterval(3), done.completedAt)
        try expectError("invalid_request_error", "invalid_phase_transition", field: "phase") {
            _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .launch, reason: "reopen"))
        }
        let ts = try db.onboardingTransitions(reference: o.id)
        XCTAssertEqual([.beforeGettingStarted, .programDesign, .launch], ts.map(\.fromPhase))
        XCTAssertEqual([.programDesign, .launch, .completed], ts.map(\.toPhase))
        XCTAssertEqual([nil, "pilot done", nil], ts.map(\.reason))
        XCTAssertEqual(["csm", "csm", "csm"], ts.map(\.actor))
        XCTAssertTrue(ts.allSatisfy { $0.id.hasPrefix("ptr_") && $0.onboardingId == o.id })
        XCTAssertEqual(ts[1], try phaseTransitionFromJson(json: ts[1].toJson()))
        try expectError("not_found", "onboarding_not_found") { _ = try db.onboardingTransitions(reference: "onb_missing") }
    }

    func testOnboardingsWaitingInvariantPausedConflictingFields() throws {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        defer { db.close() }
        let o = try db.onboarding(of: try db.acme())
        try clock.advanceMs(ms: 5_000)
        let waiting = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(waitingOnCustomer: true))
        XCTAssertEqual(.waiting, waiting.state)
        XCTAssertEqual(t0.addingTimeInterval(5), waiting.waitingOnCustomerSince)
        let back = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(state: .active))
        XCTAssertEqual(false, back.waitingOnCustomer)
        XCTAssertEqual(nil, back.waitingOnCustomerSince)
        try expectError("invalid_request_error", "conflicting_fields") {
            _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(state: .active, waitingOnCustomer: true))
        }
        _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(state: .paused))
        try expectError("invalid_request_error", "onboarding_paused") {
            _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(phase: .programDesign))
        }
        let cleared = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(csmId: "u_9", clear: [.targetLaunchDate]))
        XCTAssertEqual("u_9", cleared.csmId)
        XCTAssertEqual(nil, cleared.targetLaunchDate)
        try expectError("invalid_request_error", field: "phase") {
            _ = try db.updateOnboarding(reference: o.id, patch: OnboardingPatch(clear: [.phase]))
        }
    }

    func testOnboardingsListFiltersListForACustomerDeleteChurnPauses() throws {
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
        XCTAssertEqual([o3.id, o2.id, o1.id], try db.listOnboardings().data.map(\.id))
        XCTAssertEqual([o2.id, o1.id], try db.listOnboardings(params: OnboardingListParams(customerId: a.id)).data.map(\.id))
        XCTAssertEqual([o2.id], try db.listOnboardings(params: OnboardingListParams(phase: .launch)).data.map(\.id))
        XCTAssertEqual(0, try db.listOnboardings(params: OnboardingListParams(state: .paused)).data.count)
        let page = try db.listOnboardings(params: OnboardingListParams(limit: 2))
        XCTAssertEqual(true, page.hasMore)
        XCTAssertEqual([o1.id], try db.listOnboardings(params: OnboardingListParams(limit: 2, cursor: page.nextCursor)).data.map(\.id))
        let forA = try db.listCustomerOnboardings(customer: String(a.displayId))
        XCTAssertEqual([o2.id, o1.id], forA.data.map(\.id))
        XCTAssertEqual(false, forA.hasMore)
        try expectError("not_found", "customer_not_found", field: "customer_id") {
            _ = try db.listOnboardings(params: OnboardingListParams(customerId: "cus_missing"))
        }
        _ = try db.updateCustomer(reference: b.id, patch: CustomerPatch(status: .churned))
        XCTAssertEqual(.paused, try db.retrieveOnboarding(reference: o3.id).state)
        XCTAssertEqual(Deleted(id: o1.id, displayId: o1.displayId, deleted: true), try db.deleteOnboarding(reference: o1.id))
        try expectError("not_found", "onboarding_not_found") { _ = try db.retrieveOnboarding(reference: o1.id) }
        _ = try db.deleteCustomer(reference: a.id)
        try expectError("not_found", "onboarding_not_found") { _ = try db.retrieveOnboarding(reference: o2.id) }
        XCTAssertEqual([o3.id], try db.listOnboardings().data.map(\.id))
    }

    func testAnalyticsOneOnboardingSClocksNowAndAsOfAPastInstant() throws {
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
        XCTAssertEqual("2024-01-05T12:00:00.000Z", try wire(m.asOf), "as_of")
        XCTAssertEqual(.programDesign, m.phase)
        XCTAssertEqual(.active, m.state)
        XCTAssertEqual(9 * day / 2, m.elapsedMs, "elapsed_ms")
        XCTAssertEqual(2 * day, m.waitingMs, "waiting_ms")
        XCTAssertEqual(5 * day / 2, m.slaMs, "sla_ms")
        XCTAssertEqual(day, m.timeInPhaseMs.beforeGettingStarted, "time_in_phase_ms.before_getting_started")
        XCTAssertEqual(7 * day / 2, m.timeInPhaseMs.programDesign, "time_in_phase_ms.program_design")
        XCTAssertEqual(7 * day / 2, m.timeInPhaseMs.get(phase: .programDesign), "time_in_phase_ms[program_design]")
        XCTAssertEqual(m.elapsedMs, m.timeInPhaseMs.total(), "time_in_phase_ms total")
        XCTAssertEqual(try wire(at(day)), try wire(m.currentPhaseSince), "current_phase_since")
        XCTAssertEqual(3 * day / 2, m.currentPhaseSlaMs, "current_phase_sla_ms")
        XCTAssertEqual("2024-01-11T00:00:00.000Z", try wire(m.targetLaunchDate))
        XCTAssertEqual(nil, m.launchedAt)
        XCTAssertEqual(nil, m.onTime)
        XCTAssertEqual(false, m.overdue)
        // toJson() is the core's JSON, and reads back.
        let j = try json(m.toJson())
        XCTAssertEqual(.string("onboarding_metrics"), j["object"])
        XCTAssertEqual(.string("2024-01-05T12:00:00.000Z"), j["as_of"])
        XCTAssertEqual(.int(7 * day / 2), j["time_in_phase_ms"]?["program_design"])
        XCTAssertEqual(m, try onboardingMetricsFromJson(json: m.toJson()))
        // As of a past instant, by display id: in the middle of the wait.
        let past = try db.analyticsOnboarding(reference: String(o.displayId), asOf: at(3 * day))
        XCTAssertEqual(.waiting, past.state)
        XCTAssertEqual(3 * day, past.elapsedMs)
        XCTAssertEqual(day, past.waitingMs)
        // Unknown, or not created yet at `as_of`: not_found.
        try expectError("not_found", "onboarding_not_found") { _ = try db.analyticsOnboarding(reference: "onb_missing") }
        let e = try expectError("not_found", "onboarding_not_found") {
            _ = try db.analyticsOnboarding(reference: o.id, asOf: at(-1))
        }
        guard case .NotFound = e else { throw Failure(description: "expected .NotFound, got \(e)") }
        XCTAssertEqual(404, e.info().httpStatus)
    }

    func testAnalyticsTheWorkspaceReportCountsRatesPercentilesStalledAndFilters() throws {
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
        XCTAssertEqual("2024-01-06T00:00:00.000Z", try wire(r.asOf))
        XCTAssertEqual(3, r.total)
        XCTAssertEqual(ByPhase(beforeGettingStarted: 2, programDesign: 0, review: 0, programBuildout: 0, internalQa: 0, launch: 1, completed: 0),
               r.byPhase)
        XCTAssertEqual(ByState(active: 1, paused: 0, atRisk: 1, waiting: 1), r.byState)
        XCTAssertEqual([1, 1, 1], [r.launched, r.launchedWithTarget, r.launchedOnTime], "launched")
        XCTAssertEqual(1.0, r.onTimeRate, "on_time_rate")
        XCTAssertEqual(LaunchDays(count: 1, median: 2.0, p90: 2.0), r.daysToLaunch)
        XCTAssertEqual(r.daysToLaunch, r.slaDaysToLaunch)
        XCTAssertEqual(1, r.overdue, "overdue")
        XCTAssertEqual(2, r.atRisk, "at_risk") // b is overdue, the third is at risk
        // Stalled above 2.5 days: a (3 days in launch) and the at-risk one (5); b's 3 waiting days do not count.
        XCTAssertEqual(2, r.stalled, "stalled")
        let j = try json(r.toJson())
        XCTAssertEqual(.string("workspace_report"), j["object"])
        XCTAssertEqual(.double(2.5), j["stalled_after_days"])
        XCTAssertEqual(r, try workspaceReportFromJson(json: r.toJson()))

        let betaOnly = try db.analyticsWorkspace(params: WorkspaceReportParams(customerId: String(beta.displayId)))
        XCTAssertEqual(beta.id, betaOnly.customerId)
        XCTAssertEqual(1, betaOnly.total)
        XCTAssertEqual(nil, betaOnly.stalled)
        let early = try db.analyticsWorkspace(params: WorkspaceReportParams(asOf: at(day / 2), csmId: "csm_1"))
        XCTAssertEqual(1, early.total)
        XCTAssertEqual(0, early.launched)
        XCTAssertEqual(nil, early.onTimeRate)
        XCTAssertEqual(nil, early.daysToLaunch.median)
        XCTAssertEqual(3, try db.analyticsWorkspace().total)
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

    func testEventsAndTimelineTailTheChangeLogFilterPaginate() throws {
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
        XCTAssertEqual([.customerCreated, .contactCreated, .onboardingCreated, .onboardingUpdated, .onboardingPhaseChanged],
               all.data.map(\.eventType))
        for (x, y) in zip(all.data, all.data.dropFirst()) { XCTAssertTrue(x.sequence < y.sequence, "ascending sequence") }
        let first = all.data[0]
        XCTAssertTrue(first.id.hasPrefix("evt_"))
        XCTAssertEqual("v1", first.apiVersion)
        XCTAssertEqual("tailer", first.actor)
        XCTAssertEqual(true, first.livemode)
        XCTAssertEqual(nil, first.data.previousAttributes)
        XCTAssertEqual(.string(c.id), try json(first.data.object)["id"])
        XCTAssertEqual(.obj([("phase", .string("before_getting_started"))]), try json(all.data[3].data.previousAttributes ?? "null"))
        XCTAssertEqual([.onboardingPhaseChanged],
               try db.listEvents(params: EventListParams(types: [.onboardingPhaseChanged])).data.map(\.eventType))
        XCTAssertEqual(3, try db.listEvents(params: EventListParams(objectId: o.id)).data.count)
        let after = try db.listEvents(params: EventListParams(afterSequence: first.sequence, limit: 2))
        XCTAssertEqual(2, after.data.count)
        XCTAssertEqual(true, after.hasMore)
        XCTAssertEqual(String(after.data[1].sequence), after.nextCursor)
        XCTAssertEqual(2, try db.listEvents(params: EventListParams(afterSequence: Int64(after.nextCursor!)!)).data.count)
        XCTAssertEqual(.string("customer.created"), try json(first.toJson())["type"])
        XCTAssertEqual(first, try eventFromJson(json: first.toJson()))
        let timeline = try db.customerTimeline(reference: c.id, params: ListParams(limit: 2))
        XCTAssertEqual([.onboardingPhaseChanged, .onboardingUpdated], timeline.data.map(\.eventType))
        XCTAssertEqual(true, timeline.hasMore)
        let rest = try db.customerTimeline(reference: c.id, params: ListParams(cursor: timeline.nextCursor))
        XCTAssertEqual([.onboardingCreated, .contactCreated, .customerCreated], rest.data.map(\.eventType))
        try expectError("not_found", "customer_not_found") { _ = try db.customerTimeline(reference: "cus_missing") }
        try expectError("invalid_request_error", "invalid_cursor", field: "cursor") {
            _ = try db.customerTimeline(reference: c.id, params: ListParams(cursor: "!!"))
        }
        try expectError("invalid_request_error", "invalid_limit", field: "limit") {
            _ = try db.listEvents(params: EventListParams(limit: 0))
        }
    }

    func testSessionsTestModeIsIsolatedActorsAreRecorded() throws {
        let db = try fresh()
        defer { db.close() }
        _ = try db.acme()
        let test = try db.withLivemode(livemode: false)
        XCTAssertEqual(false, try test.session().livemode)
        XCTAssertEqual(0, try test.listCustomers().data.count)
        let t = try test.acme()
        XCTAssertEqual([t.id], try test.listCustomers().data.map(\.id))
        XCTAssertEqual([false], try test.listEvents().data.map(\.livemode))
        try expectError("not_found", "customer_not_found") { _ = try db.retrieveCustomer(reference: t.id) }
        let job = try db.withActor(actor: "sync-job")
        XCTAssertEqual("sync-job", try job.session().actor)
        _ = try job.createCustomer(params: CustomerParams(name: "Beta"))
        XCTAssertEqual(["swift", "sync-job"], try db.listEvents().data.map(\.actor))
    }

    func testIdentityWorkspacesAndAPIKeysMeAuthenticateRevoke() throws {
        let db = try fresh()
        defer { db.close() }
        let me = try db.me()
        XCTAssertEqual(nil, me.apiKey)
        XCTAssertEqual("default", me.organization.slug)
        XCTAssertEqual(.string("me"), try json(me.toJson())["object"])
        XCTAssertEqual(.null, try json(me.toJson())["api_key"])
        let created = try db.createApiKey(name: "sync-script")
        XCTAssertTrue(created.secret.hasPrefix("pivotal_") && !created.secret.hasPrefix("pivotal_test_"), created.secret)
        XCTAssertEqual(40, created.secret.count)
        XCTAssertEqual(String(created.secret.prefix(12)), created.apiKey.prefix)
        XCTAssertEqual(nil, created.apiKey.revokedAt)
        XCTAssertEqual([created.apiKey], try db.listApiKeys())
        let keyed = try db.authenticate(secret: created.secret)
        XCTAssertEqual("sync-script", try keyed.session().actor)
        XCTAssertEqual(created.apiKey.id, try keyed.me().apiKey?.id)
        let c = try keyed.createCustomer(params: CustomerParams(name: "Via key"))
        XCTAssertEqual("sync-script", try keyed.listEvents().data.last?.actor)
        // A key's session keeps its workspace, mode and actor.
        for escape in [
            { _ = try keyed.withWorkspace(reference: "default") },
            { _ = try keyed.withLivemode(livemode: false) },
            { _ = try keyed.withActor(actor: "spoofed") },
        ] as [() throws -> Void] {
            let p = try expectError("permission_error", "permission_denied", escape)
            guard case .Permission(_, _, _, _, 403) = p else { throw Failure(description: "Permission/403: \(p)") }
        }
        XCTAssertEqual(t0, try db.revokeApiKey(id: created.apiKey.id).revokedAt)
        let e = try expectError("authentication_error", "api_key_revoked") { _ = try keyed.retrieveCustomer(reference: c.id) }
        guard case .Authentication(_, _, _, _, 401) = e else { throw Failure(description: "Authentication/401: \(e)") }
        try expectError("authentication_error", "api_key_revoked") { _ = try db.authenticate(secret: created.secret) }
        try expectError("authentication_error", "invalid_api_key") { _ = try db.authenticate(secret: "pivotal_nope") }
        try expectError("invalid_request_error", "missing_field", field: "actor") { _ = try db.withActor(actor: "  ") }
        try expectError("invalid_request_error", "too_long", field: "actor") { _ = try db.withActor(actor: String(repeating: "x", count: 201)) }
        XCTAssertEqual("sync", try db.withActor(actor: " sync ").session().actor)
        try expectError("not_found", "api_key_not_found") { _ = try db.revokeApiKey(id: "key_missing") }
        let test = try db.withLivemode(livemode: false)
        let testKey = try test.createApiKey(name: "tester")
        XCTAssertTrue(testKey.secret.hasPrefix("pivotal_test_"), testKey.secret)
        XCTAssertEqual(false, try db.authenticate(secret: testKey.secret).session().livemode)
        let ws = try db.createWorkspace(name: "Second Org")
        XCTAssertEqual("second-org", ws.slug)
        XCTAssertEqual(ws, try db.retrieveWorkspace(reference: ws.id))
        XCTAssertEqual(Set(["default", "second-org"]), Set(try db.listWorkspaces().map(\.slug)))
        try expectError("conflict", "slug_taken", field: "slug") { _ = try db.createWorkspace(name: "Second Org") }
        try expectError("not_found", "workspace_not_found") { _ = try db.withWorkspace(reference: "nope") }
        let other = try db.withWorkspace(reference: "second-org")
        XCTAssertEqual(ws, try other.session().workspace)
        _ = try other.acme()
        XCTAssertEqual(1, try other.listCustomers().data.count)
        XCTAssertEqual(["Via key"], try db.listCustomers().data.map(\.name))
    }

    func testJSONEveryObjectConvertsToAndFromTheAPISJSON() throws {
        let db = try fresh()
        defer { db.close() }
        let c = try db.createCustomer(params: CustomerParams(name: "Acme", metadata: #"{"k":"v"}"#))
        let contact = try db.createContact(customer: c.id, params: ContactParams(name: "Ann", email: "ann@acme.com"))
        let o = try db.onboarding(of: c)
        let cj = try json(c.toJson())
        XCTAssertEqual(.string("customer"), cj["object"])
        XCTAssertEqual(.obj([("k", .string("v"))]), cj["metadata"])
        XCTAssertEqual(c, try customerFromJson(json: c.toJson()))
        XCTAssertEqual(contact, try contactFromJson(json: contact.toJson()))
        XCTAssertEqual(o, try onboardingFromJson(json: o.toJson()))
        let list = try json(db.listCustomers().toJson())
        XCTAssertEqual(.string("list"), list["object"])
        XCTAssertEqual(.null, list["next_cursor"])
        XCTAssertEqual(.string("list"), try json(db.listContacts(customer: c.id).toJson())["object"])
        XCTAssertEqual(.string("list"), try json(db.listOnboardings().toJson())["object"])
        XCTAssertEqual(.string("list"), try json(db.listEvents().toJson())["object"])
        try expectError("invalid_request_error", "invalid_type", field: "object") { _ = try customerFromJson(json: o.toJson()) }
        try expectError("invalid_request_error", "invalid_type") { _ = try contactFromJson(json: "{") }
        let params = try customerParamsFromJson(json: #"{"name":"Beta","status":"active","metadata":{"x":[1]}}"#)
        XCTAssertEqual(.active, params.status)
        XCTAssertEqual(#"{"x":[1]}"#, params.metadata)
        try expectError("invalid_request_error", "unknown_field", field: "nmae") {
            _ = try customerParamsFromJson(json: #"{"nmae":"x"}"#)
        }
        try expectError("invalid_request_error", "missing_field", field: "email") {
            _ = try contactParamsFromJson(json: #"{"name":"x"}"#)
        }
        let patch = try customerPatchFromJson(json: #"{"plan":null,"mrr":5}"#)
        XCTAssertEqual(CustomerPatch(mrr: 5, clear: [.plan]), patch)
        XCTAssertEqual(#"{"plan":null,"mrr":5}"#, try patch.toJson())
        XCTAssertEqual(ContactPatch(labels: ["a"], clear: [.title]), try contactPatchFromJson(json: #"{"labels":["a"],"title":null}"#))
        let op = try onboardingPatchFromJson(json: #"{"phase":"launch","reason":"skip","target_launch_date":"2026-07-15"}"#)
        XCTAssertEqual(.launch, op.phase)
        XCTAssertEqual("skip", op.reason)
        XCTAssertEqual("2026-07-15T00:00:00.000Z", try wire(op.targetLaunchDate))
        XCTAssertEqual(OnboardingParams(customerId: "1", phase: .review),
               try onboardingParamsFromJson(json: #"{"customer_id":"1","phase":"review"}"#))
        try expectError("invalid_request_error", "invalid_enum_value", field: "phase") {
            _ = try onboardingParamsFromJson(json: #"{"customer_id":"1","phase":"nope"}"#)
        }
    }

    func testEnumsDescriptionIsTheWireStringFromWireParsesIt() throws {
        XCTAssertEqual("internal_qa", Phase.internalQa.description)
        XCTAssertEqual("onboarding.back_on_track", "\(EventType.onboardingBackOnTrack)")
        for p in Phase.allCases { XCTAssertEqual(p, try phaseFromWire(value: p.description)) }
        for t in EventType.allCases { XCTAssertEqual(t, try eventTypeFromWire(value: t.description)) }
        for st in State.allCases { XCTAssertEqual(st, try stateFromWire(value: st.description)) }
        for st in CustomerStatus.allCases { XCTAssertEqual(st, try customerStatusFromWire(value: st.description)) }
        XCTAssertEqual("is_primary", ContactField.isPrimary.description)
        XCTAssertEqual("target_launch_date", OnboardingField.targetLaunchDate.description)
        try expectError("invalid_request_error", "invalid_enum_value", field: "phase") { _ = try phaseFromWire(value: "Launch") }
    }

    func testErrorsPivotalErrorCasesCarryTypeCodeDetailFieldAndHTTPStatus() throws {
        let db = try fresh()
        defer { db.close() }
        let e = try expectError("invalid_request_error", "too_long", field: "name") {
            _ = try db.createCustomer(params: CustomerParams(name: String(repeating: "x", count: 300)))
        }
        guard case let .InvalidRequest(errorType, code, detail, field, httpStatus) = e else {
            throw Failure(description: "InvalidRequest: \(e)")
        }
        XCTAssertEqual("invalid_request_error", errorType)
        XCTAssertEqual("too_long", code)
        XCTAssertEqual("name", field)
        XCTAssertEqual(400, httpStatus)
        XCTAssertTrue(!detail.isEmpty)
        let envelope = try json(e.toJson())["error"]
        XCTAssertEqual(.string("too_long"), envelope?["code"])
        XCTAssertEqual(.string(detail), envelope?["message"])
        XCTAssertEqual(.string("name"), envelope?["field"])
        XCTAssertTrue((e as Error).localizedDescription.contains("too_long"), (e as Error).localizedDescription)
        let nf = try expectError("not_found", "customer_not_found", noField: true) { _ = try db.retrieveCustomer(reference: "nope") }
        XCTAssertEqual(nil, try json(nf.toJson())["error"]?["field"])
        var kind = "none"
        do {
            _ = try db.retrieveContact(reference: "1")
        } catch let PivotalError.NotFound(_, code, _, _, status) {
            kind = "\(code):\(status)"
        }
        XCTAssertEqual("contact_not_found:404", kind)
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
        XCTAssertEqual(400, status(e))
        XCTAssertEqual(404, status(nf))
    }

    func testCloseCloseClosesEveryHandleLaterCallsRaiseStoreClosed() throws {
        let db = try fresh()
        let c = try db.acme()
        let test = try db.withLivemode(livemode: false)
        let other = try db.withActor(actor: "other")
        XCTAssertEqual(false, db.isClosed())
        test.close()
        for h in [db, test, other] {
            XCTAssertEqual(true, h.isClosed())
            let e = try expectError("invalid_request_error", "store_closed") { _ = try h.retrieveCustomer(reference: c.id) }
            guard case .InvalidRequest = e else { throw Failure(description: "InvalidRequest: \(e)") }
            try expectError("invalid_request_error", "store_closed") { _ = try h.createCustomer(params: CustomerParams(name: "X")) }
            try expectError("invalid_request_error", "store_closed") { _ = try h.listEvents() }
            try expectError("invalid_request_error", "store_closed") { _ = try h.health() }
            try expectError("invalid_request_error", "store_closed") { _ = try h.withActor(actor: "x") }
        }
        db.close() // idempotent
    }

    func testHostileInputGetsATypedErrorNeverACrash() throws {
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
        XCTAssertEqual("4001-01-01T00:00:00.000Z", try wire(future.targetLaunchDate))
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
            XCTAssertEqual(odd.name, try db.retrieveCustomer(reference: odd.id).name)
            XCTAssertEqual(odd, try customerFromJson(json: odd.toJson()))
        } catch let e as PivotalError {
            XCTAssertEqual("invalid_request_error", e.info().errorType)
        }
        try expectError("invalid_request_error", "invalid_timestamp") { _ = try parseTimestamp(value: "yesterday") }
        _ = try db.health()
    }

    func testFixedClockSetAdvanceNowTimestampsParseAndFormatTheAPISWay() throws {
        let clock = try FixedClock(at: t0)
        XCTAssertEqual(t0, clock.now())
        try clock.advanceMs(ms: 1_500)
        XCTAssertEqual("2024-01-01T00:00:01.500Z", try wire(clock.now()))
        try clock.advanceMs(ms: -500)
        XCTAssertEqual(t0.addingTimeInterval(1), clock.now())
        try clock.set(at: try parseTimestamp(value: "2030-05-06T07:08:09.010Z"))
        XCTAssertEqual("2030-05-06T07:08:09.010Z", try wire(clock.now()))
        XCTAssertEqual("2024-04-01T10:00:00.000Z", try wire(try parseTimestamp(value: "2024-04-01T12:00:00+02:00")))
    }

    func testFixedClockAMoveOutOfTheYears19999IsInvalidTimestampAndLeavesTheClock() throws {
        let last = try parseTimestamp(value: "9999-12-31T23:59:59.999Z")
        let first = try parseTimestamp(value: "0001-01-01T00:00:00Z")
        let clock = try FixedClock(at: last)
        for ms in [Int64(1), Int64.max] {
            try expectError("invalid_request_error", "invalid_timestamp", field: "ms") { try clock.advanceMs(ms: ms) }
            XCTAssertEqual("9999-12-31T23:59:59.999Z", try wire(clock.now()))
        }
        for at in [try parseTimestamp(value: "9999-12-31T23:59:59.999Z").addingTimeInterval(0.002),
                   first.addingTimeInterval(-0.001)] {
            try expectError("invalid_request_error", "invalid_timestamp", field: "at") { try clock.set(at: at) }
            XCTAssertEqual("9999-12-31T23:59:59.999Z", try wire(clock.now()))
            try expectError("invalid_request_error", "invalid_timestamp", field: "at") { _ = try FixedClock(at: at) }
        }
        let db = try fresh(clock)
        XCTAssertEqual("9999-12-31T23:59:59.999Z", try wire(try db.acme().createdAt))
        db.close()
        try clock.set(at: first)
        for ms in [Int64(-1), Int64.min] {
            try expectError("invalid_request_error", "invalid_timestamp", field: "ms") { try clock.advanceMs(ms: ms) }
            XCTAssertEqual("0001-01-01T00:00:00.000Z", try wire(clock.now()))
        }
    }

    func testPathTheFileNilInMemoryTheWidestMmapSizeOpens() throws {
        let mem = try fresh()
        XCTAssertEqual(nil, mem.path())
        mem.close()
        let named = try PivotalStore.open(path: ":memory:")
        XCTAssertEqual(nil, named.path())
        _ = try named.acme()
        XCTAssertEqual("Acme", try named.retrieveCustomer(reference: "1").name)
        named.close()
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("p.db").path
        let db = try PivotalStore.open(path: path, mmapSize: UInt64.max)
        XCTAssertEqual(path, db.path())
        _ = try db.health()
        db.close()
        try expectError("invalid_request_error", "missing_field", field: "path") { _ = try PivotalStore.open(path: "") }
        try expectError("invalid_request_error", "invalid_type", field: "path") { _ = try PivotalStore.open(path: "a\u{0}b.db") }
    }

    func testMetadataNestedTooDeepThroughTheTypedAPIInvalidTypeTheStoreStillLists() throws {
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
        XCTAssertEqual([c], try db.listCustomers(params: CustomerListParams()).data)
        XCTAssertEqual(c, try db.retrieveCustomer(reference: c.id))
        XCTAssertEqual(1, try db.listEvents(params: EventListParams()).data.count)
        XCTAssertEqual(1, try db.customerTimeline(reference: c.id, params: ListParams()).data.count)
        _ = try db.health()
    }

    func testImportAndExportIdsKeptReImportUnchangedSkipAndStopRoundTrip() throws {
        let customer = #"{"object":"customer","id":"cus_acme0000000000001","display_id":7,"name":"Acme","slug":"acme","created_at":"2024-01-02T03:04:05Z","updated_at":"2024-01-02T03:04:05Z"}"#
        func contact(_ id: String, _ displayId: Int, _ email: String) -> String {
            #"{"object":"contact","id":"\#(id)","display_id":\#(displayId),"customer_id":"cus_acme0000000000001","name":"Ada","email":"\#(email)","is_primary":false,"created_at":"2024-01-03T00:00:00Z","updated_at":"2024-01-03T00:00:00Z"}"#
        }
        let text = contact("con_ada00000000000001", 3, "ada@acme.com") + "\n" + customer + "\n"
        let db = try fresh()
        defer { db.close() }
        let s = try db.importJson(json: text)
        XCTAssertEqual([2, 0, 0, 0], [s.created, s.updated, s.unchanged, s.skipped])
        XCTAssertEqual("cus_acme0000000000001", try db.retrieveCustomer(reference: "7").id)
        XCTAssertEqual("con_ada00000000000001", try db.retrieveContact(reference: "3").id)
        XCTAssertEqual(8, try db.createCustomer(params: CustomerParams(name: "Next")).displayId)
        let again = try db.importJson(json: text)
        XCTAssertEqual([0, 2], [again.created, again.unchanged])

        let bad = contact("con_bad0000000000001", 4, "not-an-email") + "\n" + contact("con_ok00000000000001", 5, "ok@acme.com")
        let e = try expectError("invalid_request_error", "invalid_email", field: "email") { _ = try db.importJson(json: bad) }
        XCTAssertTrue(e.info().detail.hasPrefix("item 0 (line 1): "), e.info().detail)
        _ = try expectError("not_found", "contact_not_found") { _ = try db.retrieveContact(reference: "con_ok00000000000001") }
        let skipped = try db.importJson(json: bad, onError: .skip, chunkSize: 1)
        XCTAssertEqual([1, 1], [skipped.created, skipped.skipped])
        XCTAssertEqual(1, skipped.errors.count)
        XCTAssertEqual(0, skipped.errors[0].index)
        XCTAssertEqual(1, skipped.errors[0].line)
        XCTAssertEqual("invalid_email", skipped.errors[0].error.code)
        XCTAssertEqual("email", skipped.errors[0].error.field)

        let customers = try db.exportJson(list: .customers(params: CustomerListParams()))
        XCTAssertEqual(2, customers.split(separator: "\n").count)
        let contacts = try db.exportJson(list: .contacts(customer: nil), format: .json)
        XCTAssertTrue(contacts.hasPrefix(#"{"object":"list","data":["#), contacts)
        XCTAssertEqual("", try db.exportJson(list: .onboardings(params: OnboardingListParams()), format: .csv))
        let copy = try fresh()
        defer { copy.close() }
        XCTAssertEqual(2, try copy.importJson(json: customers).created)
        XCTAssertEqual(2, try copy.importJson(json: contacts).created)
        XCTAssertEqual(try db.listCustomers(params: CustomerListParams()).data, try copy.listCustomers(params: CustomerListParams()).data)
        XCTAssertEqual(try db.listContacts(customer: "7", params: ListParams()).data, try copy.listContacts(customer: "7", params: ListParams()).data)
    }

    func testThreadsOneStoreSharedByConcurrentWriters() throws {
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
        XCTAssertEqual(0, errors.count)
        XCTAssertEqual(Array(1 ... 100), ids.sorted())
        XCTAssertEqual(100, try db.listCustomers(params: CustomerListParams(limit: 100)).data.count)
    }
}
