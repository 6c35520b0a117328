// The Kotlin suite (JUnit 5 + kotlin.test): every operation of the typed API and every kind of
// error, through the packaged artifact (the generated bindings and the real library inside it).

package app.pivotal.tests

import app.pivotal.core.*
import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.time.Instant
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.test.fail

val T0: Instant = Instant.parse("2024-01-01T00:00:00Z")

fun fresh(clock: FixedClock = FixedClock(T0), actor: String = "kotlin"): PivotalStore =
    PivotalStore.openInMemory(actor = actor, clock = clock)

fun PivotalStore.acme(name: String = "Acme", key: String? = null): Customer =
    createCustomer(CustomerParams(name = name, domain = "acme.com"), key)

fun PivotalStore.onboardingOf(customer: Customer, phase: Phase? = null): Onboarding =
    createOnboarding(OnboardingParams(customerId = customer.id, phase = phase))

fun jsonOf(text: String): Map<String, Any?> = parseJsonObject(text)

class BindingTests {
    @Test
    fun `open in memory - session defaults and health`() {
        val clock = FixedClock(T0)
        PivotalStore.openInMemory(clock = clock).use { db ->
            val session = db.session()
            assertEquals("local", session.actor)
            assertEquals(true, session.livemode)
            assertTrue(session.workspace.id.startsWith("org_"), session.workspace.id)
            assertEquals("default", session.workspace.slug)
            val health = db.health()
            assertEquals("ok", health.status)
            assertEquals(T0, health.timestamp)
            val json = jsonOf(health.toJson())
            assertEquals("2024-01-01T00:00:00.000Z", json["timestamp"])
            assertTrue(json["schema_version"] is Long, "schema_version")
        }
    }

    @Test
    fun `open a SQLite file - data survives closing and reopening`() {
        val dir = Files.createTempDirectory("pivotal-kt")
        val path = dir.resolve("pivotal.db").toString()
        try {
            PivotalStore.open(path, actor = "writer").use { db ->
                db.acme()
                db.closeStore()
                assertTrue(db.isClosed(), "closed")
            }
            PivotalStore.open(path, durability = Durability.FULL, mmapSize = 1uL shl 24).use { db ->
                assertEquals("Acme", db.retrieveCustomer("1").name)
                assertEquals("writer", db.listEvents().data[0].actor)
            }
        } finally {
            dir.toFile().deleteRecursively()
        }
    }

    @Test
    fun `a file that cannot be opened is storage_unavailable`() {
        val dir = Files.createTempDirectory("pivotal-kt")
        try {
            val e = expectError("internal_error", "storage_unavailable") {
                PivotalStore.open(dir.resolve("no/such/dir.db").toString())
            }
            assertTrue(e.info().detail.contains("cannot open"), e.info().detail)
        } finally {
            dir.toFile().deleteRecursively()
        }
    }

    @Test
    fun `customers - create with every field, timestamps are Instants`() {
        fresh().use { db ->
            val c = db.createCustomer(
                CustomerParams(
                    name = "  Acme Corp ",
                    domain = "acme.com",
                    status = CustomerStatus.ACTIVE,
                    plan = "pro",
                    mrr = 125_000L,
                    monthlyOrders = 40L,
                    hubspotCompanyId = "hs-1",
                    hubspotDealId = "hd-1",
                    stripeCustomerId = "cus_stripe",
                    intercomCompanyId = "ic-1",
                    slackChannelId = "C042",
                    metadata = """{"tier":"gold","nested":{"a":[1,2.5,null]}}""",
                ),
            )
            assertEquals("Acme Corp", c.name)
            assertEquals("acme-corp", c.slug)
            assertEquals("acme.com", c.domain)
            assertEquals(CustomerStatus.ACTIVE, c.status)
            assertEquals(1L, c.displayId)
            assertTrue(c.id.startsWith("cus_"), c.id)
            assertEquals(125_000L, c.mrr)
            assertEquals("C042", c.slackChannelId)
            assertEquals(T0, c.createdAt)
            assertEquals(T0, c.updatedAt)
            assertEquals(mapOf("tier" to "gold", "nested" to mapOf("a" to listOf(1L, 2.5, null))), parseJson(c.metadata))
        }
    }

    @Test
    fun `customers - defaults, retrieve by id and by display id`() {
        fresh().use { db ->
            val c = db.createCustomer(CustomerParams(name = "Zeta Labs"))
            assertEquals("zeta-labs", c.slug)
            assertEquals(CustomerStatus.ONBOARDING, c.status)
            assertEquals(null, c.domain)
            assertEquals("{}", c.metadata)
            assertEquals(c, db.retrieveCustomer(c.id))
            assertEquals(c, db.retrieveCustomer(c.displayId.toString()))
        }
    }

    @Test
    fun `customers - a patch sets, clears and leaves fields alone`() {
        val clock = FixedClock(T0)
        fresh(clock).use { db ->
            val c = db.createCustomer(CustomerParams(name = "Acme", domain = "acme.com", plan = "pro", mrr = 10L))
            clock.advanceMs(60_000)
            val u = db.updateCustomer(
                c.id,
                CustomerPatch(plan = "enterprise", clear = listOf(CustomerField.DOMAIN, CustomerField.MRR)),
            )
            assertEquals("enterprise", u.plan)
            assertEquals(null, u.domain)
            assertEquals(null, u.mrr)
            assertEquals("Acme", u.name)
            assertEquals(T0.plusSeconds(60), u.updatedAt)
            assertEquals(T0, u.createdAt)
            // Nothing changes: no event, `updated_at` stays.
            clock.advanceMs(60_000)
            val same = db.updateCustomer(c.id, CustomerPatch(plan = "enterprise"))
            assertEquals(u.updatedAt, same.updatedAt)
            assertEquals(2, db.listEvents(EventListParams(objectId = c.id)).data.size)
            // Metadata: set replaces the whole object; it cannot be cleared (set `{}` instead).
            assertEquals("""{"a":1}""", db.updateCustomer(c.id, CustomerPatch(metadata = """{"a":1}""")).metadata)
            expectError("invalid_request_error", "invalid_type", "metadata") {
                db.updateCustomer(c.id, CustomerPatch(clear = listOf(CustomerField.METADATA)))
            }
            assertEquals("{}", db.updateCustomer(c.id, CustomerPatch(metadata = "{}")).metadata)
        }
    }

    @Test
    fun `patches - set and clear of one field conflict, a required field cannot be cleared`() {
        fresh().use { db ->
            val c = db.acme()
            expectError("invalid_request_error", "conflicting_fields", "plan") {
                db.updateCustomer(c.id, CustomerPatch(plan = "x", clear = listOf(CustomerField.PLAN)))
            }
            // Clearing `name` is refused exactly as the API refuses `"name": null`.
            val typed = expectError("invalid_request_error", null, "name") {
                db.updateCustomer(c.id, CustomerPatch(clear = listOf(CustomerField.NAME)))
            }
            val viaJson = expectError("invalid_request_error", null, "name") {
                db.updateCustomer(c.id, customerPatchFromJson("""{"name":null}"""))
            }
            assertEquals(viaJson.info().code, typed.info().code)
        }
    }

    @Test
    fun `customers - delete, then not_found`() {
        fresh().use { db ->
            val c = db.acme()
            val d = db.deleteCustomer(c.displayId.toString())
            assertEquals(Deleted(id = c.id, displayId = c.displayId, deleted = true), d)
            assertEquals("deleted", jsonOf(d.toJson())["object"])
            val e = expectError("not_found", "customer_not_found") { db.retrieveCustomer(c.id) }
            assertTrue(e is PivotalException.NotFound, "NotFound")
            assertEquals(404.toUShort(), e.info().httpStatus)
            expectError("not_found", "customer_not_found") { db.deleteCustomer(c.id) }
            expectError("not_found", "customer_not_found") { db.updateCustomer(c.id, CustomerPatch(plan = "x")) }
            assertEquals(0, db.listCustomers().data.size)
        }
    }

