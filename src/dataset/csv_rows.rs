//! A CSV table's text (decoded to UTF-8) read into rows of text columns, with every row that
//! is structurally broken set aside and described by its line, rather than the file refused.
//!
//! Two paths. `scan` reads the bytes once, 64 at a time, and checks that every record has the
//! header's number of fields, that quotes open only at the start of a cell and close before a
//! comma or a line break, and that there is no NUL byte and no byte-order mark; when all holds
//! (every file jixiao, Excel or pandas writes), polars parses the text as before. Otherwise the
//! careful path reads the records with the `csv` crate, one at a time: a record with the wrong
//! number of fields, invalid bytes (listed by the decoder), NUL bytes or a byte-order mark is set
//! aside; a quote that never closes sets aside the line it opened on, and reading resumes on the
//! next line (instead of that cell swallowing the rest of the file); blank lines are skipped.
//! Row numbers are the file's (the header is row 1, as a spreadsheet shows it; a blank line
//! takes a row number), whichever path read them.

use polars::prelude::*;

use super::schema::ROW;
use crate::encoding::{hex, BadBytes};
use crate::error::{JxError, Result};

/// How a dataset's tables are read. `strict` refuses a table in which any row is broken
/// (wrong number of fields, invalid bytes, an unclosed quote, a corrupt Parquet row group),
/// as jixiao did before rows were set aside; otherwise such rows are set aside, each an error
/// finding with its line, and the rest is read. `encoding` reads every CSV in that encoding
/// instead of deciding from each file. The default is strict: a caller that does not look at
/// the findings never loses a row without being told (the CLI's `bench` and `validate` set
/// rows aside unless given `--strict`).
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    pub strict: bool,
    pub encoding: Option<crate::encoding::Forced>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            strict: true,
            encoding: None,
        }
    }
}

impl ReadOptions {
    /// Broken rows set aside (the CLI's default).
    pub fn lenient() -> Self {
        ReadOptions {
            strict: false,
            encoding: None,
        }
    }
}

/// The header record: its cell names (trimmed) and where the records after it start.
#[derive(Debug, Clone)]
pub struct Header {
    pub names: Vec<String>,
    /// Byte offset of the header's first byte (after any blank lines) and of the first byte
    /// after its line break.
    pub start: usize,
    pub end: usize,
    /// Line number of the header (1 unless blank lines come first).
    pub line: usize,
}

/// A record set aside: where it is, which check it failed, the message for findings.csv, and
/// its cells as far as they can be read (to name its key).
#[derive(Debug, Clone)]
pub struct SetAside {
    pub row: u64,
    /// The line it starts on (0 where there are no lines: a Parquet row group).
    pub line: usize,
    /// Rows it stands for (1 for a CSV record; a row group's rows).
    pub rows: usize,
    pub check: &'static str,
    /// Where and what is wrong, then what to do (the strict refusal says these).
    pub what: String,
    pub advice: String,
    /// What became of the row ("The row is set aside.").
    pub consequence: String,
    pub cells: Vec<String>,
    /// The keys of all its rows, where it stands for many and they could be read (a Parquet
    /// row group whose key column is intact), so that the rows hanging on them go too.
    pub keys: Vec<String>,
}

impl SetAside {
    /// The finding's message: what is wrong, what became of the row, what to do.
    pub fn message(&self) -> String {
        format!("{} {} {}", self.what, self.consequence, self.advice)
    }
}

const ROW_SET_ASIDE: &str = "The row is set aside.";

/// The findings checks that mean "this row was set aside, not read" (the row counts and bench
/// treat them apart from the errors in rows that were read).
pub const SET_ASIDE_CHECKS: &[&str] = &[
    "ragged_row",
    "unclosed_quote",
    "invalid_bytes",
    "nul_bytes",
    "byte_order_mark",
    "corrupt_row_group",
    "parent_set_aside",
];

/// Where a stretch of text sits in its file: the line number of its first byte and the row
/// number its first record gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub row: usize,
}

/// A stretch of records read: text columns named by the header plus `__row`, the records set
/// aside, and how many row numbers and line breaks it used (where the next stretch starts).
pub struct Piece {
    pub frame: DataFrame,
    pub set_aside: Vec<SetAside>,
    pub rows: usize,
    pub lines: usize,
}

/// What the file is, for messages.
pub struct Source<'a> {
    pub file: &'a str,
    pub encoding: &'a str,
}

