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
        JxError::output(format!("{}: cannot write: {e}", path.display()))
    })
}

fn temp_sibling(path: &Path) -> PathBuf {
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

pub fn parquet_bytes(df: &DataFrame) -> Result<Vec<u8>> {
    let mut df = df.clone();
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf).finish(&mut df)?;
    Ok(buf)
}

/// Write `df` as `dir/name.{csv,parquet}`; returns the path written.
pub fn write_table(dir: &Path, name: &str, df: &DataFrame, format: Format) -> Result<PathBuf> {
    let path = dir.join(format!("{name}.{}", format.ext()));
    let bytes = match format {
        Format::Csv => csv_bytes(df)?,
        Format::Parquet => parquet_bytes(df)?,
        Format::Xlsx => {
            crate::excel::write::write_workbook(&path, &[(name, df)])?;
            return Ok(path);
        }
    };
    write_atomic(&path, &bytes)?;
    Ok(path)
}

/// Serialize rows with serde into CSV bytes (for small Rust-side tables like findings).
pub fn serde_csv_bytes<T: serde::Serialize>(rows: &[T], header: &[&str]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(!rows.is_empty())
        .from_writer(Vec::new());
    if rows.is_empty() {
        w.write_record(header)
            .map_err(|e| JxError::internal(e.to_string()))?;
    }
    for r in rows {
        w.serialize(r)
            .map_err(|e| JxError::internal(e.to_string()))?;
    }
    w.into_inner().map_err(|e| JxError::internal(e.to_string()))
}

/// Convert the three contract tables of a folder from CSV to Parquet (typed by the contract),
/// removing the CSVs. Cells that fail typing are an error here: the CSVs were written by jixiao.
pub fn csv_tables_to_parquet(dir: &Path) -> Result<Vec<PathBuf>> {
    let (ds, findings) = crate::dataset::load(dir)?;
    if let Some(f) = findings.first() {
        return Err(JxError::internal(format!(
            "tables written by jixiao failed their own typing: {}",
            f.message
        )));
    }
    let mut out = Vec::new();
    for (name, df) in [
        ("units", &ds.units),
        ("evaluations", &ds.evaluations),
        ("indicators", &ds.indicators),
    ] {
        let df = df.drop(crate::dataset::schema::ROW)?;
        out.push(write_table(dir, name, &df, Format::Parquet)?);
        std::fs::remove_file(dir.join(format!("{name}.csv"))).map_err(|e| {
            JxError::output(format!("{}: cannot remove {name}.csv: {e}", dir.display()))
        })?;
    }
    Ok(out)
}
