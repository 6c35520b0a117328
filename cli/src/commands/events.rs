//! `pivotal events`: the change log in sequence order, one line per event (one JSON object per
//! line with `--json`); `--follow` polls for new events until interrupted, `--max-events` or
//! `--timeout`.

use crate::args::EventsArgs;
use crate::fail::{usage, Failure};
use crate::output;
use pivotal_core::wire::parse_enum;
use pivotal_core::{Event, EventListParams, Pivotal};
use std::io::Write;
use std::time::{Duration, Instant};

/// Events read per poll.
const PAGE: i64 = 100;

pub fn run(
    db: &Pivotal,
    args: &EventsArgs,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let deadline = match args.timeout {
        Some(s) if s.is_finite() && s >= 0.0 => Some(Instant::now() + Duration::from_secs_f64(s)),
        Some(s) => {
            return Err(usage(format!(
                "--timeout must be a number of seconds, not {s}"
            )))
        }
        None => None,
    };
    let mut params = EventListParams {
        after_sequence: args.after_sequence,
        types: args
            .types
            .iter()
            .map(|t| parse_enum("type", t))
            .collect::<Result<_, _>>()?,
        object_id: args.object_id.clone(),
        limit: Some(PAGE),
    };
    let mut printed = 0u64;
    loop {
        let page = db.events().list(&params)?;
        for event in &page.data {
            if args.max_events.is_some_and(|max| printed >= max) {
                return Ok(());
            }
            line(out, event, json)?;
            printed += 1;
            params.after_sequence = Some(event.sequence);
        }
        out.flush()?;
        if args.max_events.is_some_and(|max| printed >= max) {
            return Ok(());
        }
        if page.has_more {
            continue;
        }
        if !args.follow {
            return Ok(());
        }
        let mut pause = Duration::from_millis(args.interval);
        if let Some(deadline) = deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            pause = pause.min(left);
        }
        std::thread::sleep(pause);
    }
}

fn line(out: &mut dyn Write, event: &Event, json: bool) -> std::io::Result<()> {
    if json {
        return output::json(out, event);
    }
    let value = output::to_value(event);
    writeln!(
        out,
        "#{:<6} {}  {:<30} {:<24} by {}",
        event.sequence,
        output::text(&value["created_at"]),
        event.event_type.to_string(),
        output::text(&event.data.object["id"]),
        event.actor
    )
}
