//! TLS to the server, set as libpq users set it: `sslmode` and `sslrootcert` in the URL's query,
//! else the `PGSSLMODE` and `PGSSLROOTCERT` variables, over rustls (pure Rust with *ring*: no
//! OpenSSL to install or to build against).
//!
//! As in libpq: `disable` never encrypts; `prefer` (the default) encrypts when the server offers
//! TLS and `require` insists on it, neither checking the server's certificate, unless a root
//! certificate is given to `require` (which then checks as `verify-ca` does); `verify-ca` checks
//! that an authority of the root certificates signed the server's certificate, and `verify-full`
//! also that the certificate names the host connected to. Root certificates come from
//! `sslrootcert` (a PEM file, or `system` for the system's store), else from
//! `~/.postgresql/root.crt`. `allow` (plain first, then TLS) is refused: use `prefer`. Over a
//! Unix socket there is no TLS, whatever the mode.

use super::error::unavailable;
use crate::error::{Error, ErrorCode, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use std::path::PathBuf;
use std::sync::Arc;
use tokio_postgres::config::{Host, SslMode as ClientSslMode};
use tokio_postgres::Config;
use tokio_postgres_rustls::MakeRustlsConnect;

/// The connector every connection of a store uses.
pub(super) type Connector = MakeRustlsConnect;

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Result<Self> {
        Ok(match value {
            "disable" => Self::Disable,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            "allow" => return Err(bad_url("sslmode=allow is not supported: use prefer")),
            _ => {
                return Err(bad_url(format!(
                "sslmode `{value}` is not one of disable, prefer, require, verify-ca, verify-full"
            )))
            }
        })
    }
}

/// A URL's TLS settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Settings {
    pub(super) mode: SslMode,
    /// `sslrootcert`: a PEM file, or `system`.
    pub(super) root_cert: Option<String>,
}

fn bad_url(message: impl Into<String>) -> Error {
    Error::field(ErrorCode::InvalidType, "url", message)
}

/// Takes `sslmode` and `sslrootcert` out of `url`'s query (the client's parser knows neither
/// `verify-ca`, `verify-full` nor root certificates), with `env` (`PGSSLMODE`, `PGSSLROOTCERT`)
/// for what the URL leaves out; returns the rest of the URL and the settings.
pub(super) fn take_settings(
    url: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<(String, Settings)> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let (mut mode, mut root_cert) = (None, None);
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded = || {
            percent_encoding::percent_decode_str(value)
                .decode_utf8()
                .map(|v| v.into_owned())
                .map_err(|_| bad_url(format!("the URL's {key} is not UTF-8")))
        };
        match key {
            "sslmode" => mode = Some(decoded()?),
            "sslrootcert" => root_cert = Some(decoded()?),
            _ => rest.push(pair),
        }
    }
    let mode = match mode.or_else(|| env("PGSSLMODE")) {
        Some(mode) => SslMode::parse(&mode)?,
        None => SslMode::Prefer,
    };
    let root_cert = root_cert.or_else(|| env("PGSSLROOTCERT"));
    let url = if rest.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    Ok((url, Settings { mode, root_cert }))
}

