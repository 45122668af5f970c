//! Reading score sheets from Excel into the contract. Real sheets have a title above the
//! table, headers over one or two rows (merged group cells such as 项目资金(万元) over
//! 年初预算数/全年预算数/全年执行数), merged cells down the rows of one evaluation, totals rows,
//! blank rows and a notes block below. Headers map to contract fields through the synonym
//! table; unmapped columns are reported and kept as extra columns.

use std::path::Path;
use std::str::FromStr;

use calamine::{open_workbook_auto, Data, Reader};
use rust_decimal::Decimal;

use super::headers::Synonyms;
use crate::error::{JxError, Result};
use crate::extract::table::Indicator;
use crate::extract::{stable_id, EvalRec, Extracted, ManifestRow, UnitRec};

/// What the import did with the sheet, for the user.
#[derive(Debug, Default, Clone)]
pub struct ImportReport {
    pub sheet: String,
    /// 1-based Excel rows of the header
    pub header_rows: Vec<usize>,
    /// (column letter, header text, contract field)
    pub mapped: Vec<(String, String, String)>,
    /// (column letter, header text): kept as extra columns
    pub unmapped: Vec<(String, String)>,
    /// 1-based rows skipped as totals (合计/总计/小计)
    pub totals_rows: Vec<usize>,
    pub blank_rows: usize,
    /// rows without a unit, read as continuing the evaluation above
    pub continued_rows: usize,
    /// the notes block below the table, as read
    pub notes: Vec<String>,
    /// other remarks (fractions read as percent, amounts converted from 元)
    pub remarks: Vec<String>,
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

fn decimal(d: &Data) -> Option<Decimal> {
    let t = text(d).replace([',', ' '], "");
    if t.is_empty() {
        return None;
    }
    Decimal::from_str(t.trim_end_matches('%'))
        .ok()
        .or_else(|| Decimal::from_scientific(&t).ok())
}

fn is_blank_row(r: &[Data]) -> bool {
    r.iter().all(|c| text(c).is_empty())
}

const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "平均"];
const NOTE_PREFIXES: &[&str] = &["注", "说明", "备注", "资料来源", "数据来源", "填表", "制表"];

pub struct ImportOptions<'a> {
    pub synonyms: &'a Synonyms,
    pub sheet: Option<&'a str>,
}

