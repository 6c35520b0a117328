//! Reading import input: JSON text, streamed, as one item at a time.
//!
//! The text is a sequence of JSON values separated by whitespace — one value, or NDJSON (one per
//! line), or values simply concatenated. Each value is an item (an object), an array of items, or
//! a list envelope (`{"object":"list","data":[…]}`); arrays and the `data` of envelopes are read
//! element by element, so no more than one item is held at a time whatever the input's size. An
//! item may be at most [`MAX_ITEM_BYTES`] long (counting from the end of the previous one).
//!
//! Malformed text (truncated JSON, binary garbage, an over-long item) cannot be resumed reliably,
//! so it ends the reading with an error naming the line.

use crate::error::{Error, ErrorCode, Result};
use serde::de::{self, DeserializeSeed, Deserializer as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

/// The longest an item may be, in bytes of JSON text: 1 MiB, the REST API's body limit.
pub const MAX_ITEM_BYTES: usize = 1 << 20;

/// What the reader shares with the visitors: the line it is on and the bytes of the current item.
#[derive(Default)]
struct Counter {
    /// Newlines read so far.
    newlines: Cell<usize>,
    /// Bytes read since the last item ended.
    item_bytes: Cell<usize>,
    /// Set when an item grew past [`MAX_ITEM_BYTES`].
    overflow: Cell<bool>,
}

impl Counter {
    fn line(&self) -> usize {
        self.newlines.get() + 1
    }

    fn count(&self, bytes: &[u8]) {
        let newlines = bytes.iter().filter(|b| **b == b'\n').count();
        self.newlines.set(self.newlines.get() + newlines);
        self.item_bytes.set(self.item_bytes.get() + bytes.len());
    }
}

/// The input, counting lines and refusing an item longer than [`MAX_ITEM_BYTES`].
struct Input<R> {
    inner: R,
    counter: Rc<Counter>,
}

impl<R: BufRead> Input<R> {
    /// Skips whitespace; false at the end of the input.
    fn skip_whitespace(&mut self) -> Result<bool> {
        loop {
            let buf = self.inner.fill_buf().map_err(read_error)?;
            if buf.is_empty() {
                return Ok(false);
            }
            let blank = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            self.counter.count(&buf[..blank]);
            let more = blank < buf.len();
            self.inner.consume(blank);
            if more {
                return Ok(true);
            }
        }
    }
}

impl<R: BufRead> Read for Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.count(&buf[..n]);
        if self.counter.item_bytes.get() > MAX_ITEM_BYTES {
            self.counter.overflow.set(true);
            return Err(io::Error::new(io::ErrorKind::InvalidData, "item too long"));
        }
        Ok(n)
    }
}

fn read_error(e: io::Error) -> Error {
    Error::new(
        ErrorCode::InvalidType,
        format!("the input could not be read: {e}"),
    )
}

/// Calls `sink` with every item of the JSON text `reader` holds and the line its text ends on,
/// in order. The first error of `sink` ends the reading and is returned.
pub fn read_items<R: BufRead>(
    reader: R,
    sink: &mut dyn FnMut(Value, usize) -> Result<()>,
) -> Result<()> {
    let counter = Rc::new(Counter::default());
    let mut input = Input {
        inner: reader,
        counter: counter.clone(),
    };
    let mut sink = Sink {
        call: sink,
        counter: counter.clone(),
        failed: None,
    };
    while input.skip_whitespace()? {
        let start_line = counter.line();
        counter.item_bytes.set(0);
        let mut de = serde_json::Deserializer::from_reader(&mut input);
        let outcome = de.deserialize_any(Top { sink: &mut sink });
        if let Some(e) = sink.failed.take() {
            return Err(e);
        }
        if let Err(e) = outcome {
            return Err(malformed(&e, &counter, start_line));
        }
    }
    Ok(())
}

/// The error for text that is not what an import reads.
fn malformed(e: &serde_json::Error, counter: &Counter, start_line: usize) -> Error {
    if counter.overflow.get() {
        return Error::new(
            ErrorCode::TooLarge,
            format!(
                "line {}: an item is longer than {} bytes",
                counter.line(),
                MAX_ITEM_BYTES
            ),
        );
    }
    if e.is_io() {
        return Error::new(
            ErrorCode::InvalidType,
            format!("line {}: the input could not be read: {e}", counter.line()),
        );
    }
    let text = e.to_string();
    let reason = text.rfind(" at line ").map_or(&text[..], |at| &text[..at]);
    let (line, column) = match e.line() {
        0 => (counter.line(), 0),
        l => (start_line + l - 1, e.column()),
    };
    Error::new(
        ErrorCode::InvalidType,
        format!("line {line}, column {column}: malformed JSON: {reason}"),
    )
}

/// Hands items to the caller; keeps the caller's error while serde unwinds.
struct Sink<'s> {
    call: &'s mut dyn FnMut(Value, usize) -> Result<()>,
    counter: Rc<Counter>,
    failed: Option<Error>,
}

