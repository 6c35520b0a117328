//! The quickstart: a customer with contacts and an onboarding walked through every phase, on a
//! SQLite file. Run with `make demo` (or `cargo run -p pivotal-core --example quickstart`).

use pivotal_core::{
    ContactParams, CustomerParams, ListParams, OnboardingParams, OnboardingPatch, Patch, Phase,
    Pivotal,
};
use serde::Serialize;

const DEMO_FILE: &str = "pivotal-demo.db";

fn show<T: Serialize>(label: &str, value: &T) -> pivotal_core::Result<()> {
    let json = serde_json::to_string_pretty(value)
        .map_err(|e| pivotal_core::Error::internal(e.to_string()))?;
    println!("── {label}\n{json}");
    Ok(())
}

fn move_to(db: &Pivotal, onboarding: &str, phase: Phase) -> pivotal_core::Result<()> {
    let patch = OnboardingPatch {
        phase: Patch::Set(phase),
        ..Default::default()
    };
    let o = db.onboardings().update(onboarding, patch)?;
    println!("phase → {} (state {})", o.phase, o.state);
    Ok(())
}

fn main() -> pivotal_core::Result<()> {
    // Start from an empty demo file so the walk reads the same every time.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{DEMO_FILE}{suffix}"));
    }
    let db = Pivotal::options().actor("quickstart").open(DEMO_FILE)?;
    show(&format!("opened {DEMO_FILE}"), &db.health()?)?;

    let acme = db.customers().create(
        CustomerParams {
            name: "Acme Café".into(),
            domain: Some("acme.example".into()),
            mrr: Some(120_000),
            ..Default::default()
        },
        Some("crm-42"),
    )?;
    let again = db.customers().create(
        CustomerParams {
            name: "Acme Café".into(),
            domain: Some("acme.example".into()),
            mrr: Some(120_000),
            ..Default::default()
        },
        Some("crm-42"),
    )?;
    println!(
        "idempotent replay returned the same customer: {}",
        again.id == acme.id
    );
    show("customer", &acme)?;

    let ada = db.contacts().create(
        &acme.id,
        ContactParams {
            name: "Ada Lovelace".into(),
            email: "Ada@Acme.example".into(),
            ..Default::default()
        },
        None,
    )?;
    let grace = db.contacts().create(
        &acme.display_id.to_string(),
        ContactParams {
            name: "Grace Hopper".into(),
            email: "grace@acme.example".into(),
            is_primary: Some(true),
            labels: Some(vec!["Champion".into(), "champion".into()]),
            ..Default::default()
        },
        None,
    )?;
    let ada = db.contacts().retrieve(&ada.id)?;
    println!(
        "primary contact: {} (Ada primary: {})",
        grace.name, ada.is_primary
    );

    let onboarding = db.onboardings().create(
        OnboardingParams {
            customer_id: acme.id.clone(),
            csm_id: Some("user_csm_001".into()),
            target_launch_date: pivotal_core::model::time::parse_instant_or_date("2030-07-15"),
            ..Default::default()
        },
        None,
    )?;
    let id = onboarding.id.as_str();
    move_to(&db, id, Phase::ProgramDesign)?;

    let skip = OnboardingPatch {
        phase: Patch::Set(Phase::InternalQa),
        ..Default::default()
    };
    match db.onboardings().update(id, skip) {
        Err(e) => println!(
            "skip refused: {}",
            serde_json::to_string(&e.to_json()).unwrap_or_default()
        ),
        Ok(_) => println!("skip unexpectedly allowed"),
    }
    move_to(&db, id, Phase::Review)?;

    let wait = OnboardingPatch {
        waiting_on_customer: Patch::Set(true),
        ..Default::default()
    };
    let o = db.onboardings().update(id, wait)?;
    println!(
        "waiting on the customer since {:?} (state {})",
        o.waiting_on_customer_since, o.state
    );
    let resume = OnboardingPatch {
        waiting_on_customer: Patch::Set(false),
        ..Default::default()
    };
    let o = db.onboardings().update(id, resume)?;
    println!("customer answered (state {})", o.state);

    for phase in [
        Phase::ProgramBuildout,
        Phase::InternalQa,
        Phase::Launch,
        Phase::Completed,
    ] {
        move_to(&db, id, phase)?;
    }
    show("onboarding", &db.onboardings().retrieve(id)?)?;
    show("transitions", &db.onboardings().transitions(id)?)?;

    let mut params = ListParams {
        limit: Some(5),
        cursor: None,
    };
    let mut shown = 0;
    loop {
        let page = db.customers().timeline(&acme.id, &params)?;
        for event in &page.data {
            println!(
                "#{:<3} {:<28} {}",
                event.sequence, event.event_type, event.actor
            );
        }
        shown += page.data.len();
        match page.next_cursor {
            Some(cursor) => params.cursor = Some(cursor),
            None => break,
        }
    }
    println!("timeline: {shown} events, newest first");
    Ok(())
}
