//! Loading a dataset directory (units, evaluations, indicators as CSV or Parquet, mixed
//! allowed) into polars frames typed by the contract. Cell problems become findings with the
//! file, row and column; only unreadable files and missing required columns stop the load.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::csv_rows::{self, Place, SetAside, Source};
use super::findings::{Finding, Severity};
use super::grading::Grading;
use super::schema::{self, Kind, TableSpec, ROW};
use crate::encoding;
use crate::error::{JxError, Result};

/// A loaded dataset: the three contract tables, typed, each with a `__row` column.
#[derive(Clone)]
pub struct Dataset {
    pub dir: PathBuf,
    pub units: DataFrame,
    pub evaluations: DataFrame,
    pub indicators: DataFrame,
    /// Each indicator row's evaluation as its position in `evaluations` (null: dangling).
    pub indicator_eval: UInt32Chunked,
    /// Indicator rows in the input (`indicators` holds them, unless they were read in
    /// batches: `load_evaluations` and `IndicatorBatches`).
    pub indicator_rows: usize,
    pub grading: Grading,
    pub inputs: Vec<InputFile>,
    /// eval_ids of evaluations set aside (their row was broken, or their unit's), each with
    /// where its own finding is: their indicator rows are set aside with them.
    pub lost_evals: std::collections::HashMap<String, String>,
    /// `enrich::evaluation_facts`, computed on first use (validate and bench both need them;
    /// `Dataset::facts` in `enrich`).
    pub(super) facts: std::sync::OnceLock<DataFrame>,
}

impl Dataset {
    /// Replace the grading scheme (the facts' grade tiers depend on it).
    pub fn set_grading(&mut self, grading: Grading) {
        self.grading = grading;
        self.facts = std::sync::OnceLock::new();
    }

    /// Indicators with the hidden `__eval` column (see `keys`), for checks and benchmarks.
    pub fn indicators_keyed(&self) -> Result<DataFrame> {
        let mut df = self.indicators.clone();
        df.with_column(self.indicator_eval.clone().into_column())?;
        Ok(df)
    }
}

/// One file that was read, for the summary ("every input file is accounted for").
#[derive(Debug, Clone)]
pub struct InputFile {
    pub table: &'static str,
    pub path: PathBuf,
    pub format: &'static str,
    pub encoding: &'static str,
    pub rows: usize,
    /// Rows set aside (structurally broken: see `csv_rows`), not in `rows`.
    pub set_aside: usize,
    /// Keys of rows set aside in bulk (a Parquet row group), each with the row of its
    /// finding: the rows that hang on them are set aside too.
    pub lost_keys: Vec<(String, u64)>,
}

pub use super::csv_rows::ReadOptions;

/// Indicator rows per batch: larger batches spend system time zeroing fresh pages (glibc
/// hands larger buffers back to the kernel), smaller ones gain nothing (README, Measured figures).
pub const DEFAULT_BATCH_ROWS: usize = 1_000_000;

/// `--batch-rows`: a whole number of rows, at least 1.
pub fn parse_batch_rows(s: &str) -> std::result::Result<usize, String> {
    match s.trim().replace('_', "").parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "'{s}' is not a number of rows (a whole number of at least 1, e.g. 1000000)"
        )),
    }
}

/// Load `dir` (strict: a broken row refuses its table). Returns the dataset and the findings
/// raised while typing cells.
pub fn load(dir: &Path) -> Result<(Dataset, Vec<Finding>)> {
    load_with(dir, &ReadOptions::default())
}

/// `load` with these read options.
pub fn load_with(dir: &Path, opts: &ReadOptions) -> Result<(Dataset, Vec<Finding>)> {
    // The batched reader with no limit on a batch: one batch (a CSV over 64 MB comes in
    // chunks, stacked here).
    let (mut ds, mut findings, mut batches) = load_evaluations_with(dir, usize::MAX, opts)?;
    let mut laps = crate::profile::Laps::start();
    let mut indicators: Option<DataFrame> = None;
    while let Some(batch) = batches.next_batch(&mut findings)? {
        match indicators.as_mut() {
            Some(all) => {
                all.vstack_mut(&batch)?;
            }
            None => indicators = Some(batch),
        }
    }
    let indicators = indicators.unwrap_or_default();
    laps.lap("load: indicators");
    let mut eval = super::keys::eval_positions(
        indicators.column("eval_id")?.str()?,
        ds.evaluations.column("eval_id")?.str()?,
    );
    let mut indicators = indicators;
    let lost = set_aside_orphans(&ds, &mut indicators, &eval, &mut findings)?;
    if lost > 0 {
        eval = super::keys::eval_positions(
            indicators.column("eval_id")?.str()?,
            ds.evaluations.column("eval_id")?.str()?,
        );
        batches.input.set_aside += lost;
    }
    ds.indicator_eval = eval;
    laps.lap("load: eval keys");
    ds.indicator_rows = indicators.height();
    ds.indicators = indicators;
    if let Some(input) = ds.inputs.iter_mut().find(|i| i.table == "indicators") {
        *input = batches.input.clone();
    }
    Ok((ds, findings))
}

fn check_dir(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Err(JxError::input(format!(
            "{}: no such directory. Give the folder that holds units, evaluations and indicators (.csv or .parquet).",
            dir.display()
        )));
    }
    if !dir.is_dir() {
        return Err(JxError::input(format!(
            "{}: not a directory. A dataset is a folder holding units, evaluations and indicators (.csv or .parquet).",
            dir.display()
        )));
    }
    Ok(())
}

fn locate(dir: &Path, table: &str) -> Result<(PathBuf, &'static str)> {
    let csv = dir.join(format!("{table}.csv"));
    let pq = dir.join(format!("{table}.parquet"));
    let hive = dir.join(table);
    if hive.is_dir() && !csv.is_file() && !pq.is_file() {
        return Ok((hive, "parquet (partitioned)"));
    }
    match (csv.is_file(), pq.is_file()) {
        (true, true) => Err(JxError::input(format!(
            "{}: both {table}.csv and {table}.parquet exist; keep one so it is clear which to read.",
            dir.display()
        ))),
        (true, false) => Ok((csv, "csv")),
        (false, true) => Ok((pq, "parquet")),
        (false, false) => Err(JxError::input(format!(
            "{}: no {table}.csv or {table}.parquet. A dataset folder needs units, evaluations and indicators (see SCHEMA.md); `jixiao extract` or `jixiao synth` make one.",
            dir.display()
        ))),
    }
}

/// Read one table file into a frame whose columns are all text (typing comes after, so that
/// every bad cell can be reported with its row and column), with its `__row` numbers; the
/// rows set aside become findings (or, strict, refuse the table).
pub fn read_table_file(
    dir: &Path,
    spec: &TableSpec,
    opts: &ReadOptions,
    findings: &mut Vec<Finding>,
) -> Result<(DataFrame, InputFile)> {
    let (path, format) = locate(dir, spec.name)?;
    let (df, enc, set_aside) = match format {
        "csv" => {
            let t = read_csv_text(&path, opts)?;
            (t.frame, t.encoding, t.set_aside)
        }
        "parquet (partitioned)" => {
            let (df, sa) = read_partitioned(&path, spec, opts)?;
            (df, "parquet", sa)
        }
        _ => {
            let (df, sa) = read_parquet_as_text(&path, spec, None, None, 0, opts)?;
            (df, "parquet", sa)
        }
    };
    let mut input = InputFile {
        table: spec.name,
        path: path.clone(),
        format,
        encoding: enc,
        rows: df.height(),
        set_aside: 0,
        lost_keys: Vec::new(),
    };
    report_set_aside(spec, &df, set_aside, &mut input, findings);
    Ok((df, input))
}