/// Read one sheet of a workbook into the contract tables.
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
    let sheet = match o.sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                JxError::input(format!(
                    "{}: no sheet named '{s}' (sheets: {}).",
                    path.display(),
                    names.join(", ")
                ))
            })?,
        None => names.first().cloned().ok_or_else(|| {
            JxError::input(format!("{}: the workbook has no sheets.", path.display()))
        })?,
    };
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| JxError::input(format!("{}: sheet '{sheet}': {e}", path.display())))?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    // Merged cells hold their value in the top-left cell only: give it to every cell they cover.
    let merges = match &mut wb {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&sheet).unwrap_or_default(),
        calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&sheet).unwrap_or_default(),
        _ => Vec::new(),
    };
    for m in &merges {
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
    let excel_row = |i: usize| i + row0 as usize + 1;
    let letter = |j: usize| col_letter(j + col0 as usize);
    let mut rep = ImportReport {
        sheet: sheet.clone(),
        ..Default::default()
    };

    // Header: the first row where two or more cells name contract fields; a second header row
    // below it (group cell above, names below) is merged in.
    let mapped_count = |r: &[Data]| {
        r.iter()
            .filter(|c| o.synonyms.field(&text(c)).is_some())
            .count()
    };
    let h = rows.iter().position(|r| mapped_count(r) >= 2).ok_or_else(|| {
        JxError::input(format!(
            "{}: sheet '{sheet}': no header row found (no row names two of 单位名称, 年度, 总分, 一级指标, 分值, 得分 … ). Check the sheet or extend datasets/header_synonyms.csv (--synonyms).",
            path.display()
        ))
    })?;
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let mut header: Vec<String> = (0..width)
        .map(|j| rows[h].get(j).map(text).unwrap_or_default())
        .collect();
    rep.header_rows.push(excel_row(h));
    let mut data_start = h + 1;
    if let Some(next) = rows.get(h + 1) {
        let numbers = next
            .iter()
            .filter(|c| matches!(c, Data::Float(_) | Data::Int(_)))
            .count();
        let names = mapped_count(next);
        if names >= 1 && numbers == 0 {
            // A merged group cell (项目资金(万元) over three columns) holds its text in its first
            // cell only; its unit carries to the names below it.
            let upper: Vec<String> = header.clone();
            let lower: Vec<String> = (0..width)
                .map(|j| next.get(j).map(text).unwrap_or_default())
                .collect();
            let mut group: Option<String> = None;
            for j in 0..width {
                if !upper[j].is_empty() && group.as_deref() != Some(upper[j].as_str()) {
                    // A group spans the next column (blank there, or repeated by a merge) and
                    // has names of its own below it.
                    let starts_group = j + 1 < width
                        && (upper[j + 1].is_empty() || upper[j + 1] == upper[j])
                        && !lower[j + 1].is_empty()
                        && lower[j] != upper[j];
                    group = if starts_group {
                        Some(upper[j].clone())
                    } else {
                        None
                    };
                }
                if !lower[j].is_empty() {
                    let unit = match &group {
                        Some(g) if g.contains("万元") && !lower[j].contains('元') => "(万元)",
                        Some(g) if g.contains('元') && !lower[j].contains('元') => "(元)",
                        _ => "",
                    };
                    header[j] = format!("{}{unit}", lower[j]);
                }
            }
            rep.header_rows.push(excel_row(h + 1));
            data_start = h + 2;
        }
    }
    let mut field: Vec<Option<String>> = header
        .iter()
        .map(|t| o.synonyms.field(t).map(|f| f.to_string()))
        .collect();
    // 得分 is the total when the sheet has no indicator columns.
    let has = |f: &[Option<String>], n: &str| f.iter().any(|x| x.as_deref() == Some(n));
    if !has(&field, "level1") && !has(&field, "total_score") {
        for x in field.iter_mut() {
            if x.as_deref() == Some("score") {
                *x = Some("total_score".into());
            }
        }
    }
    // A field named twice keeps its first column; later ones are extra columns.
    for j in 0..field.len() {
        if let Some(f) = field[j].clone() {
            if field[..j].iter().any(|x| x.as_deref() == Some(f.as_str())) {
                field[j] = None;
            }
        }
    }
    let in_yuan: Vec<bool> = header
        .iter()
        .map(|t| t.contains('元') && !t.contains("万元"))
        .collect();
    for (j, t) in header.iter().enumerate() {
        match &field[j] {
            Some(f) => rep.mapped.push((letter(j), t.clone(), f.clone())),
            None if !t.is_empty() => rep.unmapped.push((letter(j), t.clone())),
            None => {}
        }
    }
    if !has(&field, "unit_name") && !has(&field, "unit_id") {
        return Err(JxError::input(format!(
            "{}: sheet '{sheet}': no column names the unit (单位名称); mapped: {}.",
            path.display(),
            rep.mapped
                .iter()
                .map(|m| format!("{}={}", m.1, m.2))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let col = |f: &str| field.iter().position(|x| x.as_deref() == Some(f));
    let key_fields = [
        "unit_id",
        "unit_name",
        "fiscal_year",
        "evaluator_type",
        "project_name",
        "evaluator",
        "eval_id",
        "scope",
    ];

    // Data rows. A row that names no unit continues the evaluation above it (sheets that write
    // the unit once per block without merging); otherwise a blank cell stays blank.
    let mut carried: Vec<String> = vec![String::new(); width];
    let unit_cols: Vec<usize> = ["unit_name", "unit_id"]
        .iter()
        .filter_map(|f| field.iter().position(|x| x.as_deref() == Some(*f)))
        .collect();
    let mut ex = Extracted::default();
    let mut i = data_start;
    while i < rows.len() {
        let r = &rows[i];
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
        let cell = |f: &str| {
            col(f)
                .and_then(|j| r.get(j))
                .cloned()
                .unwrap_or(Data::Empty)
        };
        let continues = unit_cols
            .iter()
            .all(|&j| r.get(j).map(text).unwrap_or_default().is_empty());
        if continues {
            rep.continued_rows += 1;
        }
        let mut get = |f: &str| -> String {
            let Some(j) = col(f) else {
                return String::new();
            };
            let t = r.get(j).map(text).unwrap_or_default();
            if key_fields.contains(&f) {
                if continues {
                    return carried[j].clone();
                }
                carried[j] = t.clone();
            }
            t
        };
        let unit_name = get("unit_name");
        let unit_id_cell = get("unit_id");
        let year = get("fiscal_year");
        let et_raw = get("evaluator_type");
        let project = get("project_name");
        let evaluator = get("evaluator");
        let eval_id_cell = get("eval_id");
        let scope_raw = get("scope");
        let unit_id = if unit_id_cell.is_empty() {
            stable_id("u", &unit_name)
        } else {
            unit_id_cell
        };
        let evaluator_type = evaluator_type_of(&et_raw);
        let scope = scope_of(&scope_raw, &project);
        let eval_id = if eval_id_cell.is_empty() {
            stable_id(
                "x",
                &format!("{unit_id}|{year}|{evaluator_type}|{project}|{evaluator}"),
            )
        } else {
            eval_id_cell
        };
        let money = |f: &str| -> Option<Decimal> {
            let j = col(f)?;
            let d = decimal(r.get(j)?)?;
            Some(if in_yuan[j] {
                d / Decimal::from(10000)
            } else {
                d
            })
        };
        let rate = {
            let c = cell("execution_rate_stated");
            let v = decimal(&c);
            match (&c, v) {
                (Data::Float(_), Some(x))
                    if x > Decimal::ZERO && x <= Decimal::from_str("1.5").unwrap() =>
                {
                    rep.remarks.push(format!(
                        "row {}: 执行率 {} read as a fraction: {}%",
                        excel_row(i),
                        crate::dataset::decimal::fmt(x),
                        crate::dataset::decimal::fmt(x * Decimal::from(100))
                    ));
                    Some(x * Decimal::from(100))
                }
                _ => v,
            }
        };
        if !ex.units.iter().any(|u| u.unit_id == unit_id) {
            let t = |f: &str| Some(get_plain(r, col(f))).filter(|s| !s.is_empty());
            ex.units.push(UnitRec {
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
        let pos = match ex.evaluations.iter().position(|e| e.eval_id == eval_id) {
            Some(p) => p,
            None => {
                ex.evaluations.push(EvalRec {
                    eval_id: eval_id.clone(),
                    unit_id: unit_id.clone(),
                    fiscal_year: year.parse::<f64>().ok().map(|y| y as i32),
                    scope,
                    project_name: Some(project.clone()).filter(|p| !p.is_empty()),
                    evaluator_type,
                    evaluator: Some(evaluator.clone()).filter(|e| !e.is_empty()),
                    max_score: decimal(&cell("max_score")).unwrap_or(Decimal::from(100)),
                    source: {
                        let s = get_plain(r, col("source"));
                        if s.is_empty() {
                            format!("{file}:{}", excel_row(i))
                        } else {
                            s
                        }
                    },
                    ..Default::default()
                });
                ex.evaluations.len() - 1
            }
        };
        let e = &mut ex.evaluations[pos];
        // Evaluation figures from the first row of the evaluation that states them.
        e.total_score = e.total_score.or_else(|| decimal(&cell("total_score")));
        e.grade = e
            .grade
            .clone()
            .or_else(|| Some(text(&cell("grade"))).filter(|g| !g.is_empty()));
        e.budget_initial = e.budget_initial.or_else(|| money("budget_initial"));
        e.budget_full_year = e.budget_full_year.or_else(|| money("budget_full_year"));
        e.executed = e.executed.or_else(|| money("executed"));
        e.execution_rate_stated = e.execution_rate_stated.or(rate);
        for (j, h) in header.iter().enumerate() {
            if field[j].is_none() && !h.is_empty() {
                let v = r.get(j).map(text).unwrap_or_default();
                if !v.is_empty() && !e.extras.iter().any(|(k, _)| k == h) {
                    e.extras.push((h.clone(), v));
                }
            }
        }
        let level1 = get_plain(r, col("level1"));
        let max_points = decimal(&cell("max_points"));
        if col("level1").is_some() && (!level1.is_empty() || max_points.is_some()) {
            let t = |f: &str| Some(get_plain(r, col(f))).filter(|s| !s.is_empty());
            e.indicators.push(Indicator {
                levels: [
                    Some(level1).filter(|s| !s.is_empty()),
                    t("level2"),
                    t("level3"),
                    t("level4"),
                ],
                max_points,
                score: decimal(&cell("score")),
                target_value: t("target_value"),
                actual_value: t("actual_value"),
                reason: t("reason"),
                line: excel_row(i) - 1,
                source: t("indicator_source").or_else(|| Some(format!("{file}:{}", excel_row(i)))),
            });
        }
        i += 1;
    }
    ex.units.sort_by(|a, b| a.unit_id.cmp(&b.unit_id));
    let n_ind = ex.evaluations.iter().map(|e| e.indicators.len()).sum();
    ex.manifest.push(ManifestRow {
        file: path.display().to_string(),
        encoding: "xlsx".into(),
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        status: if ex.evaluations.is_empty() {
            "nothing found"
        } else {
            "extracted"
        },
        evaluations: ex.evaluations.len(),
        indicators: n_ind,
        note: format!("sheet {sheet}"),
        reader: "xlsx",
        pages: None,
        tables: 1,
    });
    Ok((ex, rep))
}

fn get_plain(r: &[Data], j: Option<usize>) -> String {
    j.and_then(|j| r.get(j)).map(text).unwrap_or_default()
}

pub fn evaluator_type_of(s: &str) -> &'static str {
    let t = s.trim();
    if t.contains("第三方") || t == "third_party" {
        "third_party"
    } else if t.contains("专家") || t == "expert_panel" {
        "expert_panel"
    } else if t.contains("财政") || t == "finance_bureau" {
        "finance_bureau"
    } else {
        "self"
    }
}

fn scope_of(s: &str, project: &str) -> &'static str {
    let t = s.trim();
    if t.contains("项目") || t == "project" {
        "project"
    } else if t.contains("部门") || t.contains("整体") || t == "department" {
        "department"
    } else if project.is_empty() {
        "department"
    } else {
        "project"
    }
}