    @Test
    fun `customers - conflicts and validation errors name the field`() {
        fresh().use { db ->
            db.acme()
            val taken = expectError("conflict", "slug_taken", "slug") { db.acme() }
            assertTrue(taken is PivotalException.Conflict, "Conflict")
            assertEquals(409.toUShort(), taken.info().httpStatus)
            expectError("invalid_request_error", "too_small", "mrr") {
                db.createCustomer(CustomerParams(name = "B", mrr = -1L))
            }
            expectError("invalid_request_error", "invalid_slug", "slug") {
                db.createCustomer(CustomerParams(name = "B", slug = "Not A Slug"))
            }
            expectError("invalid_request_error", "invalid_domain", "domain") {
                db.createCustomer(CustomerParams(name = "B", domain = "https://b.com/path"))
            }
            expectError("invalid_request_error", "too_long", "name") {
                db.createCustomer(CustomerParams(name = "x".repeat(201)))
            }
            expectError("invalid_request_error", null, "name") { db.createCustomer(CustomerParams(name = "   ")) }
        }
    }

    @Test
    fun `customers - list pages follow cursors, filters apply first`() {
        val clock = FixedClock(T0)
        fresh(clock).use { db ->
            val made = mutableListOf<Customer>()
            for (i in 1..7) {
                val status = if (i % 2 == 0) CustomerStatus.ACTIVE else null
                made += db.createCustomer(CustomerParams(name = "Customer $i", status = status))
                if (i % 3 == 0) clock.advanceMs(1_000) // several share one created_at
            }
            val seen = mutableListOf<Customer>()
            var cursor: String? = null
            var pages = 0
            do {
                val page = db.listCustomers(CustomerListParams(limit = 2L, cursor = cursor))
                assertTrue(page.data.size <= 2, "page size")
                seen += page.data
                cursor = page.nextCursor
                pages++
                assertEquals(page.hasMore, cursor != null, "has_more iff next_cursor")
            } while (page.hasMore)
            assertEquals(4, pages)
            assertEquals(made.map { it.id }.toSet(), seen.map { it.id }.toSet())
            assertEquals(7, seen.size)
            for ((a, b) in seen.zipWithNext()) assertTrue(a.createdAt >= b.createdAt, "newest first")
            val active = db.listCustomers(CustomerListParams(status = CustomerStatus.ACTIVE))
            assertEquals(3, active.data.size)
            assertTrue(active.data.all { it.status == CustomerStatus.ACTIVE }, "status filter")
            assertEquals(listOf("customer-5"), db.listCustomers(CustomerListParams(slug = "customer-5")).data.map { it.slug })
            // A bare RFC 3339 instant means "strictly older than".
            assertEquals(3, db.listCustomers(CustomerListParams(cursor = "2024-01-01T00:00:01Z")).data.size)
            expectError("invalid_request_error", "invalid_limit", "limit") {
                db.listCustomers(CustomerListParams(limit = 0L))
            }
            expectError("invalid_request_error", "invalid_limit", "limit") {
                db.listCustomers(CustomerListParams(limit = 101L))
            }
            expectError("invalid_request_error", "invalid_cursor", "cursor") {
                db.listCustomers(CustomerListParams(cursor = "not-a-cursor"))
            }
        }
    }

    @Test
    fun `idempotency keys replay the first response and refuse other parameters`() {
        fresh().use { db ->
            val first = db.acme(key = "crm-42")
            assertEquals(first, db.acme(key = "crm-42"))
            assertEquals(1, db.listCustomers().data.size)
            val e = expectError("conflict", "idempotency_key_reused", anyField = true) {
                db.createCustomer(CustomerParams(name = "Other"), "crm-42")
            }
            assertTrue(e is PivotalException.Conflict, "Conflict")
            expectError("invalid_request_error", "invalid_idempotency_key", anyField = true) {
                db.createCustomer(CustomerParams(name = "Other"), "")
            }
            expectError("invalid_request_error", "invalid_idempotency_key", anyField = true) {
                db.createCustomer(CustomerParams(name = "Other"), "k".repeat(256))
            }
            val contact = db.createContact(first.id, ContactParams(name = "Ann", email = "ann@acme.com"), "c-1")
            assertEquals(contact, db.createContact(first.id, ContactParams(name = "Ann", email = "ann@acme.com"), "c-1"))
            val onb = db.createOnboarding(OnboardingParams(customerId = first.id), "o-1")
            assertEquals(onb, db.createOnboarding(OnboardingParams(customerId = first.id), "o-1"))
            assertEquals(1, db.listOnboardings().data.size)
        }
    }

    @Test
    fun `contacts - create, one primary, list, update, delete`() {
        val clock = FixedClock(T0)
        fresh(clock).use { db ->
            val c = db.acme()
            val ann = db.createContact(
                c.displayId.toString(),
                ContactParams(name = "Ann", email = "  Ann@Acme.COM ", title = "CTO", phone = "+1 (555) 010-0000",
                    labels = listOf("VIP", "vip", "Beta")),
            )
            assertEquals(c.id, ann.customerId)
            assertEquals("ann@acme.com", ann.email)
            assertEquals(true, ann.isPrimary, "the first contact is primary")
            assertEquals(listOf("vip", "beta"), ann.labels)
            clock.advanceMs(1_000)
            val bob = db.createContact(c.id, ContactParams(name = "Bob", email = "bob@acme.com", isPrimary = true))
            assertEquals(true, bob.isPrimary)
            assertEquals(false, db.retrieveContact(ann.id).isPrimary, "demoted")
            expectError("conflict", "email_taken", "email") {
                db.createContact(c.id, ContactParams(name = "Ann 2", email = "ANN@acme.com"))
            }
            expectError("invalid_request_error", "invalid_email", "email") {
                db.createContact(c.id, ContactParams(name = "X", email = "not-an-email"))
            }
            expectError("not_found", "customer_not_found") {
                db.createContact("cus_nope", ContactParams(name = "X", email = "x@y.com"))
            }
            val page1 = db.listContacts(c.id, ListParams(limit = 1L))
            assertEquals(listOf(bob.id), page1.data.map { it.id })
            val page2 = db.listContacts(c.id, ListParams(limit = 1L, cursor = page1.nextCursor))
            assertEquals(listOf(ann.id), page2.data.map { it.id })
            assertEquals(false, page2.hasMore)
            val u = db.updateContact(
                ann.id,
                ContactPatch(isPrimary = true, labels = emptyList(), clear = listOf(ContactField.TITLE, ContactField.PHONE)),
            )
            assertEquals(null, u.title)
            assertEquals(null, u.phone)
            assertEquals(emptyList<String>(), u.labels)
            assertEquals(true, u.isPrimary)
            assertEquals(false, db.retrieveContact(bob.id).isPrimary)
            expectError("invalid_request_error", "invalid_type", "labels") {
                db.updateContact(ann.id, ContactPatch(clear = listOf(ContactField.LABELS)))
            }
            assertEquals(Deleted(bob.id, bob.displayId, true), db.deleteContact(bob.id))
            expectError("not_found", "contact_not_found") { db.retrieveContact(bob.id) }
            expectError("not_found", "contact_not_found") { db.updateContact(bob.id, ContactPatch(name = "B")) }
            assertEquals(listOf(ann.id), db.listContacts(c.id).data.map { it.id })
        }
    }

