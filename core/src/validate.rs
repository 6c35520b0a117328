//! Field checks: trim, normalise and bound every input, producing typed errors that name the field.

use crate::error::{Error, ErrorCode, Result};
use crate::model::time::{in_range, to_millis};
use crate::model::{Metadata, Patch, Timestamp};
use crate::rules::limits::*;

/// Characters (Unicode scalar values) in a string.
fn chars(s: &str) -> usize {
    s.chars().count()
}

fn too_long(field: &str, max: usize) -> Error {
    Error::field(
        ErrorCode::TooLong,
        field,
        format!("`{field}` must be at most {max} characters"),
    )
}

/// A required string: trimmed, non-empty, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::field(
            ErrorCode::MissingField,
            field,
            format!("`{field}` is required"),
        ));
    }
    if chars(v) > max {
        return Err(too_long(field, max));
    }
    Ok(v.to_owned())
}

/// An optional string: trimmed, empty means absent, at most `max` characters.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if chars(v) > max {
        return Err(too_long(field, max));
    }
    Ok(Some(v.to_owned()))
}

/// A patch of a nullable string: set values are checked like [`optional_text`]; an empty one clears.
pub fn patch_text(field: &str, patch: Patch<String>, max: usize) -> Result<Patch<String>> {
    Ok(match patch {
        Patch::Set(v) => Patch::from_option(optional_text(field, Some(&v), max)?),
        other => other,
    })
}

/// A patch of a required string: cannot be cleared; set values are checked like [`required_text`].
pub fn patch_required_text(field: &str, patch: Patch<String>, max: usize) -> Result<Patch<String>> {
    match patch {
        Patch::Set(v) => Ok(Patch::Set(required_text(field, &v, max)?)),
        Patch::Clear => Err(cannot_clear(field)),
        Patch::Unchanged => Ok(Patch::Unchanged),
    }
}

/// The error for clearing a field that cannot be null.
pub fn cannot_clear(field: &str) -> Error {
    Error::field(
        ErrorCode::InvalidType,
        field,
        format!("`{field}` cannot be null"),
    )
}

/// A required (non-nullable) patch value: `Clear` is refused.
pub fn patch_not_null<T>(field: &str, patch: Patch<T>) -> Result<Patch<T>> {
    match patch {
        Patch::Clear => Err(cannot_clear(field)),
        other => Ok(other),
    }
}

/// An integer within `min..=max`.
pub fn int_range(field: &str, value: i64, min: i64, max: Option<i64>) -> Result<i64> {
    if value < min {
        return Err(Error::field(
            ErrorCode::TooSmall,
            field,
            format!("`{field}` must be at least {min}"),
        ));
    }
    match max {
        Some(max) if value > max => Err(Error::field(
            ErrorCode::TooLarge,
            field,
            format!("`{field}` must be at most {max}"),
        )),
        _ => Ok(value),
    }
}

/// The slug pattern `^[a-z0-9]+(-[a-z0-9]+)*$`, 1–64 characters.
pub fn slug(value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::field(
            ErrorCode::MissingField,
            "slug",
            "`slug` cannot be empty",
        ));
    }
    if chars(v) > SLUG_MAX {
        return Err(too_long("slug", SLUG_MAX));
    }
    let well_formed = v.split('-').all(|part| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if !well_formed {
        return Err(Error::field(
            ErrorCode::InvalidSlug,
            "slug",
            "`slug` must be lowercase letters and digits in groups joined by single hyphens",
        ));
    }
    Ok(v.to_owned())
}

/// Derives a slug from a name: ASCII-folded, lowercased, runs of other characters become `-`, at
/// most 64 characters. Empty when the name has no letters or digits.
pub fn derive_slug(name: &str) -> String {
    let folded = deunicode::deunicode(name).to_ascii_lowercase();
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(SLUG_MAX);
    out.trim_end_matches('-').to_owned()
}