/// Parse the header: the first record that is not a blank line. Its problems cannot be set
/// aside (every row is read by it), so they are errors naming line 1.
pub fn header(text: &[u8], src: &Source) -> Result<Header> {
    let start = leading_blank_lines(text);
    let line = 1 + text[..start].iter().filter(|b| **b == b'\n').count();
    let body = &text[start..];
    let q = check_quotes(body, true);
    let len = match q.problem {
        Some(QuoteProblem::Unclosed { open_at }) => {
            return Err(JxError::input(format!(
                "{}: line {line}, the header: the quote at character {} never closes, so the whole file would be one header cell. Remove the stray quote (a header cell needs no quotes).",
                src.file,
                char_column(body, open_at)
            )))
        }
        _ => q.end,
    };
    let raw = &body[..len];
    let end = start + len;
    let content = raw.strip_suffix(b"\n").unwrap_or(raw);
    if let Some(i) = content.iter().position(|b| *b == 0) {
        return Err(JxError::input(format!(
            "{}: line {line}, the header: NUL bytes from character {} (a hole of zeros, or a UTF-16 file: then give --encoding utf-16). Fix the header row.",
            src.file,
            char_column(content, i)
        )));
    }
    if let Some(pos) = find_bom(content) {
        return Err(JxError::input(format!(
            "{}: line {line}, the header: a byte-order mark (EF BB BF) at character {}; remove it (two files joined?).",
            src.file,
            char_column(content, pos)
        )));
    }
    let mut rdr = reader(content);
    let mut rec = csv::ByteRecord::new();
    let names = match rdr.read_byte_record(&mut rec) {
        Ok(true) => rec
            .iter()
            .map(|c| String::from_utf8_lossy(c).trim().to_string())
            .collect(),
        _ => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    for n in &names {
        if !seen.insert(n.as_str()) {
            return Err(JxError::input(format!(
                "{}: the header names column '{n}' twice; rename or remove one.",
                src.file
            )));
        }
    }
    Ok(Header {
        names,
        start,
        end,
        line,
    })
}

/// The length of the blank lines (spaces, tabs, CR at most) at the start of `b`.
pub fn leading_blank_lines(b: &[u8]) -> usize {
    let mut start = 0;
    while let Some(k) = b[start..].iter().position(|c| *c == b'\n') {
        if b[start..start + k]
            .iter()
            .all(|c| matches!(c, b' ' | b'\t' | b'\r'))
        {
            start += k + 1;
        } else {
            break;
        }
    }
    start
}

/// The end of the first record of `raw` (after its line break; quotes considered). The bytes
/// may still be GB18030: its multi-byte characters never hold a quote, comma or line break.
pub fn first_record_end(raw: &[u8]) -> usize {
    check_quotes(raw, false).end
}

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(bytes)
}

/// A cell of a broken record as text that can name its key: what damage inserts (NUL bytes,
/// byte-order marks, the U+FFFD standing for invalid bytes, stray quotes, spaces at either
/// end) is left out, so a key with a byte inserted into it still links its rows.
fn key_text(cell: &[u8]) -> String {
    String::from_utf8_lossy(cell)
        .chars()
        .filter(|c| !matches!(c, '\0' | '\u{feff}' | '\u{fffd}' | '"'))
        .collect::<String>()
        .trim()
        .to_string()
}

/// The first byte-order mark (EF BB BF) in `b`.
fn find_bom(b: &[u8]) -> Option<usize> {
    b.windows(3).position(|w| w == [0xEF, 0xBB, 0xBF])
}

/// Characters from the start of the line holding `at` up to it, plus one.
fn char_column(b: &[u8], at: usize) -> usize {
    let at = at.min(b.len());
    let start = b[..at]
        .iter()
        .rposition(|c| *c == b'\n')
        .map_or(0, |i| i + 1);
    String::from_utf8_lossy(&b[start..at]).chars().count() + 1
}

/// Replace CRLF by LF in place in `text[from..]` (and where that part has no LF at all, as old
/// Mac Excel wrote, each CR becomes LF), moving the offsets of `bad` (counted from `from`).
pub fn normalise_line_breaks(text: &mut Vec<u8>, from: usize, bad: &mut [BadBytes]) {
    let tail = &text[from..];
    if !tail.contains(&b'\r') {
        return;
    }
    if !tail.contains(&b'\n') {
        for b in text[from..].iter_mut() {
            if *b == b'\r' {
                *b = b'\n';
            }
        }
        return;
    }
    let mut w = from;
    let mut k = 0;
    let mut removed = 0;
    for r in from..text.len() {
        while k < bad.len() && bad[k].at + from == r {
            bad[k].at -= removed;
            k += 1;
        }
        if text[r] == b'\r' && text.get(r + 1) == Some(&b'\n') {
            removed += 1;
            continue;
        }
        text[w] = text[r];
        w += 1;
    }
    for b in &mut bad[k..] {
        b.at -= removed;
    }
    text.truncate(w);
}

/// The length of `text` without the blank lines (only spaces, tabs or line breaks) at its end.
pub fn without_trailing_blank_lines(text: &[u8]) -> usize {
    match text
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        None => 0,
        Some(last) => text[last..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(text.len(), |i| last + i + 1),
    }
}

/// What `scan` found in a stretch of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    /// End of the last whole record (after its line break; at the end of the file, the end).
    pub cut: usize,
    /// Every record before `cut` is well formed (see the module notes).
    pub clean: bool,
    /// Records before `cut` (meaningful when clean).
    pub records: usize,
    /// Line breaks before `cut`.
    pub lines: usize,
}

const START: u8 = 0; // at the start of a cell
const UNQUOTED: u8 = 1; // inside an unquoted cell
const QUOTED: u8 = 2; // inside a quoted cell
const QUOTE_IN_QUOTED: u8 = 3; // just after a quote inside a quoted cell

