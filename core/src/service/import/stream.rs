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

/// How many bytes the input asks its reader for at a time.
const READ_SIZE: usize = 1 << 16;

/// The input, buffered so that a whole line can be looked at before it is parsed; counts lines
/// and refuses an item longer than [`MAX_ITEM_BYTES`].
struct Input<R> {
    inner: R,
    buf: Vec<u8>,
    /// Where the unread part of `buf` starts.
    pos: usize,
    eof: bool,
    counter: Rc<Counter>,
}

impl<R: Read> Input<R> {
    fn new(inner: R, counter: Rc<Counter>) -> Self {
        Self {
            inner,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            counter,
        }
    }

    /// Reads more of the input behind the unread part; false at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let len = self.buf.len();
        self.buf.resize(len + READ_SIZE, 0);
        let n = loop {
            match self.inner.read(&mut self.buf[len..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        self.buf.truncate(len + *n.as_ref().unwrap_or(&0));
        let n = n?;
        self.eof = n == 0;
        Ok(n > 0)
    }

    fn unread(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Skips whitespace; false at the end of the input.
    fn skip_whitespace(&mut self) -> Result<bool> {
        loop {
            let rest = self.unread();
            let blank = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            self.counter.count(&rest[..blank]);
            self.pos += blank;
            if self.pos < self.buf.len() {
                return Ok(true);
            }
            if !self.fill().map_err(read_error)? {
                return Ok(false);
            }
        }
    }

    /// The length of the line the unread part starts with (without its newline), when the whole
    /// line is in the buffer and no longer than [`MAX_ITEM_BYTES`]; reads as much as that takes.
    fn whole_line(&mut self) -> Result<Option<usize>> {
        let mut searched = 0;
        loop {
            let rest = self.unread();
            if let Some(at) = rest[searched..].iter().position(|b| *b == b'\n') {
                let len = searched + at;
                return Ok((len <= MAX_ITEM_BYTES).then_some(len));
            }
            searched = rest.len();
            if searched > MAX_ITEM_BYTES {
                return Ok(None);
            }
            if !self.fill().map_err(read_error)? {
                return Ok((searched > 0).then_some(searched));
            }
        }
    }

    /// Consumes `len` bytes of one line, and its newline if there is one.
    fn consume_line(&mut self, len: usize) {
        let end = (self.pos + len + 1).min(self.buf.len());
        self.counter.count(&self.buf[self.pos..end]);
        self.pos = end;
    }
}

impl<R: Read> Read for Input<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.buf.len() && !self.fill()? {
            return Ok(0);
        }
        let rest = &self.buf[self.pos..];
        let n = rest.len().min(out.len());
        out[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        self.counter.count(&out[..n]);
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
///
/// A line that holds whole values (NDJSON, the common case) is parsed from memory; anything else
/// (a value over several lines, malformed text, a line longer than an item may be) is parsed
/// from the stream, a byte at a time, from the start of its line.
pub fn read_items<R: BufRead>(
    reader: R,
    sink: &mut dyn FnMut(Value, usize) -> Result<()>,
) -> Result<()> {
    let counter = Rc::new(Counter::default());
    let mut input = Input::new(reader, counter.clone());
    let mut sink = Sink {
        call: sink,
        counter: counter.clone(),
        failed: None,
    };
    let mut line_items = Vec::new();
    while input.skip_whitespace()? {
        let start_line = counter.line();
        counter.item_bytes.set(0);
        if let Some(len) = input.whole_line()? {
            let line = &input.buf[input.pos..input.pos + len];
            if parse_line(line, &counter, &mut line_items) {
                input.consume_line(len);
                for value in line_items.drain(..) {
                    (sink.call)(value, start_line)?;
                }
                counter.item_bytes.set(0);
                continue;
            }
            line_items.clear();
        }
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

/// Reads the items of a line that holds one whole value into `items`; false (with `items` in any
/// state) when it holds anything else, e.g. part of a value or two values.
fn parse_line(line: &[u8], counter: &Rc<Counter>, items: &mut Vec<Value>) -> bool {
    let mut collect = |value, _| {
        items.push(value);
        Ok(())
    };
    let mut sink = Sink {
        call: &mut collect,
        counter: counter.clone(),
        failed: None,
    };
    let mut de = serde_json::Deserializer::from_slice(line);
    de.deserialize_any(Top { sink: &mut sink }).is_ok() && de.end().is_ok()
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
    fn lines_and_streamed_values_mix_and_agree_whatever_the_reads() {
        let text = b"{\"n\":1}\n[\n {\"n\":2},\n {\"n\":3}\n]\n{\"n\":4} {\"n\":5}\n\n{\"object\":\"list\",\"data\":[{\"n\":6},{\"n\":7}]}\r\n{\"n\":8}";
        let expected = [
            (1, 1),
            (2, 3),
            (3, 4),
            (4, 6),
            (5, 6),
            (6, 8),
            (7, 8),
            (8, 9),
        ];
        assert_eq!(ids(text), expected);
        // Reads of a few bytes at a time split lines anywhere: the same items on the same lines.
        for capacity in [1, 2, 3, 7, 64] {
            let mut out = vec![];
            let reader = io::BufReader::with_capacity(capacity, Trickle(&text[..]));
            read_items(reader, &mut |v, line| {
                out.push((v["n"].as_i64().unwrap(), line));
                Ok(())
            })
            .unwrap();
            assert_eq!(out, expected, "reads of {capacity} bytes");
        }
    }

    /// A reader that gives at most 3 bytes a call.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(buf.len()).min(3);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
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
