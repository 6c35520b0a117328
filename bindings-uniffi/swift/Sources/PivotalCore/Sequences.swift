// Lists as lazy sequences: every record of a list, fetched a page at a time as the iteration
// reaches it. The paging itself (cursors, `has_more`) is the library's: these only flatten the pages
// of the `*Pages` objects. The first page is read when the function is called, so a bad filter
// throws there.

/// Every record of a list, one page fetched at a time; iterate it once.
///
/// A later page that fails to load ends the iteration and is kept in `error`: check it after the
/// loop, or read with `try nextOrThrow()`, which throws it.
public final class Pages<Element>: Sequence, IteratorProtocol {
    private let fetch: () throws -> [Element]?
    private var page: [Element] = []
    private var index = 0
    private var finished = false

    /// The error of the page that failed to load, which ended the iteration.
    public private(set) var error: Error?

    init(_ fetch: @escaping () throws -> [Element]?) {
        self.fetch = fetch
    }

    /// The next record, or nil at the end of the list or when a page failed (see `error`).
    public func next() -> Element? {
        try? nextOrThrow()
    }

    /// The next record, or nil at the end of the list; throws the error of a page that fails.
    public func nextOrThrow() throws -> Element? {
        while index == page.count {
            if let error { throw error }
            if finished { return nil }
            do {
                guard let next = try fetch() else {
                    finished = true
                    return nil
                }
                page = next
                index = 0
            } catch {
                self.error = error
                finished = true
                throw error
            }
        }
        defer { index += 1 }
        return page[index]
    }
}

extension PivotalStore {
    /// Every customer matching `params`, newest first.
    public func allCustomers(params: CustomerListParams = CustomerListParams()) throws -> Pages<Customer> {
        let pages = try customerPages(params: params)
        return Pages { try pages.nextPage() }
    }

    /// Every contact of `customer` (an id or display id), newest first.
    public func allContacts(customer: String, params: ListParams = ListParams()) throws -> Pages<Contact> {
        let pages = try contactPages(customer: customer, params: params)
        return Pages { try pages.nextPage() }
    }

    /// Every onboarding matching `params`, newest first.
    public func allOnboardings(params: OnboardingListParams = OnboardingListParams()) throws -> Pages<Onboarding> {
        let pages = try onboardingPages(params: params)
        return Pages { try pages.nextPage() }
    }

    /// Every event of the customer's timeline (its contacts' and onboardings' too), newest first.
    public func allTimelineEvents(reference: String, params: ListParams = ListParams()) throws -> Pages<Event> {
        let pages = try timelinePages(reference: reference, params: params)
        return Pages { try pages.nextPage() }
    }

    /// Every event matching `params` in ascending sequence order: a cursor over the change log. To
    /// tail it, keep the last event's `sequence` and pass it as `afterSequence` next time.
    public func allEvents(params: EventListParams = EventListParams()) throws -> Pages<Event> {
        let pages = try eventPages(params: params)
        return Pages { try pages.nextPage() }
    }
}