/// The column whose value names a row set aside in its finding (the key that links it).
fn key_column(spec: &TableSpec) -> &'static str {
    spec.key.first().copied().unwrap_or("eval_id")
}

/// Findings for rows set aside (already refused under --strict), counted in `input`.
fn report_set_aside(
    spec: &TableSpec,
    frame: &DataFrame,
    set_aside: Vec<SetAside>,
    input: &mut InputFile,
    findings: &mut Vec<Finding>,
) {
    if set_aside.is_empty() {
        return;
    }
    let key_at = frame
        .get_column_names()
        .iter()
        .filter(|n| n.as_str() != ROW)
        .position(|n| n.as_str() == key_column(spec));
    for sa in set_aside {
        input.set_aside += sa.rows;
        input
            .lost_keys
            .extend(sa.keys.iter().map(|k| (k.clone(), sa.row)));
        let key = key_at
            .and_then(|k| sa.cells.get(k).cloned())
            .unwrap_or_default();
        findings.push(Finding::new(
            Severity::Error,
            spec.name,
            key,
            sa.row,
            sa.check,
            sa.message(),
        ));
    }
}

/// Under --strict, the first row set aside refuses the table (exit 3, as a file that cannot
/// be read), its message naming the file in full.
fn refuse_if_strict(path: &Path, opts: &ReadOptions, set_aside: &[SetAside]) -> Result<()> {
    let Some(first) = set_aside.first().filter(|_| opts.strict) else {
        return Ok(());
    };
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let rest = first
        .what
        .strip_prefix(name.as_str())
        .unwrap_or(&first.what);
    let more = match set_aside.len() {
        1 => String::new(),
        n => format!(" ({} more broken rows after it.)", n - 1),
    };
    Err(JxError::input(format!(
        "{}{rest}{more} {} (--strict refuses a table with a broken row; without it such rows are set aside, each reported in findings.csv with its line, and the rest is read.)",
        path.display(),
        first.advice
    )))
}

/// `read_csv_text` with the strict defaults: the table as text columns and its encoding.
pub fn read_csv_as_text(path: &Path) -> Result<(DataFrame, &'static str)> {
    let t = read_csv_text(path, &ReadOptions::default())?;
    Ok((t.frame, t.encoding))
}

/// A CSV read as text: its columns (all text) with `__row`, the rows set aside, and the
/// encoding it was read in.
pub struct TextTable {
    pub frame: DataFrame,
    pub set_aside: Vec<SetAside>,
    pub encoding: &'static str,
}

/// Read a whole CSV: the encoding decided from the whole file (`encoding::decide`), the text
/// decoded with its invalid bytes listed, and the records read by `csv_rows` (broken rows set
/// aside; under --strict the first refuses the file).
pub fn read_csv_text(path: &Path, opts: &ReadOptions) -> Result<TextTable> {
    let bytes = std::fs::read(path).map_err(|e| {
        JxError::input(format!("{}: cannot read: {e}", path.display())).caused_by(e)
    })?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(JxError::input(format!(
            "{}: the file is empty; a table needs at least a header row naming its columns.",
            path.display()
        )));
    }
    if encoding::looks_binary_table(&bytes) {
        return Err(JxError::input(format!(
            "{}: this is not a text CSV file (binary content). Export the table as CSV (UTF-8 or GBK) or Parquet.",
            path.display()
        )));
    }
    // Valid UTF-8 without a BOM (the usual case) is taken as it is: validated once, not
    // copied.
    let plain_utf8 = opts.encoding.is_none_or(|e| e == encoding::Forced::Utf8)
        && !bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        && std::str::from_utf8(&bytes).is_ok();
    let (choice, mut text, mut bad) = if plain_utf8 {
        (encoding::decide(b"", None), bytes, Vec::new())
    } else {
        let choice = encoding::decide(&bytes, opts.encoding);
        let (text, bad) = encoding::decode_table(bytes, &choice);
        (choice, text, bad)
    };
    csv_rows::normalise_line_breaks(&mut text, 0, &mut bad);
    let keep = csv_rows::without_trailing_blank_lines(&text);
    text.truncate(keep);
    bad.retain(|b| b.at < keep);
    let file = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let src = Source {
        file: &file,
        encoding: choice.name,
    };
    if text.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(JxError::input(format!(
            "{}: the file is empty; a table needs at least a header row naming its columns.",
            path.display()
        )));
    }
    let header = csv_rows::header(&text, &src).map_err(|e| with_path(e, path, &file))?;
    if let Some(b) = bad.iter().find(|b| b.at < header.end) {
        return Err(with_path(
            super::csv_chunks::header_bad_bytes(&src, header.line, &text, b),
            path,
            &file,
        ));
    }
    let body_start = header.end;
    let bad: Vec<_> = bad
        .into_iter()
        .map(|mut b| {
            b.at -= body_start;
            b
        })
        .collect();
    let place = Place {
        line: 1 + text[..body_start].iter().filter(|b| **b == b'\n').count(),
        row: header.line + 1,
    };
    let piece = csv_rows::read_piece(text, body_start, &header, &bad, place, &src, None)?;
    refuse_if_strict(path, opts, &piece.set_aside)?;
    Ok(TextTable {
        frame: piece.frame,
        set_aside: piece.set_aside,
        encoding: choice.name,
    })
}

/// An input error whose message starts with the file name, given the full path instead.
fn with_path(e: JxError, path: &Path, file: &str) -> JxError {
    e.map_message(|message| match message.strip_prefix(file) {
        Some(rest) => format!("{}{rest}", path.display()),
        None => message,
    })
}

/// A Parquet file (or a slice of its rows) as text columns with `__row` (`row_base`: rows
/// before this file, in a partitioned table). When polars cannot read it, it is read again a
/// row group at a time: the groups that fail are set aside (their rows counted), the rest read.
fn read_parquet_as_text(
    path: &Path,
    spec: &TableSpec,
    slice: Option<(usize, usize)>,
    only: Option<&[&str]>,
    row_base: usize,
    opts: &ReadOptions,
) -> Result<(DataFrame, Vec<SetAside>)> {
    let first = slice.map_or(0, |s| s.0);
    match read_parquet_slice(path, spec, slice, only) {
        Ok(df) => {
            let df = df.with_row_index(ROW.into(), Some((2 + row_base + first) as IdxSize))?;
            Ok((df, Vec::new()))
        }
        Err(whole) => {
            let (df, set_aside) = read_parquet_by_groups(path, spec, slice, only, row_base, whole)?;
            refuse_if_strict(path, opts, &set_aside)?;
            Ok((df, set_aside))
        }
    }
}

