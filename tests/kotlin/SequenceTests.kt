// Lists as sequences (`allCustomers()`, …): every record once, in the list's order, pages fetched
// as the sequence is read; a bad filter throws at the call, a later page's failure from the loop.

package app.pivotal.tests

import app.pivotal.core.*
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

class SequenceTests {
    /** The records of every page of a list, walked by hand with `next_cursor`. */
    private fun <T> walk(page: (String?) -> Triple<List<T>, Boolean, String?>): List<T> {
        val all = mutableListOf<T>()
        var cursor: String? = null
        do {
            val (data, hasMore, next) = page(cursor)
            all += data
            cursor = next
        } while (hasMore)
        return all
    }

    @Test
    fun `allCustomers reads every page, newest first, filters applied`() {
        val clock = FixedClock(T0)
        fresh(clock).use { db ->
            repeat(7) { i ->
                db.createCustomer(CustomerParams(name = "Customer $i", status = if (i % 2 == 0) CustomerStatus.ACTIVE else null))
                if (i % 3 == 0) clock.advanceMs(1_000)
            }
            val byHand = walk { c -> db.listCustomers(CustomerListParams(limit = 2L, cursor = c)).let { Triple(it.data, it.hasMore, it.nextCursor) } }
            assertEquals(7, byHand.size)
            assertEquals(byHand, db.allCustomers(CustomerListParams(limit = 2L)).toList())
            assertEquals(byHand, db.allCustomers().toList())
            assertEquals(4, db.allCustomers(CustomerListParams(status = CustomerStatus.ACTIVE, limit = 1L)).count())
            assertEquals(byHand.drop(3), db.allCustomers(CustomerListParams(limit = 2L, cursor = db.listCustomers(CustomerListParams(limit = 3L)).nextCursor)).toList())
        }
    }

    @Test
    fun `pages are fetched as the sequence is read`() {
        val clock = FixedClock(T0)
        fresh(clock).use { db ->
            repeat(3) {
                db.acme("Customer $it")
                clock.advanceMs(1_000)
            }
            val it = db.allCustomers(CustomerListParams(limit = 1L)).iterator()
            assertEquals("Customer 2", it.next().name)
            db.closeStore()
            // The first page was read at the call; the second is read now, on a closed store.
            expectError("invalid_request_error", "store_closed") { it.next() }
        }
    }

    @Test
    fun `a bad filter throws where the list is asked for, and a sequence is read once`() {
        fresh().use { db ->
            expectError("invalid_request_error", "invalid_limit", "limit") { db.allCustomers(CustomerListParams(limit = 0L)) }
            expectError("invalid_request_error", "invalid_cursor", "cursor") { db.allOnboardings(OnboardingListParams(cursor = "nope")) }
            expectError("not_found", "customer_not_found") { db.allContacts("cus_missing") }
            val once = db.allCustomers()
            assertEquals(0, once.count())
            assertFailsWith<IllegalStateException> { once.count() }
        }
    }

    @Test
    fun `allContacts, allOnboardings and allTimelineEvents page like their lists`() {
        fresh().use { db ->
            val acme = db.acme()
            repeat(5) { db.createContact(acme.id, ContactParams(name = "C$it", email = "c$it@acme.com")) }
            repeat(4) { db.onboardingOf(acme) }
            val contacts = walk { c -> db.listContacts(acme.id, ListParams(limit = 2L, cursor = c)).let { Triple(it.data, it.hasMore, it.nextCursor) } }
            assertEquals(5, contacts.size)
            assertEquals(contacts, db.allContacts(acme.displayId.toString(), ListParams(limit = 2L)).toList())
            val onboardings = walk { c -> db.listOnboardings(OnboardingListParams(limit = 3L, cursor = c)).let { Triple(it.data, it.hasMore, it.nextCursor) } }
            assertEquals(4, onboardings.size)
            assertEquals(onboardings, db.allOnboardings(OnboardingListParams(limit = 3L)).toList())
            val timeline = walk { c -> db.customerTimeline(acme.id, ListParams(limit = 4L, cursor = c)).let { Triple(it.data, it.hasMore, it.nextCursor) } }
            assertEquals(10, timeline.size)
            assertEquals(timeline, db.allTimelineEvents(acme.id, ListParams(limit = 4L)).toList())
        }
    }

    @Test
    fun `allEvents is a cursor over the change log, ascending, from afterSequence`() {
        fresh().use { db ->
            val acme = db.acme()
            repeat(6) { db.createContact(acme.id, ContactParams(name = "C$it", email = "c$it@acme.com")) }
            val events = db.allEvents(EventListParams(limit = 2L)).toList()
            assertEquals(7, events.size)
            assertEquals(events.map { it.sequence }.sorted(), events.map { it.sequence })
            assertEquals(events.drop(3), db.allEvents(EventListParams(afterSequence = events[2].sequence, limit = 3L)).toList())
            assertEquals(listOf("customer.created"), db.allEvents(EventListParams(types = listOf(EventType.CUSTOMER_CREATED))).map { it.eventType.toString() }.toList())
        }
    }
}
