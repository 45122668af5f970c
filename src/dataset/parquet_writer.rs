//! Parquet output with text columns dictionary-encoded here rather than by polars' writer.
//!
//! polars' writer decides per column chunk whether to dictionary-encode text by first
//! estimating its cardinality (a hash of every cell) and then building the dictionary (a
//! second hash of every cell, through a generic value map). On bench's largest table, the
//! deduction detail (one row per lost point, millions of rows), that was about a seventh of
//! the whole run. Here one pass builds the dictionary and decides: a cell equal to the cell
//! above (an evaluation's columns repeat down its indicator rows) reuses its code without
//! hashing; a string view seen before (Parquet input decodes repeated values to one view)
//! is found by its 16 bytes; only new views hash their text. A column whose first cells are
//! nearly all distinct (ids) is written plain at once, as polars' writer would after its
//! estimate. Decimal columns are written plain without the estimate, which polars' writer
//! also ends with (it cannot dictionary-encode 128-bit decimals).
//!
//! The files are ordinary Parquet: the same schema (text stays text, not a dictionary type),
//! encodings and compression (zstd) as polars' writer gives.

use std::io::Write;

use polars::frame::chunk_df_for_writing;
use polars::prelude::*;
use polars_arrow::array::{
    Array, DictionaryArray, MutableBinaryViewArray, PrimitiveArray, Utf8ViewArray,
};
use polars_arrow::datatypes::{ArrowDataType, IntegerType, PhysicalType};
use polars_parquet::write::{
    array_to_columns, get_dtype_encoding, to_parquet_schema, CompressedPage, CompressionOptions,
    Compressor, DynIter, DynStreamingIterator, Encoding, FallibleStreamingIterator, FileWriter,
    ParquetType, StatisticsOptions, Version, WriteOptions, ZstdLevel,
};
use rustc_hash::FxHashMap;

use crate::error::Result;

/// Rows per row group for whole tables (polars' default).
const ROW_GROUP_ROWS: usize = 512 * 512;

/// A text column with more distinct values than this share of its cells is written plain
/// (polars' writer uses the same share on its estimate).
const MAX_DISTINCT_SHARE: f64 = 0.75;

/// Cells looked at before deciding that a column of nearly all distinct values (an id) is
/// not worth a dictionary.
const SAMPLE: usize = 2048;

/// A Parquet file written row group by row group.
pub struct TableWriter<W: Write> {
    file: FileWriter<W>,
    fields: Vec<ParquetType>,
    options: WriteOptions,
}

impl<W: Write> TableWriter<W> {
    /// `statistics`: min/max statistics on every column (off for tables whose row order
    /// would let them prune nothing).
    pub fn new(out: W, schema: &Schema, statistics: bool) -> Result<TableWriter<W>> {
        let arrow_schema = schema.to_arrow(CompatLevel::newest());
        let parquet_schema = to_parquet_schema(&arrow_schema)?;
        let options = WriteOptions {
            statistics: if statistics {
                StatisticsOptions::default()
            } else {
                StatisticsOptions::empty()
            },
            compression: CompressionOptions::Zstd(None::<ZstdLevel>),
            version: Version::V1,
            data_page_size: None,
        };
        let fields = parquet_schema.fields().to_vec();
        let file = FileWriter::new_with_parquet_schema(out, arrow_schema, parquet_schema, options);
        Ok(TableWriter {
            file,
            fields,
            options,
        })
    }

    /// Append `df` (the writer's schema) as one row group per chunk (chunks not cut at the
    /// same rows across columns are aligned first).
    pub fn write(&mut self, df: &DataFrame) -> Result<()> {
        let aligned;
        let df = if df.should_rechunk() {
            let mut d = df.clone();
            d.align_chunks_par();
            aligned = d;
            &aligned
        } else {
            df
        };
        for batch in df.iter_chunks(CompatLevel::newest(), false) {
            let rows = batch.len();
            if rows == 0 {
                continue;
            }
            let columns = {
                use rayon::prelude::*;
                batch
                    .columns()
                    .par_iter()
                    .zip(&self.fields)
                    .map(|(array, field)| column_pages(array.as_ref(), field, self.options))
                    .collect::<Result<Vec<_>>>()?
            };
            let group = DynIter::new(columns.into_iter().flatten().map(Ok));
            self.file.write(rows as u64, group)?;
        }
        Ok(())
    }

    /// Write the footer and flush; returns the destination.
    pub fn finish(mut self) -> Result<W> {
        self.file.end(None)?;
        let mut out = self.file.into_inner();
        out.flush()
            .map_err(|e| crate::error::JxError::output(e.to_string()))?;
        Ok(out)
    }
}