/// A host name: trimmed and lowercased, no scheme, path, port or whitespace, at most 253 characters.
pub fn domain(value: &str) -> Result<String> {
    let v = value.trim().to_lowercase();
    if chars(&v) > DOMAIN_MAX {
        return Err(too_long("domain", DOMAIN_MAX));
    }
    let v = v.strip_suffix('.').unwrap_or(&v);
    let label_ok = |l: &str| {
        (1..=DOMAIN_LABEL_MAX).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if v.is_empty() || !v.split('.').all(label_ok) {
        return Err(Error::field(
            ErrorCode::InvalidDomain,
            "domain",
            "`domain` must be a host name such as `acme.com`, without scheme or path",
        ));
    }
    Ok(v.to_owned())
}

/// An email address: trimmed, lowercased, one `@`, a non-empty local part, a dotted domain, ≤ 254.
pub fn email(value: &str) -> Result<String> {
    let v = value.trim().to_lowercase();
    if v.is_empty() {
        return Err(Error::field(
            ErrorCode::MissingField,
            "email",
            "`email` is required",
        ));
    }
    if chars(&v) > EMAIL_MAX {
        return Err(too_long("email", EMAIL_MAX));
    }
    let invalid = || {
        Error::field(
            ErrorCode::InvalidEmail,
            "email",
            format!("`{v}` is not a valid email address"),
        )
    };
    let (local, host) = v.split_once('@').ok_or_else(invalid)?;
    let host_ok = host.contains('.') && host.split('.').all(host_label);
    let unsafe_char = |c: char| c.is_whitespace() || c.is_control() || is_bidi_control(c);
    if local.is_empty() || !host_ok || v.chars().any(unsafe_char) {
        return Err(invalid());
    }
    Ok(v)
}

/// The invisible characters that reorder text (U+061C, U+200E–U+200F, U+202A–U+202E,
/// U+2066–U+2069): refused in an email address, where they would make it display as another.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A label of a host name as IDNA admits it: 1–63 characters, letters (any script), digits and
/// inner hyphens, combining marks after a letter; no symbols, emoji or punctuation.
fn host_label(label: &str) -> bool {
    let mut chars = label.chars();
    (1..=63).contains(&label.chars().count())
        && !label.starts_with('-')
        && !label.ends_with('-')
        && chars.next().is_some_and(char::is_alphanumeric)
        && chars.all(|c| c.is_alphanumeric() || c == '-' || is_combining_mark(c))
}

/// Combining marks of the common blocks (accents written as separate characters, Indic vowel
/// signs): part of a letter in an internationalised domain name.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05C7}'
        | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0900}'..='\u{0903}'
        | '\u{093A}'..='\u{094F}' | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'
        | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}'
        | '\u{3099}'..='\u{309A}')
}

/// A phone number: ≤ 32 characters of digits, spaces and `+-().`.
pub fn phone(value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = optional_text("phone", value, PHONE_MAX)? else {
        return Ok(None);
    };
    if !v
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        return Err(Error::field(
            ErrorCode::InvalidPhone,
            "phone",
            "`phone` may hold only digits, spaces and `+-().`",
        ));
    }
    Ok(Some(v))
}

/// Labels: ≤ 20, each 1–50 characters, trimmed and lowercased, duplicates removed, order kept.
pub fn labels(values: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for raw in values {
        let label = raw.trim().to_lowercase();
        if label.is_empty() {
            return Err(Error::field(
                ErrorCode::TooSmall,
                "labels",
                "labels cannot be empty",
            ));
        }
        if chars(&label) > LABEL_MAX {
            return Err(too_long("labels", LABEL_MAX));
        }
        if !out.contains(&label) {
            out.push(label);
        }
    }
    if out.len() > LABELS_MAX {
        return Err(Error::field(
            ErrorCode::TooLarge,
            "labels",
            format!("at most {LABELS_MAX} labels"),
        ));
    }
    Ok(out)
}

pub use crate::rules::limits::{MAX_DOCUMENT_NESTING, MAX_NESTING};

