//! Text PostgreSQL cannot hold. A `text` value may not contain NUL, which the library's strings
//! may (names, notes, idempotency keys, the references a caller looks up). Every text parameter
//! is escaped on its way to the server ([`Escaped`]) and every text column unescaped on its way
//! back ([`Unescaped`]): U+0001 is the escape character, `\u{1}\u{1}` stands for U+0001 and
//! `\u{1}0` for NUL; other text is stored as it is. The mapping is one-to-one, so equality is
//! kept; order differs only between strings holding U+0000 or U+0001, which ids and slugs never do.

use bytes::BytesMut;
use std::error::Error;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type};

type BoxError = Box<dyn Error + Sync + Send>;

const ESCAPE: u8 = 1;

/// A parameter, escaped when it is text.
#[derive(Debug)]
pub(super) struct Escaped<'a>(pub(super) &'a (dyn ToSql + Sync));

impl ToSql for Escaped<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        self.to_sql_checked(ty, out)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn to_sql_checked(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let start = out.len();
        let is_null = self.0.to_sql_checked(ty, out)?;
        let text = *ty == Type::TEXT || *ty == Type::VARCHAR;
        if text && out[start..].iter().any(|&b| b <= ESCAPE) {
            let raw = out.split_off(start);
            for &b in raw.iter() {
                match b {
                    0 => out.extend_from_slice(&[ESCAPE, b'0']),
                    ESCAPE => out.extend_from_slice(&[ESCAPE, ESCAPE]),
                    b => out.extend_from_slice(&[b]),
                }
            }
        }
        Ok(is_null)
    }
}

/// A text column, unescaped.
pub(super) struct Unescaped(pub(super) String);

impl<'a> FromSql<'a> for Unescaped {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let stored = <&str as FromSql>::from_sql(ty, raw)?;
        if !stored.as_bytes().contains(&ESCAPE) {
            return Ok(Self(stored.to_owned()));
        }
        let mut text = String::with_capacity(stored.len());
        let mut chars = stored.chars();
        while let Some(c) = chars.next() {
            if c != '\u{1}' {
                text.push(c);
                continue;
            }
            match chars.next() {
                Some('0') => text.push('\0'),
                Some('\u{1}') => text.push('\u{1}'),
                _ => return Err("a stored text value holds a lone escape character".into()),
            }
        }
        Ok(Self(text))
    }

    fn accepts(ty: &Type) -> bool {
        <&str as FromSql>::accepts(ty)
    }
}