/// `df` as the bytes of one Parquet file (with statistics).
pub fn parquet_bytes(df: &DataFrame) -> Result<Vec<u8>> {
    let mut df = df.clone();
    let row_groups = chunk_df_for_writing(&mut df, ROW_GROUP_ROWS)?;
    let mut writer = TableWriter::new(Vec::new(), row_groups.schema(), true)?;
    writer.write(&row_groups)?;
    writer.finish()
}

type Pages = DynStreamingIterator<'static, CompressedPage, PolarsError>;

/// One column chunk of a row group, encoded and compressed.
fn column_pages(
    array: &dyn Array,
    field: &ParquetType,
    options: WriteOptions,
) -> Result<Vec<Pages>> {
    let dictionary;
    let (array, encodings): (&dyn Array, Vec<Encoding>) = match array.dtype().to_physical_type() {
        PhysicalType::Utf8View => {
            let text = array
                .as_any()
                .downcast_ref::<Utf8ViewArray>()
                .expect("a Utf8View array");
            match dictionary_of(text) {
                Some(d) => {
                    dictionary = d;
                    (&dictionary, vec![Encoding::RleDictionary])
                }
                None => (array, vec![Encoding::Plain]),
            }
        }
        PhysicalType::Primitive(polars_arrow::types::PrimitiveType::Int128) => {
            (array, vec![Encoding::Plain])
        }
        _ => (array, get_dtype_encoding(array.dtype())),
    };
    let encoded = array_to_columns(array, field.clone(), options, &encodings)?;
    Ok(encoded
        .into_iter()
        .map(|pages| {
            let pages = pages.map(|page| {
                page.map_err(|e| {
                    polars_parquet::parquet::error::ParquetError::FeatureNotSupported(format!(
                        "reraised in polars: {e}"
                    ))
                })
            });
            DynStreamingIterator::new(
                Compressor::new_from_vec(pages, options.compression, vec![])
                    .map_err(PolarsError::from),
            )
        })
        .collect())
}