struct ScanState {
    fields: usize,
    state: u8,
    commas: usize,
    rec_start: usize,
    records: usize,
    newlines: usize,
    cut: usize,
    lines_at_cut: usize,
    records_at_cut: usize,
    anomaly: usize,
    prev: u8,
    prev2: u8,
}

impl ScanState {
    #[inline]
    fn end_record(&mut self, i: usize) {
        if self.commas + 1 != self.fields || i == self.rec_start {
            self.anomaly = self.anomaly.min(i);
        }
        self.records += 1;
        self.commas = 0;
        self.rec_start = i + 1;
        self.cut = i + 1;
        self.lines_at_cut = self.newlines;
        self.records_at_cut = self.records;
    }

    /// One byte through the state machine (the reference the block path must agree with).
    #[inline]
    fn byte(&mut self, i: usize, c: u8) {
        if c == 0 || (c == 0xBF && self.prev == 0xBB && self.prev2 == 0xEF) {
            self.anomaly = self.anomaly.min(i);
        }
        self.prev2 = self.prev;
        self.prev = c;
        if c == b'\n' {
            self.newlines += 1;
        }
        match self.state {
            START | UNQUOTED => match c {
                b',' => {
                    self.commas += 1;
                    self.state = START;
                }
                b'\n' => {
                    self.end_record(i);
                    self.state = START;
                }
                b'"' => {
                    if self.state == START {
                        self.state = QUOTED;
                    } else {
                        // A quote inside an unquoted cell is text (as Excel reads it), but
                        // polars' line splitter would take it as opening a quote.
                        self.anomaly = self.anomaly.min(i);
                    }
                }
                _ => self.state = UNQUOTED,
            },
            QUOTED => {
                if c == b'"' {
                    self.state = QUOTE_IN_QUOTED;
                }
            }
            _ => match c {
                b'"' => self.state = QUOTED,
                b',' => {
                    self.commas += 1;
                    self.state = START;
                }
                b'\n' => {
                    self.end_record(i);
                    self.state = START;
                }
                _ => {
                    // Text after the closing quote.
                    self.anomaly = self.anomaly.min(i);
                    self.state = UNQUOTED;
                }
            },
        }
    }
}

/// Check the records in `b` (text after the header) for structure; `fields`: the header's
/// field count; `at_eof`: the text runs to the end of the file (else the last, unfinished
/// record is left for the next stretch).
pub fn scan(b: &[u8], fields: usize, at_eof: bool) -> Scan {
    scan_with(b, fields, at_eof, true)
}

