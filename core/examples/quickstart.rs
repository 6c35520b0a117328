//! The quickstart: a customer with contacts and an onboarding walked through every phase over a
//! few weeks, on a SQLite file, then the onboarding's metrics and the workspace report. Run with
//! `make demo` (or `cargo run -p pivotal-core --example quickstart`).
//!
//! The clock is injected and moved by hand, so the demo's weeks pass in an instant and the
//! metrics read the same every run.

use pivotal_core::model::time::{format, parse_instant};
use pivotal_core::{
    ContactParams, CustomerParams, FixedClock, ListParams, OnboardingParams, OnboardingPatch,
    Patch, Phase, Pivotal, WorkspaceReportParams,
};
use serde::Serialize;
use std::sync::Arc;

const DEMO_FILE: &str = "pivotal-demo.db";

fn show<T: Serialize>(label: &str, value: &T) -> pivotal_core::Result<()> {
    let json = serde_json::to_string_pretty(value)
        .map_err(|e| pivotal_core::Error::internal(e.to_string()))?;
    println!("── {label}\n{json}");
    Ok(())
}

const DAY_MS: i64 = 86_400_000;

fn days(ms: i64) -> f64 {
    ms as f64 / DAY_MS as f64
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
    let start = parse_instant("2030-06-03T09:00:00Z").unwrap_or_default();
    let clock = Arc::new(FixedClock::new(start));
    let wait_days = |n: i64| clock.advance_ms(n * DAY_MS);
    let db = Pivotal::options()
        .actor("quickstart")
        .clock(clock.clone())
        .open(DEMO_FILE)?;
    show(&format!("opened {DEMO_FILE}"), &db.health()?)?;

    let params = CustomerParams {
        name: "Acme Café".into(),
        domain: Some("acme.example".into()),
        mrr: Some(120_000),
        ..Default::default()
    };
    let acme = db.customers().create(params.clone(), Some("crm-42"))?;
    let again = db.customers().create(params, Some("crm-42"))?;
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
    wait_days(2);
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
    wait_days(5);
    move_to(&db, id, Phase::Review)?;

    wait_days(1);
    let wait = OnboardingPatch {
        waiting_on_customer: Patch::Set(true),
        ..Default::default()
    };
    let o = db.onboardings().update(id, wait)?;
    println!(
        "waiting on the customer since {:?} (state {})",
        o.waiting_on_customer_since, o.state
    );
    wait_days(3);
    let resume = OnboardingPatch {
        waiting_on_customer: Patch::Set(false),
        ..Default::default()
    };
    let o = db.onboardings().update(id, resume)?;
    println!("customer answered (state {})", o.state);

    for (after, phase) in [
        (2, Phase::ProgramBuildout),
        (6, Phase::InternalQa),
        (4, Phase::Launch),
        (10, Phase::Completed),
    ] {
        wait_days(after);
        move_to(&db, id, phase)?;
    }
    wait_days(1);
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

    // Analytics, from the recorded history: waiting on the customer suspends the SLA clock.
    let m = db.analytics().onboarding(id, None)?;
    println!(
        "onboarding #{} as of {}: {:.1} days elapsed, {:.1} waiting, {:.1} on the SLA clock",
        m.display_id,
        format(&m.as_of),
        days(m.elapsed_ms),
        days(m.waiting_ms),
        days(m.sla_ms)
    );
    if let (Some(launched), Some(to_launch)) = (m.launched_at, m.time_to_launch_ms) {
        println!(
            "launched {} after {:.1} days (target {}): on time: {}",
            format(&launched),
            days(to_launch),
            m.target_launch_date.map_or("none".into(), |t| format(&t)),
            m.on_time
                .map_or("undefined".into(), |on_time| on_time.to_string())
        );
    }
    show("onboarding metrics", &m)?;
    let while_waiting = start + chrono::Duration::days(9);
    let then = db.analytics().onboarding(id, Some(while_waiting))?;
    println!(
        "as of {}: phase {}, state {}, {:.1} days on the SLA clock",
        format(&then.as_of),
        then.phase,
        then.state,
        days(then.sla_ms)
    );
    let report = db.analytics().workspace(&WorkspaceReportParams {
        stalled_after_days: Some(14.0),
        ..Default::default()
    })?;
    show("workspace report", &report)?;
    Ok(())
}
