//! Where the deduction detail rows go when the indicators are read in several batches: each
//! batch is appended to one CSV or Parquet file as it is made, so the detail (the largest
//! table: about one row per indicator) never has to be held whole. The file is written under
//! a temporary name and renamed at the end, like every other output.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::dataset::write::{for_csv, temp_sibling, Format};
use crate::error::{JxError, Result};

enum Writer {
    Csv(polars::io::csv::write::BatchedWriter<BufWriter<File>>),
    Parquet(polars::io::parquet::write::BatchedWriter<BufWriter<File>>),
    /// Hive-partitioned Parquet: a part file per batch in each partition folder.
    Partitioned(Vec<String>, usize),
}

pub struct DetailSink {
    path: PathBuf,
    tmp: PathBuf,
    format: Format,
    writer: Option<Writer>,
    pub rows: usize,
    dir: PathBuf,
}

impl DetailSink {
    /// `partition_by`: with Parquet, hive folders by these columns (`--partition-by`).
    pub fn new(dir: &Path, format: Format, partition_by: &[String]) -> Result<DetailSink> {
        if format == Format::Xlsx {
            return Err(JxError::usage_like(
                "this dataset is read in batches (larger than --batch-rows) and its deduction detail would not fit a workbook (1,048,576 rows a sheet); use --format csv or parquet.",
            ));
        }
        if !partition_by.is_empty() {
            let path = dir.join("deductions_detail");
            return Ok(DetailSink {
                tmp: path.clone(),
                path,
                format,
                writer: Some(Writer::Partitioned(partition_by.to_vec(), 0)),
                rows: 0,
                dir: dir.to_path_buf(),
            });
        }
        let path = dir.join(format!("deductions_detail.{}", format.ext()));
        Ok(DetailSink {
            tmp: temp_sibling(&path),
            path,
            format,
            writer: None,
            rows: 0,
            dir: dir.to_path_buf(),
        })
    }

    fn err(&self, e: impl std::fmt::Display) -> JxError {
        JxError::output(format!("{}: cannot write: {e}", self.path.display()))
    }

    pub fn push(&mut self, detail: &DataFrame) -> Result<()> {
        // The batched writers take record batches: every column cut at the same rows.
        let mut detail = detail.clone();
        detail.align_chunks_par();
        let detail = &detail;
        if self.writer.is_none() {
            let file = File::create(&self.tmp).map_err(|e| self.err(e))?;
            let out = BufWriter::with_capacity(1 << 20, file);
            self.writer = Some(match self.format {
                Format::Parquet => Writer::Parquet(
                    ParquetWriter::new(out)
                        .batched(detail.schema())
                        .map_err(|e| self.err(e))?,
                ),
                _ => Writer::Csv(
                    CsvWriter::new(out)
                        .include_header(true)
                        .batched(&for_csv(&detail.head(Some(0)))?.schema())
                        .map_err(|e| self.err(e))?,
                ),
            });
        }
        let res = match self.writer.as_mut().unwrap() {
            Writer::Parquet(w) => w.write_batch(detail),
            Writer::Csv(w) => w.write_batch(&for_csv(detail)?),
            Writer::Partitioned(by, k) => {
                crate::dataset::write::write_partitioned_part(
                    &self.dir,
                    "deductions_detail",
                    detail,
                    by,
                    *k,
                )?;
                *k += 1;
                Ok(())
            }
        };
        res.map_err(|e| self.err(e))?;
        self.rows += detail.height();
        Ok(())
    }

    /// Close the file and put it in place; returns its path.
    pub fn finish(mut self) -> Result<PathBuf> {
        let res = match self.writer.take() {
            Some(Writer::Parquet(w)) => w.finish().map(|_| ()),
            Some(Writer::Csv(mut w)) => w.finish(),
            Some(Writer::Partitioned(..)) => return Ok(self.path.clone()),
            None => return Err(self.err("no rows were given")),
        };
        res.map_err(|e| self.err(e))?;
        std::fs::rename(&self.tmp, &self.path).map_err(|e| self.err(e))?;
        Ok(self.path.clone())
    }
}

impl Drop for DetailSink {
    /// An abandoned sink (an error, or errors in the data) leaves no partial file.
    fn drop(&mut self) {
        if matches!(self.writer, Some(Writer::Csv(_)) | Some(Writer::Parquet(_))) {
            self.writer = None;
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