/// The levels of objects and arrays in `value` (0 for a scalar), counted without recursion and
/// only up to `max + 1`, so that any depth is measured in bounded time and stack.
pub fn nesting(value: &serde_json::Value, max: usize) -> usize {
    use serde_json::Value;
    let mut deepest = 0;
    let mut stack = vec![(value, 1usize)];
    while let Some((v, depth)) = stack.pop() {
        match v {
            Value::Object(m) => stack.extend(m.values().map(|c| (c, depth + 1))),
            Value::Array(a) => stack.extend(a.iter().map(|c| (c, depth + 1))),
            _ => continue,
        }
        deepest = deepest.max(depth);
        if deepest > max {
            break;
        }
    }
    deepest
}

/// The error for a value nested deeper than `max` levels.
pub fn too_deep(field: &str, max: usize) -> Error {
    Error::field(
        ErrorCode::InvalidType,
        field,
        format!("`{field}` may nest objects and arrays at most {max} levels deep"),
    )
}

/// Checks that `value` nests at most `max` levels; see [`MAX_NESTING`].
pub fn max_nesting(field: &str, value: &serde_json::Value, max: usize) -> Result<()> {
    if nesting(value, max) > max {
        return Err(too_deep(field, max));
    }
    Ok(())
}

/// Metadata: ≤ 50 keys of 1–40 characters, string values ≤ 500 characters, nested at most
/// [`MAX_NESTING`] levels, ≤ 8 KiB serialised.
pub fn metadata(value: &Metadata) -> Result<()> {
    const FIELD: &str = "metadata";
    // Before anything walks the value recursively (serialising it for its size).
    for v in value.values() {
        max_nesting(FIELD, v, MAX_NESTING - 1).map_err(|_| too_deep(FIELD, MAX_NESTING))?;
    }
    if value.len() > METADATA_KEYS_MAX {
        return Err(Error::field(
            ErrorCode::TooLarge,
            FIELD,
            format!("`metadata` may hold at most {METADATA_KEYS_MAX} keys"),
        ));
    }
    for (key, v) in value {
        if key.is_empty() {
            return Err(Error::field(
                ErrorCode::TooSmall,
                FIELD,
                "metadata keys cannot be empty",
            ));
        }
        if chars(key) > METADATA_KEY_MAX {
            return Err(Error::field(
                ErrorCode::TooLong,
                FIELD,
                format!("metadata keys must be at most {METADATA_KEY_MAX} characters"),
            ));
        }
        if v.as_str().is_some_and(|s| chars(s) > METADATA_VALUE_MAX) {
            return Err(Error::field(
                ErrorCode::TooLong,
                FIELD,
                format!("metadata string values must be at most {METADATA_VALUE_MAX} characters"),
            ));
        }
    }
    let size = serde_json::to_vec(value)
        .map_err(|e| Error::internal(e.to_string()))?
        .len();
    if size > METADATA_BYTES_MAX {
        return Err(Error::field(
            ErrorCode::TooLarge,
            FIELD,
            "`metadata` must be at most 8 KiB serialised",
        ));
    }
    Ok(())
}

/// An instant given through the typed API: truncated to milliseconds, in the years 1–9999.
pub fn instant(field: &str, t: Timestamp) -> Result<Timestamp> {
    let t = to_millis(t);
    if !in_range(&t) {
        return Err(Error::field(
            ErrorCode::InvalidTimestamp,
            field,
            format!("`{field}` must lie in the years 1 to 9999"),
        ));
    }
    Ok(t)
}

