//! Exact decimals at the boundaries: reading a polars Decimal cell into rust_decimal, and
//! printing decimals without float drift or trailing zeros.

use polars::prelude::*;
use rust_decimal::Decimal;

/// The exact value of a Decimal (or integer) cell; None for null or other types.
pub fn decimal_at(c: &Column, i: usize) -> Option<Decimal> {
    match c.get(i).ok()? {
        // The loader keeps decimals within rust_decimal's 96 bits (22 digits before the
        // point); should one not fit, it reads as None rather than a panic.
        AnyValue::Decimal(v, _, scale) => Decimal::try_from_i128_with_scale(v, scale as u32).ok(),
        AnyValue::Int32(v) => Some(Decimal::from(v)),
        AnyValue::Int64(v) => Some(Decimal::from(v)),
        AnyValue::UInt32(v) => Some(Decimal::from(v)),
        AnyValue::UInt64(v) => Some(Decimal::from(v)),
        _ => None,
    }
}

pub fn text_at(c: &Column, i: usize) -> Option<String> {
    match c.get(i).ok()? {
        AnyValue::String(s) => Some(s.to_string()),
        AnyValue::StringOwned(s) => Some(s.to_string()),
        AnyValue::Null => None,
        other => Some(other.to_string()),
    }
}

pub fn f64_at(c: &Column, i: usize) -> Option<f64> {
    match c.get(i).ok()? {
        AnyValue::Float64(v) => Some(v),
        AnyValue::Float32(v) => Some(v as f64),
        AnyValue::Null => None,
        other => other.extract::<f64>(),
    }
}

/// Text of a frame cell by column name ("" when missing or null).
pub fn cell_text(df: &DataFrame, column: &str, i: usize) -> String {
    df.column(column)
        .ok()
        .and_then(|c| text_at(c, i))
        .unwrap_or_default()
}

/// A frame cell as f64 (floats, integers, and decimals through their text); None when blank.
pub fn cell_f64(df: &DataFrame, column: &str, i: usize) -> Option<f64> {
    let c = df.column(column).ok()?;
    f64_at(c, i).or_else(|| text_at(c, i).and_then(|t| t.parse().ok()))
}

/// A decimal as people write it: no trailing zeros, no exponent ("85.26", "100", "0.000001").
pub fn fmt(d: Decimal) -> String {
    let s = d.normalize().to_string();
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

pub fn fmt_opt(d: Option<Decimal>) -> String {
    d.map(fmt).unwrap_or_default()
}

/// Polars expression that renders a Decimal column as text without trailing zeros, so CSV
/// outputs print `85.26`, not `85.260000`. Null stays null (a blank cell).
pub fn strip_zeros(e: Expr) -> Expr {
    // Decimal text always has its 6 places ("85.260000"): dropping trailing zeros, then a
    // trailing point, is exact ("100.000000" -> "100.") and much cheaper than a regex.
    e.cast(DataType::String)
        .str()
        .strip_chars_end(lit("0"))
        .str()
        .strip_chars_end(lit("."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn formats_exactly() {
        assert_eq!(fmt(Decimal::from_str("85.260000").unwrap()), "85.26");
        assert_eq!(fmt(Decimal::from_str("100.000000").unwrap()), "100");
        assert_eq!(fmt(Decimal::from_str("0.000001").unwrap()), "0.000001");
        assert_eq!(fmt(Decimal::from_str("-0.0").unwrap()), "0");
    }

    #[test]
    fn polars_decimal_text_has_no_trailing_zeros() {
        let df = df!("x" => ["85.26", "100", "949.821024", "0.1"]).unwrap();
        let out = df
            .lazy()
            .select([
                strip_zeros(col("x").cast(DataType::Decimal(38, 6)).sum()).alias("s"),
                strip_zeros(col("x").cast(DataType::Decimal(38, 6))).alias("v"),
            ])
            .collect()
            .unwrap();
        let v: Vec<_> = out
            .column("v")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|s| s.unwrap().to_string())
            .collect();
        assert_eq!(v, ["85.26", "100", "949.821024", "0.1"]);
        assert_eq!(
            out.column("s").unwrap().str().unwrap().get(0),
            Some("1135.181024")
        );
    }
}
