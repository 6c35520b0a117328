//! A record's CSV row, straight from its serialisation: one cell per top-level field, in wire
//! order. Strings (and enum names, timestamps) are written as they are, `null` as an empty cell,
//! anything else (numbers, booleans, objects, lists) as the JSON text the API would give it.

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct, Serializer};
use std::fmt;

/// One row, reused from record to record.
#[derive(Default)]
pub(super) struct Row {
    /// The fields' names, in order.
    pub names: Vec<String>,
    /// The cells, in the same order.
    pub cells: csv::ByteRecord,
    /// A map key waiting for its value.
    key: Vec<u8>,
    /// The cell being written.
    text: Vec<u8>,
}

impl Row {
    /// Replaces the row with `record`'s fields.
    pub fn fill<T: Serialize + ?Sized>(&mut self, record: &T) -> Result<(), RowError> {
        self.names.clear();
        self.cells.clear();
        record.serialize(&mut *self)
    }

    fn cell<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), RowError> {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let written = match value.serialize(Cell { out: &mut text }) {
            Err(RowError::Compound) => {
                text.clear();
                serde_json::to_writer(&mut text, value).map_err(|e| RowError::Custom(e.to_string()))
            }
            other => other,
        };
        self.cells.push_field(&text);
        self.text = text;
        written
    }
}

/// Why a record has no row.
#[derive(Debug)]
pub(super) enum RowError {
    /// The value is not text: written as JSON instead (internal to this module).
    Compound,
    /// The record is not a JSON object, or did not serialise.
    Custom(String),
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowError::Compound => f.write_str("not a text value"),
            RowError::Custom(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for RowError {}

impl ser::Error for RowError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        RowError::Custom(msg.to_string())
    }
}

/// The `serialize_*` methods of booleans and numbers, each returning `$refusal`.
macro_rules! refuse_numbers {
    ($refusal:expr) => {
        refuse_numbers!($refusal;
            serialize_bool bool, serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
            serialize_i64 i64, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
            serialize_u64 u64, serialize_f32 f32, serialize_f64 f64);
    };
    ($refusal:expr; $($method:ident $ty:ty),*) => {$(
        fn $method(self, _: $ty) -> Result<(), RowError> {
            $refusal
        }
    )*};
}

fn not_an_object() -> RowError {
    RowError::Custom("a record must serialise to a JSON object".into())
}

