//! Reading score sheets from Excel into the contract, as finance bureaus keep them: a title
//! above the table (often the only place the fiscal year is written), headers over one or two
//! rows (merged group cells such as 项目资金(万元) over 年初预算数/全年预算数/全年执行数, or 自评情况
//! over 得分/等级), merged cells down the rows of one evaluation, totals rows, blank rows,
//! subheading rows and a notes block below; a sheet a year. Every sheet that holds a table is
//! read. Headers map to contract fields through the synonym table; a word in a header (自评,
//! 复核, 第三方 …, `evaluator_words.csv`) says whose score, grade or evaluator a column holds, and
//! a row with several scores becomes one evaluation per score. Unmapped columns are reported
//! and kept as extra columns.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;
use std::sync::OnceLock;

use calamine::{open_workbook_auto, Data, Reader};
use regex::Regex;
use rust_decimal::Decimal;

use super::evaluator::{EvaluatorWords, Who};
use super::headers::{normalise, Synonyms};
use crate::dataset::decimal::fmt;
use crate::error::{JxError, Result};
use crate::extract::table::Indicator;
use crate::extract::{stable_id, EvalRec, Extracted, ManifestRow, UnitRec};

/// What the import did with one sheet, for the user.
#[derive(Debug, Default, Clone)]
pub struct SheetReport {
    pub sheet: String,
    /// 1-based Excel rows of the header
    pub header_rows: Vec<usize>,
    /// (column letter, header text, what it is read as: the contract field, and for a score,
    /// grade or evaluator column of one evaluator, whose)
    pub mapped: Vec<(String, String, String)>,
    /// (column letter, header text, why): kept as extra columns
    pub unmapped: Vec<(String, String, String)>,
    /// (column letter, header text): not facts (序号), not read
    pub skipped_columns: Vec<(String, String)>,
    /// where the fiscal year came from
    pub year: String,
    /// rows read as data, and the evaluations and indicator rows they gave
    pub data_rows: usize,
    pub evaluations: usize,
    pub indicators: usize,
    /// 1-based rows skipped as totals (合计/总计/小计/平均)
    pub totals_rows: Vec<usize>,
    /// (row, text): rows naming a unit or a heading but no score, grade or amount
    pub subheading_rows: Vec<(usize, String)>,
    pub blank_rows: usize,
    /// rows without a unit, read as the unit above
    pub continued_rows: usize,
    /// the notes block below the table, as read
    pub notes: Vec<String>,
    /// other remarks (fractions read as percent, amounts converted from 元, defaults taken)
    pub remarks: Vec<String>,
}

/// What the import did with a workbook.
#[derive(Debug, Default, Clone)]
pub struct ImportReport {
    /// the sheets read, in workbook order
    pub sheets: Vec<SheetReport>,
    /// (sheet, why): sheets without a table, not read
    pub skipped: Vec<(String, String)>,
}

pub struct ImportOptions<'a> {
    pub synonyms: &'a Synonyms,
    pub words: &'a EvaluatorWords,
    /// Read only this sheet (default: every sheet that holds a table).
    pub sheet: Option<&'a str>,
    /// The fiscal year of every row (over what the title or the sheet name says).
    pub year: Option<i32>,
}

fn col_letter(mut j: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (j % 26) as u8) as char);
        if j < 26 {
            break;
        }
        j = j / 26 - 1;
    }
    s
}

/// Cell text as a person reads it; numbers in their shortest exact form.
fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => fmt_f64(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Excel keeps numbers as doubles; the shortest representation is the number as typed.
fn fmt_f64(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Cells that say "nothing here" in bureau sheets; they stay blank.
const BLANK_WORDS: &[&str] = &["-", "—", "——", "–", "－", "/", "／", "无", "\\"];

/// A number cell: blank (None), a number (85.5, "85.5", "1,234.5", "85分", "97.8%"), or an
/// error saying what the cell holds.
fn number(d: &Data) -> std::result::Result<Option<Decimal>, String> {
    let raw = text(d);
    let t = raw.replace([',', '，', ' '], "");
    if t.is_empty() || BLANK_WORDS.contains(&t.as_str()) {
        return Ok(None);
    }
    let t = t
        .trim_end_matches('%')
        .trim_end_matches('％')
        .trim_end_matches('分');
    Decimal::from_str(t)
        .ok()
        .or_else(|| Decimal::from_scientific(t).ok())
        .map(Some)
        .ok_or_else(|| format!("'{raw}' is not a number"))
}

fn is_blank_row(r: &[Data]) -> bool {
    r.iter().all(|c| text(c).is_empty())
}

const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "平均"];
const NOTE_PREFIXES: &[&str] = &["注", "说明", "备注", "资料来源", "数据来源", "填表", "制表"];

/// Fields one evaluator's columns can hold: a row with several scores has one of each per
/// evaluator (自评得分, 自评等级 | 复核得分, 复核等级, 复核机构).
const PER_EVALUATOR: &[&str] = &[
    "total_score",
    "score",
    "grade",
    "evaluator",
    "max_score",
    "reason",
];
/// Fields of indicator rows: without a 一级指标 column a sheet has none, and a column of these
/// is kept as an extra column rather than dropped.
const INDICATOR_ONLY: &[&str] = &[
    "level2",
    "level3",
    "level4",
    "target_value",
    "actual_value",
    "reason",
    "indicator_source",
];
/// Fields that say which evaluation a row belongs to: a row without a unit takes them from
/// the rows above when its own cell is blank.
const KEY_FIELDS: &[&str] = &[
    "unit_id",
    "unit_name",
    "fiscal_year",
    "evaluator_type",
    "project_name",
    "evaluator",
    "eval_id",
    "scope",
];

fn regex(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("valid regex"))
}