/// `text` as a dictionary (distinct values in order of first appearance, a code per cell),
/// or None when a dictionary would not pay (too many distinct values).
fn dictionary_of(text: &Utf8ViewArray) -> Option<DictionaryArray<u32>> {
    let n = text.len();
    if n == 0 {
        return None;
    }
    let limit = ((n as f64) * MAX_DISTINCT_SHARE) as usize;
    let views = text.views();
    let validity = text.validity();
    let mut codes: Vec<u32> = Vec::with_capacity(n);
    let mut first_rows: Vec<u32> = Vec::new();
    let mut by_view: FxHashMap<u128, u32> = FxHashMap::default();
    let mut by_text: FxHashMap<&str, u32> = FxHashMap::default();
    let mut above: Option<(u128, u32)> = None;
    for (i, view) in views.iter().enumerate() {
        if i == SAMPLE && n > 2 * SAMPLE && first_rows.len() as f64 > 0.9 * SAMPLE as f64 {
            return None;
        }
        if validity.is_some_and(|v| !v.get_bit(i)) {
            codes.push(0);
            continue;
        }
        let view = view.as_u128();
        if let Some((v, code)) = above {
            if v == view {
                codes.push(code);
                continue;
            }
        }
        let code = match by_view.get(&view) {
            Some(&code) => code,
            None => {
                // SAFETY: i < n.
                let s = unsafe { text.value_unchecked(i) };
                let next = first_rows.len() as u32;
                let code = *by_text.entry(s).or_insert(next);
                if code == next {
                    // Only a value's first view is remembered: where every cell has a view of
                    // its own (text built row by row), remembering them all would cost more
                    // than it saves.
                    by_view.insert(view, code);
                    first_rows.push(i as u32);
                    if n > 128 && first_rows.len() > limit {
                        return None;
                    }
                }
                code
            }
        };
        above = Some((view, code));
        codes.push(code);
    }
    let values = MutableBinaryViewArray::<str>::from_values_iter(
        first_rows.iter().map(|&i| text.value(i as usize)),
    )
    .freeze()
    .boxed();
    let keys = PrimitiveArray::<u32>::new(ArrowDataType::UInt32, codes.into(), validity.cloned());
    DictionaryArray::try_new(
        ArrowDataType::Dictionary(IntegerType::UInt32, Box::new(text.dtype().clone()), false),
        keys,
        values,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(values: &[Option<&str>]) -> Utf8ViewArray {
        Utf8ViewArray::from_slice(values)
    }

    /// Codes follow first appearance; runs, repeated values and nulls keep their places.
    #[test]
    fn dictionary_codes_by_first_appearance() {
        let long = "第三方评价机构扣分原因说明文字"; // longer than a 12-byte inline view
        let cells = [
            Some("b"),
            Some("b"),
            Some(long),
            None,
            Some("a"),
            Some(long),
            Some("b"),
            Some(""),
        ];
        let d = dictionary_of(&text(&cells)).expect("few distinct values: a dictionary");
        let values = d.values().as_any().downcast_ref::<Utf8ViewArray>().unwrap();
        let values: Vec<&str> = values.values_iter().collect();
        assert_eq!(values, ["b", long, "a", ""]);
        let keys: Vec<Option<u32>> = d.keys().iter().map(|k| k.copied()).collect();
        assert_eq!(
            keys,
            [
                Some(0),
                Some(0),
                Some(1),
                None,
                Some(2),
                Some(1),
                Some(0),
                Some(3)
            ]
        );
    }

    /// Mostly distinct text (ids) is left to plain encoding; mostly repeated text is not.
    #[test]
    fn distinct_text_is_written_plain() {
        let ids: Vec<String> = (0..5000).map(|i| format!("E{i:06}")).collect();
        let ids: Vec<Option<&str>> = ids.iter().map(|s| Some(s.as_str())).collect();
        assert!(dictionary_of(&text(&ids)).is_none());
        // 4 in 5 cells distinct, spread over the column: over the share, no dictionary.
        let spread: Vec<String> = (0..1000)
            .map(|i| {
                if i % 5 == 0 {
                    "x".to_string()
                } else {
                    format!("v{i}")
                }
            })
            .collect();
        let spread: Vec<Option<&str>> = spread.iter().map(|s| Some(s.as_str())).collect();
        assert!(dictionary_of(&text(&spread)).is_none());
        let repeated: Vec<Option<&str>> =
            (0..5000).map(|i| Some(["甲", "乙", "丙"][i % 3])).collect();
        let d = dictionary_of(&text(&repeated)).unwrap();
        assert_eq!(d.values().len(), 3);
    }

    /// A table written in several row groups reads back equal, types included.
    #[test]
    fn round_trip() {
        let n = 3000usize;
        let unit: Vec<Option<String>> = (0..n)
            .map(|i| (i % 97 != 5).then(|| format!("某某街道办事处{}", i / 100)))
            .collect();
        let id: Vec<String> = (0..n).map(|i| format!("eval-{i}")).collect();
        let score: Vec<Option<i128>> = (0..n)
            .map(|i| (i % 7 != 0).then_some(i as i128 * 1_250_000))
            .collect();
        let year: Vec<i32> = (0..n).map(|i| 2020 + (i % 4) as i32).collect();
        let rate: Vec<Option<f64>> = (0..n)
            .map(|i| (i % 3 != 0).then_some(i as f64 / 7.0))
            .collect();
        let flag: Vec<Option<bool>> = (0..n)
            .map(|i| (i % 11 != 0).then_some(i % 2 == 0))
            .collect();
        let score = Int128Chunked::from_iter_options("score".into(), score.into_iter())
            .into_decimal_unchecked(38, 6)
            .into_series();
        let df = DataFrame::new(
            n,
            vec![
                Series::new("unit".into(), unit).into(),
                Series::new("id".into(), id).into(),
                score.into(),
                Series::new("year".into(), year).into(),
                Series::new("rate".into(), rate).into(),
                Series::new("flag".into(), flag).into(),
            ],
        )
        .unwrap();
        let mut pieces = df.slice(0, 1000);
        pieces.vstack_mut(&df.slice(1000, 1500)).unwrap();
        pieces.vstack_mut(&df.slice(2500, 500)).unwrap();
        for frame in [&df, &pieces] {
            let mut w = TableWriter::new(Vec::new(), frame.schema(), true).unwrap();
            w.write(frame).unwrap();
            let bytes = w.finish().unwrap();
            let back = ParquetReader::new(std::io::Cursor::new(bytes))
                .finish()
                .unwrap();
            assert_eq!(back.schema(), df.schema());
            assert!(back.equals_missing(&df));
        }
        let whole = parquet_bytes(&df).unwrap();
        // The repeated text has a dictionary page; the ids and the decimals have none.
        let meta = polars_parquet::read::read_metadata(&mut std::io::Cursor::new(&whole)).unwrap();
        let dictionary = |column: usize| {
            meta.row_groups[0].parquet_columns()[column]
                .dictionary_page_offset()
                .is_some()
        };
        assert_eq!(
            [dictionary(0), dictionary(1), dictionary(2)],
            [true, false, false]
        );
        let back = ParquetReader::new(std::io::Cursor::new(whole))
            .finish()
            .unwrap();
        assert!(back.equals_missing(&df));
    }
}