/// Read a Parquet file or slice of it; columns not already in a contract type as text. The
/// error is polars' own words (the caller explains them).
fn read_parquet_slice(
    path: &Path,
    spec: &TableSpec,
    slice: Option<(usize, usize)>,
    only: Option<&[&str]>,
) -> std::result::Result<DataFrame, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut reader = ParquetReader::new(file).with_slice(slice);
    if let Some(only) = only {
        let present = reader.schema().map_err(|e| e.to_string())?;
        let keep = present
            .iter_names()
            .filter(|n| only.contains(&n.as_str()))
            .map(|n| n.to_string())
            .collect();
        reader = reader.with_columns(Some(keep));
    }
    // A corrupt file may make the decoder panic rather than fail: caught here, so that it is
    // reported as a damaged file and the other row groups are read.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.finish()));
    let df = match read {
        Ok(Ok(df)) => df,
        Ok(Err(e)) => return Err(e.to_string()),
        Err(_) => return Err("the Parquet decoder stopped on damaged data".to_string()),
    };
    // Columns already in a contract type (Decimal(38,6), Int32) are kept as they are; the rest
    // go through text so that every bad cell is found and reported the same way as in CSV.
    let exprs: Vec<Expr> = df
        .columns()
        .iter()
        .map(|c| {
            let n = c.name().as_str();
            let kind = spec.columns.iter().find(|s| s.name == n).map(|s| s.kind);
            match (kind, c.dtype()) {
                (Some(Kind::Decimal), DataType::Decimal(p, s))
                    if (*p, *s) == (schema::PRECISION, schema::SCALE)
                        && !decimal_out_of_range(c) =>
                {
                    col(n)
                }
                (Some(Kind::Integer), DataType::Int32) => col(n),
                _ => col(n).cast(DataType::String),
            }
        })
        .collect();
    let df = df
        .lazy()
        .select(exprs)
        .collect()
        .map_err(|e| e.to_string())?;
    trim_header(df, path).map_err(|e| e.to_string())
}

/// The row groups of a Parquet file that polars could not read whole, read one by one.
fn read_parquet_by_groups(
    path: &Path,
    spec: &TableSpec,
    slice: Option<(usize, usize)>,
    only: Option<&[&str]>,
    row_base: usize,
    whole: String,
) -> Result<(DataFrame, Vec<SetAside>)> {
    let file = std::fs::File::open(path).map_err(|e| {
        JxError::input(format!("{}: cannot open: {e}", path.display())).caused_by(e)
    })?;
    let groups: Vec<usize> = match ParquetReader::new(file).get_metadata() {
        Ok(m) => m.row_groups.iter().map(|g| g.num_rows()).collect(),
        Err(e) => {
            return Err(JxError::input(format!(
                "{}: cannot read as Parquet: its footer (the table of contents at the end of the file) cannot be read ({e}; before that: {whole}). The file is damaged or not Parquet; write it again from its source.",
                path.display()
            )))
        }
    };
    let total: usize = groups.iter().sum();
    let (from, len) = slice.unwrap_or((0, total));
    let to = (from + len).min(total);
    let file = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut frames: Vec<DataFrame> = Vec::new();
    let mut set_aside = Vec::new();
    let mut start = 0;
    for (g, n) in groups.iter().enumerate() {
        let (a, b) = (start.max(from), (start + n).min(to));
        start += n;
        if a >= b {
            continue;
        }
        let first_row = 2 + row_base + a;
        match read_parquet_slice(path, spec, Some((a, b - a)), only) {
            Ok(df) => frames.push(df.with_row_index(ROW.into(), Some(first_row as IdxSize))?),
            Err(e) => {
                let what = format!(
                    "{file}: row group {} of {}, records {}-{} (rows {first_row}-{} as findings.csv numbers them), cannot be read: the file is damaged there (the Parquet reader said: {e}).",
                    g + 1,
                    groups.len(),
                    row_base + a + 1,
                    row_base + b,
                    1 + row_base + b,
                );
                let consequence = format!(
                    "Its {} rows are set aside (and the rows that hang on them, where their keys could still be read).",
                    b - a
                );
                set_aside.push(SetAside {
                    keys: group_keys(path, spec, (a, b - a)),
                    row: first_row as u64,
                    line: 0,
                    rows: b - a,
                    check: "corrupt_row_group",
                    what,
                    advice: "Write the file again from its source.".to_string(),
                    consequence,
                    cells: Vec::new(),
                });
            }
        }
    }
    if set_aside.is_empty() {
        // Every group read on its own: the failure was not in one group.
        return Err(JxError::input(format!(
            "{}: cannot read as Parquet, though each of its row groups reads on its own (the Parquet reader said: {whole}). Write the file again from its source.",
            path.display()
        )));
    }
    let df = match frames.len() {
        0 => {
            // Every group failed: the columns from the schema, no rows.
            let mut cols = vec![Column::new(ROW.into(), Vec::<IdxSize>::new())];
            let names = ParquetReader::new(std::fs::File::open(path).map_err(|e| {
                JxError::input(format!("{}: cannot open: {e}", path.display())).caused_by(e)
            })?)
            .schema()
            .map(|s| s.iter_names().map(|n| n.to_string()).collect::<Vec<_>>())
            .unwrap_or_default();
            for n in names
                .iter()
                .filter(|n| only.is_none_or(|o| o.contains(&n.as_str())))
            {
                cols.push(Column::new(n.as_str().into(), Vec::<Option<String>>::new()));
            }
            DataFrame::new_infer_height(cols)?
        }
        _ => {
            let mut all = frames.remove(0);
            for f in &frames {
                all.vstack_mut(f)?;
            }
            all
        }
    };
    Ok((df, set_aside))
}

/// The keys of a damaged row group's rows, when its key column can still be read alone.
fn group_keys(path: &Path, spec: &TableSpec, slice: (usize, usize)) -> Vec<String> {
    let key = key_column(spec);
    read_parquet_slice(path, spec, Some(slice), Some(&[key]))
        .ok()
        .and_then(|df| {
            let c = df.column(key).ok()?.str().ok()?.clone();
            Some(c.iter().flatten().map(|k| k.trim().to_string()).collect())
        })
        .unwrap_or_default()
}

/// A hive-partitioned table (`table/key=value/…/*.parquet`, as jixiao, Spark or DuckDB write
/// it): every part file, with the partition keys from its path as text columns.
fn read_partitioned(
    root: &Path,
    spec: &TableSpec,
    opts: &ReadOptions,
) -> Result<(DataFrame, Vec<SetAside>)> {
    let mut parts = Vec::new();
    let mut set_aside = Vec::new();
    let mut base = 0;
    for f in partition_files(root)? {
        let n = parquet_rows(&f)?;
        let (df, sa) = read_part(root, &f, spec, None, None, base, opts)?;
        base += n;
        set_aside.extend(sa);
        parts.push(df.lazy());
    }
    let df = concat(
        parts,
        UnionArgs {
            to_supertypes: true,
            ..Default::default()
        },
    )?
    .collect()?;
    Ok((df, set_aside))
}

