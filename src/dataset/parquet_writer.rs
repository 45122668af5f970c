//! Parquet output with text and decimal dictionaries built here rather than by polars' writer.
//!
//! polars' writer decides per column chunk whether to dictionary-encode text by first
//! estimating its cardinality (a hash of every cell) and then building the dictionary (a
//! second hash of every cell, through a generic value map), which on bench's largest table,
//! the deduction detail, costs much of the run (README, Measured figures). Here one pass builds the
//! dictionary and decides: a cell equal to the cell above (an evaluation's columns repeat down its
//! indicator rows) reuses its code without hashing; a string view seen before (Parquet input
//! decodes repeated values to one view) is found by its 16 bytes; only new views hash their text. A
//! column whose first cells are nearly all distinct (ids) is written plain at once, as polars'
//! writer would after its estimate. Decimals (16 bytes a cell, which polars' writer always writes
//! plain) are dictionary-encoded the same way when they repeat, in files without statistics;
//! otherwise plain, without the estimate.
//!
//! The files are ordinary Parquet with the schema polars' writer gives (text stays text, not
//! a dictionary type; decimals stay decimal(38, 6)) and zstd compression.

use std::io::Write;

use polars::frame::chunk_df_for_writing;
use polars::prelude::*;
use polars_arrow::array::{
    Array, DictionaryArray, FixedSizeBinaryArray, MutableBinaryViewArray, PrimitiveArray,
    Utf8ViewArray,
};
use polars_arrow::bitmap::Bitmap;
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

/// The byte width of a column stored as fixed-size bytes (decimals of more than 18 digits).
fn fixed_size(field: &ParquetType) -> Option<usize> {
    match field {
        ParquetType::PrimitiveType(p) => match p.physical_type {
            polars_parquet::parquet::schema::types::PhysicalType::FixedLenByteArray(size) => {
                Some(size)
            }
            _ => None,
        },
        _ => None,
    }
}

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
            let decimals = array
                .as_any()
                .downcast_ref::<PrimitiveArray<i128>>()
                .expect("an Int128 array");
            // Only in files without statistics: those of a dictionary of fixed-size bytes
            // would compare bytes, which orders negative decimals wrongly.
            let decimal_dictionary = || {
                let size = fixed_size(field)?;
                (!options.has_statistics())
                    .then(|| decimal_dictionary_of(decimals, size))
                    .flatten()
            };
            match decimal_dictionary() {
                Some(d) => {
                    dictionary = d;
                    (&dictionary, vec![Encoding::RleDictionary])
                }
                None => (array, vec![Encoding::Plain]),
            }
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

/// Dictionary codes being built: the distinct values in order of first appearance (by the
/// row where each first appears) and a code per cell. Gives up when too many values are
/// distinct for a dictionary to pay.
struct Codes {
    n: usize,
    limit: usize,
    codes: Vec<u32>,
    first_rows: Vec<u32>,
}

impl Codes {
    fn new(n: usize) -> Codes {
        Codes {
            n,
            limit: ((n as f64) * MAX_DISTINCT_SHARE) as usize,
            codes: Vec::with_capacity(n),
            first_rows: Vec::new(),
        }
    }

    /// Whether, at row `i`, the first rows show a column of nearly all distinct values (ids).
    fn looks_like_ids_at(&self, i: usize) -> bool {
        i == SAMPLE && self.n > 2 * SAMPLE && self.first_rows.len() as f64 > 0.9 * SAMPLE as f64
    }

    /// The code of a value first seen at row `i`; None when there are now too many.
    fn new_value(&mut self, i: usize) -> Option<u32> {
        self.first_rows.push(i as u32);
        if self.n > 128 && self.first_rows.len() > self.limit {
            return None;
        }
        Some(self.first_rows.len() as u32 - 1)
    }

    /// The keys (nulls where `validity` has them) and the rows holding the distinct values.
    fn finish(self, validity: Option<&Bitmap>) -> (PrimitiveArray<u32>, Vec<u32>) {
        let keys =
            PrimitiveArray::<u32>::new(ArrowDataType::UInt32, self.codes.into(), validity.cloned());
        (keys, self.first_rows)
    }
}

fn dictionary(keys: PrimitiveArray<u32>, values: Box<dyn Array>) -> Option<DictionaryArray<u32>> {
    let dtype =
        ArrowDataType::Dictionary(IntegerType::UInt32, Box::new(values.dtype().clone()), false);
    DictionaryArray::try_new(dtype, keys, values).ok()
}

