//! `pivotal demo`: the quickstart's data. A customer with contacts and an onboarding walked
//! through every phase over a few weeks, on a new file, then the onboarding's metrics and the
//! workspace report (`make demo` runs it on `pivotal-demo.db`).
//!
//! The clock is injected and moved by hand, so the demo's weeks pass in an instant and the
//! metrics read the same every run. The file is started afresh; a file that exists must be an
//! earlier demo's (or empty), so that the demo never deletes anyone's data.

use crate::fail::{usage, Failure};
use crate::output;
use pivotal_core::model::time::{format, parse_instant, parse_instant_or_date};
use pivotal_core::store::is_postgres_url;
use pivotal_core::{
    Clock, ContactParams, CustomerListParams, CustomerParams, FixedClock, ListParams,
    OnboardingParams, OnboardingPatch, Patch, Phase, Pivotal, Timestamp, WorkspaceReportParams,
};
use serde_json::json;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

const DAY_MS: i64 = 86_400_000;
const DEMO_DOMAIN: &str = "acme.example";

fn days(ms: i64) -> f64 {
    ms as f64 / DAY_MS as f64
}

/// The walk-through's narrator: every line starts with the simulated day it happens on.
struct Story<'o> {
    clock: Arc<FixedClock>,
    start: Timestamp,
    last_day: Option<i64>,
    out: &'o mut dyn Write,
}

impl Story<'_> {
    fn wait_days(&self, n: i64) {
        self.clock.advance_ms(n * DAY_MS);
    }

    fn say(&mut self, text: impl AsRef<str>) -> io::Result<()> {
        let day = (self.clock.now() - self.start).num_days();
        if self.last_day == Some(day) {
            writeln!(self.out, "          {}", text.as_ref())
        } else {
            self.last_day = Some(day);
            writeln!(self.out, "  day {day:>2}  {}", text.as_ref())
        }
    }

    fn move_to(&mut self, db: &Pivotal, onboarding: &str, phase: Phase) -> Result<(), Failure> {
        let patch = OnboardingPatch {
            phase: Patch::Set(phase),
            ..Default::default()
        };
        let o = db.onboardings().update(onboarding, patch)?;
        self.say(format!("phase → {} (state {})", o.phase, o.state))?;
        Ok(())
    }
}

/// Whether the file may be replaced: it does not exist, or it holds nothing but an earlier demo.
fn replaceable(path: &Path) -> Result<(), Failure> {
    if !path.exists() {
        return Ok(());
    }
    let refuse = || {
        usage(format!(
            "{} exists and is not a pivotal demo file; pick another --db for the demo",
            path.display()
        ))
    };
    let db = Pivotal::open(path).map_err(|_| refuse())?;
    let mut customers = Vec::new();
    let mut keys = 0;
    for session in [db.clone(), db.with_livemode(false)?] {
        let page = session.customers().list(&CustomerListParams {
            limit: Some(2),
            ..Default::default()
        });
        customers.extend(page.map_err(|_| refuse())?.data);
        keys += session.api_keys().list().map_err(|_| refuse())?.len();
    }
    db.close();
    match customers.as_slice() {
        [] if keys == 0 => Ok(()),
        [only] if keys == 0 && only.domain.as_deref() == Some(DEMO_DOMAIN) => Ok(()),
        _ => Err(refuse()),
    }
}

/// Writes the demo on `path`: the walk-through on `out`, or only a summary with `json`.
pub fn run(path: &Path, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    if path.to_str().is_some_and(is_postgres_url) {
        return Err(usage(
            "pivotal demo writes a SQLite file: give --db a file path, not a PostgreSQL URL",
        ));
    }
    replaceable(path)?;
    let file = path.display().to_string();
    // Start from an empty demo file so the walk reads the same every time.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{file}{suffix}"));
    }
    let mut quiet = io::sink();
    let story_out: &mut dyn Write = if json { &mut quiet } else { &mut *out };
    let (contacts, events) = walk(path, &file, story_out)?;
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{file}{s}")).ok())
        .map(|m| m.len())
        .sum();
    if json {
        output::json(
            out,
            &json!({
                "object": "demo",
                "path": file,
                "customers": 1,
                "contacts": contacts,
                "onboardings": 1,
                "events": events,
            }),
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "\nCreated {file} ({} KiB): 1 customer, {contacts} contacts, 1 onboarding, {events} events.",
        size.div_ceil(1024)
    )?;
    writeln!(
        out,
        "Next: pivotal ls onboardings --db {file}\n      pivotal show 1 --kind onboarding --db {file}\n      \
         pivotal events --db {file}\n      pivotal report --as-of 2030-08-01T00:00:00Z --db {file}\n      \
         pivotal export customers --format csv --db {file}\n\
         (`cargo install --path cli` puts pivotal on your PATH), and the Python, Kotlin and Swift\n\
         quickstarts in the README; `make test` runs every check."
    )?;
    Ok(())
}