    @Test
    fun `onboardings - create with defaults and Instant fields (millisecond precision)`() {
        fresh().use { db ->
            val c = db.acme()
            val o = db.createOnboarding(OnboardingParams(customerId = c.displayId.toString()))
            assertTrue(o.id.startsWith("onb_"), o.id)
            assertEquals(c.id, o.customerId)
            assertEquals(Phase.BEFORE_GETTING_STARTED, o.phase)
            assertEquals(State.ACTIVE, o.state)
            assertEquals(T0, o.startedAt)
            assertEquals(null, o.completedAt)
            assertEquals(true, o.reminderEmail)
            assertEquals(true, o.reminderSlack)
            assertEquals(1L, o.reminderFrequencyDays)
            assertEquals(false, o.waitingOnCustomer)
            val launch = Instant.parse("2026-07-15T00:00:00Z")
            val o2 = db.createOnboarding(
                OnboardingParams(
                    customerId = c.id,
                    startedAt = Instant.parse("2023-12-01T10:00:00.123456789Z"),
                    targetLaunchDate = launch,
                    csmId = "u_1",
                    notes = "kick-off done",
                    reminderFrequencyDays = 7L,
                ),
            )
            assertEquals(Instant.parse("2023-12-01T10:00:00.123Z"), o2.startedAt)
            assertEquals(launch, o2.targetLaunchDate)
            assertEquals("2026-07-15T00:00:00.000Z", jsonOf(o2.toJson())["target_launch_date"])
            val done = db.createOnboarding(OnboardingParams(customerId = c.id, phase = Phase.COMPLETED))
            assertEquals(T0, done.completedAt)
            assertEquals(0, db.onboardingTransitions(done.id).size)
            expectError("not_found", "customer_not_found", "customer_id") {
                db.createOnboarding(OnboardingParams(customerId = "999"))
            }
            expectError("invalid_request_error", "too_large", "reminder_frequency_days") {
                db.createOnboarding(OnboardingParams(customerId = c.id, reminderFrequencyDays = 91L))
            }
        }
    }

    @Test
    fun `onboardings - phase rules, reasons and transitions`() {
        val clock = FixedClock(T0)
        fresh(clock, actor = "csm").use { db ->
            val o = db.onboardingOf(db.acme())
            clock.advanceMs(1_000)
            val step = db.updateOnboarding(o.id, OnboardingPatch(phase = Phase.PROGRAM_DESIGN))
            assertEquals(Phase.PROGRAM_DESIGN, step.phase)
            expectError("invalid_request_error", "transition_reason_required", anyField = true) {
                db.updateOnboarding(o.id, OnboardingPatch(phase = Phase.LAUNCH))
            }
            clock.advanceMs(1_000)
            val skipped = db.updateOnboarding(o.id, OnboardingPatch(phase = Phase.LAUNCH, reason = "pilot done"))
            assertEquals(Phase.LAUNCH, skipped.phase)
            clock.advanceMs(1_000)
            val done = db.updateOnboarding(o.displayId.toString(), OnboardingPatch(phase = Phase.COMPLETED))
            assertEquals(T0.plusSeconds(3), done.completedAt)
            expectError("invalid_request_error", "invalid_phase_transition", "phase") {
                db.updateOnboarding(o.id, OnboardingPatch(phase = Phase.LAUNCH, reason = "reopen"))
            }
            val ts = db.onboardingTransitions(o.id)
            assertEquals(listOf(Phase.BEFORE_GETTING_STARTED, Phase.PROGRAM_DESIGN, Phase.LAUNCH), ts.map { it.fromPhase })
            assertEquals(listOf(Phase.PROGRAM_DESIGN, Phase.LAUNCH, Phase.COMPLETED), ts.map { it.toPhase })
            assertEquals(listOf(null, "pilot done", null), ts.map { it.reason })
            assertEquals(listOf("csm", "csm", "csm"), ts.map { it.actor })
            assertTrue(ts.all { it.id.startsWith("ptr_") && it.onboardingId == o.id }, "transition ids")
            assertEquals(T0.plusSeconds(1), ts[0].createdAt)
            assertEquals(ts[1], phaseTransitionFromJson(ts[1].toJson()))
            expectError("not_found", "onboarding_not_found") { db.onboardingTransitions("onb_missing") }
        }
    }

    @Test
    fun `onboardings - waiting invariant, paused, conflicting fields`() {
        val clock = FixedClock(T0)
        fresh(clock).use { db ->
            val o = db.onboardingOf(db.acme())
            clock.advanceMs(5_000)
            val waiting = db.updateOnboarding(o.id, OnboardingPatch(waitingOnCustomer = true))
            assertEquals(State.WAITING, waiting.state)
            assertEquals(T0.plusSeconds(5), waiting.waitingOnCustomerSince)
            val back = db.updateOnboarding(o.id, OnboardingPatch(state = State.ACTIVE))
            assertEquals(false, back.waitingOnCustomer)
            assertEquals(null, back.waitingOnCustomerSince)
            expectError("invalid_request_error", "conflicting_fields", anyField = true) {
                db.updateOnboarding(o.id, OnboardingPatch(state = State.ACTIVE, waitingOnCustomer = true))
            }
            db.updateOnboarding(o.id, OnboardingPatch(state = State.PAUSED))
            expectError("invalid_request_error", "onboarding_paused", anyField = true) {
                db.updateOnboarding(o.id, OnboardingPatch(phase = Phase.PROGRAM_DESIGN))
            }
            val cleared = db.updateOnboarding(
                o.id,
                OnboardingPatch(notes = null, csmId = "u_9", clear = listOf(OnboardingField.TARGET_LAUNCH_DATE)),
            )
            assertEquals("u_9", cleared.csmId)
            assertEquals(null, cleared.targetLaunchDate)
            expectError("invalid_request_error", null, "phase") {
                db.updateOnboarding(o.id, OnboardingPatch(clear = listOf(OnboardingField.PHASE)))
            }
        }
    }

    @Test
    fun `onboardings - list filters, list for a customer, delete`() {
        val clock = FixedClock(T0)
        fresh(clock).use { db ->
            val a = db.acme()
            val b = db.createCustomer(CustomerParams(name = "Beta"))
            val o1 = db.onboardingOf(a)
            clock.advanceMs(1_000)
            val o2 = db.onboardingOf(a, Phase.LAUNCH)
            clock.advanceMs(1_000)
            val o3 = db.onboardingOf(b)
            assertEquals(listOf(o3.id, o2.id, o1.id), db.listOnboardings().data.map { it.id })
            assertEquals(listOf(o2.id, o1.id), db.listOnboardings(OnboardingListParams(customerId = a.id)).data.map { it.id })
            assertEquals(listOf(o2.id), db.listOnboardings(OnboardingListParams(phase = Phase.LAUNCH)).data.map { it.id })
            assertEquals(0, db.listOnboardings(OnboardingListParams(state = State.PAUSED)).data.size)
            val page = db.listOnboardings(OnboardingListParams(limit = 2L))
            assertEquals(true, page.hasMore)
            assertEquals(listOf(o1.id), db.listOnboardings(OnboardingListParams(limit = 2L, cursor = page.nextCursor)).data.map { it.id })
            val forA = db.listCustomerOnboardings(a.displayId.toString())
            assertEquals(listOf(o2.id, o1.id), forA.data.map { it.id })
            assertEquals(false, forA.hasMore)
            assertEquals(null, forA.nextCursor)
            expectError("not_found", "customer_not_found", "customer_id") {
                db.listOnboardings(OnboardingListParams(customerId = "cus_missing"))
            }
            assertEquals(Deleted(o1.id, o1.displayId, true), db.deleteOnboarding(o1.id))
            expectError("not_found", "onboarding_not_found") { db.retrieveOnboarding(o1.id) }
            expectError("not_found", "onboarding_not_found") { db.deleteOnboarding(o1.id) }
            // Deleting a customer hides its onboardings.
            db.deleteCustomer(a.id)
            expectError("not_found", "onboarding_not_found") { db.retrieveOnboarding(o2.id) }
            assertEquals(listOf(o3.id), db.listOnboardings().data.map { it.id })
        }
    }

