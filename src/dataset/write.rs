//! Writing tables: CSV with exact decimals (no trailing zeros, no float drift) or Parquet with
//! Decimal columns; always through a temporary file renamed into place, so an interrupted run
//! leaves the previous output or none, never half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::decimal::strip_zeros;
use crate::error::{JxError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Parquet,
    /// One Excel workbook with a sheet per table (bench, validate)
    Xlsx,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Create the output directory (and parents) or say why not.
pub fn ensure_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        JxError::output(format!(
            "{}: cannot create the output directory: {e}. Choose another --out.",
            dir.display()
        ))
        .caused_by(e)
    })
}

/// Write bytes to `path` atomically: a sibling temporary file, flushed, then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_sibling(path);
    let res = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    res.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        JxError::output(format!("{}: cannot write: {e}", path.display())).caused_by(e)
    })
}

pub fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Decimal columns rendered as exact text for CSV; other columns as they are.
pub fn for_csv(df: &DataFrame) -> Result<DataFrame> {
    let exprs: Vec<Expr> = df
        .columns()
        .iter()
        .map(|c| {
            let n = c.name().as_str();
            match c.dtype() {
                DataType::Decimal(_, _) => strip_zeros(col(n)).alias(n),
                _ => col(n),
            }
        })
        .collect();
    Ok(df.clone().lazy().select(exprs).collect()?)
}

pub fn csv_bytes(df: &DataFrame) -> Result<Vec<u8>> {
    let mut text = for_csv(df)?;
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .finish(&mut text)?;
    Ok(buf)
}

pub use super::parquet_writer::parquet_bytes;

/// Write `df` as `dir/name.{csv,parquet}`; returns the path written. (Workbooks are
/// `excel::write`'s, which builds on this module, not the other way round.)
pub fn write_table(dir: &Path, name: &str, df: &DataFrame, format: Format) -> Result<PathBuf> {
    let path = table_path(dir, name, format);
    let bytes = table_bytes(df, format)?.ok_or_else(|| {
        JxError::internal(format!(
            "{name}: a table is written to a workbook by excel::write, not write_table"
        ))
    })?;
    write_atomic(&path, &bytes)?;
    Ok(path)
}

/// Where `write_table` puts the table `name`.
pub fn table_path(dir: &Path, name: &str, format: Format) -> PathBuf {
    dir.join(format!("{name}.{}", format.ext()))
}

/// A table encoded as the file `write_table` would write (None for xlsx, written in place):
/// encoding can then happen earlier, on another thread, than the writing.
pub fn table_bytes(df: &DataFrame, format: Format) -> Result<Option<Vec<u8>>> {
    Ok(match format {
        Format::Csv => Some(csv_bytes(df)?),
        Format::Parquet => Some(parquet_bytes(df)?),
        Format::Xlsx => None,
    })
}

/// Serialize rows with serde into CSV bytes (for small Rust-side tables like findings).
pub fn serde_csv_bytes<T: serde::Serialize>(rows: &[T], header: &[&str]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(!rows.is_empty())
        .from_writer(Vec::new());
    if rows.is_empty() {
        w.write_record(header)
            .map_err(|e| JxError::internal(e.to_string()).caused_by(e))?;
    }
    for r in rows {
        w.serialize(r)
            .map_err(|e| JxError::internal(e.to_string()).caused_by(e))?;
    }
    w.into_inner()
        .map_err(|e| JxError::internal(e.to_string()).caused_by(e))
}

/// Convert the three contract tables of a folder from CSV to Parquet (typed by the contract),
/// removing the CSVs. Cells that fail typing are an error here: the CSVs were written by jixiao.
pub fn csv_tables_to_parquet(dir: &Path) -> Result<Vec<PathBuf>> {
    use crate::dataset::{csv_chunks::CsvChunks, load, schema};
    let mut out = Vec::new();
    for spec in schema::TABLES {
        let csv = dir.join(format!("{}.csv", spec.name));
        let path = dir.join(format!("{}.parquet", spec.name));
        let mut findings = Vec::new();
        match CsvChunks::open(&csv)? {
            // Larger than memory allows: chunk by chunk into one Parquet file.
            Some(mut chunks) => {
                let tmp = temp_sibling(&path);
                let werr = |e: JxError| {
                    JxError::output(format!("{}: cannot write: {e}", path.display())).caused_by(e)
                };
                let file = std::fs::File::create(&tmp).map_err(|e| {
                    JxError::output(format!("{}: cannot write: {e}", path.display())).caused_by(e)
                })?;
                let mut file = Some(std::io::BufWriter::new(file));
                let mut writer = None;
                while let Some(piece) = chunks.next_piece()? {
                    if let Some(sa) = piece.set_aside.first() {
                        return Err(JxError::internal(format!(
                            "tables written by jixiao failed their own reading: {}",
                            sa.message()
                        )));
                    }
                    let typed = load::type_table_from(piece.frame, &spec, &csv, &mut findings, 0)?
                        .drop(schema::ROW)?;
                    if let Some(out) = file.take() {
                        writer = Some(
                            super::parquet_writer::TableWriter::new(out, typed.schema(), true)
                                .map_err(werr)?,
                        );
                    }
                    if let Some(w) = writer.as_mut() {
                        w.write(&typed).map_err(werr)?;
                    }
                }
                if let Some(w) = writer {
                    w.finish().map_err(werr)?;
                }
                std::fs::rename(&tmp, &path).map_err(|e| {
                    JxError::output(format!("{}: cannot write: {e}", path.display())).caused_by(e)
                })?;
            }
            None => {
                let (raw, _) = load::read_csv_as_text(&csv)?;
                let typed = load::type_table(raw, &spec, &csv, &mut findings)?;
                write_table(dir, spec.name, &typed.drop(schema::ROW)?, Format::Parquet)?;
            }
        }
        if let Some(f) = findings.first() {
            return Err(JxError::internal(format!(
                "tables written by jixiao failed their own typing: {}",
                f.message
            )));
        }
        out.push(path);
        std::fs::remove_file(&csv).map_err(|e| {
            JxError::output(format!(
                "{}: cannot remove {}.csv: {e}",
                dir.display(),
                spec.name
            ))
            .caused_by(e)
        })?;
    }
    Ok(out)
}

