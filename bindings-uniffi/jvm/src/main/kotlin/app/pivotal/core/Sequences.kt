// Lists as lazy sequences: every record of a list, fetched a page at a time as the sequence is
// read. The paging itself (cursors, `has_more`) is the library's: these only flatten the pages of
// the `*Pages` objects. The first page is read when the function is called, so a bad filter throws
// there; a later page that fails throws from the iteration. Each sequence can be iterated once.

package app.pivotal.core

/** Every customer matching [params], newest first. */
fun PivotalStore.allCustomers(params: CustomerListParams = CustomerListParams()): Sequence<Customer> =
    customerPages(params).let { pages -> flatten(pages) { pages.nextPage() } }

/** Every contact of [customer] (an id or display id), newest first. */
fun PivotalStore.allContacts(customer: String, params: ListParams = ListParams()): Sequence<Contact> =
    contactPages(customer, params).let { pages -> flatten(pages) { pages.nextPage() } }

/** Every onboarding matching [params], newest first. */
fun PivotalStore.allOnboardings(params: OnboardingListParams = OnboardingListParams()): Sequence<Onboarding> =
    onboardingPages(params).let { pages -> flatten(pages) { pages.nextPage() } }

/** Every event of [customer]'s timeline (its contacts' and onboardings' too), newest first. */
fun PivotalStore.allTimelineEvents(customer: String, params: ListParams = ListParams()): Sequence<Event> =
    timelinePages(customer, params).let { pages -> flatten(pages) { pages.nextPage() } }

/**
 * Every event matching [params] in ascending sequence order: a cursor over the change log. To tail
 * it, remember the last event's `sequence` and pass it as `afterSequence` next time.
 */
fun PivotalStore.allEvents(params: EventListParams = EventListParams()): Sequence<Event> =
    eventPages(params).let { pages -> flatten(pages) { pages.nextPage() } }

/** The records of each page [next] returns until it returns null; [pages] is closed at the end. */
private fun <T> flatten(pages: AutoCloseable, next: () -> List<T>?): Sequence<T> =
    sequence {
        pages.use {
            while (true) yieldAll(next() ?: break)
        }
    }.constrainOnce()