impl Sink<'_> {
    fn item<E: de::Error>(&mut self, value: Value) -> Result<(), E> {
        let line = self.counter.line();
        self.counter.item_bytes.set(0);
        (self.call)(value, line).map_err(|e| {
            self.failed = Some(e);
            E::custom("stopped by the importer")
        })
    }

    /// Streams the elements of an array as items.
    fn elements<'de, A: SeqAccess<'de>>(&mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            self.item(value)?;
        }
        Ok(())
    }
}

const EXPECTED: &str = "a JSON object, an array of objects, a list envelope or NDJSON";

/// A top-level value: an item, an array of items or a list envelope.
struct Top<'a, 's> {
    sink: &'a mut Sink<'s>,
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.sink.elements(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut fields = Map::new();
        let mut streamed = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "data" && !streamed {
                match map.next_value_seed(Data { sink: self.sink })? {
                    Some(value) => {
                        fields.insert(key, value);
                    }
                    None => streamed = true,
                }
            } else {
                fields.insert(key, map.next_value()?);
            }
        }
        if !streamed {
            return self.sink.item(Value::Object(fields));
        }
        match fields.get("object").and_then(Value::as_str) {
            Some("list") => Ok(()),
            _ => Err(de::Error::custom(
                "an object whose `data` is a list must be a list envelope (`\"object\": \"list\"`)",
            )),
        }
    }
}

/// The `data` of an object: streamed when it is an array (`None`), else kept as a value.
struct Data<'a, 's> {
    sink: &'a mut Sink<'s>,
}

impl<'de> DeserializeSeed<'de> for Data<'_, '_> {
    type Value = Option<Value>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Data<'_, '_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Value>, A::Error> {
        self.sink.elements(seq).map(|()| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        let value = de::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Some(value))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<Value>, E> {
        Ok(Some(v.into()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<Value>, E> {
        Ok(Some(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<Value>, E> {
        Ok(Some(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<Value>, E> {
        Ok(Some(v.into()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Value>, E> {
        Ok(Some(v.into()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items of `text` with their lines, or the error.
    fn items(text: &[u8]) -> Result<Vec<(Value, usize)>> {
        let mut out = vec![];
        read_items(text, &mut |v, line| {
            out.push((v, line));
            Ok(())
        })?;
        Ok(out)
    }

    fn ids(text: &[u8]) -> Vec<(i64, usize)> {
        items(text)
            .unwrap()
            .into_iter()
            .map(|(v, line)| (v["n"].as_i64().unwrap(), line))
            .collect()
    }

    #[test]
    fn every_shape_yields_its_items_with_their_lines() {
        assert_eq!(ids(b"{\"n\":1}"), [(1, 1)]);
        assert_eq!(
            ids(b"{\"n\":1}\n{\"n\":2}\n\n{\"n\":3}\n"),
            [(1, 1), (2, 2), (3, 4)]
        );
        assert_eq!(ids(b"[{\"n\":1},\n {\"n\":2}]"), [(1, 1), (2, 2)]);
        let envelope = b"{\"object\":\"list\",\"data\":[{\"n\":1},{\"n\":2}],\"has_more\":false}";
        assert_eq!(ids(envelope), [(1, 1), (2, 1)]);
        assert_eq!(ids(b"{\"n\":1}{\"n\":2}"), [(1, 1), (2, 1)]);
        assert!(items(b"  \n ").unwrap().is_empty());
        // An object whose `data` is not a list is an item, kept whole.
        let event = items(b"{\"object\":\"event\",\"data\":{\"object\":{}}}").unwrap();
        assert_eq!(event[0].0["data"], serde_json::json!({"object": {}}));
    }

    #[test]
    fn malformed_text_names_the_line() {
        let e = items(b"{\"n\":1}\n{\"n\":2").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidType);
        assert!(e.message.starts_with("line 2, "), "{}", e.message);
        let e = items(b"{\"n\":1}\n\xff\xfe garbage").unwrap_err();
        assert!(e.message.starts_with("line 2, "), "{}", e.message);
        let e = items(b"{\"data\":[{\"n\":1}]}").unwrap_err();
        assert!(e.message.contains("list envelope"), "{}", e.message);
        let e = items(b"42").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidType);
    }

    #[test]
    fn an_item_longer_than_the_limit_is_refused_with_its_line() {
        let mut text = b"{\"n\":1}\n{\"n\":\"".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_ITEM_BYTES));
        text.extend(b"\"}\n");
        let e = items(&text).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge);
        assert!(e.message.starts_with("line 2: "), "{}", e.message);
        // Items just under the limit pass, however many there are.
        let line = format!(
            "{{\"n\":1,\"pad\":\"{}\"}}\n",
            "x".repeat(MAX_ITEM_BYTES - 40)
        );
        assert_eq!(items(line.repeat(3).as_bytes()).unwrap().len(), 3);
    }

    #[test]
    fn the_sinks_error_stops_the_reading() {
        let mut seen = 0;
        let e = read_items(&b"[{},{},{}]"[..], &mut |_, _| {
            seen += 1;
            Err(Error::internal("enough"))
        })
        .unwrap_err();
        assert_eq!((seen, e.message.as_str()), (1, "enough"));
    }
}