/// The walk-through; returns how many contacts and events it wrote.
fn walk(path: &Path, file: &str, out: &mut dyn Write) -> Result<(usize, usize), Failure> {
    let start = parse_instant("2030-06-03T09:00:00Z").unwrap_or_default();
    let clock = Arc::new(FixedClock::new(start));
    let db = Pivotal::options()
        .actor("quickstart")
        .clock(clock.clone())
        .open(path)?;
    writeln!(
        out,
        "pivotal-core {}: an onboarding walked through every phase, stored in {file}",
        db.health()?.version
    )?;
    writeln!(
        out,
        "(the clock is simulated: about five weeks pass in an instant, from {})\n",
        format(&start)
    )?;
    let mut story = Story {
        clock: clock.clone(),
        start,
        last_day: None,
        out,
    };

    let params = CustomerParams {
        name: "Acme Café".into(),
        domain: Some("acme.example".into()),
        mrr: Some(120_000),
        ..Default::default()
    };
    let acme = db.customers().create(params.clone(), Some("crm-42"))?;
    story.say(format!(
        "customer #{} {} ({}), slug {}",
        acme.display_id, acme.name, acme.id, acme.slug
    ))?;
    let again = db.customers().create(params, Some("crm-42"))?;
    story.say(format!(
        "a retry with idempotency key crm-42 returned the same customer: {}",
        again.id == acme.id
    ))?;

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
    story.say(format!(
        "contacts {} <{}> and {} (labels {:?}); primary: {}",
        ada.name,
        ada.email,
        grace.name,
        grace.labels,
        if ada.is_primary {
            &ada.name
        } else {
            &grace.name
        }
    ))?;

    let onboarding = db.onboardings().create(
        OnboardingParams {
            customer_id: acme.id.clone(),
            csm_id: Some("user_csm_001".into()),
            target_launch_date: parse_instant_or_date("2030-07-15"),
            ..Default::default()
        },
        None,
    )?;
    let id = onboarding.id.as_str();
    story.say(format!(
        "onboarding #{} ({}) in phase {}, target launch 2030-07-15",
        onboarding.display_id, onboarding.id, onboarding.phase
    ))?;
    story.wait_days(2);
    story.move_to(&db, id, Phase::ProgramDesign)?;

    let skip = OnboardingPatch {
        phase: Patch::Set(Phase::InternalQa),
        ..Default::default()
    };
    match db.onboardings().update(id, skip) {
        Err(e) => story.say(format!(
            "a skip to internal_qa without a reason is refused: {}/{}",
            e.error_type(),
            e.code
        ))?,
        Ok(_) => story.say("a skip without a reason was allowed (unexpected)")?,
    }
    story.wait_days(5);
    story.move_to(&db, id, Phase::Review)?;

    story.wait_days(1);
    let wait = OnboardingPatch {
        waiting_on_customer: Patch::Set(true),
        ..Default::default()
    };
    let o = db.onboardings().update(id, wait)?;
    story.say(format!(
        "waiting on the customer (state {}): the SLA clock stops",
        o.state
    ))?;
    story.wait_days(3);
    let resume = OnboardingPatch {
        waiting_on_customer: Patch::Set(false),
        ..Default::default()
    };
    let o = db.onboardings().update(id, resume)?;
    story.say(format!("the customer answered (state {})", o.state))?;

    for (after, phase) in [
        (2, Phase::ProgramBuildout),
        (6, Phase::InternalQa),
        (4, Phase::Launch),
        (10, Phase::Completed),
    ] {
        story.wait_days(after);
        story.move_to(&db, id, phase)?;
    }
    story.wait_days(1);

    // Analytics, from the recorded history: waiting on the customer suspends the SLA clock.
    writeln!(story.out)?;
    let m = db.analytics().onboarding(id, None)?;
    if let (Some(launched), Some(to_launch)) = (m.launched_at, m.time_to_launch_ms) {
        writeln!(
            story.out,
            "Onboarding #{} launched {} after {:.1} days (target {}): on time: {}",
            m.display_id,
            format(&launched),
            days(to_launch),
            m.target_launch_date.map_or("none".into(), |t| format(&t)),
            m.on_time.map_or("undefined".into(), |t| t.to_string())
        )?;
    }
    writeln!(
        story.out,
        "  {:.1} days elapsed, {:.1} waiting on the customer, {:.1} on the SLA clock",
        days(m.elapsed_ms),
        days(m.waiting_ms),
        days(m.sla_ms)
    )?;
    let while_waiting = start + chrono::Duration::days(9);
    let then = db.analytics().onboarding(id, Some(while_waiting))?;
    writeln!(
        story.out,
        "  as of day 9, from the history: phase {}, state {}, {:.1} days on the SLA clock",
        then.phase,
        then.state,
        days(then.sla_ms)
    )?;
    let report = db
        .analytics()
        .workspace(&WorkspaceReportParams::default())?;
    writeln!(
        story.out,
        "Workspace: {} onboarding(s), {} launched, on-time rate {}, median {} days to launch",
        report.total,
        report.launched,
        report
            .on_time_rate
            .map_or("n/a".into(), |r| format!("{:.0}%", r * 100.0)),
        report
            .days_to_launch
            .median
            .map_or("n/a".into(), |d| format!("{d:.1}"))
    )?;

    // The change log: every mutation above wrote events in its own transaction.
    let timeline = db.customers().timeline(
        &acme.id,
        &ListParams {
            limit: Some(3),
            cursor: None,
        },
    )?;
    writeln!(story.out, "Change log, newest first:")?;
    for event in &timeline.data {
        writeln!(
            story.out,
            "  #{:<3} {:<24} by {}",
            event.sequence,
            event.event_type.to_string(),
            event.actor
        )?;
    }
    let mut events = 0;
    let mut params = ListParams {
        limit: Some(100),
        cursor: None,
    };
    loop {
        let page = db.customers().timeline(&acme.id, &params)?;
        events += page.data.len();
        match page.next_cursor {
            Some(cursor) => params.cursor = Some(cursor),
            None => break,
        }
    }
    writeln!(story.out, "  … {events} events in all")?;
    writeln!(story.out, "\nThe onboarding as the API returns it:")?;
    writeln!(
        story.out,
        "{}",
        serde_json::to_string(&db.onboardings().retrieve(id)?).unwrap_or_default()
    )?;

    let contacts = db
        .contacts()
        .list(&acme.id, &Default::default())?
        .data
        .len();
    db.close();
    Ok((contacts, events))
}