/// The part files of a partitioned table, in path order.
fn partition_files(root: &Path) -> Result<Vec<PathBuf>> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)?
            .map(|e| e.map(|e| e.path()))
            .collect::<std::io::Result<_>>()?;
        entries.sort();
        for e in entries {
            if e.is_dir() {
                walk(&e, out)?;
            } else if e.extension().map(|x| x == "parquet").unwrap_or(false) {
                out.push(e);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(root, &mut files).map_err(|e| {
        JxError::input(format!("{}: cannot list: {e}", root.display())).caused_by(e)
    })?;
    if files.is_empty() {
        return Err(JxError::input(format!(
            "{}: a partitioned table folder with no .parquet files.",
            root.display()
        )));
    }
    Ok(files)
}

/// One part file (or a slice of it) with its partition keys as text columns.
fn read_part(
    root: &Path,
    f: &Path,
    spec: &TableSpec,
    slice: Option<(usize, usize)>,
    only: Option<&[&str]>,
    row_base: usize,
    opts: &ReadOptions,
) -> Result<(DataFrame, Vec<SetAside>)> {
    let (mut df, set_aside) = read_parquet_as_text(f, spec, slice, only, row_base, opts)?;
    for seg in f
        .strip_prefix(root)
        .unwrap_or(f)
        .components()
        .filter_map(|c| c.as_os_str().to_str())
    {
        if let Some((k, v)) = seg.split_once('=') {
            let v = if v == "__HIVE_DEFAULT_PARTITION__" {
                None
            } else {
                Some(percent_decode(v))
            };
            df.with_column(Column::new(k.into(), vec![v; df.height()]))?;
        }
    }
    Ok((df, set_aside))
}

fn parquet_rows(path: &Path) -> Result<usize> {
    let file = std::fs::File::open(path).map_err(|e| {
        JxError::input(format!("{}: cannot open: {e}", path.display())).caused_by(e)
    })?;
    ParquetReader::new(file).num_rows().map_err(|e| {
        JxError::input(format!(
            "{}: cannot read as Parquet: its footer (the table of contents at the end of the file) cannot be read ({e}). The file is damaged or not Parquet; write it again from its source.",
            path.display()
        ))
.caused_by(e)
    })
}

impl IndicatorBatches {
    /// Type a batch of raw rows (each with its `__row`).
    fn type_batch(&mut self, raw: DataFrame, findings: &mut Vec<Finding>) -> Result<DataFrame> {
        let n = raw.height();
        // CSV cells are parsed whatever is used; the unused columns are not checked.
        let raw = match &self.only {
            Some(only) => {
                let unused: Vec<String> = raw
                    .get_column_names()
                    .into_iter()
                    .filter(|c| c.as_str() != ROW && !only.contains(&c.as_str()))
                    .map(|c| c.to_string())
                    .collect();
                raw.drop_many(unused)
            }
            None => raw,
        };
        let typed = type_table_from(
            raw,
            &schema::INDICATORS,
            &self.input.path,
            findings,
            self.first_record,
        )?;
        self.first_record += n;
        Ok(typed)
    }

    /// Rows set aside while reading become findings (the frame names the key's column).
    fn set_aside(&mut self, frame: &DataFrame, sa: Vec<SetAside>, findings: &mut Vec<Finding>) {
        report_set_aside(&schema::INDICATORS, frame, sa, &mut self.input, findings);
    }

    fn next_chunked_batch(&mut self, findings: &mut Vec<Finding>) -> Result<Option<DataFrame>> {
        let mut laps = crate::profile::Laps::start();
        if self.pending.as_ref().is_none_or(|p| p.height() == 0) {
            loop {
                let chunks = self.csv_chunks.as_mut().unwrap();
                match chunks.next_piece()? {
                    Some(piece) => {
                        self.input.encoding = chunks.encoding;
                        self.any_chunk = true;
                        refuse_if_strict(&self.input.path, &self.opts, &piece.set_aside)?;
                        let frame = trim_header(piece.frame, &self.input.path)?;
                        self.set_aside(&frame, piece.set_aside, findings);
                        if frame.height() == 0 {
                            // Every row of this chunk was set aside: on to the next.
                            continue;
                        }
                        self.pending = Some(frame);
                        break;
                    }
                    None if !self.any_chunk => {
                        return Err(JxError::input(format!(
                            "{}: no rows after the header.",
                            self.input.path.display()
                        )))
                    }
                    None => return Ok(None),
                }
            }
            laps.lap("  csv chunk: read and parse");
        }
        let pending = self.pending.take().unwrap();
        let len = self.batch_rows.min(pending.height());
        let raw = pending.slice(0, len);
        self.pending = Some(pending.slice(len as i64, pending.height() - len));
        let typed = self.type_batch(raw, findings)?;
        self.input.rows = self.first_record;
        Ok(Some(typed))
    }
}

/// The units and evaluations of `dir`, typed, with the indicators left to be read in batches
/// of at most `batch_rows` rows (for datasets larger than memory). The dataset's
/// `indicators` is empty; `indicator_rows` counts the rows the batches will give. Strict: a
/// broken row refuses its table (`load_evaluations_with`).
pub fn load_evaluations(
    dir: &Path,
    batch_rows: usize,
) -> Result<(Dataset, Vec<Finding>, IndicatorBatches)> {
    load_evaluations_with(dir, batch_rows, &ReadOptions::default())
}

/// `load_evaluations` with these read options.
pub fn load_evaluations_with(
    dir: &Path,
    batch_rows: usize,
    opts: &ReadOptions,
) -> Result<(Dataset, Vec<Finding>, IndicatorBatches)> {
    check_dir(dir)?;
    let mut findings = Vec::new();
    let mut inputs = Vec::new();
    let mut frames = Vec::new();
    for spec in [schema::UNITS, schema::EVALUATIONS] {
        let (raw, input) = read_table_file(dir, &spec, opts, &mut findings)?;
        let mut typed = type_table(raw, &spec, &input.path, &mut findings)?;
        // One chunk per column: a Parquet file comes in a chunk per row group (198 for 3 M
        // evaluations written by synth), and every sort, gather and window over the
        // evaluations and their facts then works chunk by chunk, several times slower (README,
        // Measured figures).
        typed.rechunk_mut_par();
        frames.push(typed);
        inputs.push(input);
    }
    let batches = IndicatorBatches::open(dir, batch_rows, opts)?;
    inputs.push(batches.input.clone());
    let mut frames = frames.into_iter();
    let units = frames.next().unwrap();
    let mut evaluations = frames.next().unwrap();
    let lost_evals = evaluations_set_aside(&units, &mut evaluations, &mut inputs, &mut findings)?;
    let ds = Dataset {
        dir: dir.to_path_buf(),
        units,
        evaluations,
        indicators: DataFrame::empty(),
        indicator_eval: UInt32Chunked::from_vec(super::keys::EVAL.into(), vec![]),
        indicator_rows: batches.input.rows,
        grading: Grading::load_for_dataset(dir)?,
        inputs,
        lost_evals,
        facts: Default::default(),
    };
    Ok((ds, findings, batches))
}

/// Rows set aside take the rows that hang on them along: an evaluation whose unit's row was
/// set aside (its unit_id is nowhere else in units) is set aside too, and then the indicator
/// rows of every evaluation set aside (`set_aside_orphans`), instead of each becoming a
/// dangling-key error that would stop bench. Returns the eval_ids set aside, each with where
/// its finding is.
fn evaluations_set_aside(
    units: &DataFrame,
    evaluations: &mut DataFrame,
    inputs: &mut [InputFile],
    findings: &mut Vec<Finding>,
) -> Result<std::collections::HashMap<String, String>> {
    use std::collections::{HashMap, HashSet};
    let in_bulk = |table: &str| -> Vec<(String, u64)> {
        inputs
            .iter()
            .filter(|i| i.table == table)
            .flat_map(|i| i.lost_keys.iter().cloned())
            .collect()
    };
    let lost_units: HashMap<String, u64> = findings
        .iter()
        .filter(|f| f.table == "units" && super::findings::is_set_aside(f) && !f.key.is_empty())
        .map(|f| (f.key.clone(), f.row))
        .chain(in_bulk("units"))
        .collect();
    let mut lost: HashMap<String, String> = findings
        .iter()
        .filter(|f| {
            f.table == "evaluations" && super::findings::is_set_aside(f) && !f.key.is_empty()
        })
        .map(|f| (f.key.clone(), f.row))
        .chain(in_bulk("evaluations"))
        .map(|(k, row)| (k, format!("evaluations row {row}")))
        .collect();
    if lost_units.is_empty() {
        return Ok(lost);
    }
    let known: HashSet<&str> = units.column("unit_id")?.str()?.iter().flatten().collect();
    let unit_ids = evaluations.column("unit_id")?.str()?.clone();
    let eval_ids = evaluations.column("eval_id")?.str()?.clone();
    let rows = evaluations.column(ROW)?.cast(&DataType::UInt64)?;
    let rows = rows.u64()?;
    let mut keep = Vec::with_capacity(evaluations.height());
    let mut gone = HashSet::new();
    for (i, u) in unit_ids.iter().enumerate() {
        let orphan = u
            .filter(|u| !known.contains(u))
            .and_then(|u| lost_units.get(u));
        keep.push(orphan.is_none());
        if let (Some(unit_row), Some(u)) = (orphan, u) {
            let row = rows.get(i).unwrap_or(0);
            let e = eval_ids.get(i).unwrap_or_default().to_string();
            gone.insert(row);
            findings.push(Finding::new(
                Severity::Error,
                "evaluations",
                e.clone(),
                row,
                "parent_set_aside",
                format!("row {row}: its unit '{u}' was set aside (units row {unit_row}: see that finding), so this evaluation is set aside with it, and its indicators."),
            ));
            lost.insert(e, format!("evaluations row {row}"));
        }
    }
    if !gone.is_empty() {
        // Their cells were checked on reading; those findings go with the rows.
        findings.retain(|f| {
            f.table != "evaluations" || super::findings::is_set_aside(f) || !gone.contains(&f.row)
        });
        *evaluations = evaluations.filter(&BooleanChunked::from_iter_values(
            "keep".into(),
            keep.into_iter(),
        ))?;
        if let Some(input) = inputs.iter_mut().find(|i| i.table == "evaluations") {
            input.set_aside += gone.len();
            input.rows = evaluations.height();
        }
    }
    Ok(lost)
}

/// Indicator rows of evaluations set aside (`ds.lost_evals`; their eval_id is not among the
/// evaluations, `eval` null) are set aside too: removed from `batch`, each a finding in place
/// of the cell findings it had. Returns how many. Costs nothing when no evaluation was set
/// aside or no row dangles.
pub fn set_aside_orphans(
    ds: &Dataset,
    batch: &mut DataFrame,
    eval: &UInt32Chunked,
    findings: &mut Vec<Finding>,
) -> Result<usize> {
    if ds.lost_evals.is_empty() || eval.null_count() == 0 {
        return Ok(0);
    }
    let ids = batch.column("eval_id")?.str()?.clone();
    let rows = batch.column(ROW)?.cast(&DataType::UInt64)?;
    let rows = rows.u64()?;
    let mut keep = vec![true; batch.height()];
    let mut gone = std::collections::HashSet::new();
    for (i, (e, id)) in eval.iter().zip(ids.iter()).enumerate() {
        let Some(why) = id
            .filter(|_| e.is_none())
            .and_then(|id| ds.lost_evals.get(id))
        else {
            continue;
        };
        let row = rows.get(i).unwrap_or(0);
        let id = id.unwrap_or_default();
        keep[i] = false;
        gone.insert(row);
        findings.push(Finding::new(
            Severity::Error,
            "indicators",
            id,
            row,
            "parent_set_aside",
            format!("row {row}: its evaluation '{id}' was set aside ({why}: see that finding), so this indicator row is set aside with it."),
        ));
    }
    if gone.is_empty() {
        return Ok(0);
    }
    findings.retain(|f| {
        f.table != "indicators" || super::findings::is_set_aside(f) || !gone.contains(&f.row)
    });
    *batch = batch.filter(&BooleanChunked::from_iter_values(
        "keep".into(),
        keep.into_iter(),
    ))?;
    Ok(gone.len())
}

/// The indicators table read a batch of rows at a time: Parquet by row slices (part by part
/// when partitioned); a CSV is decoded whole and handed out in slices, or, when larger than
/// a chunk (`csv_chunks`), read a chunk of whole records at a time.
pub struct IndicatorBatches {
    pub input: InputFile,
    root: PathBuf,
    /// Parquet files (or the one CSV) with their rows and the rows of the files before them.
    parts: Vec<(PathBuf, usize, usize)>,
    csv: Option<DataFrame>,
    /// A CSV too large to read whole: its chunks, and the rows of the current one not yet
    /// handed out.
    csv_chunks: Option<super::csv_chunks::CsvChunks>,
    pending: Option<DataFrame>,
    any_chunk: bool,
    batch_rows: usize,
    part: usize,
    offset: usize,
    first_record: usize,
    /// Rows set aside when the CSV was read whole, reported with the first batch.
    csv_set_aside: Option<Vec<SetAside>>,
    opts: ReadOptions,
    /// `read_only`: the columns read (None: all).
    only: Option<Vec<&'static str>>,
}

impl IndicatorBatches {
    fn open(dir: &Path, batch_rows: usize, opts: &ReadOptions) -> Result<IndicatorBatches> {
        let spec = schema::INDICATORS;
        let (path, format) = locate(dir, spec.name)?;
        let mut csv_chunks = None;
        let mut csv_set_aside = None;
        let (parts, csv, encoding) = match format {
            "csv" => match super::csv_chunks::CsvChunks::open_with(&path, opts)? {
                Some(chunks) => {
                    let enc = chunks.encoding;
                    csv_chunks = Some(chunks);
                    (vec![(path.clone(), usize::MAX, 0)], None, enc)
                }
                None => {
                    let t = read_csv_text(&path, opts)?;
                    csv_set_aside = Some(t.set_aside);
                    (
                        vec![(path.clone(), t.frame.height(), 0)],
                        Some(t.frame),
                        t.encoding,
                    )
                }
            },
            "parquet (partitioned)" => {
                let files = partition_files(&path)?;
                let mut parts = Vec::new();
                let mut base = 0;
                for f in files {
                    let n = parquet_rows(&f)?;
                    parts.push((f, n, base));
                    base += n;
                }
                (parts, None, "parquet")
            }
            _ => (
                vec![(path.clone(), parquet_rows(&path)?, 0)],
                None,
                "parquet",
            ),
        };
        // Unknown (counted as the batches are read) for a CSV read in chunks.
        let rows = if csv_chunks.is_some() {
            0
        } else {
            parts.iter().map(|p| p.1).sum()
        };
        Ok(IndicatorBatches {
            input: InputFile {
                table: spec.name,
                path: path.clone(),
                format,
                encoding,
                rows,
                set_aside: 0,
                lost_keys: Vec::new(),
            },
            root: path,
            parts,
            csv,
            csv_chunks,
            pending: None,
            any_chunk: false,
            batch_rows: batch_rows.max(1),
            part: 0,
            offset: 0,
            first_record: 0,
            csv_set_aside,
            opts: *opts,
            only: None,
        })
    }

    /// Read only these columns and the contract's required ones: a caller that uses few of
    /// the optional columns (bench leaves out the target and actual values) is spared
    /// decoding and checking the rest. Contract columns left out come back blank.
    pub fn read_only(&mut self, used: &[&'static str]) {
        let mut keep: Vec<&'static str> = schema::INDICATORS
            .columns
            .iter()
            .filter(|c| c.required)
            .map(|c| c.name)
            .collect();
        for u in used {
            if !keep.contains(u) {
                keep.push(u);
            }
        }
        self.only = Some(keep);
    }

    /// The number of rows, when known before reading (not for a CSV read in chunks; for
    /// Parquet, the rows of row groups that turn out damaged are included).
    pub fn known_rows(&self) -> Option<usize> {
        self.csv_chunks.is_none().then_some(self.input.rows)
    }

    /// Rows handed out so far (not counting rows set aside).
    pub fn rows_read(&self) -> usize {
        self.first_record
    }

    /// The next batch, typed (bad cells become findings with their row in the file), with
    /// its `__row` numbers; None at the end. Rows set aside while reading become findings.
    pub fn next_batch(&mut self, findings: &mut Vec<Finding>) -> Result<Option<DataFrame>> {
        if self.csv_chunks.is_some() {
            return self.next_chunked_batch(findings);
        }
        if let (Some(sa), Some(csv)) = (self.csv_set_aside.take(), self.csv.as_ref()) {
            let names = csv.clear();
            self.set_aside(&names, sa, findings);
        }
        // A table with no rows still gives one (empty) batch, so every result has its columns.
        let empty_table = self.input.rows == 0 && self.part == 0 && self.offset == 0;
        while !empty_table && self.part < self.parts.len() && self.offset >= self.parts[self.part].1
        {
            self.part += 1;
            self.offset = 0;
        }
        if self.part >= self.parts.len() {
            if self.csv.is_none() {
                // Rows of damaged row groups were counted in; now they are known.
                self.input.rows = self.first_record;
            }
            return Ok(None);
        }
        let (file, n, base) = self.parts[self.part].clone();
        let len = self.batch_rows.min(n - self.offset);
        let raw = match &self.csv {
            Some(df) => df.slice(self.offset as i64, len),
            None => {
                let (df, sa) = if self.input.format == "parquet" {
                    read_parquet_as_text(
                        &file,
                        &schema::INDICATORS,
                        Some((self.offset, len)),
                        self.only.as_deref(),
                        base,
                        &self.opts,
                    )?
                } else {
                    read_part(
                        &self.root,
                        &file,
                        &schema::INDICATORS,
                        Some((self.offset, len)),
                        self.only.as_deref(),
                        base,
                        &self.opts,
                    )?
                };
                self.set_aside(&df, sa, findings);
                df
            }
        };
        let typed = self.type_batch(raw, findings)?;
        self.offset += len;
        if empty_table {
            self.part = self.parts.len();
        }
        Ok(Some(typed))
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(
                std::str::from_utf8(&b[i + 1..(i + 3).min(b.len())]).unwrap_or("zz"),
                16,
            ) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Header cells may carry spaces (Excel); duplicated names after trimming are an error.
fn trim_header(mut df: DataFrame, path: &Path) -> Result<DataFrame> {
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.trim().to_string())
        .collect();
    let mut seen = std::collections::HashSet::new();
    for n in &names {
        if !seen.insert(n.clone()) {
            return Err(JxError::input(format!(
                "{}: the header names column '{n}' twice; rename or remove one.",
                path.display()
            )));
        }
    }
    let refs: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
    df.set_column_names(&refs)?;
    Ok(df)
}

/// Digits allowed before the point: every decimal then fits rust_decimal's 96 bits at six
/// places (and sums of millions of them fit i128), far beyond any amount in 万元.
const MAX_INT_DIGITS: usize = 22;

fn decimal_pattern() -> String {
    format!(
        r"^-?[0-9]{{1,{MAX_INT_DIGITS}}}(\.[0-9]{{1,{}}})?$",
        schema::SCALE
    )
}

/// Whether a Decimal(38,6) column from Parquet holds a value with more than
/// `MAX_INT_DIGITS` digits before the point (a damaged or foreign file): then it is checked
/// as text, so that each such cell is reported where it is.
fn decimal_out_of_range(c: &Column) -> bool {
    let Ok(ca) = c.decimal() else {
        return false;
    };
    let limit = 10u128.pow((MAX_INT_DIGITS + schema::SCALE) as u32);
    // Over the raw values, blank slots included (whatever they hold, a blank checked as text
    // stays blank): polars' min/max skips the blanks one value at a time (README, Measured
    // figures). First only the high 64 bits: all 0 or all 1 (a value within ±2^63, far inside the
    // limit) for every amount a report can hold; that test is a compare per value, and the exact
    // one runs only when it fails.
    ca.physical().downcast_iter().any(|arr| {
        let values = arr.values().as_slice();
        let wide = values.iter().fold(false, |out, v| {
            out | (((*v >> 64) as u64).wrapping_add(1) > 1)
        });
        wide && values.iter().any(|v| v.unsigned_abs() >= limit)
    })
}
const INTEGER_PATTERN: &str = r"^-?[0-9]{1,9}$";

/// Trim every text cell, turn blanks into nulls, check and cast typed columns. Bad cells are
/// reported as errors and left null (never guessed).
pub fn type_table(
    df: DataFrame,
    spec: &TableSpec,
    path: &Path,
    findings: &mut Vec<Finding>,
) -> Result<DataFrame> {
    type_table_from(df, spec, path, findings, 0)
}

/// `type_table` for a batch whose first record is record `first` (0-based) of its file.
pub fn type_table_from(
    df: DataFrame,
    spec: &TableSpec,
    path: &Path,
    findings: &mut Vec<Finding>,
    first: usize,
) -> Result<DataFrame> {
    let file = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let present: Vec<String> = df
        .get_column_names()
        .iter()
        .filter(|s| s.as_str() != ROW)
        .map(|s| s.to_string())
        .collect();
    let missing: Vec<&str> = spec
        .columns
        .iter()
        .filter(|c| c.required && !present.iter().any(|p| p == c.name))
        .map(|c| c.name)
        .collect();
    if !missing.is_empty() {
        return Err(JxError::input(format!(
            "{}: required column{} {} missing (header row 1 has: {}). Add {} (see SCHEMA.md).",
            path.display(),
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            present.join(", "),
            if missing.len() > 1 { "them" } else { "it" }
        )));
    }
    // Readers number the rows as the file does (rows set aside leave gaps); a frame without
    // numbers counts from its first record.
    let df = if df.column(ROW).is_ok() {
        df
    } else {
        df.with_row_index(ROW.into(), Some(2 + first as IdxSize))?
    };
    // Columns that arrived typed (Parquet) need neither trimming nor checking.
    let typed_already: Vec<String> = df
        .columns()
        .iter()
        .filter(|c| c.name().as_str() != ROW && !matches!(c.dtype(), DataType::String))
        .map(|c| c.name().to_string())
        .collect();
    let is_typed = |n: &str| typed_already.iter().any(|t| t == n);
    // Text columns with no blank cell and no cell with spaces at either end are kept as they
    // are: a check reads each cell once, trimming would copy every one (columns in parallel).
    let already_clean: Vec<String> = {
        use rayon::prelude::*;
        present
            .par_iter()
            .filter(|n| !is_typed(n))
            .filter(|n| {
                df.column(n)
                    .ok()
                    .and_then(|c| c.str().ok())
                    .is_some_and(|ca| !needs_trim(ca))
            })
            .cloned()
            .collect()
    };
    // Trim all text and treat blank as null; unknown columns are kept as text.
    let mut clean: Vec<Expr> = vec![col(ROW)];
    for name in &present {
        if is_typed(name) || already_clean.contains(name) {
            clean.push(col(name.as_str()));
            continue;
        }
        let e = col(name.as_str()).str().strip_chars(lit(NULL));
        clean.push(
            when(e.clone().eq(lit("")))
                .then(lit(NULL).cast(DataType::String))
                .otherwise(e)
                .alias(name.as_str()),
        );
    }
    for c in spec
        .columns
        .iter()
        .filter(|c| !present.iter().any(|p| p == c.name))
    {
        clean.push(lit(NULL).cast(DataType::String).alias(c.name));
    }
    let text = df.lazy().select(clean).collect()?;

    // Find bad cells in one pass: a boolean column per typed column.
    let dec = decimal_pattern();
    let mut bad_flags = Vec::new();
    let mut typed_cols = Vec::new();
    for c in spec
        .columns
        .iter()
        .filter(|c| c.kind != Kind::Text && !is_typed(c.name))
    {
        let pat = if c.kind == Kind::Decimal {
            dec.as_str()
        } else {
            INTEGER_PATTERN
        };
        bad_flags.push(
            (col(c.name)
                .is_not_null()
                .and(col(c.name).str().contains(lit(pat), true).not()))
            .alias(format!("__bad_{}", c.name)),
        );
        typed_cols.push(*c);
    }
    let mut enum_checks: Vec<(&str, &[&str])> = Vec::new();
    if spec.name == "evaluations" {
        enum_checks.push(("scope", schema::SCOPES));
        enum_checks.push(("evaluator_type", schema::EVALUATOR_TYPES));
    }
    for (name, allowed) in &enum_checks {
        let allowed_s = Series::new("allowed".into(), allowed.to_vec());
        bad_flags.push(
            (col(*name)
                .is_not_null()
                .and(col(*name).is_in(lit(allowed_s).implode(false), false).not()))
            .alias(format!("__bad_{name}")),
        );
    }
    // Required columns must not be blank.
    for c in spec.columns.iter().filter(|c| c.required) {
        bad_flags.push(col(c.name).is_null().alias(format!("__blank_{}", c.name)));
    }
    // The flags are computed once (each pattern test is a regex over every cell) and serve
    // both the report of bad cells and the casts below; hidden names, so that no column of
    // the user's is overwritten.
    let flag_names: Vec<String> = typed_cols
        .iter()
        .map(|c| format!("__bad_{}", c.name))
        .chain(enum_checks.iter().map(|(n, _)| format!("__bad_{n}")))
        .chain(
            spec.columns
                .iter()
                .filter(|c| c.required)
                .map(|c| format!("__blank_{}", c.name)),
        )
        .collect();
    let text = text.lazy().with_columns(bad_flags).collect()?;
    if let Some(any_bad) = flag_names
        .iter()
        .map(|n| col(n.as_str()))
        .reduce(|a, b| a.or(b))
    {
        let mut sel: Vec<Expr> = vec![col(ROW)];
        sel.extend(spec.columns.iter().map(|c| col(c.name)));
        sel.extend(flag_names.iter().map(|n| col(n.as_str())));
        let bad = text.clone().lazy().filter(any_bad).select(sel).collect()?;
        report_bad_cells(&bad, spec, &file, &typed_cols, &enum_checks, findings)?;
    }

    // Cast: a bad cell becomes null (already reported), never a guessed number.
    let mut cast: Vec<Expr> = Vec::new();
    for name in text.get_column_names() {
        let n = name.as_str();
        if flag_names.iter().any(|f| f == n) {
            continue;
        }
        let kind = spec.columns.iter().find(|c| c.name == n).map(|c| c.kind);
        let ok = || col(format!("__bad_{n}")).not();
        let e = match kind {
            _ if is_typed(n) => col(n),
            Some(Kind::Decimal) => when(ok())
                .then(col(n))
                .otherwise(lit(NULL))
                .cast(schema::decimal_dtype())
                .alias(n),
            Some(Kind::Integer) => when(ok())
                .then(col(n))
                .otherwise(lit(NULL))
                .cast(DataType::Int32)
                .alias(n),
            _ => col(n),
        };
        cast.push(e);
    }
    Ok(text.lazy().select(cast).collect()?)
}

/// Whether any cell is blank or starts or ends with white space (what cleaning would change).
/// It runs over every text cell of every batch, so it reads the edge bytes from the 16-byte
/// string views (short strings are stored in the view, long ones keep their first byte
/// there) and skips a view it has just found clean: Parquet input decodes each repeated
/// value to one view.
fn needs_trim(ca: &StringChunked) -> bool {
    use polars_arrow::array::Array;
    ca.downcast_iter().any(|arr| {
        let buffers = arr.data_buffers();
        let validity = arr.validity();
        // Views recently found clean, by a hash of the view.
        let mut clean = [0u128; 256];
        for (i, view) in arr.views().iter().enumerate() {
            if validity.is_some_and(|b| !b.get_bit(i)) {
                continue;
            }
            let len = view.length as usize;
            if len == 0 {
                return true;
            }
            let v = view.as_u128();
            let slot =
                ((v as u64 ^ (v >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize;
            if clean[slot] == v {
                continue;
            }
            let (first, last) = if len <= 12 {
                let bytes = v.to_le_bytes();
                (bytes[4], bytes[3 + len])
            } else {
                let data = &buffers[view.buffer_idx as usize];
                (view.prefix as u8, data[view.offset as usize + len - 1])
            };
            if !edges_surely_clean(first, last) && edge_is_space(arr.value(i)) {
                return true;
            }
            clean[slot] = v;
        }
        false
    })
}

/// True when neither edge byte can belong to a white-space character: an ASCII byte that is
/// not a space, a first byte that leads no Unicode space (those lead with C2, E1, E2 or E3)
/// and a last byte that ends none (85, A0, 80-8A, A8, A9, AF, 9F). CJK text mostly passes
/// here; the rest is decoded by `edge_is_space`.
fn edges_surely_clean(first: u8, last: u8) -> bool {
    let ascii_text = |c: u8| c < 0x80 && !c.is_ascii_whitespace() && c != 0x0B;
    (ascii_text(first) || (first >= 0x80 && !matches!(first, 0xC2 | 0xE1..=0xE3)))
        && (ascii_text(last)
            || (last >= 0x80 && !matches!(last, 0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF)))
}

/// Whether the first or last character of a non-empty string is white space, as `str::trim`
/// sees it. An ASCII edge byte decides at once; other characters (U+3000, U+00A0, ...) are
/// decoded.
fn edge_is_space(s: &str) -> bool {
    let b = s.as_bytes();
    let (first, last) = (b[0], b[b.len() - 1]);
    if first < 0x80 && last < 0x80 {
        let space = |c: u8| c.is_ascii_whitespace() || c == 0x0B;
        return space(first) || space(last);
    }
    s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace)
}

fn report_bad_cells(
    bad: &DataFrame,
    spec: &TableSpec,
    file: &str,
    typed: &[schema::ColumnSpec],
    enums: &[(&str, &[&str])],
    findings: &mut Vec<Finding>,
) -> Result<()> {
    let rows = bad.column(ROW)?.cast(&DataType::UInt64)?;
    let rows = rows.u64()?;
    let key_col = spec.key.first().copied();
    let text_of = |name: &str, i: usize| -> Option<String> {
        bad.column(name)
            .ok()?
            .str()
            .ok()?
            .get(i)
            .map(|s| s.to_string())
    };
    let flag = |name: &str, i: usize| -> bool {
        bad.column(name)
            .ok()
            .and_then(|c| c.bool().ok().and_then(|b| b.get(i)))
            .unwrap_or(false)
    };
    for i in 0..bad.height() {
        let row = rows.get(i).unwrap_or(0);
        let key = key_col.and_then(|k| text_of(k, i)).unwrap_or_default();
        for c in typed {
            if flag(&format!("__bad_{}", c.name), i) {
                let v = text_of(c.name, i).unwrap_or_default();
                let what = if c.kind == Kind::Decimal {
                    format!(
                        "a decimal number (at most {MAX_INT_DIGITS} digits before the point and {} after it, no thousands separators or units)",
                        schema::SCALE
                    )
                } else {
                    "a whole number".to_string()
                };
                findings.push(Finding::new(
                    Severity::Error,
                    spec.name,
                    key.clone(),
                    row,
                    "type",
                    format!("{file}: row {row}, column {}: '{v}' is not {what}. Fix the cell, or leave it empty if the report leaves it blank.", c.name),
                ));
            }
        }
        for (name, allowed) in enums {
            if flag(&format!("__bad_{name}"), i) {
                let v = text_of(name, i).unwrap_or_default();
                findings.push(Finding::new(
                    Severity::Error,
                    spec.name,
                    key.clone(),
                    row,
                    "allowed_values",
                    format!(
                        "{file}: row {row}, column {name}: '{v}' is not one of {}.",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        for c in spec.columns.iter().filter(|c| c.required) {
            if flag(&format!("__blank_{}", c.name), i) {
                findings.push(Finding::new(
                    Severity::Error,
                    spec.name,
                    key.clone(),
                    row,
                    "required_blank",
                    format!(
                        "{file}: row {row}, column {}: required value is blank.",
                        c.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder named for `what` holding copies of these tables of the synthetic
    /// dataset; returns it and the synthetic dataset's folder.
    fn scratch_with(what: &str, tables: &[&str]) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("jixiao-{what}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let synthetic = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/synthetic");
        for t in tables {
            std::fs::copy(synthetic.join(t), dir.join(t)).unwrap();
        }
        (dir, synthetic)
    }

    /// Evaluations from a Parquet file of many row groups come as one chunk per column, with
    /// the same values as from the CSV.
    #[test]
    fn evaluations_come_in_one_chunk() {
        let (dir, synthetic) = scratch_with("one-chunk", &["units.csv", "indicators.csv"]);
        let (from_csv, _, _) = load_evaluations(&synthetic, 1000).unwrap();
        let mut evals = from_csv.evaluations.drop(schema::ROW).unwrap();
        let file = std::fs::File::create(dir.join("evaluations.parquet")).unwrap();
        ParquetWriter::new(file)
            .with_row_group_size(Some(50))
            .finish(&mut evals)
            .unwrap();
        let (ds, findings, _) = load_evaluations(&dir, 1000).unwrap();
        assert!(findings.is_empty(), "{findings:?}");
        let file = std::fs::File::open(dir.join("evaluations.parquet")).unwrap();
        let groups = ParquetReader::new(file).num_rows().unwrap() / 50;
        assert!(groups > 5, "the file should have many row groups");
        for c in ds.evaluations.columns() {
            let chunks = c.as_materialized_series().n_chunks();
            assert_eq!(chunks, 1, "{}", c.name());
        }
        assert!(ds
            .evaluations
            .drop(schema::ROW)
            .unwrap()
            .equals_missing(&evals));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// `read_only`: the columns asked for and the required ones are read; other contract
    /// columns come back blank, unknown ones are left out; CSV and Parquet alike.
    #[test]
    fn read_only_reads_the_columns_asked_for() {
        let (dir, _) = scratch_with("read-only", &["units.csv", "evaluations.csv"]);
        let eval = "syn-d01-u001-2022-dept-self";
        std::fs::write(
            dir.join("indicators.csv"),
            format!(
                "eval_id,level1,level3,max_points,score,target_value,actual_value,reason,note\n\
                 {eval},决策,立项规范,10,8,≥95%,90%,未达标,x\n\
                 {eval},产出,数量,20,20,100%,100%,,y\n"
            ),
        )
        .unwrap();
        for round in ["csv", "parquet"] {
            if round == "parquet" {
                crate::dataset::write::csv_tables_to_parquet(&dir).unwrap();
            }
            let (_, _, mut batches) = load_evaluations(&dir, 10).unwrap();
            batches.read_only(&["reason", "level3"]);
            let batch = batches.next_batch(&mut Vec::new()).unwrap().unwrap();
            let text = |c: &str| -> Vec<Option<String>> {
                batch
                    .column(c)
                    .unwrap()
                    .str()
                    .unwrap()
                    .iter()
                    .map(|v| v.map(str::to_string))
                    .collect()
            };
            assert_eq!(
                text("reason"),
                [Some("未达标".to_string()), None],
                "{round}"
            );
            assert_eq!(
                text("level1"),
                [Some("决策".to_string()), Some("产出".to_string())]
            );
            assert_eq!(text("level3")[1].as_deref(), Some("数量"));
            assert_eq!(text("target_value"), [None, None], "{round}");
            assert!(batch.column("note").is_err(), "{round}");
            // score is optional and was not asked for; max_points is required.
            assert_eq!(batch.column("score").unwrap().null_count(), 2);
            assert_eq!(batch.column("max_points").unwrap().null_count(), 0);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The byte-level check agrees with `str::trim` on ASCII, CJK and Unicode spaces.
    #[test]
    fn trim_check_agrees_with_str_trim() {
        let cells = [
            "总分",
            " 总分",
            "总分 ",
            "\u{3000}总分",
            "总分\u{3000}",
            "\u{a0}x",
            "x\u{a0}",
            "a",
            " ",
            "\t9",
            "9\n",
            "\u{0b}v",
            "v\u{85}",
            "é",
            "9.5",
            "扣2分：未按时",
            "",
            "\u{2003}预算执行率",
            "预算执行率\u{2003}",
            "预算执行率\u{205f}",
            "\u{1680}x",
            "x\u{2029}",
            "第三方评价机构（北京）有限公司",
            " 第三方评价机构（北京）有限公司",
            "第三方评价机构（北京）有限公司\u{3000}",
            "abcdefghijkl",
            "abcdefghijk ",
            "abcdefghijklm ",
        ];
        for c in cells {
            let ca = StringChunked::new("c".into(), [Some(c)]);
            assert_eq!(needs_trim(&ca), c.is_empty() || c.trim() != c, "{c:?}");
        }
        // Nulls are not blanks; a blank among nulls is found.
        let ca = StringChunked::new("c".into(), [None, Some("x")]);
        assert!(!needs_trim(&ca));
        let ca = StringChunked::new("c".into(), [None, Some("")]);
        assert!(needs_trim(&ca));
        // A repeated clean value does not hide a later unclean one.
        let long = "第三方评价机构（北京）有限公司";
        let spaced = format!("{long} ");
        let ca = StringChunked::new("c".into(), [long, long, "x", long, &spaced, long]);
        assert!(needs_trim(&ca));
        let ca = StringChunked::new("c".into(), [long, long, "x", long, "y"]);
        assert!(!needs_trim(&ca));
    }
}