    @Test
    fun `churning a customer pauses its open onboardings`() {
        fresh().use { db ->
            val c = db.acme()
            val open = db.onboardingOf(c)
            val done = db.onboardingOf(c, Phase.COMPLETED)
            db.updateCustomer(c.id, CustomerPatch(status = CustomerStatus.CHURNED))
            assertEquals(State.PAUSED, db.retrieveOnboarding(open.id).state)
            assertEquals(State.ACTIVE, db.retrieveOnboarding(done.id).state)
        }
    }

    @Test
    fun `analytics - one onboarding's clocks, now and as of a past instant`() {
        val day = 86_400_000L
        val clock = FixedClock(T0)
        fresh(clock).use { db ->
            val o = db.createOnboarding(OnboardingParams(customerId = db.acme().id, targetLaunchDate = T0.plusMillis(10 * day)))
            clock.advanceMs(day)
            db.updateOnboarding(o.id, OnboardingPatch(phase = Phase.PROGRAM_DESIGN))
            clock.advanceMs(day)
            db.updateOnboarding(o.id, OnboardingPatch(waitingOnCustomer = true))
            clock.advanceMs(2 * day)
            db.updateOnboarding(o.id, OnboardingPatch(waitingOnCustomer = false))
            clock.advanceMs(day / 2)
            // Day 4.5: 1 day before getting started, then 3.5 in program design, 2 of them waiting.
            val m = db.analyticsOnboarding(o.id)
            assertEquals(T0.plusMillis(9 * day / 2), m.asOf, "as_of")
            assertEquals(Phase.PROGRAM_DESIGN, m.phase)
            assertEquals(State.ACTIVE, m.state)
            assertEquals(9 * day / 2, m.elapsedMs, "elapsed_ms")
            assertEquals(2 * day, m.waitingMs, "waiting_ms")
            assertEquals(5 * day / 2, m.slaMs, "sla_ms")
            assertEquals(day, m.timeInPhaseMs.beforeGettingStarted, "time_in_phase_ms.before_getting_started")
            assertEquals(7 * day / 2, m.timeInPhaseMs.programDesign, "time_in_phase_ms.program_design")
            assertEquals(7 * day / 2, m.timeInPhaseMs.get(Phase.PROGRAM_DESIGN), "time_in_phase_ms[program_design]")
            assertEquals(m.elapsedMs, m.timeInPhaseMs.total(), "time_in_phase_ms total")
            assertEquals(T0.plusMillis(day), m.currentPhaseSince, "current_phase_since")
            assertEquals(3 * day / 2, m.currentPhaseSlaMs, "current_phase_sla_ms")
            assertEquals(T0.plusMillis(10 * day), m.targetLaunchDate)
            assertEquals(null, m.launchedAt)
            assertEquals(null, m.onTime)
            assertEquals(false, m.overdue)
            // toJson() is the core's JSON, and reads back.
            val json = jsonOf(m.toJson())
            assertEquals("onboarding_metrics", json["object"])
            assertEquals("2024-01-05T12:00:00.000Z", json["as_of"])
            assertEquals(7 * day / 2, (json["time_in_phase_ms"] as Map<*, *>)["program_design"])
            assertEquals(m, onboardingMetricsFromJson(m.toJson()))
            // As of a past instant, by display id: in the middle of the wait.
            val past = db.analyticsOnboarding(o.displayId.toString(), T0.plusMillis(3 * day))
            assertEquals(State.WAITING, past.state)
            assertEquals(3 * day, past.elapsedMs)
            assertEquals(day, past.waitingMs)
            // Unknown, or not created yet at `as_of`: not_found.
            expectError("not_found", "onboarding_not_found") { db.analyticsOnboarding("onb_missing") }
            val e = expectError("not_found", "onboarding_not_found") { db.analyticsOnboarding(o.id, T0.minusMillis(1)) }
            assertTrue(e is PivotalException.NotFound, "${e::class}")
            assertEquals(404.toUShort(), e.info().httpStatus)
        }
    }

    @Test
    fun `analytics - the workspace report counts, rates, percentiles, stalled, and filters`() {
        val day = 86_400_000L
        val clock = FixedClock(T0)
        fresh(clock).use { db ->
            val acme = db.acme()
            val beta = db.createCustomer(CustomerParams(name = "Beta"))
            val a = db.createOnboarding(
                OnboardingParams(customerId = acme.id, phase = Phase.INTERNAL_QA, targetLaunchDate = T0.plusMillis(3 * day), csmId = "csm_1"),
            )
            val b = db.createOnboarding(OnboardingParams(customerId = acme.id, targetLaunchDate = T0.plusMillis(day)))
            db.createOnboarding(OnboardingParams(customerId = beta.id, state = State.AT_RISK, csmId = "csm_2"))
            clock.advanceMs(2 * day)
            db.updateOnboarding(a.id, OnboardingPatch(phase = Phase.LAUNCH)) // launched on day 2, target day 3
            db.updateOnboarding(b.id, OnboardingPatch(waitingOnCustomer = true)) // target (day 1) passed
            clock.advanceMs(3 * day)
            val r = db.analyticsWorkspace(WorkspaceReportParams(stalledAfterDays = 2.5))
            assertEquals(T0.plusMillis(5 * day), r.asOf)
            assertEquals(3L, r.total)
            assertEquals(
                ByPhase(beforeGettingStarted = 2L, programDesign = 0L, review = 0L, programBuildout = 0L, internalQa = 0L, launch = 1L, completed = 0L),
                r.byPhase,
            )
            assertEquals(ByState(active = 1L, paused = 0L, atRisk = 1L, waiting = 1L), r.byState)
            assertEquals(listOf(1L, 1L, 1L), listOf(r.launched, r.launchedWithTarget, r.launchedOnTime), "launched")
            assertEquals(1.0, r.onTimeRate, "on_time_rate")
            assertEquals(LaunchDays(count = 1L, median = 2.0, p90 = 2.0), r.daysToLaunch)
            assertEquals(r.daysToLaunch, r.slaDaysToLaunch)
            assertEquals(1L, r.overdue, "overdue")
            assertEquals(2L, r.atRisk, "at_risk") // b is overdue, the third is at risk
            // Stalled above 2.5 days: a (3 days in launch) and the at-risk one (5); b's 3 waiting days do not count.
            assertEquals(2L, r.stalled, "stalled")
            val json = jsonOf(r.toJson())
            assertEquals("workspace_report", json["object"])
            assertEquals(2.5, json["stalled_after_days"])
            assertEquals(r, workspaceReportFromJson(r.toJson()))

            val betaOnly = db.analyticsWorkspace(WorkspaceReportParams(customerId = beta.displayId.toString()))
            assertEquals(beta.id, betaOnly.customerId)
            assertEquals(1L, betaOnly.total)
            assertEquals(null, betaOnly.stalled)
            val early = db.analyticsWorkspace(WorkspaceReportParams(asOf = T0.plusMillis(day / 2), csmId = "csm_1"))
            assertEquals(1L, early.total)
            assertEquals(0L, early.launched)
            assertEquals(null, early.onTimeRate)
            assertEquals(null, early.daysToLaunch.median)
            assertEquals(3L, db.analyticsWorkspace().total)
            expectError("not_found", "customer_not_found", "customer_id") {
                db.analyticsWorkspace(WorkspaceReportParams(customerId = "cus_missing"))
            }
            expectError("invalid_request_error", "too_small", "stalled_after_days") {
                db.analyticsWorkspace(WorkspaceReportParams(stalledAfterDays = -1.0))
            }
            expectError("invalid_request_error", "invalid_type", "stalled_after_days") {
                db.analyticsWorkspace(WorkspaceReportParams(stalledAfterDays = Double.NaN))
            }
        }
    }

