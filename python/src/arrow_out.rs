//! Tagged rows as Arrow columns, in the order of [`TAG_COLUMNS`]: the text tags of a border's
//! dictionaries (segment_id, border, line, status, status_basis, side, enclave,
//! nearest_enclave) dictionary-encoded (or plain text, for engines such as Spark that do not
//! take dictionaries), numbers as float64, status_since as date32, warnings and errors as
//! text; an empty tag is a null.

use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, Date32Array, DictionaryArray, Float64Array, Int32Array, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use borderline::date::Date;
use borderline::tag::{Dictionary, Located, TAG_COLUMNS, TagDictionaries};

/// The schema of the tag columns, named with `prefix`.
pub fn schema(prefix: &str, dictionary: bool) -> SchemaRef {
    let text = if dictionary {
        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
    } else {
        DataType::Utf8
    };
    let fields: Vec<Field> = TAG_COLUMNS
        .iter()
        .map(|&name| {
            let kind = match name {
                "status_since" => DataType::Date32,
                "distance_m" | "chainage_km" | "border_lon" | "border_lat"
                | "enclave_distance_m" => DataType::Float64,
                "tag_warning" | "tag_error" => DataType::Utf8,
                _ => text.clone(),
            };
            Field::new(format!("{prefix}{name}"), kind, true)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// Each dictionary's values as an Arrow array, built once and shared by every batch.
pub struct Values {
    arrays: [ArrayRef; 7],
}

impl Values {
    /// The arrays of `dictionaries`' values.
    pub fn new(dictionaries: &TagDictionaries) -> Self {
        let array = |d: &Dictionary| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(d.values().iter()))
        };
        Values {
            arrays: [
                array(&dictionaries.segment_id),
                array(&dictionaries.border),
                array(&dictionaries.line),
                array(&dictionaries.status),
                array(&dictionaries.status_basis),
                array(&dictionaries.side),
                array(&dictionaries.enclave),
            ],
        }
    }
}

/// One batch of tag columns being filled, row by row.
pub struct Batch<'d> {
    dictionaries: &'d TagDictionaries,
    /// Codes of segment_id, border, line, status, status_basis, side, enclave, nearest_enclave.
    codes: [Vec<Option<i32>>; 8],
    status_since: Vec<Option<i32>>,
    /// distance_m, chainage_km, border_lon, border_lat, enclave_distance_m.
    numbers: [Vec<Option<f64>>; 5],
    warnings: StringBuilder,
    errors: StringBuilder,
    /// Rows whose status rests on a row labelled `modelled`.
    pub modelled: u64,
}

/// Days from 1970-01-01 to `date` (date32).
fn epoch_days(date: Date) -> Option<i32> {
    const EPOCH: Date = Date::constant(1970, 1, 1);
    EPOCH.until(date).ok().map(|span| span.get_days())
}

impl<'d> Batch<'d> {
    /// An empty batch with room for `rows` rows.
    pub fn new(dictionaries: &'d TagDictionaries, rows: usize) -> Self {
        Batch {
            dictionaries,
            codes: std::array::from_fn(|_| Vec::with_capacity(rows)),
            status_since: Vec::with_capacity(rows),
            numbers: std::array::from_fn(|_| Vec::with_capacity(rows)),
            warnings: StringBuilder::with_capacity(rows, rows * 8),
            errors: StringBuilder::with_capacity(rows, 0),
            modelled: 0,
        }
    }

    /// Adds one tagged row.
    pub fn push(&mut self, tagged: &Located) {
        let codes = self.dictionaries.codes(tagged).in_column_order();
        for (column, code) in self.codes.iter_mut().zip(codes) {
            column.push(code.map(|c| c as i32));
        }
        let record = &tagged.record;
        self.status_since
            .push(record.status_since.and_then(epoch_days));
        let numbers = [
            record.distance_m,
            record.chainage_km,
            record.border_lon,
            record.border_lat,
            record.enclave_distance_m,
        ];
        for (column, value) in self.numbers.iter_mut().zip(numbers) {
            column.push(value);
        }
        if record.tag_warning.is_empty() {
            self.warnings.append_null();
        } else {
            self.warnings.append_value(record.warning_text());
        }
        self.errors.append_option(record.tag_error.as_deref());
        if record.is_modelled() {
            self.modelled += 1;
        }
    }

    /// The batch's columns under `schema` (from [`schema`]), dictionary-encoded or not as the
    /// schema says.
    pub fn finish(mut self, schema: &SchemaRef, values: &Values) -> RecordBatch {
        let dictionary = matches!(schema.field(0).data_type(), DataType::Dictionary(..));
        let [
            segment_id,
            border,
            line,
            status,
            status_basis,
            side,
            enclave,
            nearest_enclave,
        ] = std::mem::take(&mut self.codes);
        let text = |codes: Vec<Option<i32>>, values: &ArrayRef| -> ArrayRef {
            let keys = Int32Array::from(codes);
            let encoded = DictionaryArray::<Int32Type>::try_new(keys, values.clone())
                .expect("codes index their own dictionary");
            if dictionary {
                Arc::new(encoded)
            } else {
                let plain = encoded.downcast_dict::<StringArray>().expect("utf8 values");
                Arc::new(plain.into_iter().collect::<StringArray>())
            }
        };
        let [
            v_segment,
            v_border,
            v_line,
            v_status,
            v_basis,
            v_side,
            v_enclave,
        ] = &values.arrays;
        let [
            distance_m,
            chainage_km,
            border_lon,
            border_lat,
            enclave_distance_m,
        ] = std::mem::take(&mut self.numbers);
        let number = |v: Vec<Option<f64>>| -> ArrayRef { Arc::new(Float64Array::from(v)) };
        let columns: Vec<ArrayRef> = vec![
            text(segment_id, v_segment),
            text(border, v_border),
            text(line, v_line),
            text(status, v_status),
            text(status_basis, v_basis),
            Arc::new(Date32Array::from(std::mem::take(&mut self.status_since))),
            number(distance_m),
            number(chainage_km),
            number(border_lon),
            number(border_lat),
            text(side, v_side),
            text(enclave, v_enclave),
            text(nearest_enclave, v_enclave),
            number(enclave_distance_m),
            Arc::new(self.warnings.finish()),
            Arc::new(self.errors.finish()),
        ];
        RecordBatch::try_new(schema.clone(), columns).expect("columns match the tag schema")
    }
}
