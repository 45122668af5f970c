//! Where the deduction detail rows go when the indicators are read in several batches: each
//! batch is appended to one CSV or Parquet file as it is made, so the detail (the largest
//! table: about one row per indicator) never has to be held whole. A writer thread encodes
//! one batch while the next is computed (encoding is a large share of the time). The
//! file is written under a temporary name and renamed at the end, like every other output.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::dataset::parquet_writer::TableWriter;
use crate::dataset::write::{for_csv, temp_sibling, Format};
use crate::error::{JxError, Result};

enum Writer {
    Csv(polars::io::csv::write::BatchedWriter<BufWriter<File>>),
    Parquet(TableWriter<BufWriter<File>>),
    /// Hive-partitioned Parquet: a part file per batch in each partition folder.
    Partitioned(Vec<String>, usize),
}

/// The detail file, written on the caller's thread.
struct DetailFile {
    path: PathBuf,
    tmp: PathBuf,
    format: Format,
    writer: Option<Writer>,
    dir: PathBuf,
}

impl DetailFile {
    /// `partition_by`: with Parquet, hive folders by these columns (`--partition-by`).
    fn new(dir: &Path, format: Format, partition_by: &[String]) -> Result<DetailFile> {
        if format == Format::Xlsx {
            return Err(JxError::usage_like(
                "this dataset is read in batches (larger than --batch-rows) and its deduction detail would not fit a workbook (1,048,576 rows a sheet); use --format csv or parquet.",
            ));
        }
        if !partition_by.is_empty() {
            let path = dir.join("deductions_detail");
            return Ok(DetailFile {
                tmp: path.clone(),
                path,
                format,
                writer: Some(Writer::Partitioned(partition_by.to_vec(), 0)),
                dir: dir.to_path_buf(),
            });
        }
        let path = dir.join(format!("deductions_detail.{}", format.ext()));
        Ok(DetailFile {
            tmp: temp_sibling(&path),
            path,
            format,
            writer: None,
            dir: dir.to_path_buf(),
        })
    }

    fn err(&self, e: impl std::fmt::Display) -> JxError {
        JxError::output(format!("{}: cannot write: {e}", self.path.display()))
    }

