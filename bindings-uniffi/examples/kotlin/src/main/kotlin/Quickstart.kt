// The Kotlin quickstart, mirroring `pivotal demo` (cli/src/demo.rs): a customer with
// contacts and an onboarding walked through every phase, on a SQLite file.
// A separate Maven project (pom.xml beside src/) that depends on app.pivotal:pivotal-core by its
// coordinates; tests/uniffi/run.sh builds and runs it (see bindings-uniffi/README.md).

import app.pivotal.core.*
import java.io.File

const val DEMO_FILE = "pivotal-demo.db"

fun show(label: String, json: String) = println("── $label\n$json")

fun moveTo(db: PivotalStore, onboarding: String, phase: Phase) {
    val o = db.updateOnboarding(onboarding, OnboardingPatch(phase = phase))
    println("phase → ${o.phase} (state ${o.state})")
}

fun main() {
    // Start from an empty demo file so the walk reads the same every time.
    for (suffix in listOf("", "-wal", "-shm")) File(DEMO_FILE + suffix).delete()

    PivotalStore.open(DEMO_FILE, actor = "quickstart").use { db ->
        show("opened $DEMO_FILE", db.health().toJson())

        val params = CustomerParams(name = "Acme Café", domain = "acme.example", mrr = 120_000L)
        val acme = db.createCustomer(params, idempotencyKey = "crm-42")
        val again = db.createCustomer(params, idempotencyKey = "crm-42")
        println("idempotent replay returned the same customer: ${again.id == acme.id}")
        show("customer", acme.toJson())

        var ada = db.createContact(acme.id, ContactParams(name = "Ada Lovelace", email = "Ada@Acme.example"))
        val grace = db.createContact(
            acme.displayId.toString(),
            ContactParams(
                name = "Grace Hopper",
                email = "grace@acme.example",
                isPrimary = true,
                labels = listOf("Champion", "champion"),
            ),
        )
        ada = db.retrieveContact(ada.id)
        println("primary contact: ${grace.name} (Ada primary: ${ada.isPrimary})")

        val onboarding = db.createOnboarding(
            OnboardingParams(
                customerId = acme.id,
                csmId = "user_csm_001",
                targetLaunchDate = parseTimestamp("2030-07-15"),
            ),
        )
        val id = onboarding.id
        moveTo(db, id, Phase.PROGRAM_DESIGN)

        try {
            db.updateOnboarding(id, OnboardingPatch(phase = Phase.INTERNAL_QA))
            println("skip unexpectedly allowed")
        } catch (e: PivotalException.InvalidRequest) {
            println("skip refused: ${e.toJson()}")
        }
        moveTo(db, id, Phase.REVIEW)

        var o = db.updateOnboarding(id, OnboardingPatch(waitingOnCustomer = true))
        println("waiting on the customer since ${o.waitingOnCustomerSince} (state ${o.state})")
        o = db.updateOnboarding(id, OnboardingPatch(waitingOnCustomer = false))
        println("customer answered (state ${o.state})")

        for (phase in listOf(Phase.PROGRAM_BUILDOUT, Phase.INTERNAL_QA, Phase.LAUNCH, Phase.COMPLETED)) {
            moveTo(db, id, phase)
        }
        show("onboarding", db.retrieveOnboarding(id).toJson())
        show("transitions", db.onboardingTransitions(id).joinToString(",\n", "[\n", "\n]") { it.toJson() })

        // Every event, five a page: the sequence fetches the next page when it gets there.
        var shown = 0
        for (event in db.allTimelineEvents(acme.id, ListParams(limit = 5L))) {
            println("#%-3d %-28s %s".format(event.sequence, event.eventType, event.actor))
            shown++
        }
        println("timeline: $shown events, newest first")
    }
}
