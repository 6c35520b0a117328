// The Swift quickstart, mirroring `pivotal demo` (cli/src/demo.rs): a customer with
// contacts and an onboarding walked through every phase, on a SQLite file.
// A package of its own (Package.swift two levels up) that depends on PivotalCore by path;
// tests/uniffi/run.sh builds and runs it (see bindings-uniffi/README.md).

import Foundation
import PivotalCore

let demoFile = "pivotal-demo.db"

func show(_ label: String, _ json: String) {
    print("── \(label)\n\(json)")
}

func move(_ db: PivotalStore, _ onboarding: String, to phase: Phase) throws {
    let o = try db.updateOnboarding(reference: onboarding, patch: OnboardingPatch(phase: phase))
    print("phase → \(o.phase) (state \(o.state))")
}

do {
    // Start from an empty demo file so the walk reads the same every time.
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: demoFile + suffix) }

    let db = try PivotalStore.open(path: demoFile, actor: "quickstart")
    defer { db.close() }
    show("opened \(demoFile)", try db.health().toJson())

    let params = CustomerParams(name: "Acme Café", domain: "acme.example", mrr: 120_000)
    let acme = try db.createCustomer(params: params, idempotencyKey: "crm-42")
    let again = try db.createCustomer(params: params, idempotencyKey: "crm-42")
    print("idempotent replay returned the same customer: \(again.id == acme.id)")
    show("customer", try acme.toJson())

    var ada = try db.createContact(customer: acme.id, params: ContactParams(name: "Ada Lovelace", email: "Ada@Acme.example"))
    let grace = try db.createContact(
        customer: String(acme.displayId),
        params: ContactParams(name: "Grace Hopper", email: "grace@acme.example", isPrimary: true,
                              labels: ["Champion", "champion"])
    )
    ada = try db.retrieveContact(reference: ada.id)
    print("primary contact: \(grace.name) (Ada primary: \(ada.isPrimary))")

    let onboarding = try db.createOnboarding(params: OnboardingParams(
        customerId: acme.id, targetLaunchDate: try parseTimestamp(value: "2030-07-15"), csmId: "user_csm_001"
    ))
    let id = onboarding.id
    try move(db, id, to: .programDesign)

    do {
        _ = try db.updateOnboarding(reference: id, patch: OnboardingPatch(phase: .internalQa))
        print("skip unexpectedly allowed")
    } catch let e as PivotalError {
        print("skip refused: \(e.toJson())")
    }
    try move(db, id, to: .review)

    var o = try db.updateOnboarding(reference: id, patch: OnboardingPatch(waitingOnCustomer: true))
    print("waiting on the customer since \(try formatTimestamp(at: o.waitingOnCustomerSince!)) (state \(o.state))")
    o = try db.updateOnboarding(reference: id, patch: OnboardingPatch(waitingOnCustomer: false))
    print("customer answered (state \(o.state))")

    for phase in [Phase.programBuildout, .internalQa, .launch, .completed] {
        try move(db, id, to: phase)
    }
    show("onboarding", try db.retrieveOnboarding(reference: id).toJson())
    show("transitions", "[\n" + (try db.onboardingTransitions(reference: id).map { try $0.toJson() }).joined(separator: ",\n") + "\n]")

    // Every event, five a page: the sequence fetches the next page when it gets there.
    let events = try db.allTimelineEvents(reference: acme.id, params: ListParams(limit: 5))
    var shown = 0
    while let event = try events.nextOrThrow() {
        let type = "\(event.eventType)".padding(toLength: 28, withPad: " ", startingAt: 0)
        print("#\(String(event.sequence).padding(toLength: 3, withPad: " ", startingAt: 0)) \(type) \(event.actor)")
        shown += 1
    }
    print("timeline: \(shown) events, newest first")
} catch {
    print("quickstart failed: \(error)")
    exit(1)
}
