//! API key secrets and stored hashes as arbitrary strings (`keys::mode_of`, `keys::verify`): no
//! panic; a secret accepted has the documented shape; a hash verifies its own secret only.
//!
//! Input: `secret`, a NUL byte, the stored hash (`pbkdf2-sha256$<iterations>$<salt>$<hash>`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use pivotal_core::keys;

/// Stored hashes name their own iteration count; `verify` refuses more than
/// `keys::MAX_ITERATIONS`, but even that much takes half a second, so the fuzzer keeps to small counts.
const MAX_ITERATIONS: u32 = 2_000;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (secret, stored) = text.split_once('\0').unwrap_or((&text, ""));

    match keys::mode_of(secret) {
        Ok(live) => {
            let prefix = if live {
                keys::LIVE_PREFIX
            } else {
                keys::TEST_PREFIX
            };
            let body = secret.strip_prefix(prefix).unwrap();
            assert_eq!(body.len(), keys::SECRET_BODY_LEN);
            assert!(body.bytes().all(|b| b.is_ascii_alphanumeric()));
        }
        Err(e) => assert_eq!(e.code, pivotal_core::ErrorCode::InvalidApiKey),
    }
    let shown = keys::display_prefix(secret);
    assert!(secret.starts_with(&shown) && shown.chars().count() <= keys::DISPLAY_PREFIX_LEN);

    let iterations = stored.split('$').nth(1).and_then(|i| i.parse::<u32>().ok());
    if iterations.is_none_or(|i| i <= MAX_ITERATIONS) {
        let _ = keys::verify(secret, stored);
    }

    // Only a well-formed secret can match, even its own hash.
    let hashed = keys::hash(secret, 1);
    assert_eq!(keys::verify(secret, &hashed), keys::mode_of(secret).is_ok());
    assert!(!keys::verify(&format!("{secret}x"), &hashed));
    if stored != secret {
        assert!(!keys::verify(stored, &hashed));
    }
});
