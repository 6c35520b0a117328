//! `$name.path` references to earlier results, and the `expect` matcher (tests/scenarios/README.md).

use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Results of earlier steps, by their `save` name.
pub type Saved = HashMap<String, Value>;

/// What a string means when it starts with `$`: a literal (`$$…`), a matcher, or a reference.
enum Dollar<'a> {
    Literal(&'a str),
    Reference(&'a str),
}

fn dollar(s: &str) -> Option<Dollar<'_>> {
    let rest = s.strip_prefix('$')?;
    Some(match rest.strip_prefix('$') {
        Some(_) => Dollar::Literal(rest),
        None => Dollar::Reference(rest),
    })
}

/// The value at `path` (`name.key.0.key`) in the saved results.
pub fn lookup(path: &str, saved: &Saved) -> Result<Value, String> {
    let mut parts = path.split('.');
    let name = parts.next().unwrap_or_default();
    let mut value = saved
        .get(name)
        .ok_or_else(|| format!("`${path}`: no result saved as `{name}`"))?;
    for part in parts {
        let next = match value {
            Value::Object(map) => map.get(part),
            Value::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        value = next.ok_or_else(|| format!("`${path}`: nothing at `{part}`"))?;
    }
    Ok(value.clone())
}

/// `value` with every `$name.path` string replaced by the value it names and `$$…` by `$…`.
pub fn substitute(value: &Value, saved: &Saved) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => match dollar(s) {
            Some(Dollar::Literal(l)) => Value::String(l.to_owned()),
            Some(Dollar::Reference(path)) => lookup(path, saved)?,
            None => value.clone(),
        },
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute(v, saved))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute(v, saved)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// Checks `actual` against the `expected` pattern; the error names the first difference and its path.
pub fn matches(expected: &Value, actual: &Value, saved: &Saved) -> Result<(), String> {
    at(expected, actual, saved, "$")
}

fn differ(path: &str, expected: impl std::fmt::Display, actual: &Value) -> String {
    format!("at {path}: expected {expected}, got {actual}")
}

fn at(expected: &Value, actual: &Value, saved: &Saved, path: &str) -> Result<(), String> {
    match expected {
        Value::String(s) if s == "$any" => Ok(()),
        Value::String(s) if s == "$absent" => Err(differ(path, "no value", actual)),
        Value::String(s) => {
            let wanted = match dollar(s) {
                Some(Dollar::Literal(l)) => Value::String(l.to_owned()),
                Some(Dollar::Reference(p)) => lookup(p, saved)?,
                None => expected.clone(),
            };
            if same(&wanted, actual) {
                Ok(())
            } else {
                Err(differ(path, &wanted, actual))
            }
        }
        Value::Object(map) if map.keys().any(|k| k.starts_with('$')) => {
            matcher(map, actual, saved, path)
        }
        Value::Object(map) => {
            let Value::Object(got) = actual else {
                return Err(differ(path, "an object", actual));
            };
            object(map, got, saved, path, false)
        }
        Value::Array(items) => {
            let Value::Array(got) = actual else {
                return Err(differ(path, "an array", actual));
            };
            if items.len() != got.len() {
                return Err(format!(
                    "at {path}: expected {} elements, got {}",
                    items.len(),
                    got.len()
                ));
            }
            items
                .iter()
                .zip(got)
                .enumerate()
                .try_for_each(|(i, (e, a))| at(e, a, saved, &format!("{path}.{i}")))
        }
        _ if same(expected, actual) => Ok(()),
        _ => Err(differ(path, expected, actual)),
    }
}

/// Every expected key matches (`"$absent"`: is missing); with `exact`, no other key is present.
fn object(
    expected: &Map<String, Value>,
    actual: &Map<String, Value>,
    saved: &Saved,
    path: &str,
    exact: bool,
) -> Result<(), String> {
    for (key, want) in expected {
        let here = format!("{path}.{key}");
        match (actual.get(key), want.as_str() == Some("$absent")) {
            (None, true) => {}
            (Some(got), true) => return Err(differ(&here, "no value", got)),
            (None, false) => return Err(format!("at {here}: missing")),
            (Some(got), false) => at(want, got, saved, &here)?,
        }
    }
    if let Some(extra) = actual.keys().find(|k| exact && !expected.contains_key(*k)) {
        return Err(format!("at {path}.{extra}: not expected (`$exact`)"));
    }
    Ok(())
}

