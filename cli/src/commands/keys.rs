//! `pivotal keys create|ls|revoke`: API keys of the default workspace, in live or test mode.

use crate::args::KeysCommand;
use crate::fail::Failure;
use crate::output;
use pivotal_core::{ApiKey, ErrorCode, Page, Pivotal};
use std::io::Write;
use std::path::Path;

const COLUMNS: &[(&str, &str)] = &[
    ("ID", "id"),
    ("NAME", "name"),
    ("PREFIX", "prefix"),
    ("LIVEMODE", "livemode"),
    ("CREATED", "created_at"),
    ("REVOKED", "revoked_at"),
];

pub fn run(
    path: &Path,
    command: KeysCommand,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    match command {
        KeysCommand::Create { name, test } => {
            let db = super::open(path, true)?.with_livemode(!test)?;
            let created = db.api_keys().create(&name)?;
            if json {
                output::json(out, &created)?;
            } else {
                writeln!(
                    out,
                    "Created {} mode key {} ({}). Its secret, shown only now:",
                    if test { "test" } else { "live" },
                    created.api_key.id,
                    created.api_key.name
                )?;
                writeln!(out, "{}", created.secret)?;
            }
        }
        KeysCommand::Ls => {
            let db = super::open(path, false)?;
            let mut keys = db.api_keys().list()?;
            keys.extend(db.with_livemode(false)?.api_keys().list()?);
            if json {
                let page = Page {
                    data: keys,
                    has_more: false,
                    next_cursor: None,
                };
                output::json(out, &page)?;
            } else if keys.is_empty() {
                writeln!(out, "no keys")?;
            } else {
                let rows: Vec<_> = keys.iter().map(output::to_value).collect();
                output::table(out, COLUMNS, &rows)?;
            }
        }
        KeysCommand::Revoke { id } => {
            let db = super::open(path, false)?;
            let key = revoke(&db, &id)?;
            if json {
                output::json(out, &key)?;
            } else {
                writeln!(out, "Revoked key {} ({})", key.id, key.name)?;
            }
        }
    }
    Ok(())
}

/// Revokes the key in whichever mode holds it.
fn revoke(db: &Pivotal, id: &str) -> pivotal_core::Result<ApiKey> {
    match db.api_keys().revoke(id) {
        Err(e) if e.code == ErrorCode::ApiKeyNotFound => {
            db.with_livemode(false)?.api_keys().revoke(id)
        }
        other => other,
    }
}