    fn push(&mut self, detail: &DataFrame) -> Result<()> {
        // The batched writers take record batches: every column cut at the same rows.
        let detail = &aligned_by_slicing(detail)?;
        if self.writer.is_none() {
            let file = File::create(&self.tmp).map_err(|e| self.err(e))?;
            let out = BufWriter::with_capacity(1 << 20, file);
            self.writer = Some(match self.format {
                // No min/max statistics: the rows are in input order, so they would
                // prune nothing; on strings they cost much of the encoding, and without them
                // repeated scores can be dictionary-encoded (`parquet_writer`).
                Format::Parquet => Writer::Parquet(
                    TableWriter::new(out, detail.schema(), false).map_err(|e| self.err(e))?,
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
            Writer::Parquet(w) => w.write(detail),
            Writer::Csv(w) => w.write_batch(&for_csv(detail)?).map_err(JxError::from),
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
        Ok(())
    }

    /// Close the file and put it in place; returns its path.
    fn finish(mut self) -> Result<PathBuf> {
        let res = match self.writer.take() {
            Some(Writer::Parquet(w)) => w.finish().map(|_| ()),
            Some(Writer::Csv(mut w)) => w.finish().map_err(JxError::from),
            Some(Writer::Partitioned(..)) => return Ok(self.path.clone()),
            None => return Err(self.err("no rows were given")),
        };
        res.map_err(|e| self.err(e))?;
        std::fs::rename(&self.tmp, &self.path).map_err(|e| self.err(e))?;
        Ok(self.path.clone())
    }
}

impl Drop for DetailFile {
    /// An abandoned sink (an error, or errors in the data) leaves no partial file.
    fn drop(&mut self) {
        if matches!(self.writer, Some(Writer::Csv(_)) | Some(Writer::Parquet(_))) {
            self.writer = None;
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// `df` with every column cut at the same rows, by zero-copy slices where it can: the
/// detail's columns from the indicator batch keep the batch's chunks (one per Parquet row
/// group), while those gathered from the evaluations come as one chunk. Rechunking them all
/// instead (`align_chunks`) copied every string view (README, Measured figures).
fn aligned_by_slicing(df: &DataFrame) -> Result<DataFrame> {
    let lengths =
        |c: &Column| -> Vec<usize> { c.as_materialized_series().chunk_lengths().collect() };
    let Some(reference) = df.columns().iter().map(lengths).max_by_key(Vec::len) else {
        return Ok(df.clone());
    };
    if reference.len() <= 1 || reference.len() > df.height() {
        let mut df = df.clone();
        df.align_chunks_par();
        return Ok(df);
    }
    let columns = df
        .columns()
        .iter()
        .map(|c| -> Result<Column> {
            if lengths(c) == reference {
                return Ok(c.clone());
            }
            let whole = c.as_materialized_series().rechunk();
            let mut offset = 0i64;
            let mut out: Option<Series> = None;
            for &len in &reference {
                let piece = whole.slice(offset, len);
                offset += len as i64;
                match out.as_mut() {
                    Some(o) => {
                        o.append(&piece)?;
                    }
                    None => out = Some(piece),
                }
            }
            Ok(out.unwrap_or(whole).into_column())
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(DataFrame::new(df.height(), columns)?)
}

enum Message {
    Batch(DataFrame),
    Finish,
}

/// The detail file written by a thread of its own: `push` hands a batch over (waiting while
/// one is still being written, so at most two are in memory), `finish` waits for the file.
/// Dropped without `finish` (an error, or errors in the data), it leaves no file.
pub struct DetailSink {
    tx: Option<std::sync::mpsc::SyncSender<Message>>,
    worker: Option<std::thread::JoinHandle<Result<PathBuf>>>,
}

impl DetailSink {
    /// `partition_by`: with Parquet, hive folders by these columns (`--partition-by`).
    pub fn new(dir: &Path, format: Format, partition_by: &[String]) -> Result<DetailSink> {
        let mut file = DetailFile::new(dir, format, partition_by)?;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Message>(1);
        let worker = std::thread::spawn(move || -> Result<PathBuf> {
            for m in rx {
                match m {
                    Message::Batch(df) => file.push(&df)?,
                    Message::Finish => return file.finish(),
                }
            }
            Err(JxError::output("the deduction detail was abandoned"))
        });
        Ok(DetailSink {
            tx: Some(tx),
            worker: Some(worker),
        })
    }

    pub fn push(&mut self, detail: &DataFrame) -> Result<()> {
        let sent = self
            .tx
            .as_ref()
            .map(|tx| tx.send(Message::Batch(detail.clone())).is_ok())
            .unwrap_or(false);
        if sent {
            Ok(())
        } else {
            // The writer stopped: its error says why.
            Err(self
                .join()
                .err()
                .unwrap_or_else(|| JxError::internal("the deduction detail writer stopped")))
        }
    }

    fn join(&mut self) -> Result<PathBuf> {
        self.tx = None;
        match self.worker.take() {
            Some(w) => w
                .join()
                .map_err(|_| JxError::internal("the deduction detail writer panicked"))?,
            None => Err(JxError::internal("the deduction detail writer is gone")),
        }
    }

    /// Wait for the last batch and put the file in place; returns its path.
    pub fn finish(mut self) -> Result<PathBuf> {
        if let Some(tx) = self.tx.as_ref() {
            let _ = tx.send(Message::Finish);
        }
        self.join()
    }
}

impl Drop for DetailSink {
    fn drop(&mut self) {
        if self.worker.is_some() {
            let _ = self.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns chunked differently come out cut at the same rows, values unchanged.
    #[test]
    fn aligns_chunks_by_slicing() {
        let mut a = Series::new("a".into(), ["x", "y"]);
        a.append(&Series::new("a".into(), ["z"])).unwrap();
        a.append(&Series::new("a".into(), ["w", "v", "u"])).unwrap();
        let b = Series::new("b".into(), [1i32, 2, 3, 4, 5, 6]);
        let mut c = Series::new("c".into(), ["p", "q", "r"]);
        c.append(&Series::new("c".into(), ["s", "t", "o"])).unwrap();
        let df = DataFrame::new(6, vec![a.into(), b.into(), c.into()]).unwrap();
        assert!(df.should_rechunk());
        let out = aligned_by_slicing(&df).unwrap();
        assert!(!out.should_rechunk());
        for col in out.columns() {
            let lengths: Vec<usize> = col.as_materialized_series().chunk_lengths().collect();
            assert_eq!(lengths, [2, 1, 3], "{}", col.name());
        }
        assert!(out.equals(&df));
    }
}