    @Test
    fun `events - tail the change log by sequence, filter by type and object`() {
        val clock = FixedClock(T0)
        fresh(clock, actor = "tailer").use { db ->
            val c = db.acme()
            val o = db.onboardingOf(c)
            clock.advanceMs(1_000)
            db.updateOnboarding(o.id, OnboardingPatch(phase = Phase.PROGRAM_DESIGN))
            val all = db.listEvents()
            val types = all.data.map { it.eventType }
            assertEquals(
                listOf(
                    EventType.CUSTOMER_CREATED, EventType.ONBOARDING_CREATED, EventType.ONBOARDING_UPDATED,
                    EventType.ONBOARDING_PHASE_CHANGED,
                ),
                types,
            )
            for ((a, b) in all.data.zipWithNext()) assertTrue(a.sequence < b.sequence, "ascending sequence")
            val first = all.data[0]
            assertTrue(first.id.startsWith("evt_"), first.id)
            assertEquals("v1", first.apiVersion)
            assertEquals("tailer", first.actor)
            assertEquals(true, first.livemode)
            assertEquals(null, first.data.previousAttributes)
            assertEquals(c.id, jsonOf(first.data.`object`)["id"])
            val updated = all.data[2]
            assertEquals(mapOf("phase" to "before_getting_started"), jsonOf(updated.data.previousAttributes!!))
            assertEquals("program_design", jsonOf(updated.data.`object`)["phase"])
            val phaseOnly = db.listEvents(EventListParams(types = listOf(EventType.ONBOARDING_PHASE_CHANGED)))
            assertEquals(listOf(EventType.ONBOARDING_PHASE_CHANGED), phaseOnly.data.map { it.eventType })
            assertEquals(3, db.listEvents(EventListParams(objectId = o.id)).data.size)
            val after = db.listEvents(EventListParams(afterSequence = first.sequence, limit = 2L))
            assertEquals(2, after.data.size)
            assertEquals(true, after.hasMore)
            assertEquals(after.data.last().sequence.toString(), after.nextCursor)
            val rest = db.listEvents(EventListParams(afterSequence = after.nextCursor!!.toLong()))
            assertEquals(1, rest.data.size)
            assertEquals(false, rest.hasMore)
            val json = jsonOf(first.toJson())
            assertEquals("event", json["object"])
            assertEquals("customer.created", json["type"])
            assertEquals(first, eventFromJson(first.toJson()))
            expectError("invalid_request_error", "invalid_limit", "limit") {
                db.listEvents(EventListParams(limit = 0L))
            }
        }
    }

    @Test
    fun `timeline - a customer's events and its children's, newest first, paginated`() {
        val clock = FixedClock(T0)
        fresh(clock).use { db ->
            val c = db.acme()
            val other = db.createCustomer(CustomerParams(name = "Other"))
            clock.advanceMs(1_000)
            db.createContact(c.id, ContactParams(name = "Ann", email = "ann@acme.com"))
            clock.advanceMs(1_000)
            db.onboardingOf(c)
            db.onboardingOf(other)
            val page = db.customerTimeline(c.id, ListParams(limit = 2L))
            assertEquals(listOf(EventType.ONBOARDING_CREATED, EventType.CONTACT_CREATED), page.data.map { it.eventType })
            assertEquals(true, page.hasMore)
            val rest = db.customerTimeline(c.id, ListParams(cursor = page.nextCursor))
            assertEquals(listOf(EventType.CUSTOMER_CREATED), rest.data.map { it.eventType })
            assertEquals(3, db.customerTimeline(c.displayId.toString()).data.size)
            expectError("not_found", "customer_not_found") { db.customerTimeline("cus_missing") }
            expectError("invalid_request_error", "invalid_cursor", "cursor") {
                db.customerTimeline(c.id, ListParams(cursor = "!!"))
            }
        }
    }

    @Test
    fun `sessions - test mode is isolated, actors are recorded`() {
        fresh().use { db ->
            db.acme()
            db.withLivemode(false).use { test ->
                assertEquals(false, test.session().livemode)
                assertEquals(0, test.listCustomers().data.size)
                val t = test.acme()
                assertEquals(listOf(t.id), test.listCustomers().data.map { it.id })
                assertEquals(false, test.listEvents().data.single().livemode)
                expectError("not_found", "customer_not_found") { db.retrieveCustomer(t.id) }
            }
            db.withActor("sync-job").use { job ->
                assertEquals("sync-job", job.session().actor)
                job.createCustomer(CustomerParams(name = "Beta"))
            }
            assertEquals(listOf("kotlin", "sync-job"), db.listEvents().data.map { it.actor })
            assertEquals(2, db.listCustomers().data.size)
        }
    }