/// The record itself: a struct or a map; anything else is not a record.
impl Serializer for &mut Row {
    type Ok = ();
    type Error = RowError;
    type SerializeSeq = Impossible<(), RowError>;
    type SerializeTuple = Impossible<(), RowError>;
    type SerializeTupleStruct = Impossible<(), RowError>;
    type SerializeTupleVariant = Impossible<(), RowError>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), RowError>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, RowError> {
        Ok(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self, RowError> {
        Ok(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), RowError> {
        value.serialize(self)
    }

    refuse_numbers!(Err(not_an_object()));
    fn serialize_char(self, _: char) -> Result<(), RowError> {
        Err(not_an_object())
    }
    fn serialize_str(self, _: &str) -> Result<(), RowError> {
        Err(not_an_object())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), RowError> {
        Err(not_an_object())
    }
    fn serialize_none(self) -> Result<(), RowError> {
        Err(not_an_object())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), RowError> {
        Err(not_an_object())
    }
    fn serialize_unit(self) -> Result<(), RowError> {
        Err(not_an_object())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), RowError> {
        Err(not_an_object())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), RowError> {
        Err(not_an_object())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), RowError> {
        Err(not_an_object())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, RowError> {
        Err(not_an_object())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, RowError> {
        Err(not_an_object())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, RowError> {
        Err(not_an_object())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, RowError> {
        Err(not_an_object())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, RowError> {
        Err(not_an_object())
    }
}

impl SerializeStruct for &mut Row {
    type Ok = ();
    type Error = RowError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), RowError> {
        self.names.push(key.to_owned());
        self.cell(value)
    }

    fn end(self) -> Result<(), RowError> {
        Ok(())
    }
}

impl SerializeMap for &mut Row {
    type Ok = ();
    type Error = RowError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), RowError> {
        self.key.clear();
        key.serialize(Cell { out: &mut self.key })
            .map_err(|_| RowError::Custom("a record's keys must be strings".into()))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), RowError> {
        self.names
            .push(String::from_utf8_lossy(&self.key).into_owned());
        self.cell(value)
    }

    fn end(self) -> Result<(), RowError> {
        Ok(())
    }
}

/// A field's value as a cell: text as it is, `null` empty; anything else is
/// [`RowError::Compound`], for the caller to write as JSON.
struct Cell<'a> {
    out: &'a mut Vec<u8>,
}

impl Serializer for Cell<'_> {
    type Ok = ();
    type Error = RowError;
    type SerializeSeq = Impossible<(), RowError>;
    type SerializeTuple = Impossible<(), RowError>;
    type SerializeTupleStruct = Impossible<(), RowError>;
    type SerializeTupleVariant = Impossible<(), RowError>;
    type SerializeMap = Impossible<(), RowError>;
    type SerializeStruct = Impossible<(), RowError>;
    type SerializeStructVariant = Impossible<(), RowError>;

    fn serialize_str(self, v: &str) -> Result<(), RowError> {
        self.out.extend_from_slice(v.as_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), RowError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), RowError> {
        self.serialize_str(variant)
    }
    fn serialize_none(self) -> Result<(), RowError> {
        Ok(())
    }
    fn serialize_unit(self) -> Result<(), RowError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), RowError> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), RowError> {
        value.serialize(self)
    }

    refuse_numbers!(Err(RowError::Compound));
    fn serialize_bytes(self, _: &[u8]) -> Result<(), RowError> {
        Err(RowError::Compound)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), RowError> {
        Err(RowError::Compound)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), RowError> {
        Err(RowError::Compound)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, RowError> {
        Err(RowError::Compound)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, RowError> {
        Err(RowError::Compound)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, RowError> {
        Err(RowError::Compound)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, RowError> {
        Err(RowError::Compound)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, RowError> {
        Err(RowError::Compound)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, RowError> {
        Err(RowError::Compound)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, RowError> {
        Err(RowError::Compound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The row as a JSON object's fields give it: the meaning the module implements.
    fn reference(record: &impl Serialize) -> (Vec<String>, Vec<String>) {
        let Value::Object(fields) = serde_json::to_value(record).unwrap() else {
            panic!("not an object")
        };
        let cells = fields.values().map(|v| match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        });
        (fields.keys().cloned().collect(), cells.collect())
    }

    fn row(record: &impl Serialize) -> (Vec<String>, Vec<String>) {
        let mut row = Row::default();
        row.fill(record).unwrap();
        let cells = row
            .cells
            .iter()
            .map(|c| String::from_utf8(c.to_vec()).unwrap());
        (row.names.clone(), cells.collect())
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Phase {
        InProgress,
    }

    #[derive(serde::Serialize)]
    struct Record {
        id: &'static str,
        count: i64,
        ratio: f64,
        done: bool,
        phase: Phase,
        missing: Option<String>,
        present: Option<&'static str>,
        metadata: Value,
        labels: Vec<&'static str>,
        nothing: Value,
    }

    #[test]
    fn cells_are_what_the_records_json_gives() {
        let record = Record {
            id: "onb_1,\"quoted\"\nline",
            count: -42,
            ratio: 0.1 + 0.2,
            done: true,
            phase: Phase::InProgress,
            missing: None,
            present: Some("é"),
            metadata: json!({"b": 1, "a": [null, "x"]}),
            labels: vec!["x", "y"],
            nothing: Value::Null,
        };
        assert_eq!(row(&record), reference(&record));
        let map = json!({"object": "customer", "n": 1.5e300, "nested": {"k": "v"}, "s": ""});
        assert_eq!(row(&map), reference(&map));
    }

    #[test]
    fn a_record_that_is_not_an_object_has_no_row() {
        let mut row = Row::default();
        assert!(row.fill(&json!([1, 2])).is_err());
        assert!(row.fill(&"text").is_err());
    }
}
