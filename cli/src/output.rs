//! Readable renderings of the API's JSON: aligned tables and field lists.

use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};

/// The longest a table cell gets before it is cut with `…`.
const CELL: usize = 40;

/// Writes `value` as one line of the API's JSON.
pub fn json(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// The JSON value of `value` (the API's JSON of a record).
pub fn to_value(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A value as a table cell or field: strings as they are, `null` as `-`, the rest as JSON.
pub fn text(value: &Value) -> String {
    match value {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn cut(s: String) -> String {
    if s.chars().count() <= CELL {
        s
    } else {
        let mut cut: String = s.chars().take(CELL - 1).collect();
        cut.push('…');
        cut
    }
}

/// Writes `rows` (records as JSON objects) as a table of `columns` (header, field), aligned.
pub fn table(out: &mut dyn Write, columns: &[(&str, &str)], rows: &[Value]) -> io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|(_, field)| cut(text(row.get(*field).unwrap_or(&Value::Null))))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, (header, _))| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([header.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |out: &mut dyn Write, values: Vec<&str>| -> io::Result<()> {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v}{}", " ".repeat(w - v.chars().count())))
            .collect();
        writeln!(out, "{}", padded.join("  ").trim_end())
    };
    line(out, columns.iter().map(|(h, _)| *h).collect())?;
    for row in &cells {
        line(out, row.iter().map(String::as_str).collect())?;
    }
    Ok(())
}

/// Writes a JSON object as aligned `field  value` lines; a nested object's fields are listed on
/// its line (`name value, name value`).
pub fn fields(out: &mut dyn Write, object: &Value) -> io::Result<()> {
    let Some(map) = object.as_object() else {
        return writeln!(out, "{}", text(object));
    };
    let width = map.keys().map(|k| k.chars().count()).max().unwrap_or(0);
    for (key, value) in map {
        let shown = match value {
            Value::Object(inner) if !inner.is_empty() => inner
                .iter()
                .map(|(k, v)| format!("{k} {}", text(v)))
                .collect::<Vec<_>>()
                .join(", "),
            other => text(other),
        };
        writeln!(out, "{key:<width$}  {shown}")?;
    }
    Ok(())
}
