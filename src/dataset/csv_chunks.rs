//! A large CSV file read a chunk of whole records at a time (for tables larger than memory):
//! chunks end at a line break outside quotes, so a quoted cell with a line break is never cut;
//! each chunk is decoded on its own (a line break never falls inside a UTF-8 or GBK
//! character) and parsed with the file's header. Small files are read whole (`load`).

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::encoding;
use crate::error::{JxError, Result};

/// Files above this size are read in chunks of this size (64 MB: larger chunks were slower,
/// each first touch of fresh memory costs).
pub fn chunk_bytes() -> usize {
    // JIXIAO_CSV_CHUNK_BYTES lets the tests exercise chunking on small files.
    std::env::var("JIXIAO_CSV_CHUNK_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64 << 20)
}

pub struct CsvChunks {
    path: PathBuf,
    file: File,
    header: Vec<u8>,
    carry: Vec<u8>,
    chunk: usize,
    eof: bool,
    pub encoding: &'static str,
}

impl CsvChunks {
    /// Open `path` when it is larger than one chunk and not UTF-16 (which has NUL bytes in
    /// its line breaks); None means: read it whole.
    pub fn open(path: &Path) -> Result<Option<CsvChunks>> {
        let chunk = chunk_bytes().max(1024);
        let err =
            |e: std::io::Error| JxError::input(format!("{}: cannot read: {e}", path.display()));
        let size = std::fs::metadata(path).map_err(err)?.len() as usize;
        if size <= chunk {
            return Ok(None);
        }
        let mut file = File::open(path).map_err(err)?;
        let mut head = vec![0u8; 4096.min(size)];
        file.read_exact(&mut head).map_err(err)?;
        if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || head.contains(&0) {
            return Ok(None);
        }
        let mut me = CsvChunks {
            path: path.to_path_buf(),
            file,
            header: Vec::new(),
            carry: head,
            chunk,
            eof: false,
            encoding: "UTF-8",
        };
        // The header is the first record.
        me.fill()?;
        let end = record_end(&me.carry, 1).ok_or_else(|| {
            JxError::input(format!(
                "{}: no line break after the header",
                path.display()
            ))
        })?;
        let mut header: Vec<u8> = me.carry.drain(..end).collect();
        if header.starts_with(&[0xEF, 0xBB, 0xBF]) {
            header.drain(..3);
            me.encoding = "UTF-8 (BOM)";
        }
        me.header = header;
        Ok(Some(me))
    }

    fn fill(&mut self) -> Result<()> {
        let start = self.carry.len();
        self.carry.resize(start + self.chunk, 0);
        let mut got = 0;
        while start + got < self.carry.len() {
            let n = self
                .file
                .read(&mut self.carry[start + got..])
                .map_err(|e| {
                    JxError::input(format!("{}: cannot read: {e}", self.path.display()))
                })?;
            if n == 0 {
                self.eof = true;
                break;
            }
            got += n;
        }
        self.carry.truncate(start + got);
        Ok(())
    }

    /// The next chunk as a frame of text columns (None at the end of the file).
    pub fn next_frame(&mut self) -> Result<Option<DataFrame>> {
        if !self.eof {
            self.fill()?;
        }
        let cut = if self.eof {
            self.carry.len()
        } else {
            match record_end(&self.carry, usize::MAX) {
                Some(e) => e,
                // One record longer than a chunk: read on until it ends.
                None => return self.next_frame(),
            }
        };
        if self.carry[..cut].iter().all(|b| b.is_ascii_whitespace()) {
            self.carry.drain(..cut);
            return Ok(None);
        }
        // One copy: the header, then the records.
        let mut bytes = Vec::with_capacity(self.header.len() + cut);
        bytes.extend_from_slice(&self.header);
        bytes.extend(self.carry.drain(..cut));
        // UTF-8 (the usual case) is parsed as it is; other encodings are decoded first.
        let mut bytes = if std::str::from_utf8(&bytes).is_ok() {
            bytes
        } else {
            let decoded = encoding::decode(&bytes);
            if decoded.had_errors {
                return Err(JxError::input(format!(
                    "{}: the text is not valid {}; save it as UTF-8 CSV.",
                    self.path.display(),
                    decoded.encoding
                )));
            }
            self.encoding = decoded.encoding;
            decoded.text.into_bytes()
        };
        if bytes.contains(&b'\r') {
            bytes = String::from_utf8_lossy(&bytes)
                .replace("\r\n", "\n")
                .into_bytes();
        }
        let df = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(Cursor::new(bytes))
            .finish()
            .map_err(|e| {
                JxError::input(format!("{}: cannot parse as CSV: {e}", self.path.display()))
            })?;
        Ok(Some(df))
    }
}

/// End (after the line break) of the `nth` record from the start, or of the last whole
/// record when `nth` is usize::MAX; quotes are tracked so quoted line breaks do not count.
fn record_end(bytes: &[u8], nth: usize) -> Option<usize> {
    let mut in_quotes = false;
    let mut seen = 0;
    let mut last = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                seen += 1;
                last = Some(i + 1);
                if seen == nth {
                    return last;
                }
            }
            _ => {}
        }
    }
    if nth == usize::MAX {
        last
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::record_end;

    #[test]
    fn records_end_at_line_breaks_outside_quotes() {
        let b = b"a,b\n1,\"x\ny\"\n2,z";
        assert_eq!(record_end(b, 1), Some(4));
        assert_eq!(record_end(b, 2), Some(12));
        assert_eq!(record_end(b, usize::MAX), Some(12));
        assert_eq!(record_end(b"1,\"open\n", usize::MAX), None);
    }
}