    @Test
    fun `identity, workspaces and API keys - me, authenticate, revoke`() {
        fresh().use { db ->
            val me = db.me()
            assertEquals(null, me.apiKey)
            assertEquals("default", me.organization.slug)
            val meJson = jsonOf(me.toJson())
            assertEquals("me", meJson["object"])
            assertTrue(meJson.containsKey("api_key") && meJson["api_key"] == null, "api_key: null")
            val created = db.createApiKey("sync-script")
            assertTrue(created.secret.startsWith("pivotal_") && !created.secret.startsWith("pivotal_test_"), "live secret")
            assertEquals(40, created.secret.length)
            assertEquals(created.secret.take(12), created.apiKey.prefix)
            assertEquals(true, created.apiKey.livemode)
            assertEquals(null, created.apiKey.revokedAt)
            assertEquals(T0, created.apiKey.createdAt)
            assertEquals("api_key", jsonOf(created.apiKey.toJson())["object"])
            assertEquals(listOf(created.apiKey), db.listApiKeys())
            db.authenticate(created.secret).use { keyed ->
                val session = keyed.session()
                assertEquals("sync-script", session.actor)
                assertEquals(created.apiKey.id, session.apiKey?.id)
                assertEquals(created.apiKey.prefix, keyed.me().apiKey?.prefix)
                val c = keyed.createCustomer(CustomerParams(name = "Via key"))
                assertEquals("sync-script", keyed.listEvents().data.last().actor)
                // A key's session keeps its workspace, mode and actor.
                for (escape in listOf<() -> Unit>(
                    { keyed.withWorkspace("default").close() },
                    { keyed.withLivemode(false).close() },
                    { keyed.withActor("spoofed").close() },
                )) {
                    val p = expectError("permission_error", "permission_denied") { escape() }
                    assertTrue(p is PivotalException.Permission, "Permission")
                    assertEquals(403.toUShort(), p.info().httpStatus)
                }
                val revoked = db.revokeApiKey(created.apiKey.id)
                assertEquals(T0, revoked.revokedAt)
                // Revocation is effective immediately, even for a session opened before it.
                val e = expectError("authentication_error", "api_key_revoked") { keyed.retrieveCustomer(c.id) }
                assertTrue(e is PivotalException.Authentication, "Authentication")
                assertEquals(401.toUShort(), e.info().httpStatus)
            }
            expectError("authentication_error", "api_key_revoked") { db.authenticate(created.secret) }
            expectError("authentication_error", "invalid_api_key") { db.authenticate("pivotal_" + "x".repeat(32)) }
            expectError("authentication_error", "invalid_api_key") { db.authenticate("") }
            expectError("invalid_request_error", "missing_field", field = "actor") { db.withActor("  ") }
            expectError("invalid_request_error", "too_long", field = "actor") { db.withActor("x".repeat(201)) }
            db.withActor(" sync ").use { assertEquals("sync", it.session().actor) }
            expectError("not_found", "api_key_not_found") { db.revokeApiKey("key_missing") }
            db.withLivemode(false).use { test ->
                val k = test.createApiKey("tester")
                assertTrue(k.secret.startsWith("pivotal_test_"), k.secret)
                db.authenticate(k.secret).use { assertEquals(false, it.session().livemode) }
                assertEquals(0, db.listApiKeys().count { it.id == k.apiKey.id })
            }
            val ws = db.createWorkspace("Second Org")
            assertEquals("second-org", ws.slug)
            assertTrue(ws.id.startsWith("org_"), ws.id)
            assertEquals(ws, db.retrieveWorkspace("second-org"))
            assertEquals(ws, db.retrieveWorkspace(ws.id))
            assertEquals(setOf("default", "second-org"), db.listWorkspaces().map { it.slug }.toSet())
            expectError("conflict", "slug_taken", "slug") { db.createWorkspace("Second Org") }
            assertEquals("other", db.createWorkspace("Third", slug = "other").slug)
            expectError("not_found", "workspace_not_found") { db.retrieveWorkspace("nope") }
            expectError("not_found", "workspace_not_found") { db.withWorkspace("nope") }
            db.withWorkspace("second-org").use { other ->
                assertEquals(ws, other.session().workspace)
                assertEquals(0, other.listCustomers().data.size)
                other.acme()
                assertEquals(1, other.listCustomers().data.size)
            }
            assertEquals(listOf("Via key"), db.listCustomers().data.map { it.name })
        }
    }

    @Test
    fun `JSON - every object converts to and from the API's JSON`() {
        fresh().use { db ->
            val c = db.createCustomer(CustomerParams(name = "Acme", metadata = """{"k":"v"}"""))
            val contact = db.createContact(c.id, ContactParams(name = "Ann", email = "ann@acme.com"))
            val o = db.onboardingOf(c)
            val cj = jsonOf(c.toJson())
            assertEquals("customer", cj["object"])
            assertEquals(mapOf("k" to "v"), cj["metadata"])
            assertEquals("2024-01-01T00:00:00.000Z", cj["created_at"])
            assertEquals(c, customerFromJson(c.toJson()))
            assertEquals(contact, contactFromJson(contact.toJson()))
            assertEquals(o, onboardingFromJson(o.toJson()))
            val list = jsonOf(db.listCustomers().toJson())
            assertEquals("list", list["object"])
            assertEquals(false, list["has_more"])
            assertTrue(list.containsKey("next_cursor") && list["next_cursor"] == null, "next_cursor: null")
            assertEquals("list", jsonOf(db.listContacts(c.id).toJson())["object"])
            assertEquals("list", jsonOf(db.listOnboardings().toJson())["object"])
            assertEquals("list", jsonOf(db.listEvents().toJson())["object"])
            expectError("invalid_request_error", "invalid_type", "object") { customerFromJson(o.toJson()) }
            expectError("invalid_request_error", "invalid_type") { contactFromJson("{") }
            // Request bodies.
            val params = customerParamsFromJson("""{"name":"Beta","status":"active","metadata":{"x":[1]}}""")
            assertEquals(CustomerStatus.ACTIVE, params.status)
            assertEquals("""{"x":[1]}""", params.metadata)
            expectError("invalid_request_error", "unknown_field", "nmae") { customerParamsFromJson("""{"nmae":"x"}""") }
            expectError("invalid_request_error", "missing_field", "email") {
                contactParamsFromJson("""{"name":"x"}""")
            }
            val patch = customerPatchFromJson("""{"plan":null,"mrr":5}""")
            assertEquals(CustomerPatch(mrr = 5L, clear = listOf(CustomerField.PLAN)), patch)
            assertEquals("""{"plan":null,"mrr":5}""", patch.toJson())
            val cp = contactPatchFromJson("""{"labels":["a"],"title":null}""")
            assertEquals(ContactPatch(labels = listOf("a"), clear = listOf(ContactField.TITLE)), cp)
            val op = onboardingPatchFromJson("""{"phase":"launch","reason":"skip","target_launch_date":"2026-07-15"}""")
            assertEquals(Phase.LAUNCH, op.phase)
            assertEquals("skip", op.reason)
            assertEquals(Instant.parse("2026-07-15T00:00:00Z"), op.targetLaunchDate)
            expectError("invalid_request_error", "unknown_field", "customer_id") {
                onboardingPatchFromJson("""{"customer_id":"1"}""")
            }
            val onbParams = onboardingParamsFromJson("""{"customer_id":"1","phase":"review"}""")
            assertEquals(OnboardingParams(customerId = "1", phase = Phase.REVIEW), onbParams)
            expectError("invalid_request_error", "invalid_enum_value", "phase") {
                onboardingParamsFromJson("""{"customer_id":"1","phase":"nope"}""")
            }
        }
    }

    @Test
    fun `enums - toString() is the wire string, *FromWire parses it`() {
        assertEquals("internal_qa", Phase.INTERNAL_QA.toString())
        assertEquals("onboarding.back_on_track", EventType.ONBOARDING_BACK_ON_TRACK.toString())
        assertEquals("at_risk", CustomerStatus.AT_RISK.toString())
        assertEquals("waiting", State.WAITING.toString())
        for (p in Phase.values()) assertEquals(p, phaseFromWire(p.toString()))
        for (t in EventType.values()) assertEquals(t, eventTypeFromWire(t.toString()))
        for (st in State.values()) assertEquals(st, stateFromWire(st.toString()))
        for (st in CustomerStatus.values()) assertEquals(st, customerStatusFromWire(st.toString()))
        assertEquals("metadata", CustomerField.METADATA.toString())
        assertEquals("is_primary", ContactField.IS_PRIMARY.toString())
        assertEquals("waiting_on_customer", OnboardingField.WAITING_ON_CUSTOMER.toString())
        expectError("invalid_request_error", "invalid_enum_value", "phase") { phaseFromWire("Launch") }
        expectError("invalid_request_error", "invalid_enum_value", "types") { eventTypeFromWire("customer") }
    }

