//! A large CSV file read a chunk of whole records at a time (for tables larger than memory):
//! chunks end at a line break outside quotes, so a quoted cell with a line break is never cut.
//! The encoding is decided once, on the first chunk (64 MB of evidence), and every chunk is
//! decoded in it (a line break never falls inside a UTF-8 or GBK character); each chunk is
//! then read as `csv_rows` reads a whole file, with the file's line and row numbers carried
//! from chunk to chunk. Small files are read whole (`load`).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::csv_rows::{self, Header, Piece, Place, ReadOptions, Source};
use crate::encoding::{self, Choice};
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
    file_name: String,
    file: File,
    /// The header line, decoded, ending with its line break.
    header_text: Vec<u8>,
    header: Header,
    carry: Vec<u8>,
    chunk: usize,
    eof: bool,
    choice: Choice,
    place: Place,
    /// Bytes at the start of `carry` already checked to be valid UTF-8.
    valid: usize,
    pub encoding: &'static str,
}

impl CsvChunks {
    /// `open_with` with the strict defaults of `ReadOptions`.
    pub fn open(path: &Path) -> Result<Option<CsvChunks>> {
        Self::open_with(path, &ReadOptions::default())
    }

    /// Open `path` when it is larger than one chunk and not UTF-16 (which has NUL bytes in
    /// its line breaks); None means: read it whole.
    pub fn open_with(path: &Path, opts: &ReadOptions) -> Result<Option<CsvChunks>> {
        let chunk = chunk_bytes().max(1024);
        let err = |e: std::io::Error| {
            JxError::input(format!("{}: cannot read: {e}", path.display())).caused_by(e)
        };
        let size = std::fs::metadata(path).map_err(err)?.len() as usize;
        if size <= chunk || opts.encoding == Some(encoding::Forced::Utf16) {
            return Ok(None);
        }
        let mut file = File::open(path).map_err(err)?;
        let mut head = vec![0u8; 4096.min(size)];
        file.read_exact(&mut head).map_err(err)?;
        if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || head.contains(&0) {
            return Ok(None);
        }
        let file_name = path
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let mut me = CsvChunks {
            path: path.to_path_buf(),
            file_name,
            file,
            header_text: Vec::new(),
            header: Header {
                names: Vec::new(),
                start: 0,
                end: 0,
                line: 1,
            },
            carry: head,
            chunk,
            eof: false,
            choice: encoding::decide(b"", None),
            place: Place { line: 2, row: 2 },
            valid: 0,
            encoding: "UTF-8",
        };
        me.fill()?;
        // Decided on the whole first chunk, for the whole file. Valid UTF-8 without a BOM
        // (the usual case) is known from one pass, which also spares the first chunk a
        // second one (`valid`).
        let utf8_len = match std::str::from_utf8(&me.carry) {
            Ok(_) => Some(me.carry.len()),
            // Only a character cut by the end of the read.
            Err(e) if e.error_len().is_none() => Some(e.valid_up_to()),
            Err(_) => None,
        };
        let plain = opts.encoding.is_none_or(|e| e == encoding::Forced::Utf8)
            && !me.carry.starts_with(&[0xEF, 0xBB, 0xBF]);
        me.choice = match utf8_len.filter(|_| plain) {
            Some(n) => {
                me.valid = n;
                encoding::decide(b"", None)
            }
            None => encoding::decide(&me.carry, opts.encoding),
        };
        if me.choice.name.starts_with("UTF-16") {
            return Ok(None);
        }
        me.encoding = me.choice.name;
        me.carry.drain(..me.choice.bom_len.min(me.carry.len()));
        // Blank lines before the header, then the header record.
        let blank = csv_rows::leading_blank_lines(&me.carry);
        let end = blank + csv_rows::first_record_end(&me.carry[blank..]);
        if end >= me.carry.len() && !me.carry[blank..].contains(&b'\n') {
            return Err(JxError::input(format!(
                "{}: no line break after the header",
                path.display()
            )));
        }
        let mut text = Vec::new();
        let bad = encoding::decode_table_into(&me.carry[..end], me.choice.encoding, &mut text);
        let mut bad_fixed = bad.clone();
        csv_rows::normalise_line_breaks(&mut text, 0, &mut bad_fixed);
        let src = Source {
            file: &me.file_name,
            encoding: me.choice.name,
        };
        let header = csv_rows::header(&text, &src)?;
        if let Some(b) = bad_fixed.first() {
            return Err(header_bad_bytes(&src, header.line, &text, b));
        }
        me.header_text = text[header.start..header.end].to_vec();
        if !me.header_text.ends_with(b"\n") {
            me.header_text.push(b'\n');
        }
        me.place = Place {
            line: 1 + text[..header.end].iter().filter(|b| **b == b'\n').count(),
            row: header.line + 1,
        };
        me.header = header;
        me.carry.drain(..end);
        me.valid = me.valid.saturating_sub(end);
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
                        .caused_by(e)
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

    /// The next chunk's records (a frame of text columns with `__row`, and the rows set
    /// aside); None at the end of the file.
    pub fn next_piece(&mut self) -> Result<Option<Piece>> {
        loop {
            if !self.eof {
                self.fill()?;
            }
            if self.carry.iter().all(|b| b.is_ascii_whitespace()) {
                if self.eof {
                    self.carry.clear();
                    return Ok(None);
                }
                continue;
            }
            // Whole lines only; the rest waits for the next read.
            let lines_end = if self.eof {
                self.carry.len()
            } else {
                match self.carry.iter().rposition(|b| *b == b'\n') {
                    Some(i) => i + 1,
                    // One line longer than a chunk: read on until it ends.
                    None => continue,
                }
            };
            let at_eof = self.eof && lines_end == self.carry.len();
            let raw = &self.carry[..lines_end];
            // One copy: the header, then the records (decoded when not valid UTF-8).
            let hlen = self.header_text.len();
            let mut buf = Vec::with_capacity(hlen + raw.len());
            buf.extend_from_slice(&self.header_text);
            let mut bad = if self.choice.encoding == encoding_rs::UTF_8
                && std::str::from_utf8(&raw[self.valid.min(raw.len())..]).is_ok()
            {
                buf.extend_from_slice(raw);
                Vec::new()
            } else {
                encoding::decode_table_into(raw, self.choice.encoding, &mut buf)
            };
            csv_rows::normalise_line_breaks(&mut buf, hlen, &mut bad);
            if at_eof {
                let keep = csv_rows::without_trailing_blank_lines(&buf[hlen..]);
                buf.truncate(hlen + keep);
            }
            let fields = self.header.names.len();
            let mut scanned = csv_rows::scan(&buf[hlen..], fields, at_eof);
            let body_len = buf.len() - hlen;
            let raw_cut = if scanned.cut == body_len {
                lines_end
            } else if scanned.cut == 0 {
                // No whole record yet: a quoted cell runs on. Read more, up to four chunks;
                // past that it is a stray quote, and the careful path reads what there is.
                if !self.eof && self.carry.len() < 4 * self.chunk {
                    continue;
                }
                scanned = csv_rows::scan(&buf[hlen..], fields, true);
                lines_end
            } else {
                // The record left over starts after the cut's line break: the same line
                // break in the raw bytes.
                nth_line_end(raw, scanned.lines)
            };
            buf.truncate(hlen + scanned.cut);
            bad.retain(|b| b.at < scanned.cut);
            let src = Source {
                file: &self.file_name,
                encoding: self.choice.name,
            };
            let piece = csv_rows::read_piece(
                buf,
                hlen,
                &self.header,
                &bad,
                self.place,
                &src,
                Some(scanned),
            )?;
            self.carry.drain(..raw_cut);
            self.valid = self.valid.saturating_sub(raw_cut);
            self.place.line += piece.lines;
            self.place.row += piece.rows;
            return Ok(Some(piece));
        }
    }
}

/// The offset after the `n`th line break of `b`.
fn nth_line_end(b: &[u8], n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    b.iter()
        .enumerate()
        .filter(|(_, c)| **c == b'\n')
        .nth(n - 1)
        .map_or(b.len(), |(i, _)| i + 1)
}

/// The error for invalid bytes in a header (which cannot be set aside: every row needs it).
pub fn header_bad_bytes(src: &Source, line: usize, text: &[u8], b: &encoding::BadBytes) -> JxError {
    let col = String::from_utf8_lossy(&text[..b.at.min(text.len())])
        .chars()
        .count()
        + 1;
    JxError::input(format!(
        "{}: line {line}, the header: the bytes {} at character {col} are not valid {}. Fix the header row (or give --encoding if the file is in another encoding).",
        src.file,
        encoding::hex(&b.bytes),
        src.encoding
    ))
}

#[cfg(test)]
mod tests {
    use super::nth_line_end;

    #[test]
    fn line_ends() {
        let b = b"a\nbb\nc";
        assert_eq!(nth_line_end(b, 0), 0);
        assert_eq!(nth_line_end(b, 1), 2);
        assert_eq!(nth_line_end(b, 2), 5);
    }
}