/// An idempotency key: 1–255 bytes.
pub fn idempotency_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > IDEMPOTENCY_KEY_MAX_BYTES {
        return Err(Error::field(
            ErrorCode::InvalidIdempotencyKey,
            "idempotency_key",
            format!("idempotency keys must be 1–{IDEMPOTENCY_KEY_MAX_BYTES} bytes"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code<T: std::fmt::Debug>(r: Result<T>) -> ErrorCode {
        r.unwrap_err().code
    }

    #[test]
    fn text_is_trimmed_and_bounded_in_scalar_values() {
        assert_eq!(required_text("name", "  Acme ", 200).unwrap(), "Acme");
        assert_eq!(
            code(required_text("name", "   ", 200)),
            ErrorCode::MissingField
        );
        assert!(required_text("name", &"é".repeat(200), 200).is_ok());
        assert_eq!(
            code(required_text("name", &"é".repeat(201), 200)),
            ErrorCode::TooLong
        );
        assert_eq!(optional_text("plan", Some("  "), 64).unwrap(), None);
    }

    #[test]
    fn slugs_follow_the_pattern() {
        assert!(slug("acme-corp-2").is_ok());
        for bad in ["Acme", "acme--corp", "-acme", "acme-", "ac me", "acmé"] {
            assert_eq!(code(slug(bad)), ErrorCode::InvalidSlug, "{bad}");
        }
        assert_eq!(code(slug(&"a".repeat(65))), ErrorCode::TooLong);
    }

    #[test]
    fn derived_slugs_fold_and_collapse() {
        assert_eq!(derive_slug("Café Zürich & Co."), "cafe-zurich-co");
        assert_eq!(derive_slug("  --ACME--  "), "acme");
        assert_eq!(derive_slug("!!!"), "");
        assert_eq!(derive_slug(&"abc ".repeat(40)).len(), 63);
        assert!(slug(&derive_slug(&"x".repeat(300))).is_ok());
    }

    #[test]
    fn domains_are_host_names() {
        assert_eq!(domain(" ACME.com ").unwrap(), "acme.com");
        for bad in [
            "https://acme.com",
            "acme.com/path",
            "acme .com",
            "acme.com:80",
            "-a.com",
            "",
        ] {
            assert_eq!(code(domain(bad)), ErrorCode::InvalidDomain, "{bad}");
        }
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(email(" Ada@Example.COM ").unwrap(), "ada@example.com");
        for bad in [
            "ada",
            "@example.com",
            "ada@example",
            "a@b@c.com",
            "ada@.com",
            "a da@x.com",
            "ada\0@x.com",
            "ada@x\u{7}.com",
            "ada\u{1b}[31m@x.com",
            "ad\u{202E}moc.x@a",
            "ada@x\u{2066}.com",
            "\u{200F}ada@x.com",
            "ada@😀.com",
            "ada@x😀.com",
            "ada@x.c$m",
            "ada@x_y.com",
            "ada@-x.com",
            "ada@x-.com",
            "ada@x..com",
            "ada@x.com.",
        ] {
            assert_eq!(code(email(bad)), ErrorCode::InvalidEmail, "{bad:?}");
        }
        for good in [
            "ada@x-y.example.com",
            "o'brien+tag@example.co.uk",
            "ada@bücher.de",
            "ada@пример.рф",
            "ada@例え.jp",
            "ada@xn--bcher-kva.de",
        ] {
            assert_eq!(email(good).unwrap(), good, "{good}");
        }
    }

    #[test]
    fn phones_and_labels() {
        assert_eq!(
            phone(Some("+1 (555) 010-0000")).unwrap().unwrap(),
            "+1 (555) 010-0000"
        );
        assert_eq!(code(phone(Some("555-CALL"))), ErrorCode::InvalidPhone);
        assert_eq!(
            labels(&["VIP".into(), "vip".into(), "Beta".into()]).unwrap(),
            ["vip", "beta"]
        );
        let many: Vec<String> = (0..21).map(|i| format!("l{i}")).collect();
        assert_eq!(code(labels(&many)), ErrorCode::TooLarge);
    }

    #[test]
    fn metadata_limits() {
        let mut m = Metadata::new();
        m.insert("nested".into(), serde_json::json!({"a": [1, 2]}));
        assert!(metadata(&m).is_ok());
        m.insert("k".repeat(41), "v".into());
        assert_eq!(code(metadata(&m)), ErrorCode::TooLong);
        let big: Metadata = (0..20)
            .map(|i| (format!("k{i}"), "v".repeat(450).into()))
            .collect();
        assert_eq!(code(metadata(&big)), ErrorCode::TooLarge);
    }

    #[test]
    fn idempotency_keys_are_bounded_in_bytes() {
        assert!(idempotency_key("k").is_ok());
        assert_eq!(code(idempotency_key("")), ErrorCode::InvalidIdempotencyKey);
        assert_eq!(
            code(idempotency_key(&"é".repeat(128))),
            ErrorCode::InvalidIdempotencyKey
        );
    }
}