/// `{"$len": n}`, `{"$exact": {…}}`, `{"$id": prefix}`, `{"$asc": [keys]}`, `{"$desc": [keys]}`;
/// when several are given, all must hold.
fn matcher(
    map: &Map<String, Value>,
    actual: &Value,
    saved: &Saved,
    path: &str,
) -> Result<(), String> {
    for (name, arg) in map {
        match (name.as_str(), arg) {
            ("$exact", Value::Object(want)) => {
                let Value::Object(got) = actual else {
                    return Err(differ(path, "an object", actual));
                };
                object(want, got, saved, path, true)?;
            }
            ("$id", Value::String(prefix)) => {
                let body = actual
                    .as_str()
                    .and_then(|s| s.strip_prefix(prefix.as_str()));
                if !body.is_some_and(|b| {
                    b.len() >= 16
                        && b.bytes()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                }) {
                    return Err(differ(
                        path,
                        format!("an id `{prefix}` + 16 or more of [a-z0-9]"),
                        actual,
                    ));
                }
            }
            ("$len", n) => {
                let len = actual.as_array().map(Vec::len);
                if len.map(|l| l as u64) != n.as_u64() {
                    return Err(differ(path, format!("an array of length {n}"), actual));
                }
            }
            ("$asc" | "$desc", Value::Array(keys)) => {
                let want = if name == "$asc" {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                let Value::Array(items) = actual else {
                    return Err(differ(path, "an array", actual));
                };
                for (i, pair) in items.windows(2).enumerate() {
                    if order(&pair[0], &pair[1], keys)? != want {
                        return Err(format!(
                            "at {path}.{}: not strictly {name} by {arg} after the element before",
                            i + 1
                        ));
                    }
                }
            }
            _ => return Err(format!("at {path}: unknown matcher `{name}: {arg}`")),
        }
    }
    Ok(())
}

/// Compares two objects by the values of `keys` in turn (numbers by value, strings by code point).
fn order(a: &Value, b: &Value, keys: &[Value]) -> Result<Ordering, String> {
    for key in keys {
        let key = key.as_str().ok_or("`$asc`/`$desc` take key names")?;
        let (x, y) = (&a[key], &b[key]);
        let o = match (x, y) {
            (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()),
            (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
            _ => None,
        }
        .ok_or_else(|| format!("cannot order {x} and {y} by `{key}`"))?;
        if o != Ordering::Equal {
            return Ok(o);
        }
    }
    Ok(Ordering::Equal)
}

/// Deep equality, numbers by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn saved() -> Saved {
        Saved::from([(
            "c".to_owned(),
            json!({"id": "cus_1", "display_id": 1, "tags": ["a", "b"]}),
        )])
    }

    fn ok(expected: Value, actual: Value) -> bool {
        matches(&expected, &actual, &saved()).is_ok()
    }

    #[test]
    fn equal_values_and_subsets_match() {
        assert!(ok(json!({"a": 1}), json!({"a": 1.0, "b": 2})));
        assert!(ok(
            json!([{"id": "$c.id"}, "$any"]),
            json!([{"id": "cus_1"}, null])
        ));
        assert!(ok(
            json!({"x": "$absent", "n": "$c.display_id"}),
            json!({"n": 1})
        ));
        assert!(ok(
            json!({"$len": 2, "$asc": ["n"]}),
            json!([{"n": 1}, {"n": 2}])
        ));
        assert!(ok(json!({"$exact": {"a": "$any"}}), json!({"a": [1]})));
        assert!(ok(json!({"$id": "cus_"}), json!("cus_0123456789abcdefgh")));
        assert!(ok(json!("$$any"), json!("$any")));
    }

    #[test]
    fn mismatches_are_rejected() {
        assert!(!ok(json!({"a": 1}), json!({"a": 2})));
        assert!(!ok(json!({"a": 1}), json!({"b": 1})));
        assert!(!ok(json!({"a": "$any"}), json!({})));
        assert!(!ok(json!({"a": "$absent"}), json!({"a": null})));
        assert!(!ok(json!([1, 2]), json!([1, 2, 3])));
        assert!(!ok(json!({"$len": 1}), json!([])));
        assert!(!ok(json!({"$exact": {"a": 1}}), json!({"a": 1, "b": 2})));
        assert!(!ok(json!({"$desc": ["n"]}), json!([{"n": 2}, {"n": 2}])));
        assert!(!ok(json!({"$asc": ["s"]}), json!([{"s": "b"}, {"s": "a"}])));
        assert!(!ok(json!("$c.tags"), json!(["a"])));
        assert!(!ok(json!(null), json!(false)));
        assert!(!ok(json!("$$any"), json!("x")));
        assert!(!ok(json!({"$bogus": 1}), json!([])));
        assert!(!ok(json!({"$id": "cus_"}), json!("cus_0123456789ABCDEFGH")));
        assert!(!ok(json!({"$id": "cus_"}), json!("con_0123456789abcdefgh")));
        assert!(!ok(json!({"$id": "cus_"}), json!("cus_0123")));
        assert!(!ok(json!("$nothing.here"), json!(null)));
    }

    #[test]
    fn substitution_keeps_types() {
        let v = substitute(
            &json!({"r": "$c.display_id", "t": "$c.tags.1", "l": "$$5"}),
            &saved(),
        )
        .unwrap();
        assert_eq!(v, json!({"r": 1, "t": "b", "l": "$5"}));
        assert!(substitute(&json!("$c.missing"), &saved()).is_err());
    }
}