    @Test
    fun `errors - a PivotalException hierarchy with type, code, detail, field and HTTP status`() {
        fresh().use { db ->
            val e: PivotalException = expectError("invalid_request_error", "too_long", "name") {
                db.createCustomer(CustomerParams(name = "x".repeat(300)))
            }
            assertTrue(e is PivotalException.InvalidRequest, "InvalidRequest")
            val ir = e as PivotalException.InvalidRequest
            assertEquals("invalid_request_error", ir.errorType)
            assertEquals("too_long", ir.code)
            assertEquals("name", ir.field)
            assertEquals(400.toUShort(), ir.httpStatus)
            assertTrue(ir.detail.isNotEmpty(), "detail")
            assertTrue(e.message!!.contains("too_long"), "message: ${e.message}")
            val envelope = jsonOf(e.toJson())["error"] as Map<*, *>
            assertEquals("invalid_request_error", envelope["type"])
            assertEquals("too_long", envelope["code"])
            assertEquals(ir.detail, envelope["message"])
            assertEquals("name", envelope["field"])
            assertTrue((e as Throwable) is Exception, "an Exception")
            val nf = expectError("not_found", "customer_not_found") { db.retrieveCustomer("nope") }
            assertTrue(nf.info().field == null, "no field")
            assertTrue(!jsonOf(nf.toJson()).let { (it["error"] as Map<*, *>).containsKey("field") }, "no field key")
            // Catching by subclass.
            val kind = try {
                db.retrieveContact("1")
                "none"
            } catch (x: PivotalException.NotFound) {
                "not_found:${x.httpStatus}"
            }
            assertEquals("not_found:404", kind)
            // The hierarchy is exactly one subclass per error type (an exhaustive `when`).
            fun kindOf(x: PivotalException): Int = when (x) {
                is PivotalException.InvalidRequest -> 400
                is PivotalException.Authentication -> 401
                is PivotalException.Permission -> 403
                is PivotalException.NotFound -> 404
                is PivotalException.Conflict -> 409
                is PivotalException.RateLimit -> 429
                is PivotalException.Internal -> 500
            }
            assertEquals(400, kindOf(e))
            assertEquals(404, kindOf(nf))
        }
    }

    @Test
    fun `close - closeStore() closes every handle, later calls raise store_closed`() {
        val db = fresh()
        val c = db.acme()
        val test = db.withLivemode(false)
        val actor = db.withActor("other")
        assertEquals(false, db.isClosed())
        test.closeStore()
        for (h in listOf(db, test, actor)) {
            assertEquals(true, h.isClosed())
            val e = expectError("invalid_request_error", "store_closed") { h.retrieveCustomer(c.id) }
            assertTrue(e is PivotalException.InvalidRequest, "InvalidRequest")
            expectError("invalid_request_error", "store_closed") { h.createCustomer(CustomerParams(name = "X")) }
            expectError("invalid_request_error", "store_closed") { h.listEvents() }
            expectError("invalid_request_error", "store_closed") { h.health() }
            expectError("invalid_request_error", "store_closed") { h.session() }
            expectError("invalid_request_error", "store_closed") { h.withActor("x") }
        }
        db.closeStore() // idempotent
        db.close()
        // The Kotlin handle itself, once released, refuses calls.
        assertFailsWith<IllegalStateException> { db.isClosed() }
        test.close()
        actor.close()
    }

    @Test
    fun `close - the store closes with its last handle (use {})`() {
        val dir = Files.createTempDirectory("pivotal-kt")
        val path = dir.resolve("p.db").toString()
        try {
            PivotalStore.open(path).use { it.acme() }
            // Reopened at once, no lock is left behind.
            PivotalStore.open(path).use { assertEquals(1, it.listCustomers().data.size) }
        } finally {
            dir.toFile().deleteRecursively()
        }
    }

    @Test
    fun `hostile input gets a typed error, never a crash`() {
        fresh().use { db ->
            val c = db.acme()
            // Instants outside the supported range are refused before reaching the core.
            for (at in listOf(Instant.MAX, Instant.MIN)) {
                expectError("invalid_request_error", "invalid_timestamp") {
                    db.createOnboarding(OnboardingParams(customerId = c.id, startedAt = at))
                }
                expectError("invalid_request_error", "invalid_timestamp") { FixedClock(at) }
            }
            // JSON text fields are checked.
            expectError("invalid_request_error", "invalid_type") {
                db.createCustomer(CustomerParams(name = "B", metadata = "{not json"))
            }
            expectError("invalid_request_error", "invalid_type") {
                db.updateCustomer(c.id, CustomerPatch(metadata = "[1,2]"))
            }
            expectError("invalid_request_error", "invalid_type") { customerFromJson("[".repeat(100_000)) }
            expectError("invalid_request_error", "invalid_type") { eventFromJson("") }
            // Huge, odd and extreme values.
            expectError("invalid_request_error", "too_long", "name") {
                db.createCustomer(CustomerParams(name = "é".repeat(1_000_000)))
            }
            expectError("invalid_request_error", "invalid_limit", "limit") {
                db.listCustomers(CustomerListParams(limit = Long.MIN_VALUE))
            }
            expectError("invalid_request_error", "invalid_cursor", "cursor") {
                db.listCustomers(CustomerListParams(cursor = "\u0000".repeat(10_000)))
            }
            expectError("invalid_request_error", "invalid_cursor", "cursor") {
                val huge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("seq:9".repeat(40).toByteArray())
                db.customerTimeline(c.id, ListParams(cursor = huge))
            }
            for (ref in listOf("", "0", "-1", "99999999999999999999999", "cus_\u0000", "\uD83D\uDE00", " 1")) {
                expectError("not_found", "customer_not_found") { db.retrieveCustomer(ref) }
            }
            expectError("invalid_request_error", "too_large", "reminder_frequency_days") {
                db.createOnboarding(OnboardingParams(customerId = c.id, reminderFrequencyDays = Long.MAX_VALUE))
            }
            // Unusual text is either kept intact or refused with a typed error.
            val oddName = "Zürich \uD83D\uDE00 a\u0000b"
            try {
                val odd = db.createCustomer(CustomerParams(name = oddName, mrr = Long.MAX_VALUE))
                assertEquals(odd.name, db.retrieveCustomer(odd.id).name)
                assertEquals(Long.MAX_VALUE, odd.mrr)
                assertEquals(odd, customerFromJson(odd.toJson()))
            } catch (e: PivotalException) {
                assertEquals("invalid_request_error", e.info().errorType)
            }
            // A string that is not Unicode (a lone surrogate) cannot be encoded as UTF-8: the
            // generated Kotlin refuses it before the call reaches Rust.
            assertFailsWith<java.nio.charset.CharacterCodingException> {
                db.createCustomer(CustomerParams(name = "bad \uD800 text"))
            }
            // The same for a lone surrogate, high or low, in every kind of string argument; the store
            // still answers.
            val events = db.listEvents(EventListParams(limit = 100)).data
            for (lone in listOf("\uD800", "\uDFFF", "a\uDBFFb", "\uDC00\uD800")) {
                val calls = listOf<() -> Unit>(
                    { db.retrieveCustomer(lone) },
                    { db.retrieveCustomer("cus_$lone") },
                    { db.createCustomer(CustomerParams(name = "S"), idempotencyKey = lone) },
                    { db.createCustomer(CustomerParams(name = "S", metadata = "{\"k\":\"$lone\"}")) },
                    { db.createContact(c.id, ContactParams(name = "S", email = "s$lone@example.com")) },
                    { db.listCustomers(CustomerListParams(cursor = lone)) },
                    { db.updateCustomer(c.id, CustomerPatch(plan = lone)) },
                    { db.withActor(lone) },
                    { customerFromJson("{\"name\":\"$lone\"}") },
                    { parseTimestamp("2024-01-01T00:00:00Z$lone") },
                )
                for (call in calls) assertFailsWith<java.nio.charset.CharacterCodingException> { call() }
            }
            assertEquals(c, db.retrieveCustomer(c.id))
            assertEquals(events, db.listEvents(EventListParams(limit = 100)).data)
            expectError("invalid_request_error", "invalid_timestamp") { parseTimestamp("yesterday") }
            db.health()
        }
    }