fn scan_with(b: &[u8], fields: usize, at_eof: bool, blocks: bool) -> Scan {
    let mut s = ScanState {
        fields,
        state: START,
        commas: 0,
        rec_start: 0,
        records: 0,
        newlines: 0,
        cut: 0,
        lines_at_cut: 0,
        records_at_cut: 0,
        anomaly: usize::MAX,
        prev: 0,
        prev2: 0,
    };
    let i = if blocks { block_loop(b, &mut s) } else { 0 };
    for (k, &c) in b.iter().enumerate().skip(i) {
        s.byte(k, c);
    }
    if at_eof {
        if s.state == QUOTED {
            s.anomaly = s.anomaly.min(s.rec_start);
        } else if s.rec_start < b.len() {
            // The last record has no line break after it.
            if s.commas + 1 != fields {
                s.anomaly = s.anomaly.min(s.rec_start);
            }
            s.records += 1;
        }
        s.cut = b.len();
        s.records_at_cut = s.records;
        s.lines_at_cut = s.newlines;
    }
    Scan {
        cut: s.cut,
        clean: s.anomaly >= s.cut || (s.cut == b.len() && s.anomaly == usize::MAX),
        records: s.records_at_cut,
        lines: s.lines_at_cut,
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The high bit of each byte of `v` that is zero, exactly (no borrow between bytes).
#[inline]
fn zero_bytes(v: u64) -> u64 {
    !(((v & LOW7).wrapping_add(LOW7)) | v | LOW7)
}

/// Those high bits gathered into one bit per byte (byte k -> bit k).
#[inline]
fn gather(high: u64) -> u64 {
    ((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// For the 64 bytes of `block` (and the byte before it): the bit masks of commas and of line
/// breaks, and whether any byte needs the byte-by-byte path (a quote, a NUL, a BB after an
/// EF). Eight bytes at a time in a u64 (SWAR): plain integer arithmetic, no `unsafe` and no
/// per-processor code.
#[inline]
fn masks(block: &[u8; 64], before: u8) -> (u64, u64, bool) {
    let (mut commas, mut nls, mut odd) = (0u64, 0u64, 0u64);
    for (k, word) in block.chunks_exact(8).enumerate() {
        let v = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        let at = 8 * k;
        commas |= gather(zero_bytes(v ^ (ONES * b',' as u64))) << at;
        nls |= gather(zero_bytes(v ^ (ONES * b'\n' as u64))) << at;
        odd |= zero_bytes(v ^ (ONES * b'"' as u64)) | zero_bytes(v);
        // BB is a common UTF-8 continuation byte; only a BB right after an EF (a BOM)
        // matters: an EF byte's high bit moved up one byte meets the BB's.
        let bb = zero_bytes(v ^ (ONES * 0xBB));
        if bb != 0 {
            let ef_before = if k == 0 { before } else { block[at - 1] } == 0xEF;
            odd |= bb & ((zero_bytes(v ^ (ONES * 0xEF)) << 8) | ((ef_before as u64) << 7));
        }
    }
    (commas, nls, odd != 0)
}

/// The 64-byte block loop: blocks with no quote, NUL or BOM byte, outside quotes, count
/// commas between line breaks from the masks; the others go byte by byte. Returns where it
/// stopped (the rest goes byte by byte).
fn block_loop(b: &[u8], s: &mut ScanState) -> usize {
    let n = b.len();
    if n < 65 {
        return 0;
    }
    // The first byte goes through the state machine so that each block can look one byte
    // back.
    s.byte(0, b[0]);
    let mut i = 1;
    while i + 64 <= n {
        let block: &[u8; 64] = b[i..i + 64].try_into().expect("64 bytes");
        let (commas, nls, special) = masks(block, b[i - 1]);
        // An EF BB BF whose BB was the previous block's last byte.
        let bom_across = s.prev2 == 0xEF && s.prev == 0xBB;
        if special || bom_across || s.state >= QUOTED {
            for k in i..i + 64 {
                s.byte(k, b[k]);
            }
            i += 64;
            continue;
        }
        let mut c = commas;
        let mut l = nls;
        while l != 0 {
            let bit = l.trailing_zeros();
            let below = (1u64 << bit) - 1;
            let fields = s.commas + (c & below).count_ones() as usize + 1;
            c &= !below;
            let at = i + bit as usize;
            // The record ends here: the header's field count, and not a blank line.
            if fields != s.fields || at == s.rec_start {
                s.anomaly = s.anomaly.min(at);
            }
            s.commas = 0;
            s.records += 1;
            s.rec_start = at + 1;
            l &= l - 1;
        }
        s.commas += c.count_ones() as usize;
        if nls != 0 {
            // Outside quotes every line break ends a record: the cut is after the last.
            s.newlines += nls.count_ones() as usize;
            s.cut = s.rec_start;
            s.lines_at_cut = s.newlines;
            s.records_at_cut = s.records;
        }
        let last = b[i + 63];
        s.state = if last == b',' || last == b'\n' {
            START
        } else {
            UNQUOTED
        };
        s.prev2 = b[i + 62];
        s.prev = last;
        i += 64;
    }
    i
}

/// A problem with quotes in one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteProblem {
    /// A quote opens a cell at this offset and the text ends before it closes.
    Unclosed { open_at: usize },
    /// The quoted cell opened at `open_at` closes at `close_at` and text follows the quote.
    TextAfterClose { open_at: usize, close_at: usize },
}

struct Quotes {
    /// End of the first record (after its line break), as the `csv` crate reads it.
    end: usize,
    problem: Option<QuoteProblem>,
}

/// The first record of `b`, read by the same rules as `scan` and the `csv` crate (a quote opens
/// a cell only at its start; `""` inside is a quote; after the closing quote only spaces, a
/// comma or a line break may follow, else the rest of the cell is text): where it ends and its
/// first problem with quotes. `at_eof`: the text ends with the file.
fn check_quotes(b: &[u8], at_eof: bool) -> Quotes {
    let mut state = START;
    let mut open_at = 0;
    let mut close_at = 0;
    let mut problem = None;
    for (i, &c) in b.iter().enumerate() {
        match state {
            START | UNQUOTED => match c {
                b'\n' => {
                    return Quotes {
                        end: i + 1,
                        problem,
                    }
                }
                b',' => state = START,
                b'"' if state == START => {
                    state = QUOTED;
                    open_at = i;
                }
                _ => state = UNQUOTED,
            },
            QUOTED => {
                if c == b'"' {
                    state = QUOTE_IN_QUOTED;
                    close_at = i;
                }
            }
            _ => match c {
                b'"' => state = QUOTED,
                b',' => state = START,
                b'\n' => {
                    return Quotes {
                        end: i + 1,
                        problem,
                    }
                }
                b' ' | b'\t' => {
                    // Spaces after the closing quote, allowed before a comma or line break.
                    let rest = &b[i..];
                    let next = rest.iter().position(|x| *x != b' ' && *x != b'\t');
                    if !matches!(next.map(|k| rest[k]), None | Some(b',') | Some(b'\n')) {
                        problem.get_or_insert(QuoteProblem::TextAfterClose { open_at, close_at });
                        state = UNQUOTED;
                    }
                }
                _ => {
                    problem.get_or_insert(QuoteProblem::TextAfterClose { open_at, close_at });
                    state = UNQUOTED;
                }
            },
        }
    }
    if state == QUOTED && at_eof {
        problem.get_or_insert(QuoteProblem::Unclosed { open_at });
    }
    Quotes {
        end: b.len(),
        problem,
    }
}

/// The index of the cell of a record (`rec`: from its first byte) that holds byte `at`.
fn cell_at(rec: &[u8], at: usize) -> usize {
    let mut state = START;
    let mut cell = 0;
    for &c in &rec[..at.min(rec.len())] {
        match state {
            START | UNQUOTED => match c {
                b',' => {
                    cell += 1;
                    state = START
                }
                b'"' if state == START => state = QUOTED,
                _ => state = UNQUOTED,
            },
            QUOTED => {
                if c == b'"' {
                    state = QUOTE_IN_QUOTED
                }
            }
            _ => match c {
                b'"' => state = QUOTED,
                b',' => {
                    cell += 1;
                    state = START
                }
                _ => state = UNQUOTED,
            },
        }
    }
    cell
}

/// Read a stretch of records (`body`, the text after the header; its line breaks LF) into a
/// piece: the fast path when `scan` finds it well formed and polars agrees, the careful path
/// otherwise. `buf` is the header line followed by `body` (what polars parses), `bad` the
/// decoder's invalid sequences with offsets into `body`.
pub fn read_piece(
    buf: Vec<u8>,
    body_start: usize,
    header: &Header,
    bad: &[BadBytes],
    place: Place,
    src: &Source,
    scanned: Option<Scan>,
) -> Result<Piece> {
    let body = &buf[body_start..];
    let scanned = scanned.unwrap_or_else(|| scan(body, header.names.len(), true));
    if scanned.clean && bad.is_empty() {
        let records = scanned.records;
        let lines = scanned.lines;
        if records == 0 {
            return Ok(Piece {
                frame: empty_frame(header),
                set_aside: Vec::new(),
                rows: 0,
                lines,
            });
        }
        if let Some(frame) = polars_parse(&buf, header, place, records) {
            return Ok(Piece {
                frame,
                set_aside: Vec::new(),
                rows: records,
                lines,
            });
        }
    }
    careful(&buf[body_start..], bad, header, place, src)
}

/// The text columns of a header with no rows.
fn empty_frame(header: &Header) -> DataFrame {
    let mut cols: Vec<Column> = vec![Column::new(ROW.into(), Vec::<IdxSize>::new())];
    cols.extend(
        header
            .names
            .iter()
            .map(|n| Column::new(n.as_str().into(), Vec::<Option<&str>>::new())),
    );
    DataFrame::new_infer_height(cols).unwrap_or_default()
}

/// polars' reader on a well-formed stretch (header line first); None if it fails or reads
/// another number of records than `scan` counted (the careful path then reads it).
fn polars_parse(buf: &[u8], header: &Header, place: Place, records: usize) -> Option<DataFrame> {
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(std::io::Cursor::new(&buf[header.start..]))
        .finish()
        .ok()?;
    if df.height() != records || df.width() != header.names.len() {
        return None;
    }
    let mut df = df;
    let names: Vec<&str> = header.names.iter().map(|s| s.as_str()).collect();
    df.set_column_names(&names).ok()?;
    df.with_row_index(ROW.into(), Some(place.row as IdxSize))
        .ok()
}

/// The careful path: the `csv` crate reads record by record; broken records are set aside.
fn careful(
    body: &[u8],
    bad: &[BadBytes],
    header: &Header,
    place: Place,
    src: &Source,
) -> Result<Piece> {
    let width = header.names.len();
    let mut cols: Vec<StringChunkedBuilder> = header
        .names
        .iter()
        .map(|n| StringChunkedBuilder::new(n.as_str().into(), 1024))
        .collect();
    let mut rows: Vec<IdxSize> = Vec::new();
    let mut set_aside = Vec::new();
    let mut pos = 0; // where the current reader started
    let mut line = place.line; // line of the next unread byte
    let mut row = place.row; // row number of the next record
    let mut rec = csv::ByteRecord::new();
    'restart: while pos < body.len() {
        let mut rdr = reader(&body[pos..]);
        loop {
            let before = pos + rdr.position().byte() as usize;
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => {
                    // Blank lines at the end still take their row numbers (a stretch of a
                    // larger file is followed by more rows).
                    row += body[before.min(body.len())..]
                        .iter()
                        .filter(|c| **c == b'\n')
                        .count();
                    break 'restart;
                }
                Err(e) => {
                    return Err(JxError::internal(format!(
                        "{}: the CSV reader failed after line {line}: {e}",
                        src.file
                    )))
                }
            }
            let after = (pos + rdr.position().byte() as usize).min(body.len());
            // Blank lines the reader skipped take a row number each, as in a spreadsheet.
            let mut start = before;
            while start < after && body[start] == b'\n' {
                start += 1;
                line += 1;
                row += 1;
            }
            if start >= after {
                continue;
            }
            let raw = &body[start..after];
            let content = raw.strip_suffix(b"\n").unwrap_or(raw);
            let inner_lines = content.iter().filter(|c| **c == b'\n').count();
            if content
                .iter()
                .all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
            {
                line += inner_lines + 1;
                row += 1;
                continue;
            }
            let at_eof = after >= body.len();
            let quotes = if content.contains(&b'"') {
                check_quotes(raw, at_eof).problem
            } else {
                None
            };
            let name = |cell: usize| {
                header
                    .names
                    .get(cell)
                    .cloned()
                    .unwrap_or_else(|| format!("(field {} beyond the header)", cell + 1))
            };
            let lines_label = |n: usize| {
                if n == 0 {
                    format!("line {line}")
                } else {
                    format!("lines {line}-{}", line + n)
                }
            };
            let cells = || -> Vec<String> { rec.iter().map(key_text).collect() };
            // A quote that never closes, or closes with text after it, over several lines: only
            // the lines up to the one the quote opened on are set aside, and reading resumes
            // after it (that cell would otherwise swallow the rows below it).
            if let Some(q) = quotes {
                let (open_at, close) = match q {
                    QuoteProblem::Unclosed { open_at } => (open_at, None),
                    QuoteProblem::TextAfterClose { open_at, close_at } => (open_at, Some(close_at)),
                };
                let open_line_end = raw[open_at..]
                    .iter()
                    .position(|c| *c == b'\n')
                    .map_or(raw.len(), |k| open_at + k + 1);
                let multi = open_line_end < raw.len();
                let kept = &raw[..open_line_end];
                let n_lines = kept[..kept.len().saturating_sub(1)]
                    .iter()
                    .filter(|c| **c == b'\n')
                    .count();
                let open_line = line + raw[..open_at].iter().filter(|c| **c == b'\n').count();
                let what = match close {
                    None => "opens a quoted cell that never closes".to_string(),
                    Some(c) => {
                        let close_line = line + raw[..c].iter().filter(|x| **x == b'\n').count();
                        format!("opens a quoted cell that closes on line {close_line} with more text after the closing quote")
                    }
                };
                let consequence = match (n_lines, multi) {
                    (0, false) => ROW_SET_ASIDE.to_string(),
                    (0, true) => format!(
                        "The row is set aside, and the lines below it are read as rows again from line {}.",
                        open_line + 1
                    ),
                    _ => format!(
                        "These lines are set aside as one row, and the lines below them are read as rows again from line {}.",
                        open_line + 1
                    ),
                };
                set_aside.push(SetAside {
                    row: row as u64,
                    line,
                    rows: 1,
                    check: "unclosed_quote",
                    what: format!(
                        "{}: {}, column {} (character {}): the quote at line {open_line} {what} (a stray quote?).",
                        src.file,
                        lines_label(n_lines),
                        name(cell_at(raw, open_at)),
                        char_column(raw, open_at),
                    ),
                    advice: "Remove the stray quote, or put the cell in quotes with every quote inside doubled (\"\").".to_string(),
                    consequence,
                    // The quote is taken as text: the line's own cells, split at its commas.
                    cells: if multi {
                        kept.split(|c| *c == b',').map(key_text).collect()
                    } else {
                        cells()
                    },
                    keys: Vec::new(),
                });
                line += n_lines + 1;
                row += 1;
                if multi {
                    pos = start + open_line_end;
                    continue 'restart;
                }
                continue;
            }
            let first_bad = bad.partition_point(|b| b.at < start);
            let bad_here = &bad[first_bad..bad.partition_point(|b| b.at < start + content.len())];
            let problem: Option<(&'static str, String, String)> = if let Some(b0) = bad_here.first()
            {
                let at = b0.at - start;
                let more = if bad_here.len() > 1 {
                    format!(" ({} such sequences in this row)", bad_here.len())
                } else {
                    String::new()
                };
                Some((
                    "invalid_bytes",
                    format!(
                        "{}: line {}, column {} (character {}): the bytes {} are not valid {}, the encoding the rest of the file is read in{more} (damage from a copy or a mixed export?).",
                        src.file,
                        line + content[..at].iter().filter(|c| **c == b'\n').count(),
                        name(cell_at(content, at)),
                        char_column(content, at),
                        hex(&b0.bytes),
                        src.encoding,
                    ),
                    format!(
                        "Fix the cell, or export the table again{}.",
                        if src.encoding.starts_with("UTF-8") {
                            ""
                        } else {
                            " (or give --encoding if the file is in another encoding)"
                        }
                    ),
                ))
            } else if let Some(at) = content.iter().position(|c| *c == 0) {
                let n = content.iter().filter(|c| **c == 0).count();
                Some((
                    "nul_bytes",
                    format!(
                        "{}: line {}, column {} (character {}): {n} NUL byte{} (a hole of zeros, as a crash or an interrupted copy leaves).",
                        src.file,
                        line + content[..at].iter().filter(|c| **c == b'\n').count(),
                        name(cell_at(content, at)),
                        char_column(content, at),
                        if n == 1 { "" } else { "s" }
                    ),
                    "Copy the file again from its source (if it is UTF-16, give --encoding utf-16).".to_string(),
                ))
            } else if let Some(at) = find_bom(content) {
                Some((
                    "byte_order_mark",
                    format!(
                        "{}: line {}, column {} (character {}): a byte-order mark (EF BB BF) inside the file, as joining two CSV files leaves.",
                        src.file,
                        line + content[..at].iter().filter(|c| **c == b'\n').count(),
                        name(cell_at(content, at)),
                        char_column(content, at),
                    ),
                    format!(
                        "Remove the mark{}.",
                        if at == 0 { " (and the repeated header, if it is one)" } else { "" }
                    ),
                ))
            } else if rec.len() != width {
                let hint = if rec.len() > width {
                    format!(
                        "{} more: a comma inside a cell that is not in quotes?",
                        rec.len() - width
                    )
                } else {
                    format!(
                        "{} missing: the line cut short (a truncated file?) or broken by a line break?",
                        width - rec.len()
                    )
                };
                Some((
                    "ragged_row",
                    format!(
                        "{}: {}: {} fields where the header (line {}) has {width} ({hint}).",
                        src.file,
                        lines_label(inner_lines),
                        rec.len(),
                        header.line
                    ),
                    "Fix the line so that it has one field per column.".to_string(),
                ))
            } else {
                None
            };
            match problem {
                Some((check, what, advice)) => set_aside.push(SetAside {
                    row: row as u64,
                    line,
                    rows: 1,
                    check,
                    what,
                    advice,
                    consequence: ROW_SET_ASIDE.to_string(),
                    cells: cells(),
                    keys: Vec::new(),
                }),
                None => {
                    for (b, cell) in cols.iter_mut().zip(rec.iter()) {
                        if cell.is_empty() {
                            b.append_null();
                        } else {
                            b.append_value(String::from_utf8_lossy(cell));
                        }
                    }
                    rows.push(row as IdxSize);
                }
            }
            line += inner_lines + 1;
            row += 1;
        }
    }
    let lines = body.iter().filter(|c| **c == b'\n').count();
    let mut columns = vec![Column::new(ROW.into(), rows)];
    columns.extend(cols.into_iter().map(|b| b.finish().into_column()));
    Ok(Piece {
        frame: DataFrame::new_infer_height(columns)?,
        set_aside,
        rows: row - place.row,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-by-byte reference for `scan`.
    fn scan_bytewise(b: &[u8], fields: usize, at_eof: bool) -> Scan {
        scan_with(b, fields, at_eof, false)
    }

    fn src() -> Source<'static> {
        Source {
            file: "t.csv",
            encoding: "UTF-8",
        }
    }

    #[test]
    fn scan_finds_what_is_wrong() {
        let ok = "a,b,c\n1,2,3\n\"x,y\",\"q\"\"\nr\",3\n".repeat(20);
        let s = scan(ok.as_bytes(), 3, true);
        assert!(s.clean, "{s:?}");
        assert_eq!(s.records, 60);
        assert_eq!(s.lines, 80);
        for bad in [
            "1,2\n",           // short
            "1,2,3,4\n",       // long
            "\n",              // blank line
            "1,2\"x,3\n",      // quote inside an unquoted cell
            "1,\"2\"x,3\n",    // text after the closing quote
            "1,2\0,3\n",       // NUL
            "1,\u{feff}2,3\n", // BOM
            "1,2,\"3\n",       // unclosed at the end
        ] {
            for at in [0, 7, 100, 1000] {
                let mut t = ok.as_bytes()[..at.min(ok.len())].to_vec();
                t.extend_from_slice(bad.as_bytes());
                t.extend_from_slice(ok.as_bytes());
                if bad == "1,2,\"3\n" {
                    t.truncate(t.len() - ok.len());
                }
                let s = scan(&t, 3, true);
                // Cut inside a record of `ok` at `at` = 7 and 100 makes its own anomaly too.
                assert!(!s.clean, "{bad:?} at {at}");
                assert_eq!(s, scan_bytewise(&t, 3, true), "{bad:?} at {at}");
            }
        }
    }

    /// The 64-byte block path agrees with the byte-by-byte reference on random text.
    #[test]
    fn blocks_agree_with_bytes() {
        let mut r = crate::synth::Rng(7);
        let alphabet: &[&[u8]] = &[
            b",",
            b",",
            b",",
            b"\n",
            b"a",
            b"9",
            b"\"",
            "决".as_bytes(),
            b" ",
            b"\0",
            &[0xEF, 0xBB, 0xBF],
            &[0xEF],
            &[0xBB],
        ];
        for round in 0..4000 {
            let mut t = Vec::new();
            let len = (r.next() % 400) as usize;
            let rare = round % 3;
            while t.len() < len {
                let k = (r.next() % alphabet.len() as u64) as usize;
                if k >= 6 && (r.next() % (1 + rare as u64 * 40)) != 0 {
                    t.extend_from_slice(b"xy,");
                    continue;
                }
                t.extend_from_slice(alphabet[k]);
            }
            for fields in [1, 3, 4] {
                for eof in [true, false] {
                    let reference = scan_bytewise(&t, fields, eof);
                    assert_eq!(
                        scan_with(&t, fields, eof, true),
                        reference,
                        "{:?}",
                        String::from_utf8_lossy(&t)
                    );
                }
            }
        }
    }

    /// A BOM inside a cell, its EF ending one 8-byte word of a block and its BB starting
    /// the next, or anywhere else: the block path finds it as the byte-by-byte reference does.
    #[test]
    fn a_bom_across_words_is_seen() {
        let line = b"abcdefghij,klmnopqrst\n";
        let mut tried = 0;
        for at in 1..180 {
            let mut t: Vec<u8> = line.iter().cycle().take(220).copied().collect();
            if !t[at..at + 3].iter().all(u8::is_ascii_alphabetic) {
                continue;
            }
            t[at..at + 3].copy_from_slice(&[0xEF, 0xBB, 0xBF]);
            let reference = scan_bytewise(&t, 2, true);
            assert!(!reference.clean, "{at}");
            assert_eq!(scan_with(&t, 2, true, true), reference, "{at}");
            tried += 1;
        }
        assert!(tried > 100);
    }

    #[test]
    fn line_breaks_are_normalised_with_the_bad_offsets() {
        let mut t = b"a\r\nb\xEF\r\nc".to_vec();
        let mut bad = vec![BadBytes {
            at: 4,
            bytes: vec![0xEF],
        }];
        normalise_line_breaks(&mut t, 0, &mut bad);
        assert_eq!(t, b"a\nb\xEF\nc");
        assert_eq!(bad[0].at, 3);
        let mut t = b"a\rb\r".to_vec();
        normalise_line_breaks(&mut t, 0, &mut []);
        assert_eq!(t, b"a\nb\n");
        assert_eq!(without_trailing_blank_lines(b"a\n\n \n"), 2);
        assert_eq!(without_trailing_blank_lines(b"a"), 1);
        assert_eq!(without_trailing_blank_lines(b"\n\n"), 0);
    }

    fn piece(text: &str) -> Piece {
        let h = header(text.as_bytes(), &src()).unwrap();
        read_piece(
            text.as_bytes().to_vec(),
            h.end,
            &h,
            &[],
            Place { line: 2, row: 2 },
            &src(),
            None,
        )
        .unwrap()
    }

    fn rows(p: &Piece) -> Vec<u64> {
        p.frame
            .column(ROW)
            .unwrap()
            .cast(&DataType::UInt64)
            .unwrap()
            .u64()
            .unwrap()
            .into_no_null_iter()
            .collect()
    }

    #[test]
    fn careful_path_sets_aside_and_numbers_rows() {
        let p = piece("a,b,c\n1,2,3\n1,2\n\n4,5,6,7\n7,\"8\n8\",9\n10,11,12\n");
        // The quoted line break makes lines 6-7 one record, row 6.
        assert_eq!(rows(&p), [2, 6, 7]);
        let s: Vec<_> = p
            .set_aside
            .iter()
            .map(|s| (s.row, s.line, s.check))
            .collect();
        assert_eq!(s, [(3, 3, "ragged_row"), (5, 5, "ragged_row")]);
        assert!(p.set_aside[0]
            .message()
            .contains("2 fields where the header (line 1) has 3"));
        let b = p.frame.column("b").unwrap().str().unwrap();
        assert_eq!(b.get(1), Some("8\n8"));
        assert_eq!(p.rows, 6);
    }

    #[test]
    fn an_unclosed_quote_sets_aside_its_line_only() {
        let p = piece("a,b,c\n1,2,3\n4,\"5,6\n7,8,9\n10,11,12\n");
        assert_eq!(rows(&p), [2, 4, 5]);
        assert_eq!(p.set_aside.len(), 1);
        let s = &p.set_aside[0];
        assert_eq!((s.row, s.line, s.check), (3, 3, "unclosed_quote"));
        assert!(
            s.message().contains("line 3, column b (character 3)"),
            "{}",
            s.message()
        );
        assert!(s.message().contains("from line 4"), "{}", s.message());
        // A stray quote closed by a later cell's opening quote.
        let p = piece("a,b,c\n4,\"5,6\n7,\"8\",9\n10,11,12\n");
        assert_eq!(rows(&p), [3, 4]);
        assert_eq!(p.set_aside[0].check, "unclosed_quote");
        assert!(
            p.set_aside[0].message().contains("closes on line 3"),
            "{}",
            p.set_aside[0].message()
        );
        // Quotes inside an unquoted cell are text.
        let p = piece("a,b,c\n5\"寸,x,y\n");
        assert!(p.set_aside.is_empty());
        assert_eq!(
            p.frame.column("a").unwrap().str().unwrap().get(0),
            Some("5\"寸")
        );
    }

    #[test]
    fn bad_bytes_nul_and_bom_name_their_column() {
        let text = "a,b,c\n1,2,3\n4,5\u{fffd}x,6\n7,8\0,9\n\u{feff}a,b,c\n";
        let h = header(text.as_bytes(), &src()).unwrap();
        let at = text.find('\u{fffd}').unwrap() - h.end;
        let p = read_piece(
            text.as_bytes().to_vec(),
            h.end,
            &h,
            &[BadBytes {
                at,
                bytes: vec![0xFF],
            }],
            Place { line: 2, row: 2 },
            &src(),
            None,
        )
        .unwrap();
        assert_eq!(rows(&p), [2]);
        let m: Vec<_> = p.set_aside.iter().map(|s| s.message()).collect();
        assert!(
            m[0].contains("line 3, column b (character 4): the bytes FF are not valid UTF-8"),
            "{}",
            m[0]
        );
        assert!(
            m[1].contains("line 4, column b (character 4): 1 NUL byte"),
            "{}",
            m[1]
        );
        assert!(
            m[2].contains("line 5, column a (character 1): a byte-order mark"),
            "{}",
            m[2]
        );
    }
}
