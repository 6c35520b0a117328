//! Opening a database: the connection settings (the URL, then the `PG*` environment variables),
//! connecting, and the schema's versioned migrations.

use super::driver::Driver;
use super::error::{map_err, unavailable};
use super::tls::{self, Connector};
use super::Connection;
use crate::error::{Error, ErrorCode, Result};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio_postgres::config::Host;
use tokio_postgres::Config;

/// The schema version this library reads and writes (`pivotal_schema.version`).
pub(super) const SCHEMA_VERSION: i64 = 1;

/// The forward steps: `(v, sql)` takes a database from version `v - 1` to `v`. A database runs
/// every step above its version, all in one transaction; a new one runs them all.
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("migrations/v1.sql"))];

/// The advisory lock that openers of one database take in turn while they check and migrate it.
const OPEN_LOCK: i64 = 0x5056_544C; // "PVTL"

/// How long connecting may take when neither the URL (`connect_timeout`) nor
/// `PGCONNECT_TIMEOUT` says.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The connection settings of `url`, with what it leaves out taken from the standard variables
/// `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGCONNECT_TIMEOUT`, `PGAPPNAME`,
/// `PGSSLMODE` and `PGSSLROOTCERT`, then from libpq's defaults (`localhost`, port 5432, the
/// login name as user, `sslmode=prefer`); and the TLS connector they call for (`tls`).
///
/// A URL that does not parse is an `invalid_request_error` (field `url`); its text is not
/// repeated in the message, since it may hold a password.
pub(super) fn config(url: &str) -> Result<(Config, Connector)> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (url, tls_settings) = tls::take_settings(url, env)?;
    let mut config = Config::from_str(&url).map_err(|e| {
        Error::field(
            ErrorCode::InvalidType,
            "url",
            format!("the PostgreSQL URL does not parse: {e}"),
        )
    })?;
    if config.get_hosts().is_empty() {
        config.host(env("PGHOST").unwrap_or_else(|| "localhost".into()));
    }
    if config.get_ports().is_empty() {
        if let Some(port) = env("PGPORT").and_then(|p| p.parse().ok()) {
            config.port(port);
        }
    }
    if config.get_user().is_none() {
        if let Some(user) = env("PGUSER").or_else(|| env("USER")) {
            config.user(&user);
        }
    }
    if config.get_password().is_none() {
        if let Some(password) = env("PGPASSWORD") {
            config.password(password);
        }
    }
    if config.get_dbname().is_none() {
        if let Some(dbname) = env("PGDATABASE") {
            config.dbname(&dbname);
        }
    }
    if config.get_connect_timeout().is_none() {
        let seconds = env("PGCONNECT_TIMEOUT").and_then(|s| s.parse::<u64>().ok());
        config.connect_timeout(seconds.map_or(CONNECT_TIMEOUT, Duration::from_secs));
    }
    if config.get_application_name().is_none() {
        config.application_name(env("PGAPPNAME").unwrap_or_else(|| "pivotal-core".into()));
    }
    let connector = tls::connector(&tls_settings, &mut config)?;
    Ok((config, connector))
}

/// Where `config` points, for messages: `user@host:port/database`, never the password.
pub(super) fn describe(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("");
    let dbname = config.get_dbname().unwrap_or(user);
    format!("{user}@{host}:{port}/{dbname}")
}

/// Where a store's connections go, and how.
pub(super) struct Target {
    config: Config,
    tls: Connector,
    /// `user@host:port/database`, for messages.
    pub(super) server: String,
}

impl Target {
    /// The target of `url` (see [`config`]).
    pub(super) fn new(url: &str) -> Result<Self> {
        let (config, tls) = config(url)?;
        let server = describe(&config);
        Ok(Self {
            config,
            tls,
            server,
        })
    }
}

/// A new connection; `storage_unavailable` naming the server and the cause when it cannot be made.
pub(super) fn connect(target: &Arc<Target>) -> Result<Connection> {
    let (client, driver) =
        Driver::connect(&target.config, target.tls.clone()).map_err(|cause| {
            unavailable(format!(
                "cannot connect to PostgreSQL at {}: {}",
                target.server, cause.message
            ))
        })?;
    Ok(Connection::new(client, driver, target.clone()))
}

/// Checks the database's schema and brings it up to [`SCHEMA_VERSION`], in one transaction under
/// [`OPEN_LOCK`], so that processes opening it at once migrate it once. A database of a newer
/// version is refused (`schema_too_new`) and left as it was. (Once per store: one request per
/// round trip.)
pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    let Connection { client, driver, .. } = conn;
    let tx = driver.block_on(client.transaction()).map_err(map_err)?;
    driver
        .block_on(tx.execute("SELECT pg_advisory_xact_lock($1)", &[&OPEN_LOCK]))
        .map_err(map_err)?;
    let present: bool = driver
        .block_on(tx.query_one("SELECT to_regclass('pivotal_schema') IS NOT NULL", &[]))
        .and_then(|r| r.try_get(0))
        .map_err(map_err)?;
    let version: i64 = if present {
        driver
            .block_on(tx.query_one("SELECT version FROM pivotal_schema", &[]))
            .and_then(|r| r.try_get(0))
            .map_err(|e| {
                Error::new(
                    ErrorCode::StorageCorrupt,
                    format!("the table pivotal_schema does not hold one version: {e}"),
                )
            })?
    } else {
        0
    };
    if version > SCHEMA_VERSION {
        return Err(Error::new(
            ErrorCode::SchemaTooNew,
            format!(
                "the database has schema version {version}; this library reads up to {SCHEMA_VERSION}"
            ),
        ));
    }
    if version < SCHEMA_VERSION {
        for (_, step) in MIGRATIONS.iter().filter(|(v, _)| *v > version) {
            driver.block_on(tx.batch_execute(step)).map_err(map_err)?;
        }
        let update = tx.execute("UPDATE pivotal_schema SET version = $1", &[&SCHEMA_VERSION]);
        driver.block_on(update).map_err(map_err)?;
    }
    driver.block_on(tx.commit()).map_err(map_err)
}