    @Test
    fun `FixedClock - set, advance, now`() {
        val clock = FixedClock(T0)
        assertEquals(T0, clock.now())
        clock.advanceMs(1_500)
        assertEquals(Instant.parse("2024-01-01T00:00:01.500Z"), clock.now())
        clock.advanceMs(-500)
        assertEquals(T0.plusSeconds(1), clock.now())
        clock.set(Instant.parse("2030-05-06T07:08:09.010Z"))
        assertEquals("2030-05-06T07:08:09.010Z", formatTimestamp(clock.now()))
        assertEquals(Instant.parse("2026-07-15T00:00:00Z"), parseTimestamp("2026-07-15"))
        assertEquals(Instant.parse("2024-04-01T10:00:00Z"), parseTimestamp("2024-04-01T12:00:00+02:00"))
        clock.close()
    }

    @Test
    fun `FixedClock - a move out of the years 1–9999 is invalid_timestamp and leaves the clock`() {
        val last = Instant.parse("9999-12-31T23:59:59.999Z")
        val first = Instant.parse("0001-01-01T00:00:00Z")
        val clock = FixedClock(last)
        for (ms in listOf(1L, Long.MAX_VALUE)) {
            expectError("invalid_request_error", "invalid_timestamp", "ms") { clock.advanceMs(ms) }
            assertEquals(last, clock.now())
        }
        for (at in listOf(last.plusMillis(1), first.minusMillis(1))) {
            expectError("invalid_request_error", "invalid_timestamp", "at") { clock.set(at) }
            assertEquals(last, clock.now())
            expectError("invalid_request_error", "invalid_timestamp", "at") { FixedClock(at) }
        }
        fresh(clock).use { db -> assertEquals(last, db.acme().createdAt) }
        clock.set(first)
        for (ms in listOf(-1L, Long.MIN_VALUE)) {
            expectError("invalid_request_error", "invalid_timestamp", "ms") { clock.advanceMs(ms) }
            assertEquals(first, clock.now())
        }
        clock.close()
    }

    @Test
    fun `path - the file, null in memory, the widest mmapSize opens`() {
        fresh().use { db -> assertEquals(null, db.path()) }
        PivotalStore.open(":memory:").use { db ->
            assertEquals(null, db.path())
            db.acme()
            assertEquals("Acme", db.retrieveCustomer("1").name)
        }
        val dir = Files.createTempDirectory("pivotal-kt")
        try {
            val path = dir.resolve("p.db").toString()
            PivotalStore.open(path, mmapSize = ULong.MAX_VALUE).use { db ->
                assertEquals(path, db.path())
                db.health()
            }
            expectError("invalid_request_error", "missing_field", "path") { PivotalStore.open("") }
            expectError("invalid_request_error", "invalid_type", "path") { PivotalStore.open("a\u0000b.db") }
        } finally {
            dir.toFile().deleteRecursively()
        }
    }

    @Test
    fun `metadata nested too deep through the typed API - invalid_type, the store still lists`() {
        fresh().use { db ->
            fun deep(levels: Int) = "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1)
            val c = db.createCustomer(CustomerParams(name = "Deep", metadata = deep(32)))
            for (levels in listOf(33, 35, 41, 1_000, 100_000)) {
                expectError("invalid_request_error", "invalid_type", "metadata") {
                    db.createCustomer(CustomerParams(name = "Deeper", metadata = deep(levels)))
                }
                expectError("invalid_request_error", "invalid_type", "metadata") {
                    db.updateCustomer(c.id, CustomerPatch(metadata = deep(levels)))
                }
            }
            assertEquals(listOf(c), db.listCustomers().data)
            assertEquals(c, db.retrieveCustomer(c.id))
            assertEquals(1, db.listEvents().data.size)
            assertEquals(1, db.customerTimeline(c.id).data.size)
            db.health()
        }
    }

    @Test
    fun `import and export - ids kept, re-import unchanged, skip and stop, round trip`() {
        val customer = """{"object":"customer","id":"cus_acme0000000000001","display_id":7,"name":"Acme","slug":"acme","created_at":"2024-01-02T03:04:05Z","updated_at":"2024-01-02T03:04:05Z"}"""
        fun contact(id: String, displayId: Int, email: String) =
            """{"object":"contact","id":"$id","display_id":$displayId,"customer_id":"cus_acme0000000000001","name":"Ada","email":"$email","is_primary":false,"created_at":"2024-01-03T00:00:00Z","updated_at":"2024-01-03T00:00:00Z"}"""
        val text = contact("con_ada00000000000001", 3, "ada@acme.com") + "\n" + customer + "\n"
        fresh().use { db ->
            val s = db.importJson(text)
            assertEquals(listOf(2uL, 0uL, 0uL, 0uL), listOf(s.created, s.updated, s.unchanged, s.skipped))
            assertEquals("cus_acme0000000000001", db.retrieveCustomer("7").id)
            assertEquals("con_ada00000000000001", db.retrieveContact("3").id)
            assertEquals(Instant.parse("2024-01-02T03:04:05Z"), db.retrieveCustomer("7").createdAt)
            assertEquals(8L, db.createCustomer(CustomerParams(name = "Next")).displayId)
            val again = db.importJson(text)
            assertEquals(listOf(0uL, 2uL), listOf(again.created, again.unchanged))

            val bad = contact("con_bad0000000000001", 4, "not-an-email") + "\n" + contact("con_ok00000000000001", 5, "ok@acme.com")
            val e = expectError("invalid_request_error", "invalid_email", "email") { db.importJson(bad) }
            assertTrue(e.info().detail.startsWith("item 0 (line 1): "), e.info().detail)
            expectError("not_found", "contact_not_found") { db.retrieveContact("con_ok00000000000001") }
            val skipped = db.importJson(bad, onError = OnError.SKIP, chunkSize = 1u)
            assertEquals(listOf(1uL, 1uL), listOf(skipped.created, skipped.skipped))
            val item = skipped.errors.single()
            assertEquals(listOf(0uL, 1uL), listOf(item.index, item.line))
            assertEquals("invalid_email", item.error.code)
            assertEquals("email", item.error.field)

            val customers = db.exportJson(ExportList.Customers(CustomerListParams()))
            assertEquals(2, customers.lines().count { it.isNotEmpty() })
            val contacts = db.exportJson(ExportList.Contacts(null), ExportFormat.JSON)
            assertEquals("list", jsonOf(contacts)["object"])
            val csv = db.exportJson(ExportList.Onboardings(OnboardingListParams()), ExportFormat.CSV)
            assertEquals("", csv)
            assertTrue(db.exportJson(ExportList.Events(EventListParams())).contains("\"contact.imported\""), "events")
            fresh().use { copy ->
                assertEquals(2uL, copy.importJson(customers).created)
                assertEquals(2uL, copy.importJson(contacts).created)
                assertEquals(db.listCustomers().data, copy.listCustomers().data)
                assertEquals(db.listContacts("7").data, copy.listContacts("7").data)
            }
        }
    }

    @Test
    fun `threads - one store shared by concurrent writers`() {
        fresh().use { db ->
            val pool = Executors.newFixedThreadPool(4)
            val futures = (1..4).map { t ->
                pool.submit<List<Long>> { (1..25).map { i -> db.createCustomer(CustomerParams(name = "T$t-$i")).displayId } }
            }
            val ids = futures.flatMap { it.get(60, TimeUnit.SECONDS) }
            pool.shutdown()
            assertEquals((1L..100L).toList(), ids.sorted())
            assertEquals(100, db.listCustomers(CustomerListParams(limit = 100L)).data.size)
        }
    }
}