/// The fiscal year a title states: `2023年度` first; else a lone `2023年` that is not a date
/// (`2024年3月`). Two different years is an error message (the caller says where).
pub fn year_in_title(t: &str) -> std::result::Result<Option<i32>, String> {
    static NIANDU: OnceLock<Regex> = OnceLock::new();
    static NIAN: OnceLock<Regex> = OnceLock::new();
    let distinct = |it: &mut dyn Iterator<Item = i32>| {
        let mut v: Vec<i32> = Vec::new();
        for y in it {
            if !v.contains(&y) {
                v.push(y);
            }
        }
        v
    };
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let nd = distinct(
        &mut regex(&NIANDU, r"((?:19|20)\d{2})年度")
            .captures_iter(&t)
            .filter_map(|c| c[1].parse().ok()),
    );
    let ys = if nd.is_empty() {
        distinct(
            &mut regex(&NIAN, r"((?:19|20)\d{2})年(\d{1,2}月)?")
                .captures_iter(&t)
                .filter(|c| c.get(2).is_none())
                .filter_map(|c| c[1].parse().ok()),
        )
    } else {
        nd
    };
    match ys.as_slice() {
        [] => Ok(None),
        [y] => Ok(Some(*y)),
        more => Err(format!(
            "it names {} years ({})",
            more.len(),
            more.iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The year a sheet's name states (`2021年`, `2021`, `2021年度自评`); none when it names two.
pub fn year_in_sheet_name(name: &str) -> Option<i32> {
    static Y: OnceLock<Regex> = OnceLock::new();
    // Runs of digits, so 2021-2022 is two years and 20231 none.
    let ys: HashSet<i32> = regex(&Y, r"\d+")
        .find_iter(name)
        .filter(|m| m.as_str().len() == 4)
        .filter_map(|m| m.as_str().parse().ok())
        .filter(|y| (1900..=2100).contains(y))
        .collect();
    (ys.len() == 1).then(|| *ys.iter().next().unwrap())
}

/// A 年度 cell: 2023, "2023", "2023年", "2023年度".
fn year_cell(d: &Data) -> std::result::Result<Option<i32>, String> {
    static Y: OnceLock<Regex> = OnceLock::new();
    let t = text(d);
    if t.is_empty() || BLANK_WORDS.contains(&t.as_str()) {
        return Ok(None);
    }
    regex(&Y, r"^((?:19|20)\d{2})(?:\.0+)?\s*(?:年度?)?$")
        .captures(&t)
        .and_then(|c| c[1].parse().ok())
        .map(Some)
        .ok_or_else(|| format!("'{t}' is not a year"))
}

/// The money unit a line above the table states (`单位：元`, `金额单位:万元`).
fn money_unit_in(t: &str) -> Option<&'static str> {
    static U: OnceLock<Regex> = OnceLock::new();
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    regex(&U, r"单位[:：](万元|元)")
        .captures(&t)
        .map(|c| if &c[1] == "元" { "元" } else { "万元" })
}

/// One column of the table as read from its header.
#[derive(Debug, Clone)]
struct Col {
    letter: String,
    /// the header as mapped: the lower name, with the unit of its group (年初预算数(万元))
    text: String,
    /// the header as shown and as an extra column's name (自评情况/得分 for a group)
    display: String,
    field: Option<String>,
    /// the evaluator word in the header (or in its group header) and what it says
    word: Option<(String, Who)>,
    /// the field the header has without its evaluator word (复核得分 -> score)
    base: Option<String>,
    yuan: bool,
}

/// One evaluator's columns in a row: the unqualified ones (word None) or those of one word.
#[derive(Debug, Clone)]
struct Role {
    word: Option<String>,
    who: Option<Who>,
    cols: HashMap<String, usize>,
    extras: Vec<usize>,
}

impl Role {
    fn col(&self, f: &str) -> Option<usize> {
        self.cols.get(f).copied()
    }
    fn name(&self) -> String {
        match &self.word {
            Some(w) => w.clone(),
            None => "unqualified".into(),
        }
    }
}

/// Why a sheet gives no rows: it holds no table (skipped when reading every sheet), or its
/// table is wrong (always an error).
enum SheetErr {
    NoTable(String),
    Fail(JxError),
}

impl From<JxError> for SheetErr {
    fn from(e: JxError) -> Self {
        SheetErr::Fail(e)
    }
}

/// What the import builds across the sheets of a workbook.
#[derive(Default)]
struct State {
    ex: Extracted,
    /// eval_id -> position in ex.evaluations
    index: HashMap<String, usize>,
    /// eval_id -> where it was first read (sheet and row), for the duplicate error
    first_seen: HashMap<String, String>,
    units: HashSet<String>,
}

/// Read a workbook into the contract tables: every sheet that holds a table, or `o.sheet`.
pub fn import(path: &Path, o: &ImportOptions) -> Result<(Extracted, ImportReport)> {
    let file = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut wb = open_workbook_auto(path).map_err(|e| {
        JxError::input(format!(
            "{}: cannot open as a workbook (xlsx, xls, ods): {e}",
            path.display()
        ))
    })?;
    let names = wb.sheet_names();
    let targets: Vec<String> = match o.sheet {
        Some(s) => vec![names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                JxError::input(format!(
                    "{}: no sheet named '{s}' (sheets: {}).",
                    path.display(),
                    names.join(", ")
                ))
            })?],
        None => names.clone(),
    };
    if targets.is_empty() {
        return Err(JxError::input(format!(
            "{}: the workbook has no sheets.",
            path.display()
        )));
    }
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut st = State::default();
    let mut rep = ImportReport::default();
    for sheet in &targets {
        let range = wb
            .worksheet_range(sheet)
            .map_err(|e| JxError::input(format!("{}: sheet '{sheet}': {e}", path.display())))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let merges = match &mut wb {
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            _ => Vec::new(),
        };
        fill_merges(&mut rows, &merges, row0, col0);
        let before = (st.ex.evaluations.len(), indicator_count(&st.ex));
        match read_sheet(&file, path, sheet, &rows, row0, col0, o, &mut st) {
            Ok(mut sr) => {
                sr.evaluations = st.ex.evaluations.len() - before.0;
                sr.indicators = indicator_count(&st.ex) - before.1;
                st.ex.manifest.push(ManifestRow {
                    file: path.display().to_string(),
                    encoding: "xlsx".into(),
                    bytes,
                    status: if sr.evaluations == 0 {
                        "nothing found"
                    } else {
                        "extracted"
                    },
                    evaluations: sr.evaluations,
                    indicators: sr.indicators,
                    note: format!("sheet {sheet}"),
                    reader: "xlsx",
                    pages: None,
                    tables: 1,
                });
                rep.sheets.push(sr);
            }
            Err(SheetErr::NoTable(why)) if o.sheet.is_none() => {
                rep.skipped.push((sheet.clone(), why))
            }
            Err(SheetErr::NoTable(why)) => {
                return Err(JxError::input(format!(
                    "{}: sheet '{sheet}': {why}.{HINT}",
                    path.display()
                )))
            }
            Err(SheetErr::Fail(e)) => return Err(e),
        }
    }
    if rep.sheets.is_empty() {
        return Err(JxError::input(format!(
            "{}: no sheet holds a table of units and scores:\n{}\n{HINT}",
            path.display(),
            rep.skipped
                .iter()
                .map(|(s, why)| format!("  sheet '{s}': {why}"))
                .collect::<Vec<_>>()
                .join("\n")
        )));
    }
    st.ex.units.sort_by(|a, b| a.unit_id.cmp(&b.unit_id));
    Ok((st.ex, rep))
}

const HINT: &str =
    " Check the sheet, or extend the header synonyms (datasets/header_synonyms.csv, --synonyms).";

fn indicator_count(ex: &Extracted) -> usize {
    ex.evaluations.iter().map(|e| e.indicators.len()).sum()
}

/// Merged cells hold their value in the top-left cell only: give it to every cell they cover.
fn fill_merges(rows: &mut [Vec<Data>], merges: &[calamine::Dimensions], row0: u32, col0: u32) {
    for m in merges {
        let (r0, c0) = (
            (m.start.0.saturating_sub(row0)) as usize,
            (m.start.1.saturating_sub(col0)) as usize,
        );
        let (r1, c1) = (
            (m.end.0.saturating_sub(row0)) as usize,
            (m.end.1.saturating_sub(col0)) as usize,
        );
        let Some(v) = rows.get(r0).and_then(|r| r.get(c0)).cloned() else {
            continue;
        };
        for rr in rows.iter_mut().take(r1 + 1).skip(r0) {
            for cc in c0..=c1.min(rr.len().saturating_sub(1)) {
                if (cc, &rr[cc]) != (c0, &v) && rr[cc] == Data::Empty {
                    rr[cc] = v.clone();
                }
            }
        }
    }
}

/// The contract field a header names and the evaluator word in it: the whole header first
/// (复核机构 is listed), then the header without its word (复核得分 -> 得分).
fn map_header(
    o: &ImportOptions,
    h: &str,
) -> (Option<String>, Option<(String, Who)>, Option<String>) {
    let n = normalise(h);
    if n.is_empty() {
        return (None, None, None);
    }
    let word = o.words.who_in(&n).map(|(w, who)| (w.to_string(), who));
    let base = word
        .as_ref()
        .and_then(|(w, _)| o.synonyms.field(&n.replacen(w.as_str(), "", 1)))
        .map(|f| f.to_string());
    let field = o
        .synonyms
        .field(&n)
        .map(|f| f.to_string())
        .or_else(|| base.clone());
    (field, word, base)
}

#[allow(clippy::too_many_arguments)]
fn read_sheet(
    file: &str,
    path: &Path,
    sheet: &str,
    rows: &[Vec<Data>],
    row0: u32,
    col0: u32,
    o: &ImportOptions,
    st: &mut State,
) -> std::result::Result<SheetReport, SheetErr> {
    let excel_row = |i: usize| i + row0 as usize + 1;
    let letter = |j: usize| col_letter(j + col0 as usize);
    let at = |i: usize| format!("{}: sheet '{sheet}', row {}", path.display(), excel_row(i));
    let mut rep = SheetReport {
        sheet: sheet.to_string(),
        ..Default::default()
    };
    if rows.iter().all(|r| is_blank_row(r)) {
        return Err(SheetErr::NoTable("the sheet is empty".into()));
    }

    // Header: the first row naming two different things of the contract (fields, or the
    // evaluators of group headers such as 自评情况 | 复核情况). A title merged across the row
    // repeats one text, and a legend sheet's rows name one field twice (unit_id, 单位编号):
    // neither is a header.
    let header_keys = |r: &[Data]| {
        let mut keys: HashSet<(Option<String>, Option<String>)> = HashSet::new();
        for c in r {
            let (f, w, _) = map_header(o, &text(c));
            if f.as_deref() == Some("skip") || (f.is_none() && w.is_none()) {
                continue;
            }
            keys.insert((f, w.map(|x| x.0)));
        }
        keys.len()
    };
    let mapped_count = |r: &[Data]| {
        r.iter()
            .filter(|c| o.synonyms.field(&text(c)).is_some())
            .count()
    };
    let Some(h) = rows.iter().position(|r| header_keys(r) >= 2) else {
        return Err(SheetErr::NoTable(
            "no header row (no row names two of 单位名称, 年度, 项目名称, 总分, 自评得分, 一级指标, 分值, 得分 …)".into(),
        ));
    };
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let upper: Vec<String> = (0..width)
        .map(|j| rows[h].get(j).map(text).unwrap_or_default())
        .collect();
    let mut texts = upper.clone();
    let mut groups: Vec<Option<String>> = vec![None; width];
    // the names as written under a group (without the unit added from it), for display
    let mut names = upper.clone();
    rep.header_rows.push(excel_row(h));
    let mut data_start = h + 1;
    if let Some(next) = rows.get(h + 1) {
        let numbers = next
            .iter()
            .filter(|c| matches!(c, Data::Float(_) | Data::Int(_)))
            .count();
        if mapped_count(next) >= 1 && numbers == 0 {
            // A two-row header. A group cell (项目资金(万元), 自评情况) stands over names of its
            // own, merged across them or written in its first cell only; its unit and its
            // evaluator word carry to the names below it. A name merged over both rows is
            // the same text twice and has no group.
            let lower: Vec<String> = (0..width)
                .map(|j| next.get(j).map(text).unwrap_or_default())
                .collect();
            let mut group: Option<String> = None;
            for j in 0..width {
                if !upper[j].is_empty() {
                    group =
                        (!lower[j].is_empty() && lower[j] != upper[j]).then(|| upper[j].clone());
                }
                if !lower[j].is_empty() {
                    let unit = match &group {
                        Some(g) if g.contains("万元") && !lower[j].contains('元') => "(万元)",
                        Some(g) if g.contains('元') && !lower[j].contains('元') => "(元)",
                        _ => "",
                    };
                    texts[j] = format!("{}{unit}", lower[j]);
                    names[j] = lower[j].clone();
                    groups[j] = group.clone();
                }
            }
            rep.header_rows.push(excel_row(h + 1));
            data_start = h + 2;
        }
    }

    // The lines above the header: the title, 填报单位, 单位：元 …
    let title_lines: Vec<(usize, String)> = rows[..h]
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let mut seen: Vec<String> = Vec::new();
            for c in r {
                let t = text(c);
                if !t.is_empty() && !seen.contains(&t) {
                    seen.push(t);
                }
            }
            (!seen.is_empty()).then(|| (i, seen.join(" ")))
        })
        .collect();
    let sheet_unit = title_lines
        .iter()
        .find_map(|(i, t)| money_unit_in(t).map(|u| (u, *i, t.clone())));

    // Columns.
    let mut cols: Vec<Col> = (0..width)
        .map(|j| {
            let t = &texts[j];
            let (field, mut word, base) = map_header(o, t);
            if word.is_none() {
                if let Some(g) = &groups[j] {
                    word = o.words.who_in(g).map(|(w, who)| (w.to_string(), who));
                }
            }
            // The evaluator word matters only to the fields one evaluator's columns hold, and
            // to columns outside the contract (复核意见 goes with the re-check); 自评单位 is the
            // unit's name.
            if field
                .as_deref()
                .is_some_and(|f| !PER_EVALUATOR.contains(&f))
            {
                word = None;
            }
            let display = match &groups[j] {
                Some(g) => format!("{g}/{}", names[j]),
                None => t.clone(),
            };
            let stated_yuan = t.contains('元') && !t.contains("万元");
            let unit_free = !t.contains('元');
            Col {
                letter: letter(j),
                text: t.clone(),
                display,
                field,
                word,
                base,
                yuan: stated_yuan || (unit_free && matches!(sheet_unit, Some(("元", _, _)))),
            }
        })
        .collect();
    let has_level1 = cols.iter().any(|c| c.field.as_deref() == Some("level1"));
    let is_field = |c: &Col, f: &str| c.field.as_deref() == Some(f);
    let mut unmapped_why: HashMap<usize, String> = HashMap::new();
    if has_level1 {
        // An indicator table: 自评得分 beside the indicators is that evaluator's indicator
        // score when it has no other (分值 | 自评得分 | 复核得分 per indicator row).
        for j in 0..width {
            let w = cols[j].word.clone();
            let no_score = !cols.iter().any(|c| {
                is_field(c, "score") && c.word.as_ref().map(|x| &x.0) == w.as_ref().map(|x| &x.0)
            });
            if w.is_some()
                && is_field(&cols[j], "total_score")
                && no_score
                && cols[j].base.as_deref() == Some("score")
            {
                cols[j].field = Some("score".into());
            }
        }
    } else {
        // A summary sheet (no indicator rows): 得分 is the evaluator's total unless it has a
        // 总分 too; 分值 is the full mark; the indicator fields are kept as extra columns.
        for j in 0..width {
            let w = cols[j].word.as_ref().map(|x| x.0.clone());
            let has_total = cols
                .iter()
                .any(|c| is_field(c, "total_score") && c.word.as_ref().map(|x| x.0.clone()) == w);
            let f = cols[j].field.clone();
            match f.as_deref() {
                Some("score") if !has_total => cols[j].field = Some("total_score".into()),
                Some("score") => {
                    cols[j].field = None;
                    unmapped_why.insert(j, "a second score beside 总分".into());
                }
                Some("max_points") => cols[j].field = Some("max_score".into()),
                Some(x) if INDICATOR_ONLY.contains(&x) => {
                    cols[j].field = None;
                    unmapped_why.insert(
                        j,
                        format!("an indicator field ({x}) in a sheet without 一级指标"),
                    );
                }
                _ => {}
            }
        }
    }
    // A field named twice for the same evaluator keeps its first column; later ones are extra.
    for j in 0..width {
        if let Some(f) = cols[j].field.clone().filter(|f| f != "skip") {
            let w = cols[j].word.as_ref().map(|x| x.0.clone());
            if cols[..j].iter().any(|c| {
                c.field.as_deref() == Some(f.as_str()) && c.word.as_ref().map(|x| x.0.clone()) == w
            }) {
                cols[j].field = None;
                unmapped_why.insert(j, format!("{f} is read from an earlier column"));
            }
        }
    }

    // Evaluators: one per word among the score columns, and the unqualified score columns.
    let mut roles: Vec<Role> = Vec::new();
    for c in &cols {
        if is_field(c, "total_score") || is_field(c, "score") {
            let w = c.word.as_ref().map(|x| x.0.clone());
            if !roles.iter().any(|r| r.word == w) {
                roles.push(Role {
                    word: w,
                    who: c.word.as_ref().map(|x| x.1),
                    cols: HashMap::new(),
                    extras: Vec::new(),
                });
            }
        }
    }
    if roles.is_empty() {
        roles.push(Role {
            word: None,
            who: None,
            cols: HashMap::new(),
            extras: Vec::new(),
        });
    }
    let unqualified = roles.iter().position(|r| r.word.is_none());
    let non_self: Vec<usize> = (0..roles.len())
        .filter(|&k| roles[k].who != Some(Who::Is("self")))
        .collect();
    let mut shared: HashMap<String, usize> = HashMap::new();
    let mut shared_extras: Vec<usize> = Vec::new();
    for j in 0..width {
        let c = &cols[j];
        let Some(f) = c.field.clone() else {
            if !c.text.is_empty() {
                match c
                    .word
                    .as_ref()
                    .and_then(|w| roles.iter().position(|r| r.word.as_ref() == Some(&w.0)))
                {
                    Some(k) => roles[k].extras.push(j),
                    None => shared_extras.push(j),
                }
            }
            continue;
        };
        if f == "skip" {
            continue;
        }
        if !PER_EVALUATOR.contains(&f.as_str()) {
            shared.insert(f, j);
            continue;
        }
        let target: Vec<usize> = match &c.word {
            Some((w, _)) => match roles.iter().position(|r| r.word.as_ref() == Some(w)) {
                Some(k) => vec![k],
                None => {
                    unmapped_why.insert(j, format!("no {w} score column to go with it"));
                    vec![]
                }
            },
            None => match unqualified {
                Some(k) => vec![k],
                None if roles.len() == 1 => vec![0],
                // 满分 is the scale of every score in the row.
                None if f == "max_score" => (0..roles.len()).collect(),
                // The unit is its own evaluator in a self-evaluation, so a named 评价机构 beside
                // 自评得分 and 复核得分 is the re-check's.
                None if f == "evaluator" && non_self.len() == 1 => vec![non_self[0]],
                None => {
                    unmapped_why.insert(
                        j,
                        format!(
                            "it could be any of the evaluators ({}); name it (e.g. 复核{})",
                            roles
                                .iter()
                                .map(|r| r.name())
                                .collect::<Vec<_>>()
                                .join(", "),
                            c.text
                        ),
                    );
                    vec![]
                }
            },
        };
        if target.is_empty() {
            cols[j].field = None;
            shared_extras.push(j);
        }
        for k in target {
            roles[k].cols.insert(f.clone(), j);
        }
    }
    // One 评价编号 column names one evaluation a row.
    if roles.len() > 1 {
        if let Some(j) = shared.remove("eval_id") {
            cols[j].field = None;
            shared_extras.push(j);
            unmapped_why.insert(
                j,
                "one id a row, but the row holds several evaluations".into(),
            );
        }
    }
    for (j, c) in cols.iter().enumerate() {
        match &c.field {
            Some(f) if f == "skip" => rep
                .skipped_columns
                .push((c.letter.clone(), c.display.clone())),
            Some(f) => {
                let whose = match &c.word {
                    Some((w, _)) if PER_EVALUATOR.contains(&f.as_str()) => format!(" ({w})"),
                    _ => String::new(),
                };
                rep.mapped
                    .push((c.letter.clone(), c.display.clone(), format!("{f}{whose}")))
            }
            None if !c.text.is_empty() => rep.unmapped.push((
                c.letter.clone(),
                c.display.clone(),
                match (unmapped_why.get(&j), &c.word) {
                    (Some(why), _) => why.clone(),
                    // 复核意见: kept with the re-check's evaluation only
                    (None, Some((w, _))) if roles.iter().any(|r| r.word.as_ref() == Some(w)) => {
                        format!("not in the contract; with the {w} evaluation")
                    }
                    (None, _) => "not in the contract".into(),
                },
            )),
            None => {}
        }
    }
    if !shared.contains_key("unit_name") && !shared.contains_key("unit_id") {
        return Err(SheetErr::NoTable(format!(
            "no column names the unit (单位名称); mapped: {}",
            rep.mapped
                .iter()
                .map(|m| format!("{}={}", m.1, m.2))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let scol = |f: &str| shared.get(f).copied();

    // The fiscal year: --year, else the 年度 column row by row, else the title, else the
    // sheet name.
    let title_year = {
        let mut found: Option<(i32, usize)> = None;
        let mut trouble: Option<String> = None;
        for (i, t) in &title_lines {
            match year_in_title(t) {
                Ok(Some(y)) => match found {
                    Some((y0, _)) if y0 != y => {
                        trouble = Some(format!("the title rows name {y0} and {y}"))
                    }
                    Some(_) => {}
                    None => found = Some((y, *i)),
                },
                Ok(None) => {}
                Err(e) => trouble = Some(format!("title row {} ({t}): {e}", excel_row(*i))),
            }
        }
        match trouble {
            Some(t) => Err(t),
            None => Ok(found),
        }
    };
    let name_year = year_in_sheet_name(sheet);
    let sheet_year: Option<i32> = match (o.year, &title_year) {
        (Some(y), _) => {
            rep.year = format!("{y} (--year)");
            Some(y)
        }
        (None, Ok(Some((y, i)))) => {
            rep.year = format!("{y} (title row {})", excel_row(*i));
            if name_year.is_some_and(|n| n != *y) {
                rep.remarks.push(format!(
                    "the title says {y} and the sheet name '{sheet}' says {}; the title's year is used (give --year to choose)",
                    name_year.unwrap()
                ));
            }
            Some(*y)
        }
        (None, Err(e)) if name_year.is_some() => {
            let y = name_year.unwrap();
            rep.year = format!("{y} (sheet name)");
            rep.remarks.push(format!(
                "{e}; the sheet name's {y} is used (give --year to choose)"
            ));
            Some(y)
        }
        (None, _) => name_year.inspect(|y| rep.year = format!("{y} (sheet name)")),
    };
    let year_col = scol("fiscal_year");
    if let Some(j) = year_col {
        rep.year = match sheet_year {
            Some(_) if o.year.is_some() => rep.year.clone(),
            Some(_) => format!(
                "column {} ({}), else {}",
                cols[j].letter, cols[j].display, rep.year
            ),
            None => format!("column {} ({})", cols[j].letter, cols[j].display),
        };
    } else if sheet_year.is_none() {
        let why = match &title_year {
            Err(e) => format!(" ({e})"),
            Ok(_) => String::new(),
        };
        return Err(SheetErr::Fail(JxError::input(format!(
            "{}: sheet '{sheet}': no fiscal year (年度): no 年度 column, no year in the title rows{why} (e.g. 2023年度) and none in the sheet name (e.g. 2023年). Give it with --year 2023 (with --sheet '{sheet}' if the other sheets differ).",
            path.display()
        ))));
    }

    // Who scored the unqualified scores when no 评价类型 cell says: the title's word if it has
    // one reading, else self (the remark says so).
    let title_who: Option<Who> = {
        let all: Vec<Who> = title_lines
            .iter()
            .flat_map(|(_, t)| o.words.whos_in(t))
            .fold(Vec::new(), |mut v, w| {
                if !v.contains(&w) {
                    v.push(w);
                }
                v
            });
        (all.len() == 1).then(|| all[0])
    };
    let mut defaulted_self = false;
    let mut unnamed_rechecks: Vec<String> = Vec::new();
    if let Some((u, i, t)) = &sheet_unit {
        if cols.iter().any(|c| {
            c.yuan
                && !c.text.contains('元')
                && matches!(
                    c.field.as_deref(),
                    Some("budget_initial" | "budget_full_year" | "executed")
                )
        }) {
            rep.remarks.push(format!(
                "amounts read in {u} as row {} states ({t}) and converted to 万元",
                excel_row(*i)
            ));
        }
    }

    // Data rows.
    let key_cols: HashSet<usize> = (0..width)
        .filter(|&j| {
            cols[j]
                .field
                .as_deref()
                .is_some_and(|f| KEY_FIELDS.contains(&f))
        })
        .collect();
    let unit_cols: Vec<usize> = ["unit_name", "unit_id"]
        .iter()
        .filter_map(|f| scol(f))
        .collect();
    let read_cols: Vec<usize> = (0..width)
        .filter(|&j| cols[j].field.as_deref().is_some_and(|f| f != "skip"))
        .collect();
    // What makes a row of a summary sheet an evaluation rather than a subheading.
    let fact_cols: Vec<usize> = (0..width)
        .filter(|&j| {
            cols[j].field.as_deref().is_some_and(|f| {
                !matches!(
                    f,
                    "skip"
                        | "unit_name"
                        | "unit_id"
                        | "short_name"
                        | "province"
                        | "city"
                        | "district"
                        | "unit_type"
                        | "scope"
                        | "evaluator_type"
                )
            })
        })
        .collect();
    let mut carried: Vec<String> = vec![String::new(); width];
    let mut missing_year: Vec<usize> = Vec::new();
    let mut unscored: std::collections::BTreeMap<String, usize> = Default::default();
    let mut i = data_start;
    while i < rows.len() {
        let r = &rows[i];
        let cell = |j: usize| r.get(j).cloned().unwrap_or(Data::Empty);
        if is_blank_row(r) {
            rep.blank_rows += 1;
            i += 1;
            continue;
        }
        let first = r
            .iter()
            .map(text)
            .find(|t| !t.is_empty())
            .unwrap_or_default();
        let non_empty = r.iter().filter(|c| !text(c).is_empty()).count();
        if non_empty <= 2 && NOTE_PREFIXES.iter().any(|p| first.starts_with(p)) {
            // The notes block ends the table.
            for rr in &rows[i..] {
                let t: Vec<String> = rr.iter().map(text).filter(|t| !t.is_empty()).collect();
                if !t.is_empty() {
                    rep.notes.push(t.join(" "));
                }
            }
            break;
        }
        if TOTAL_WORDS
            .iter()
            .any(|w| first.replace(' ', "").starts_with(w))
        {
            rep.totals_rows.push(excel_row(i));
            i += 1;
            continue;
        }
        let stated = |js: &[usize]| js.iter().any(|&j| !text(&cell(j)).is_empty());
        if !stated(&read_cols) || (!has_level1 && !stated(&fact_cols)) {
            // 一、项目支出 and the like: a heading, or a unit with nothing scored.
            rep.subheading_rows.push((excel_row(i), first));
            i += 1;
            continue;
        }
        let continues = unit_cols.iter().all(|&j| text(&cell(j)).is_empty());
        if continues {
            if unit_cols.iter().all(|&j| carried[j].is_empty()) {
                return Err(SheetErr::Fail(JxError::input(format!(
                    "{}, column {}: no unit ({}) in this row and none above it to continue.",
                    at(i),
                    cols[unit_cols[0]].letter,
                    cols[unit_cols[0]].display
                ))));
            }
            rep.continued_rows += 1;
        }
        // A key cell left blank in a row without a unit is the one above it.
        let mut key = |j: usize| -> String {
            let t = text(&cell(j));
            if !key_cols.contains(&j) {
                return t;
            }
            if continues && t.is_empty() {
                return carried[j].clone();
            }
            carried[j] = t.clone();
            t
        };
        let mut get = |f: &str| scol(f).map(&mut key).unwrap_or_default();
        let unit_name = get("unit_name");
        let unit_id_cell = get("unit_id");
        let year_text = get("fiscal_year");
        let type_text = get("evaluator_type");
        let project = get("project_name");
        let eval_id_cell = get("eval_id");
        let scope_raw = get("scope");
        let role_evaluators: Vec<String> = roles
            .iter()
            .map(|ro| ro.col("evaluator").map(&mut key).unwrap_or_default())
            .collect();
        let fail = |j: usize, msg: String| {
            SheetErr::Fail(JxError::input(format!(
                "{}, column {} ({}): {msg}",
                at(i),
                cols[j].letter,
                cols[j].display
            )))
        };
        let num = |j: Option<usize>| -> std::result::Result<Option<Decimal>, SheetErr> {
            match j {
                Some(j) => number(&cell(j)).map_err(|m| fail(j, m)),
                None => Ok(None),
            }
        };
        let year = match year_col {
            Some(j) => {
                let y = year_cell(&Data::String(year_text.clone())).map_err(|m| fail(j, m))?;
                match (y, o.year) {
                    (Some(y), Some(given)) if y != given => {
                        return Err(fail(
                            j,
                            format!("the row says {y} but --year gives {given}; drop --year or fix the cell"),
                        ))
                    }
                    (Some(y), _) => Some(y),
                    (None, _) => sheet_year,
                }
            }
            None => sheet_year,
        };
        if year.is_none() {
            missing_year.push(excel_row(i));
        }
        let unit_id = if unit_id_cell.is_empty() {
            stable_id("u", &unit_name)
        } else {
            unit_id_cell
        };
        let scope = scope_of(&scope_raw, &project);
        let money = |f: &str| -> std::result::Result<Option<Decimal>, SheetErr> {
            let Some(j) = scol(f) else { return Ok(None) };
            Ok(num(Some(j))?.map(|d| {
                if cols[j].yuan {
                    d / Decimal::from(10000)
                } else {
                    d
                }
            }))
        };
        let (budget_initial, budget_full_year, executed) = (
            money("budget_initial")?,
            money("budget_full_year")?,
            money("executed")?,
        );
        let rate = {
            let c = scol("execution_rate_stated")
                .map(cell)
                .unwrap_or(Data::Empty);
            let v = num(scol("execution_rate_stated"))?;
            match (&c, v) {
                (Data::Float(_), Some(x))
                    if x > Decimal::ZERO && x <= Decimal::from_str("1.5").unwrap() =>
                {
                    rep.remarks.push(format!(
                        "row {}: 执行率 {} read as a fraction: {}%",
                        excel_row(i),
                        fmt(x),
                        fmt(x * Decimal::from(100))
                    ));
                    Some(x * Decimal::from(100))
                }
                _ => v,
            }
        };
        // Who scored the unqualified scores: the 评价类型 cell, else the title, else self.
        let row_who: Who = match scol("evaluator_type") {
            Some(j) if !type_text.is_empty() => o.words.type_cell(&type_text).ok_or_else(|| {
                fail(
                    j,
                    format!("'{type_text}' names no evaluator type jixiao knows (自评, 第三方, 专家, 财政部门, 复核 … or self, third_party, expert_panel, finance_bureau; see datasets/evaluator_words.csv)"),
                )
            })?,
            _ => match title_who {
                Some(w) => w,
                None => {
                    if unqualified.is_some() {
                        defaulted_self = true;
                    }
                    Who::Is("self")
                }
            },
        };
        if !st.units.contains(&unit_id) {
            st.units.insert(unit_id.clone());
            let t = |f: &str| scol(f).map(|j| text(&cell(j))).filter(|s| !s.is_empty());
            st.ex.units.push(UnitRec {
                unit_id: unit_id.clone(),
                unit_name: if unit_name.is_empty() {
                    unit_id.clone()
                } else {
                    unit_name.clone()
                },
                short_name: t("short_name").unwrap_or_default(),
                province: t("province"),
                city: t("city"),
                district: t("district"),
                unit_type: t("unit_type").unwrap_or_default(),
            });
        }
        rep.data_rows += 1;
        // In a summary sheet an evaluator whose columns are all blank in a row did not score
        // it (a project the bureau did not sample for re-check): no evaluation, rather than
        // one with a blank score. If no evaluator states anything, the first keeps the row's
        // other facts (its amounts) with a blank score.
        let role_stated: Vec<bool> = roles
            .iter()
            .map(|ro| {
                ro.cols
                    .values()
                    .chain(ro.extras.iter())
                    .any(|&j| !text(&cell(j)).is_empty())
            })
            .collect();
        let any_stated = role_stated.iter().any(|s| *s);
        // Where each evaluator's evaluation of this row is (made here or by a row above).
        let mut role_pos: Vec<Option<usize>> = vec![None; roles.len()];
        for (k, ro) in roles.iter().enumerate() {
            if !has_level1 && !role_stated[k] && (any_stated || k > 0) {
                *unscored.entry(ro.name()).or_default() += 1;
                continue;
            }
            let evaluator = &role_evaluators[k];
            let who = ro.who.unwrap_or(row_who);
            let evaluator_type = o.words.resolve(who, evaluator);
            if who == Who::Recheck
                && !evaluator.is_empty()
                && o.words.type_of_name(evaluator).is_none()
                && !unnamed_rechecks.contains(evaluator)
            {
                unnamed_rechecks.push(evaluator.clone());
            }
            let score_col = ro.col("total_score").or(ro.col("score"));
            let anchor = score_col.or(unit_cols.first().copied()).unwrap_or(0);
            let where_ = format!("{file}:{sheet}!{}{}", cols[anchor].letter, excel_row(i));
            let eval_id = if eval_id_cell.is_empty() {
                stable_id(
                    "x",
                    &format!(
                        "{unit_id}|{}|{evaluator_type}|{project}|{evaluator}",
                        year.map(|y| y.to_string()).unwrap_or_default()
                    ),
                )
            } else {
                eval_id_cell.clone()
            };
            let pos = match st.index.get(&eval_id) {
                Some(_) if !has_level1 => {
                    // A summary sheet has one row per evaluation: the same one twice is a
                    // mistake to show, not a row to drop.
                    let what = [
                        if unit_name.is_empty() {
                            unit_id.clone()
                        } else {
                            unit_name.clone()
                        },
                        year.map(|y| y.to_string()).unwrap_or_default(),
                        project.clone(),
                        evaluator.clone(),
                    ]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                    return Err(SheetErr::Fail(JxError::input(format!(
                        "{}: the {evaluator_type} evaluation of {what} is also in {}; a summary sheet has one row per evaluation (remove the repeat, or tell them apart by 项目名称 or 评价机构).",
                        at(i),
                        st.first_seen.get(&eval_id).cloned().unwrap_or_default(),
                    ))));
                }
                Some(&p) => p,
                None => {
                    let max_score = num(ro.col("max_score"))?.unwrap_or(Decimal::from(100));
                    st.ex.evaluations.push(EvalRec {
                        eval_id: eval_id.clone(),
                        unit_id: unit_id.clone(),
                        fiscal_year: year,
                        scope,
                        project_name: Some(project.clone()).filter(|p| !p.is_empty()),
                        evaluator_type,
                        evaluator: Some(evaluator.clone()).filter(|e| !e.is_empty()),
                        max_score,
                        source: match scol("source").map(|j| text(&cell(j))) {
                            Some(s) if !s.is_empty() => s,
                            _ => where_.clone(),
                        },
                        ..Default::default()
                    });
                    st.index
                        .insert(eval_id.clone(), st.ex.evaluations.len() - 1);
                    st.first_seen.insert(
                        eval_id.clone(),
                        format!("sheet '{sheet}', row {}", excel_row(i)),
                    );
                    st.ex.evaluations.len() - 1
                }
            };
            let total = num(ro.col("total_score"))?;
            let grade = ro
                .col("grade")
                .map(|j| text(&cell(j)))
                .filter(|g| !g.is_empty() && !BLANK_WORDS.contains(&g.as_str()));
            role_pos[k] = Some(pos);
            let e = &mut st.ex.evaluations[pos];
            // Evaluation figures from the first row of the evaluation that states them.
            e.total_score = e.total_score.or(total);
            e.grade = e.grade.clone().or(grade);
            e.budget_initial = e.budget_initial.or(budget_initial);
            e.budget_full_year = e.budget_full_year.or(budget_full_year);
            e.executed = e.executed.or(executed);
            e.execution_rate_stated = e.execution_rate_stated.or(rate);
            for &j in shared_extras.iter().chain(ro.extras.iter()) {
                let name = &cols[j].display;
                let v = text(&cell(j));
                if !v.is_empty() && !e.extras.iter().any(|(k, _)| k == name) {
                    e.extras.push((name.clone(), v));
                }
            }
        }
        if has_level1 {
            let level1_col = scol("level1");
            let level1 = level1_col.map(|j| text(&cell(j))).unwrap_or_default();
            let max_points = num(scol("max_points"))?;
            if !level1.is_empty() || max_points.is_some() {
                let t = |j: Option<usize>| j.map(|j| text(&cell(j))).filter(|s| !s.is_empty());
                let scored: Vec<usize> = (0..roles.len())
                    .filter(|&k| roles[k].col("score").is_some())
                    .collect();
                let targets: Vec<usize> = if scored.is_empty() {
                    (0..roles.len()).collect()
                } else {
                    scored
                };
                for k in targets {
                    let ro = &roles[k];
                    let anchor = ro.col("score").or(level1_col).unwrap_or(0);
                    let ind = Indicator {
                        levels: [
                            Some(level1.clone()).filter(|s| !s.is_empty()),
                            t(scol("level2")),
                            t(scol("level3")),
                            t(scol("level4")),
                        ],
                        max_points,
                        score: num(ro.col("score"))?,
                        target_value: t(scol("target_value")),
                        actual_value: t(scol("actual_value")),
                        reason: t(ro.col("reason")),
                        line: excel_row(i) - 1,
                        source: t(scol("indicator_source")).or_else(|| {
                            Some(format!(
                                "{file}:{sheet}!{}{}",
                                cols[anchor].letter,
                                excel_row(i)
                            ))
                        }),
                    };
                    if let Some(p) = role_pos[k] {
                        st.ex.evaluations[p].indicators.push(ind);
                    }
                }
            }
        }
        i += 1;
    }
    if !missing_year.is_empty() {
        let shown: Vec<String> = missing_year.iter().take(8).map(|r| r.to_string()).collect();
        let j = year_col.unwrap_or(0);
        return Err(SheetErr::Fail(JxError::input(format!(
            "{}: sheet '{sheet}': {} row(s) ({}{}) have no 年度 in column {} and neither the title rows nor the sheet name state the year; fill the cells or give --year.",
            path.display(),
            missing_year.len(),
            shown.join(", "),
            if missing_year.len() > 8 { ", …" } else { "" },
            cols[j].letter
        ))));
    }
    for (w, n) in &unscored {
        rep.remarks.push(format!(
            "{n} row(s) state no {w} score, grade or evaluator: no {w} evaluation for them"
        ));
    }
    if defaulted_self {
        rep.remarks.push(
            "nothing says who scored the unqualified score columns (no 评价类型 column, no 自评/复核/第三方 … in the header or the title): read as self-evaluations (自评). Rename the column (e.g. 复核得分) or add a 评价类型 column if they are not.".into(),
        );
    }
    if !unnamed_rechecks.is_empty() {
        rep.remarks.push(format!(
            "re-check evaluators whose names say neither firm (公司, 事务所 …) nor panel (专家组 …), read as the finance bureau's (finance_bureau): {}",
            unnamed_rechecks.join(", ")
        ));
    }
    Ok(rep)
}

fn scope_of(s: &str, project: &str) -> &'static str {
    let t = s.trim();
    if t.contains("项目") || t == "project" {
        "project"
    } else if t.contains("部门") || t.contains("整体") || t == "department" || project.is_empty()
    {
        // stated so, or no project named
        "department"
    } else {
        "project"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_from_titles_and_sheet_names() {
        assert_eq!(
            year_in_title("某区2023年度项目支出绩效自评结果汇总表"),
            Ok(Some(2023))
        );
        assert_eq!(year_in_title("2023年项目绩效自评结果"), Ok(Some(2023)));
        // the date a sheet was made is not the fiscal year; 年度 wins over a bare 年
        assert_eq!(year_in_title("填报日期：2024年3月15日"), Ok(None));
        assert_eq!(
            year_in_title("2024年开展的2023年度项目支出绩效评价"),
            Ok(Some(2023))
        );
        assert!(year_in_title("2022年度及2023年度绩效评价结果").is_err());
        assert_eq!(year_in_title("单位：元"), Ok(None));
        assert_eq!(year_in_sheet_name("2021年"), Some(2021));
        assert_eq!(year_in_sheet_name("2022"), Some(2022));
        assert_eq!(year_in_sheet_name("2022年度自评"), Some(2022));
        assert_eq!(year_in_sheet_name("Sheet1"), None);
        assert_eq!(year_in_sheet_name("2021-2022"), None);
        assert_eq!(year_in_sheet_name("Sheet20231"), None);
        assert_eq!(year_cell(&Data::Float(2023.0)), Ok(Some(2023)));
        assert_eq!(year_cell(&Data::String("2023年度".into())), Ok(Some(2023)));
        assert_eq!(year_cell(&Data::Empty), Ok(None));
        assert!(year_cell(&Data::String("二〇二三".into())).is_err());
    }

    #[test]
    fn numbers_as_bureaus_type_them() {
        let d = |s: &str| number(&Data::String(s.into()));
        assert_eq!(d("85分"), Ok(Some(Decimal::from_str("85").unwrap())));
        assert_eq!(
            d("1,234.50"),
            Ok(Some(Decimal::from_str("1234.50").unwrap()))
        );
        assert_eq!(d("—"), Ok(None));
        assert_eq!(d(""), Ok(None));
        assert!(d("八十五").unwrap_err().contains("八十五"));
        assert_eq!(
            number(&Data::Float(88.75)),
            Ok(Some(Decimal::from_str("88.75").unwrap()))
        );
        assert_eq!(money_unit_in("填报单位：某区财政局  单位：元"), Some("元"));
        assert_eq!(money_unit_in("金额单位:万元"), Some("万元"));
        assert_eq!(money_unit_in("填报单位：某区财政局"), None);
    }
}
