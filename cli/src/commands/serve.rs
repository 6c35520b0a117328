//! `pivotal serve`: the REST API over HTTP on a store file (pivotal-server).

use crate::args::ServeArgs;
use crate::fail::{usage, Failure};
use pivotal_core::model::time::parse_instant;
use pivotal_core::{FixedClock, Pivotal};
use pivotal_server::{AppState, Config};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Opens the store, listens, prints `listening on http://ADDR`, serves until SIGTERM or SIGINT,
/// then closes the store.
pub fn run(path: &Path, args: &ServeArgs, out: &mut impl Write) -> Result<(), Failure> {
    let level = if args.quiet {
        tracing_subscriber::filter::LevelFilter::WARN
    } else {
        tracing_subscriber::filter::LevelFilter::INFO
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .try_init();
    let mut options = Pivotal::options().actor(&args.actor);
    let clock = match &args.clock {
        None => None,
        Some(at) => {
            let at = parse_instant(at)
                .ok_or_else(|| usage(format!("--clock: not an RFC 3339 instant: {at}")))?;
            let clock = Arc::new(FixedClock::new(at));
            options = options.clock(clock.clone());
            Some(clock)
        }
    };
    let db = options.open(path)?;
    let state = AppState::new(db.clone(), args.no_auth, clock);
    let config = Config {
        max_concurrent: args.max_concurrent as usize,
        header_timeout: Duration::from_secs(args.header_timeout),
        request_timeout: Duration::from_secs(args.request_timeout),
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| usage(format!("cannot start the server's runtime: {e}")))?;
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .map_err(|e| usage(format!("cannot listen on {}: {e}", args.addr)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| usage(format!("cannot listen on {}: {e}", args.addr)))?;
        writeln!(out, "listening on http://{addr}")?;
        out.flush()?;
        pivotal_server::serve(listener, state, config, pivotal_server::shutdown_signal())
            .await
            .map_err(|e| usage(format!("the server failed: {e}")))
    });
    db.close();
    served
}