/// A value as a hive partition folder name: nulls are `__HIVE_DEFAULT_PARTITION__`, and
/// characters that could leave the folder (`/`, `\`, `..`) or confuse readers are
/// percent-encoded, so data never chooses where a file is written.
pub fn partition_value(v: Option<&str>) -> String {
    let Some(v) = v else {
        return "__HIVE_DEFAULT_PARTITION__".to_string();
    };
    let mut out = String::new();
    for c in v.chars() {
        match c {
            '/' | '\\' | '=' | '%' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '\n' | '\r'
            | '\t' => {
                let mut b = [0u8; 4];
                for byte in c.encode_utf8(&mut b).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            _ => out.push(c),
        }
    }
    if out.is_empty() || out == "." || out == ".." {
        out = out.replace('.', "%2E");
        if out.is_empty() {
            out = "__EMPTY__".to_string();
        }
    }
    out
}

/// Write `df` as hive-partitioned Parquet under `dir/name/`: one folder level per partition
/// column present in the table (`fiscal_year=2024/province=…/part-0.parquet`), the partition
/// columns dropped from the files as Spark, Trino and DuckDB expect. A table with none of the
/// columns is written whole as `dir/name/part-0.parquet`.
pub fn write_partitioned(
    dir: &Path,
    name: &str,
    df: &DataFrame,
    by: &[String],
) -> Result<Vec<PathBuf>> {
    write_partitioned_part(dir, name, df, by, 0)
}

/// `write_partitioned` for one of several batches of a table: batch `k` writes
/// `part-k.parquet` in each folder; batch 0 replaces what was there.
pub fn write_partitioned_part(
    dir: &Path,
    name: &str,
    df: &DataFrame,
    by: &[String],
    k: usize,
) -> Result<Vec<PathBuf>> {
    let root = dir.join(name);
    let part_file = format!("part-{k}.parquet");
    if k == 0 && root.exists() {
        std::fs::remove_dir_all(&root).map_err(|e| {
            JxError::output(format!("{}: cannot replace: {e}", root.display())).caused_by(e)
        })?;
    }
    let cols: Vec<&str> = by
        .iter()
        .map(|s| s.as_str())
        .filter(|c| df.column(c).is_ok())
        .collect();
    let mut written = Vec::new();
    if cols.is_empty() {
        ensure_dir(&root)?;
        let p = root.join(&part_file);
        write_atomic(&p, &parquet_bytes(df)?)?;
        written.push(p);
        return Ok(written);
    }
    // One part per distinct key, in order of first appearance, rows in input order.
    for part in df.partition_by_stable(cols.iter().copied(), true)? {
        let mut sub = root.clone();
        for c in &cols {
            let key = part.column(c)?.cast(&DataType::String)?;
            let v = key.str()?.get(0).map(|s| s.to_string());
            sub = sub.join(format!("{c}={}", partition_value(v.as_deref())));
        }
        ensure_dir(&sub)?;
        let p = sub.join(&part_file);
        write_atomic(&p, &parquet_bytes(&part.drop_many(cols.iter().copied()))?)?;
        written.push(p);
    }
    Ok(written)
}

/// Write a dataset as hive-partitioned Parquet (units/, evaluations/, indicators/). Each table
/// is partitioned by the requested columns it has or can take from its parents (evaluations
/// take province from units; indicators take fiscal_year and province), kept in the path.
pub fn write_dataset_partitioned(
    ds: &crate::dataset::Dataset,
    dir: &Path,
    by: &[String],
) -> Result<Vec<PathBuf>> {
    use crate::dataset::schema::ROW;
    let drop_row = |df: &DataFrame| df.drop(ROW).unwrap_or_else(|_| df.clone());
    let units = drop_row(&ds.units);
    let place = units
        .clone()
        .lazy()
        .select([col("unit_id"), col("province")]);
    let evaluations = drop_row(&ds.evaluations)
        .lazy()
        .join(
            place,
            [col("unit_id")],
            [col("unit_id")],
            JoinArgs::new(JoinType::Left),
        )
        .collect()?;
    let eval_keys =
        evaluations
            .clone()
            .lazy()
            .select([col("eval_id"), col("fiscal_year"), col("province")]);
    let indicators = drop_row(&ds.indicators)
        .lazy()
        .join(
            eval_keys,
            [col("eval_id")],
            [col("eval_id")],
            JoinArgs::new(JoinType::Left),
        )
        .collect()?;
    // Columns that are not partition keys were added only to be partitioned by: drop them.
    let keep = |df: DataFrame, added: &[&str]| -> Result<DataFrame> {
        let drop: Vec<&str> = added
            .iter()
            .copied()
            .filter(|c| !by.iter().any(|b| b == c))
            .collect();
        Ok(df.drop_many(drop))
    };
    let mut out = Vec::new();
    ensure_dir(dir)?;
    out.extend(write_partitioned(dir, "units", &units, by)?);
    out.extend(write_partitioned(
        dir,
        "evaluations",
        &keep(evaluations, &["province"])?,
        by,
    )?);
    out.extend(write_partitioned(
        dir,
        "indicators",
        &keep(indicators, &["fiscal_year", "province"])?,
        by,
    )?);
    Ok(out)
}