/// `text` as a dictionary (distinct values in order of first appearance, a code per cell),
/// or None when a dictionary would not pay (too many distinct values).
fn dictionary_of(text: &Utf8ViewArray) -> Option<DictionaryArray<u32>> {
    let n = text.len();
    if n == 0 {
        return None;
    }
    let validity = text.validity();
    let mut c = Codes::new(n);
    let mut by_view: FxHashMap<u128, u32> = FxHashMap::default();
    let mut by_text: FxHashMap<&str, u32> = FxHashMap::default();
    let mut above: Option<(u128, u32, usize)> = None;
    for (i, view) in text.views().iter().enumerate() {
        if c.looks_like_ids_at(i) {
            return None;
        }
        if validity.is_some_and(|v| !v.get_bit(i)) {
            c.codes.push(0);
            continue;
        }
        let view = view.as_u128();
        // The cell above: the same view, or the same length and first bytes (the view's low
        // half) and the same text, as in a sorted column of text built row by row.
        if let Some((_, code, _)) = above.filter(|&(v, _, row)| {
            v == view || (v as u64 == view as u64 && text.value(row) == text.value(i))
        }) {
            c.codes.push(code);
            continue;
        }
        let code = match by_view.get(&view) {
            Some(&code) => code,
            None => {
                let s = text.value(i);
                match by_text.get(s) {
                    Some(&code) => code,
                    None => {
                        let code = c.new_value(i)?;
                        by_text.insert(s, code);
                        // Only a value's first view is remembered: where every cell has a
                        // view of its own (text built row by row), remembering them all
                        // would cost more than it saves.
                        by_view.insert(view, code);
                        code
                    }
                }
            }
        };
        above = Some((view, code, i));
        c.codes.push(code);
    }
    let (keys, first_rows) = c.finish(validity);
    let values = MutableBinaryViewArray::<str>::from_values_iter(
        first_rows.iter().map(|&i| text.value(i as usize)),
    )
    .freeze()
    .boxed();
    dictionary(keys, values)
}

/// A decimal column as a dictionary of its values in Parquet's fixed-size big-endian form
/// (`size` bytes), or None when a dictionary would not pay. polars' writer cannot
/// dictionary-encode 128-bit decimals and writes all 16 bytes of every cell; scores repeat
/// a few thousand values, so their dictionary codes take a fraction of that to write and
/// to compress.
fn decimal_dictionary_of(
    values: &PrimitiveArray<i128>,
    size: usize,
) -> Option<DictionaryArray<u32>> {
    let n = values.len();
    if n == 0 || size == 0 || size > 16 {
        return None;
    }
    let validity = values.validity();
    let mut c = Codes::new(n);
    let mut seen: FxHashMap<i128, u32> = FxHashMap::default();
    let mut above: Option<(i128, u32)> = None;
    for (i, &v) in values.values().iter().enumerate() {
        if c.looks_like_ids_at(i) {
            return None;
        }
        if validity.is_some_and(|b| !b.get_bit(i)) {
            c.codes.push(0);
            continue;
        }
        if let Some((_, code)) = above.filter(|(a, _)| *a == v) {
            c.codes.push(code);
            continue;
        }
        let code = match seen.get(&v) {
            Some(&code) => code,
            None => {
                let code = c.new_value(i)?;
                seen.insert(v, code);
                code
            }
        };
        above = Some((v, code));
        c.codes.push(code);
    }
    let (keys, first_rows) = c.finish(validity);
    let mut bytes = Vec::with_capacity(first_rows.len() * size);
    for &i in &first_rows {
        bytes.extend_from_slice(&values.value(i as usize).to_be_bytes()[16 - size..]);
    }
    let dict_values =
        FixedSizeBinaryArray::new(ArrowDataType::FixedSizeBinary(size), bytes.into(), None).boxed();
    dictionary(keys, dict_values)
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
        // Few distinct values, negatives and blanks among them: a dictionary.
        let points: Vec<Option<i128>> = (0..n)
            .map(|i| (i % 13 != 0).then_some([-2_500_000i128, 0, 8_070_000, 10_000_000][i % 4]))
            .collect();
        let points = Int128Chunked::from_iter_options("points".into(), points.into_iter())
            .into_decimal_unchecked(38, 6)
            .into_series();
        let df = DataFrame::new(
            n,
            vec![
                Series::new("unit".into(), unit).into(),
                Series::new("id".into(), id).into(),
                score.into(),
                points.into(),
                Series::new("year".into(), year).into(),
                Series::new("rate".into(), rate).into(),
                Series::new("flag".into(), flag).into(),
            ],
        )
        .unwrap();
        let mut pieces = df.slice(0, 1000);
        pieces.vstack_mut(&df.slice(1000, 1500)).unwrap();
        pieces.vstack_mut(&df.slice(2500, 500)).unwrap();
        for (frame, statistics) in [(&df, true), (&pieces, true), (&df, false), (&pieces, false)] {
            let mut w = TableWriter::new(Vec::new(), frame.schema(), statistics).unwrap();
            w.write(frame).unwrap();
            let bytes = w.finish().unwrap();
            let back = ParquetReader::new(std::io::Cursor::new(bytes))
                .finish()
                .unwrap();
            assert_eq!(back.schema(), df.schema());
            assert!(back.equals_missing(&df));
        }
        // Without statistics, the repeated text and decimals have a dictionary page; the ids
        // and the distinct decimals have none.
        let mut w = TableWriter::new(Vec::new(), df.schema(), false).unwrap();
        w.write(&df).unwrap();
        let whole = w.finish().unwrap();
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