/// Sets `config`'s TLS mode from `settings` and makes the connector that checks the server's
/// certificate as they say. A root certificate that cannot be read is `storage_unavailable`,
/// naming the file.
pub(super) fn connector(settings: &Settings, config: &mut Config) -> Result<Connector> {
    config.ssl_mode(match settings.mode {
        // As libpq: a Unix socket has no TLS, whatever the mode asks.
        _ if unix_sockets_only(config) => ClientSslMode::Disable,
        SslMode::Disable => ClientSslMode::Disable,
        SslMode::Prefer => ClientSslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => ClientSslMode::Require,
    });
    // rustls 0.23.48 deprecates *ring*'s provider for lacking post-quantum key exchange, which
    // PostgreSQL servers do not offer yet either; aws-lc-rs would add a large C build.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::internal(format!("TLS: {e}")))?
        .dangerous();
    let verifier: Arc<dyn ServerCertVerifier> = match (settings.mode, &settings.root_cert) {
        (SslMode::Disable | SslMode::Prefer, _) | (SslMode::Require, None) => {
            Arc::new(Unverified(provider))
        }
        (SslMode::Require | SslMode::VerifyCa, root_cert) => {
            Arc::new(AnyName(web_pki(root_cert.as_deref(), provider)?))
        }
        (SslMode::VerifyFull, root_cert) => web_pki(root_cert.as_deref(), provider)?,
    };
    let config = builder
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// Whether every host of `config` is a Unix socket's directory.
fn unix_sockets_only(config: &Config) -> bool {
    let hosts = config.get_hosts();
    #[cfg(unix)]
    let unix = |host: &Host| matches!(host, Host::Unix(_));
    #[cfg(not(unix))]
    let unix = |_: &Host| false;
    !hosts.is_empty() && hosts.iter().all(unix)
}

/// The standard check, against the root certificates of `root_cert`.
fn web_pki(
    root_cert: Option<&str>,
    provider: Arc<CryptoProvider>,
) -> Result<Arc<WebPkiServerVerifier>> {
    let mut roots = RootCertStore::empty();
    let source = match root_cert {
        Some("system") => {
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
            "the system's certificate store".to_owned()
        }
        Some(path) => {
            add_pem_file(&mut roots, PathBuf::from(path))?;
            path.to_owned()
        }
        None => {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default();
            let path = home.join(".postgresql").join("root.crt");
            if !path.exists() {
                return Err(unavailable(format!(
                    "the root certificate file {} does not exist: give sslrootcert (a PEM file, \
                     or `system`), or an sslmode that does not check the server's certificate",
                    path.display()
                )));
            }
            add_pem_file(&mut roots, path.clone())?;
            path.display().to_string()
        }
    };
    if roots.is_empty() {
        return Err(unavailable(format!("no root certificate in {source}")));
    }
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .map_err(|e| unavailable(format!("the root certificates of {source}: {e}")))
}

fn add_pem_file(roots: &mut RootCertStore, path: PathBuf) -> Result<()> {
    let cannot = |e: &dyn std::fmt::Display| {
        unavailable(format!(
            "cannot read the root certificate file {}: {e}",
            path.display()
        ))
    };
    for cert in CertificateDer::pem_file_iter(&path).map_err(|e| cannot(&e))? {
        roots
            .add(cert.map_err(|e| cannot(&e))?)
            .map_err(|e| cannot(&e))?;
    }
    Ok(())
}

/// `prefer` and `require` without a root certificate: any certificate, so long as the server
/// holds its key.
#[derive(Debug)]
struct Unverified(Arc<CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the standard check of the chain up to a root certificate, whatever host the
/// certificate names (the standard check tests the name after the chain).
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let checked =
            self.0
                .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now);
        match checked {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str) -> (String, Settings) {
        take_settings(url, |_| None).unwrap()
    }

    #[test]
    fn sslmode_and_sslrootcert_are_taken_out_of_the_url() {
        let (url, s) = settings(
            "postgresql://a@h/db?connect_timeout=3&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem",
        );
        assert_eq!(url, "postgresql://a@h/db?connect_timeout=3");
        assert_eq!(s.mode, SslMode::VerifyFull);
        assert_eq!(s.root_cert.as_deref(), Some("/etc/ca.pem"));
        let (url, s) = settings("postgresql://a@h/db?sslmode=disable");
        assert_eq!(
            (url.as_str(), s.mode),
            ("postgresql://a@h/db", SslMode::Disable)
        );
    }

    #[test]
    fn prefer_is_the_default_and_the_variables_fill_in() {
        let (_, s) = settings("postgresql://a@h/db");
        assert_eq!((s.mode, s.root_cert), (SslMode::Prefer, None));
        let env = |name: &str| match name {
            "PGSSLMODE" => Some("require".to_owned()),
            "PGSSLROOTCERT" => Some("system".to_owned()),
            _ => None,
        };
        let (_, s) = take_settings("postgresql://a@h/db", env).unwrap();
        assert_eq!(
            (s.mode, s.root_cert.as_deref()),
            (SslMode::Require, Some("system"))
        );
        let (_, s) = take_settings("postgresql://a@h/db?sslmode=disable", env).unwrap();
        assert_eq!(s.mode, SslMode::Disable);
    }

    #[test]
    fn an_unknown_sslmode_is_invalid() {
        for mode in ["allow", "verify_full", ""] {
            let e = take_settings(&format!("postgresql://a@h/db?sslmode={mode}"), |_| None)
                .unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::InvalidType, Some("url"))
            );
        }
    }

    #[test]
    fn a_unix_socket_has_no_tls_whatever_the_mode() {
        let require = Settings {
            mode: SslMode::Require,
            root_cert: None,
        };
        let mut config = Config::new();
        config.host("/run/postgresql");
        connector(&require, &mut config).unwrap();
        assert_eq!(config.get_ssl_mode(), ClientSslMode::Disable);
        config.host("db.internal");
        connector(&require, &mut config).unwrap();
        assert_eq!(config.get_ssl_mode(), ClientSslMode::Require);
    }

    #[test]
    fn a_root_certificate_that_cannot_be_read_is_named() {
        let settings = Settings {
            mode: SslMode::VerifyFull,
            root_cert: Some("/nonexistent/ca.pem".into()),
        };
        let e = connector(&settings, &mut Config::new()).err().unwrap();
        assert_eq!(e.code, ErrorCode::StorageUnavailable);
        assert!(e.message.contains("/nonexistent/ca.pem"), "{e}");
    }
}
