//! Arrow arrays (from pyarrow, polars or any Arrow PyCapsule producer) as the library's
//! [`Column`]s: numbers without a copy where the array has no nulls, text borrowed from the
//! array's buffer, dates and naive timestamps as calendar days.

use std::borrow::Cow;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType};
use arrow_schema::{DataType, TimeUnit};
use borderline::date::Date;
use borderline::tag::frame::Column;

/// The values of one array, ready to be borrowed as a [`Column`].
pub enum Values<'a> {
    /// Numbers (NaN for nulls).
    Numbers(Cow<'a, [f64]>),
    /// Text (borrowed from the array).
    Texts(Vec<Option<&'a str>>),
    /// Calendar days.
    Days(Vec<Option<Date>>),
}

impl Values<'_> {
    /// The values as the library reads them.
    pub fn column(&self) -> Column<'_> {
        match self {
            Values::Numbers(v) => Column::Numbers(v),
            Values::Texts(v) => Column::Texts(v),
            Values::Days(v) => Column::Days(v),
        }
    }
}

/// Numbers of a primitive array, NaN for nulls.
fn numbers<T: ArrowPrimitiveType>(
    array: &ArrayRef,
    as_f64: impl Fn(T::Native) -> f64,
) -> Values<'_> {
    Values::Numbers(Cow::Owned(
        array
            .as_primitive::<T>()
            .iter()
            .map(|v| v.map_or(f64::NAN, &as_f64))
            .collect(),
    ))
}

/// The calendar day `days` after 1970-01-01.
fn day(days: i64) -> Option<Date> {
    const EPOCH: Date = Date::constant(1970, 1, 1);
    let span = jiff::Span::new().try_days(days).ok()?;
    EPOCH.checked_add(span).ok()
}

/// Calendar days of an array of counts of `per_day` units since the epoch (floored: an
/// instant before midnight belongs to the day before).
fn days<T: ArrowPrimitiveType>(array: &ArrayRef, per_day: i64) -> Values<'_>
where
    T::Native: Into<i64>,
{
    // Most columns hold a few thousand distinct days: convert each once.
    let mut last: Option<(i64, Option<Date>)> = None;
    Values::Days(
        array
            .as_primitive::<T>()
            .iter()
            .map(|v| {
                let n = v?.into().div_euclid(per_day);
                match last {
                    Some((m, date)) if m == n => date,
                    _ => {
                        let date = day(n);
                        last = Some((n, date));
                        date
                    }
                }
            })
            .collect(),
    )
}

/// The values of `array`, the column `name` (for messages).
pub fn values<'a>(array: &'a ArrayRef, name: &str) -> Result<Values<'a>, String> {
    Ok(match array.data_type() {
        DataType::Float64 => {
            let floats = array.as_primitive::<Float64Type>();
            if floats.null_count() == 0 {
                Values::Numbers(Cow::Borrowed(floats.values()))
            } else {
                numbers::<Float64Type>(array, |x| x)
            }
        }
        DataType::Float32 => numbers::<Float32Type>(array, f64::from),
        DataType::Int8 => numbers::<Int8Type>(array, f64::from),
        DataType::Int16 => numbers::<Int16Type>(array, f64::from),
        DataType::Int32 => numbers::<Int32Type>(array, f64::from),
        DataType::Int64 => numbers::<Int64Type>(array, |x| x as f64),
        DataType::UInt8 => numbers::<UInt8Type>(array, f64::from),
        DataType::UInt16 => numbers::<UInt16Type>(array, f64::from),
        DataType::UInt32 => numbers::<UInt32Type>(array, f64::from),
        DataType::UInt64 => numbers::<UInt64Type>(array, |x| x as f64),
        DataType::Null => Values::Texts(vec![None; array.len()]),
        DataType::Utf8 => Values::Texts(array.as_string::<i32>().iter().collect()),
        DataType::LargeUtf8 => Values::Texts(array.as_string::<i64>().iter().collect()),
        DataType::Utf8View => Values::Texts(array.as_string_view().iter().collect()),
        DataType::Date32 => days::<Date32Type>(array, 1),
        DataType::Date64 => days::<Date64Type>(array, 86_400_000),
        DataType::Timestamp(unit, None) => match unit {
            TimeUnit::Second => days::<TimestampSecondType>(array, 86_400),
            TimeUnit::Millisecond => days::<TimestampMillisecondType>(array, 86_400_000),
            TimeUnit::Microsecond => days::<TimestampMicrosecondType>(array, 86_400_000_000),
            TimeUnit::Nanosecond => days::<TimestampNanosecondType>(array, 86_400_000_000_000),
        },
        other => {
            return Err(format!(
                "column {name:?} holds {other}, which borderline does not read (numbers, text, \
                 dates or timestamps)"
            ));
        }
    })
}
