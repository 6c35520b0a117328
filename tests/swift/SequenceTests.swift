// Lists as sequences (`allCustomers()`, …): every record once, in the list's order, pages fetched
// as the iteration reaches them; a bad filter throws at the call, a later page's failure ends the
// iteration with the error kept (and thrown by `nextOrThrow`).

import Foundation
import PivotalCore
import XCTest

final class SequenceTests: XCTestCase {
    /// The records of every page of a list, walked by hand with `next_cursor`.
    private func walk<T>(_ page: (String?) throws -> ([T], Bool, String?)) throws -> [T] {
        var all: [T] = []
        var cursor: String? = nil
        while true {
            let (data, hasMore, next) = try page(cursor)
            all += data
            cursor = next
            if !hasMore { return all }
        }
    }

    func testAllCustomersReadsEveryPageNewestFirstFiltersApplied() throws {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        defer { db.close() }
        for i in 0 ..< 7 {
            _ = try db.createCustomer(params: CustomerParams(name: "Customer \(i)", status: i % 2 == 0 ? .active : nil))
            if i % 3 == 0 { try clock.advanceMs(ms: 1_000) }
        }
        let byHand = try walk { c in
            let p = try db.listCustomers(params: CustomerListParams(limit: 2, cursor: c))
            return (p.data, p.hasMore, p.nextCursor)
        }
        XCTAssertEqual(7, byHand.count)
        XCTAssertEqual(byHand, Array(try db.allCustomers(params: CustomerListParams(limit: 2))))
        XCTAssertEqual(byHand, Array(try db.allCustomers()))
        XCTAssertEqual(4, Array(try db.allCustomers(params: CustomerListParams(status: .active, limit: 1))).count)
        let third = try db.listCustomers(params: CustomerListParams(limit: 3)).nextCursor
        XCTAssertEqual(Array(byHand.dropFirst(3)), Array(try db.allCustomers(params: CustomerListParams(limit: 2, cursor: third))))
    }

    func testPagesAreFetchedAsTheIterationReachesThem() throws {
        let clock = try FixedClock(at: t0)
        let db = try fresh(clock)
        for i in 0 ..< 3 {
            _ = try db.acme("Customer \(i)")
            try clock.advanceMs(ms: 1_000)
        }
        let customers = try db.allCustomers(params: CustomerListParams(limit: 1))
        XCTAssertEqual("Customer 2", customers.next()?.name)
        db.close()
        // The first page was read at the call; the second is read now, on a closed store.
        XCTAssertNil(customers.next())
        XCTAssertEqual("store_closed", (customers.error as? PivotalError)?.info().code)
        try expectError("invalid_request_error", "store_closed") { _ = try customers.nextOrThrow() }
    }

    func testABadFilterThrowsWhereTheListIsAskedFor() throws {
        let db = try fresh()
        defer { db.close() }
        try expectError("invalid_request_error", "invalid_limit", field: "limit") {
            _ = try db.allCustomers(params: CustomerListParams(limit: 0))
        }
        try expectError("invalid_request_error", "invalid_cursor", field: "cursor") {
            _ = try db.allOnboardings(params: OnboardingListParams(cursor: "nope"))
        }
        try expectError("not_found", "customer_not_found") { _ = try db.allContacts(customer: "cus_missing") }
        XCTAssertEqual(0, Array(try db.allCustomers()).count)
    }

    func testContactsOnboardingsAndTimelinePageLikeTheirLists() throws {
        let db = try fresh()
        defer { db.close() }
        let acme = try db.acme()
        for i in 0 ..< 5 { _ = try db.createContact(customer: acme.id, params: ContactParams(name: "C\(i)", email: "c\(i)@acme.com")) }
        for _ in 0 ..< 4 { _ = try db.onboarding(of: acme) }
        let contacts = try walk { c in
            let p = try db.listContacts(customer: acme.id, params: ListParams(limit: 2, cursor: c))
            return (p.data, p.hasMore, p.nextCursor)
        }
        XCTAssertEqual(5, contacts.count)
        XCTAssertEqual(contacts, Array(try db.allContacts(customer: String(acme.displayId), params: ListParams(limit: 2))))
        let onboardings = try walk { c in
            let p = try db.listOnboardings(params: OnboardingListParams(limit: 3, cursor: c))
            return (p.data, p.hasMore, p.nextCursor)
        }
        XCTAssertEqual(4, onboardings.count)
        XCTAssertEqual(onboardings, Array(try db.allOnboardings(params: OnboardingListParams(limit: 3))))
        let timeline = try walk { c in
            let p = try db.customerTimeline(reference: acme.id, params: ListParams(limit: 4, cursor: c))
            return (p.data, p.hasMore, p.nextCursor)
        }
        XCTAssertEqual(10, timeline.count)
        XCTAssertEqual(timeline, Array(try db.allTimelineEvents(reference: acme.id, params: ListParams(limit: 4))))
    }

    func testAllEventsIsACursorOverTheChangeLogFromAfterSequence() throws {
        let db = try fresh()
        defer { db.close() }
        let acme = try db.acme()
        for i in 0 ..< 6 { _ = try db.createContact(customer: acme.id, params: ContactParams(name: "C\(i)", email: "c\(i)@acme.com")) }
        let events = Array(try db.allEvents(params: EventListParams(limit: 2)))
        guard events.count == 7 else { return XCTFail("expected 7 events, got \(events.count)") }
        XCTAssertEqual(events.map(\.sequence).sorted(), events.map(\.sequence))
        XCTAssertEqual(Array(events.dropFirst(3)), Array(try db.allEvents(params: EventListParams(afterSequence: events[2].sequence, limit: 3))))
        XCTAssertEqual([.customerCreated], Array(try db.allEvents(params: EventListParams(types: [.customerCreated]))).map(\.eventType))
    }
}
