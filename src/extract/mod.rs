//! The report extractor: reports in (text, Word, PDF), the dataset contract out, with an audit
//! of the reports' own arithmetic and a manifest of every input file.
//!
//! Per file: a reader for its format (`readers`) → the document model (`document`: paragraphs
//! and tables, each line with where it stands) → document facts (`headline`) → evaluation
//! contexts (the department, and any project evaluated in its own section) with their scored
//! indicator tables (`table`) → project self-evaluation tables (`project`) → records with
//! `source` (`FILE:LINE`, `FILE:pPAGE:LINE` for PDFs) → audit checks (`audit`). Files run in
//! parallel.

pub mod audit;
pub mod document;
pub mod forms;
pub mod output;
pub mod readers;
pub mod text;

pub use forms::labels::Labels;
pub use forms::{headline, table};

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::error::{JxError, Result};
use audit::AuditRow;
use headline::Evaluator;
use table::{Carry, Indicator};

/// The contract's row types, kept in `dataset` (re-exported here for the extractor).
pub use crate::dataset::contract::{EvalRec, Extracted, ManifestRow, UnitRec};

#[derive(Debug, Clone, Default)]
pub struct FileResult {
    /// The units evaluated in the file (a report's unit, or each standalone form's own).
    pub units: Vec<UnitRec>,
    pub evaluations: Vec<EvalRec>,
    pub audit: Vec<AuditRow>,
}

/// Collect report files under the given paths (recursively, sorted): the formats read and those
/// the manifest names a conversion for. A file named directly is taken whatever its name; a path
/// that does not exist is an error.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if !p.exists() {
            return Err(JxError::input(format!(
                "{}: no such file or directory.",
                p.display()
            )));
        }
        if p.is_dir() {
            walk(p, &mut out)
                .map_err(|e| JxError::input(format!("{}: cannot list: {e}", p.display())))?;
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if readers::is_report_file(&p) {
            out.push(p);
        }
    }
    Ok(())
}

/// Extract every file (in parallel) with the built-in label vocabulary; `progress` is called
/// once per finished file.
pub fn extract_files(files: &[PathBuf], progress: &(dyn Fn() + Sync)) -> Extracted {
    extract_files_with(files, Labels::builtin(), progress)
}

/// Extract every file (in parallel) reading forms by `labels`.
pub fn extract_files_with(
    files: &[PathBuf],
    labels: &Labels,
    progress: &(dyn Fn() + Sync),
) -> Extracted {
    let results: Vec<(ManifestRow, FileResult)> = files
        .par_iter()
        .map(|f| {
            let r = extract_file_with(f, labels);
            progress();
            r
        })
        .collect();
    let mut ex = Extracted::default();
    for (m, r) in results {
        ex.manifest.push(m);
        for u in r.units {
            if !ex.units.iter().any(|x| x.unit_id == u.unit_id) {
                ex.units.push(u);
            }
        }
        ex.evaluations.extend(r.evaluations);
        ex.audit.extend(r.audit);
    }
    ex.units.sort_by(|a, b| a.unit_id.cmp(&b.unit_id));
    ex
}

/// A stable id from a name: FNV-1a, so the same unit in two reports gets the same id.
pub fn stable_id(prefix: &str, name: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in name.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{prefix}{:012x}", h & 0xffff_ffff_ffff)
}

pub fn extract_file(path: &Path) -> (ManifestRow, FileResult) {
    extract_file_with(path, Labels::builtin())
}

pub fn extract_file_with(path: &Path, labels: &Labels) -> (ManifestRow, FileResult) {
    let file = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut m = ManifestRow {
        file: path.display().to_string(),
        encoding: String::new(),
        bytes: 0,
        status: "unreadable",
        evaluations: 0,
        indicators: 0,
        note: String::new(),
        reader: "",
        pages: None,
        tables: 0,
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            m.note = format!("cannot read: {e}");
            return (m, FileResult::default());
        }
    };
    m.bytes = bytes.len() as u64;
    let doc = match readers::read(path, &file, &bytes) {
        Ok(d) => d,
        Err(refusal) => {
            m.status = refusal.status;
            m.note = refusal.reason;
            return (m, FileResult::default());
        }
    };
    m.reader = doc.reader;
    m.encoding = doc.encoding.clone();
    m.pages = doc.pages;
    m.tables = doc.tables();
    let layer = doc.text_layer();
    let mut r = extract_lines(&file, &id_prefix(path), &layer.lines, labels);
    relocate(&mut r, &layer, &file);
    m.evaluations = r.evaluations.len();
    m.indicators = r.evaluations.iter().map(|e| e.indicators.len()).sum();
    let blank_totals = r
        .evaluations
        .iter()
        .filter(|e| e.total_score.is_none())
        .count();
    let blank_points = r
        .evaluations
        .iter()
        .flat_map(|e| &e.indicators)
        .filter(|i| i.max_points.is_none())
        .count();
    let mut notes = doc.notes.clone();
    if r.units.iter().any(|u| u.unit_name.is_empty()) {
        notes.push("no unit name found".to_string());
    }
    let blank_years = r
        .evaluations
        .iter()
        .filter(|e| e.fiscal_year.is_none())
        .count();
    if blank_years > 0 {
        notes.push(format!(
            "{blank_years} evaluations with no fiscal year found"
        ));
    }
    if blank_totals > 0 {
        notes.push(format!(
            "{blank_totals} evaluations with a blank total score"
        ));
    }
    if blank_points > 0 {
        notes.push(format!("{blank_points} indicator rows with blank 分值 (kept out of indicators.csv; see audit.csv)"));
    }
    m.status = if r.evaluations.is_empty() {
        if notes.is_empty() {
            notes.push("no scored evaluation recognised".into());
        }
        "nothing found"
    } else if notes.is_empty() {
        "extracted"
    } else {
        "partial"
    };
    m.note = notes.join("; ");
    (m, r)
}

/// The prefix of a file's eval_ids: its stem for text (as the ids have always been), the whole
/// name for other formats, so a report's .txt and .pdf side by side get distinct ids.
fn id_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    match path.extension() {
        Some(e) if e.eq_ignore_ascii_case("txt") => name[..name.len() - e.len() - 1].to_string(),
        Some(_) => name,
        None => name,
    }
}

/// Sources were made as `FILE:N` with N the text-layer line; give each its place in the file.
fn relocate(r: &mut FileResult, layer: &document::TextLayer, file: &str) {
    let at = |source: &str| -> String {
        match source.rsplit_once(':') {
            Some((f, n)) if f == file => match n.parse::<usize>() {
                Ok(n) if n >= 1 => layer.source(file, n - 1),
                _ => source.to_string(),
            },
            _ => source.to_string(),
        }
    };
    for e in &mut r.evaluations {
        e.source = at(&e.source);
        for i in &mut e.indicators {
            if i.source.is_none() {
                i.source = Some(layer.source(file, i.line));
            }
        }
    }
    for a in &mut r.audit {
        a.source = at(&a.source);
    }
}

/// The heart of extraction on cleaned lines (pure: testable without files).
pub fn extract_text(file: &str, lines: &[String]) -> FileResult {
    extract_lines(
        file,
        file.trim_end_matches(".txt"),
        lines,
        Labels::builtin(),
    )
}

/// A unit record from a name as written (a numeric code before it, 219001-, is not the name).
fn unit_rec(name: &str) -> UnitRec {
    let name = headline::strip_code(name);
    let (province, city, district) = headline::place(&name);
    UnitRec {
        unit_id: stable_id("u", &name),
        short_name: headline::short_name(&name),
        unit_type: headline::unit_type(&name, district.as_deref()).to_string(),
        unit_name: name,
        province,
        city,
        district,
    }
}

/// Extraction on a document's text layer; eval_ids start with `stem`.
fn extract_lines(file: &str, stem: &str, lines: &[String], labels: &Labels) -> FileResult {
    let mut res = FileResult::default();
    let src = |line: usize| format!("{file}:{}", line + 1);
    // The lines that may hold the title: the first six (a web page's own lines may come first:
    // 索引号, 发布机构, 主题词), a title being no sentence.
    let title_lines: Vec<&String> = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .take(6)
        .filter(|l| title_like(l))
        .collect();
    let title_project = title_lines.iter().find_map(|l| project_report_title(l));
    // The year of the report, else of the project its title names (…2016年草原生态奖补项目…).
    let year = headline::fiscal_year(lines)
        .map(|x| x.0)
        .or_else(|| title_project.as_deref().and_then(year_written));
    let doc_eval = headline::evaluator(lines);
    let thresholds = headline::thresholds(lines);

    // Self-evaluation forms, and the line ranges they occupy.
    let projects = forms::selfeval::find_all(labels, lines);
    let in_project = |i: usize| projects.iter().any(|p| i >= p.title_line && i < p.end);

    // The report's unit: named in its head, else in its title; a lone form names its own.
    let report_unit = headline::unit_name(lines)
        .or_else(|| headline::unit_from_title(lines))
        .map(|(name, _)| unit_rec(&name));
    let own_unit = |p: &forms::selfeval::Form| -> Option<UnitRec> {
        // A project is evaluated as its 实施单位's; a 部门：/单位名称 line above the form names
        // the budget unit, which speaks for a department form.
        let (first, second) = if p.scope == "project" {
            (&p.implementing_unit, &p.unit_name)
        } else {
            (&p.unit_name, &p.implementing_unit)
        };
        first
            .as_ref()
            .or(second.as_ref())
            .or(p.department.as_ref())
            .filter(|n| !headline::strip_code(n).is_empty())
            .map(|n| unit_rec(n))
    };
    // Where nothing names the unit, the evaluations are still written, under a unit with a
    // blank name keyed by the file (the audit and the manifest say so).
    let nameless = UnitRec {
        unit_id: stable_id("u", &format!("file:{file}")),
        unit_type: "other".into(),
        ..Default::default()
    };
    let unit = report_unit.clone().unwrap_or_else(|| nameless.clone());

    // Contexts: the department from the top (or the project a report is titled with:
    // …关于X项目绩效评价报告); a project evaluated in its own section.
    let titled = title_project.or_else(|| {
        // A report's cover naming its project (项目名称:2023年专项区级储备粮补贴), outside
        // any form.
        lines
            .iter()
            .enumerate()
            .take(12)
            .filter(|(i, l)| !in_project(*i) && !l.contains('\t'))
            .find_map(|(_, l)| project_label_line(l))
    });
    // A title of a project's form or report that names no project (南县民政局2022年项目支出绩效
    // 自评指标计分表): what is read under it is a project's.
    let project_kind_title = title_lines.iter().any(|l| {
        let s = text::compact(l);
        s.contains("项目支出绩效") && !s.contains("部门") && !s.contains("整体")
    });
    let mut starts: Vec<(usize, Option<String>)> = vec![(0, titled)];
    for (i, l) in lines.iter().enumerate() {
        if l.contains('\t') || !l.contains("报告") {
            continue;
        }
        let s = text::compact(l);
        if !in_project(i) && s.contains("项目支出绩效评价报告") && s.chars().count() < 30
        {
            let name = (i..(i + 12).min(lines.len())).find_map(|k| quoted_project(&lines[k]));
            starts.push((i, name));
        }
    }
    let mut relabels: Vec<audit::AuditRow> = Vec::new();
    // A project's score stated in prose (项目绩效自评得分为95分) beside the document's one form,
    // whose own total is blank (its 总分 row cut off): the form's total, not an evaluation of
    // its own.
    let mut prose_total_of_form: Option<(Decimal, usize)> = None;
    let mut project_tables: Vec<(Option<String>, table::TableRead)> = Vec::new();
    for (ci, (from, pname)) in starts.iter().enumerate() {
        let to = starts.get(ci + 1).map(|s| s.0).unwrap_or(lines.len());
        let total = headline::total_score(lines, *from, to).filter(|(_, l)| !in_project(*l));
        let grade = headline::grade(lines, *from, to).filter(|(_, l)| !in_project(*l));
        let mut carry = Carry::default();
        let mut reads: Vec<(usize, table::TableRead)> = Vec::new();
        let mut i = *from;
        while i < to {
            if in_project(i) {
                i += 1;
                continue;
            }
            if let Some(h) = table::header(lines, i) {
                let read = table::read(lines, i, &h, &mut carry);
                // A later table headed by its own 项目名称 scores that project, not the
                // department: its own evaluation.
                if !reads.is_empty() {
                    if let Some(name) = project_heading(labels, lines, i) {
                        i = read.end.max(i + 1);
                        project_tables.push((name, read));
                        continue;
                    }
                }
                i = read.end.max(i + 1);
                reads.push((h.n_levels, read));
                continue;
            }
            i += 1;
        }
        // The deepest table holds the indicators; shallower ones (a 二级指标得分率表 beside the
        // full 指标体系) state subtotals, checked in the audit rather than counted twice.
        let deepest = reads.iter().map(|r| r.0).max().unwrap_or(0);
        let no_table = reads.is_empty();
        let mut inds: Vec<Indicator> = Vec::new();
        let mut subs: Vec<(usize, String, Option<Decimal>, Option<Decimal>, usize)> = Vec::new();
        let mut expert = false;
        let mut table_total = None;
        // 二级 → 一级 membership as a shallower summary table states it.
        let mut parent_of: Vec<(String, String)> = Vec::new();
        for (n, read) in &reads {
            if *n >= 2 && *n < deepest {
                for ind in &read.indicators {
                    if let (Some(l1), Some(l2)) = (&ind.levels[0], &ind.levels[1]) {
                        parent_of.push((l2.clone(), l1.clone()));
                    }
                }
            }
        }
        for (n, read) in reads {
            if n == deepest {
                expert |= read.expert;
                for (lvl, name, pts, line) in read.subtotals {
                    subs.push((lvl, name, Some(pts), None, line));
                }
                if table_total.is_none() {
                    table_total = read.total;
                }
                inds.extend(read.indicators);
            } else {
                for ind in read.indicators {
                    let lvl = n.saturating_sub(1);
                    if let Some(name) = ind.levels.get(lvl).cloned().flatten() {
                        subs.push((lvl, name, ind.max_points, ind.score, ind.line));
                    }
                }
            }
        }
        // Reconcile: where the detailed table puts a 二级 indicator under another 一级 than the
        // summary table does (merged cells labelled mid-group, a mislabelled cell), the summary
        // wins and the audit says so.
        let eval_id_here = format!(
            "{stem}-{}",
            if pname.is_some() {
                format!("x{ci}")
            } else {
                "d".to_string()
            }
        );
        for ind in inds.iter_mut() {
            let Some(l2) = ind.levels[1].clone() else {
                continue;
            };
            if let Some((_, l1)) = parent_of.iter().find(|(c, _)| *c == l2) {
                if ind.levels[0].as_deref() != Some(l1.as_str()) {
                    relabels.push(audit::AuditRow {
                        source: src(ind.line),
                        eval_id: eval_id_here.clone(),
                        check: "level1_label".into(),
                        stated: ind.levels[0].clone().unwrap_or_default(),
                        computed: l1.clone(),
                        message: format!("{l2} stands under {} in the indicator table but under {l1} in the summary table; {l1} is used", ind.levels[0].clone().unwrap_or_default()),
                    });
                    ind.levels[0] = Some(l1.clone());
                }
            }
        }
        subs.extend(summary_table(lines, *from, to));
        // The words of the part read by the grammar too (an indicator system copied from a web
        // page, one cell per line or run together, whose rows the table reader cannot see):
        // kept where it reads more of the table, and adds up where the table reading does not.
        {
            let mut toks = Vec::new();
            let mut k = *from;
            while k < to {
                let seg_end = (k..to).find(|&j| in_project(j)).unwrap_or(to);
                toks.extend(forms::stream::tokens(labels, lines, k, seg_end, false));
                k = (seg_end..to).find(|&j| !in_project(j)).unwrap_or(to);
            }
            let first = forms::stream::read_all(labels, &toks)
                .into_iter()
                .find(|r| !r.indicators.is_empty());
            if let Some(read) = first {
                let stated_total = total.map(|t| t.0);
                let scored = |v: &[Indicator]| v.iter().filter(|i| i.max_points.is_some()).count();
                // The grammar's reading wins only with as many rows or more (a summary of the
                // 一级 scores adds up too, with fewer rows than the table it sums).
                if no_table
                    || scored(&read.indicators) >= scored(&inds)
                        && table_quality(&read.indicators, stated_total)
                            > table_quality(&inds, stated_total)
                {
                    inds = read.indicators;
                    for (lvl, name, pts, line) in read.subtotals {
                        subs.push((lvl, name, Some(pts), None, line));
                    }
                    if let Some(l) = read.total_line {
                        table_total = Some((read.total_max, read.total, l));
                    }
                }
            }
        }
        // No table at all: scores written in prose under numbered headings (…自评得3分).
        if inds.is_empty() {
            if let Some(read) = forms::prose::read(lines, *from, to, &in_project) {
                inds = read.indicators;
                for (lvl, name, pts, line) in read.subtotals {
                    subs.push((lvl, name, Some(pts), None, line));
                }
            }
        }
        let total = total
            .map(|t| (Some(t.0), t.1))
            .or_else(|| table_total.map(|t| (t.1, t.2)));
        if total.is_none() && inds.is_empty() {
            continue;
        }
        if let (Some((Some(v), line)), true, None, [form]) =
            (total, inds.is_empty(), pname.as_ref(), projects.as_slice())
        {
            let said = text::compact(&lines[line]);
            let of_project = said.contains("项目") && !said.contains("整体");
            if form.scope == "project" && form.total.is_none() && of_project {
                prose_total_of_form = Some((v, line));
                continue;
            }
        }
        let (etype, evaluator) = match (&doc_eval, expert) {
            (Evaluator::ThirdParty(n), _) => ("third_party", n.clone()),
            (_, true) | (Evaluator::Expert, _) => (
                "expert_panel",
                Some(format!("{}评价工作组（专家评分）", unit.short_name)),
            ),
            (Evaluator::FinanceBureau(n), false) => ("finance_bureau", n.clone()),
            (Evaluator::SelfEval, false) => ("self", Some(format!("{}（自评）", unit.short_name))),
        };
        let budget = if pname.is_none() {
            headline::budget(lines, &in_project)
        } else {
            headline::Budget::default()
        };
        let source_line = total.and_then(|t| Some(t.1)).unwrap_or(*from);
        res.evaluations.push(EvalRec {
            eval_id: eval_id_here,
            unit_id: unit.unit_id.clone(),
            fiscal_year: year,
            scope: if pname.is_some() || ci == 0 && project_kind_title {
                "project"
            } else {
                "department"
            },
            project_name: pname.clone(),
            evaluator_type: etype,
            evaluator,
            max_score: Decimal::from(100),
            total_score: total.and_then(|t| t.0),
            grade: grade.map(|g| g.0),
            budget_initial: budget.initial,
            budget_full_year: budget.full_year,
            executed: budget.executed,
            execution_rate_stated: budget.rate_stated,
            source: src(source_line),
            indicators: inds,
            stated_subtotals: subs,
            extras: vec![],
            budget_parts: vec![],
        });
    }
    // Tables of projects headed by their 项目名称 inside the department's part.
    for (k, (name, read)) in project_tables.into_iter().enumerate() {
        let (etype, evaluator) = match (&doc_eval, read.expert) {
            (Evaluator::ThirdParty(n), _) => ("third_party", n.clone()),
            (_, true) | (Evaluator::Expert, _) => (
                "expert_panel",
                Some(format!("{}评价工作组（专家评分）", unit.short_name)),
            ),
            (Evaluator::FinanceBureau(n), false) => ("finance_bureau", n.clone()),
            (Evaluator::SelfEval, false) => ("self", Some(format!("{}（自评）", unit.short_name))),
        };
        let line = read.indicators.first().map(|i| i.line).unwrap_or(0);
        let subs = read
            .subtotals
            .into_iter()
            .map(|(lvl, n, pts, l)| (lvl, n, Some(pts), None, l))
            .collect();
        res.evaluations.push(EvalRec {
            eval_id: format!("{stem}-t{}", k + 1),
            unit_id: unit.unit_id.clone(),
            fiscal_year: year,
            scope: "project",
            project_name: name,
            evaluator_type: etype,
            evaluator,
            max_score: read.total.and_then(|t| t.0).unwrap_or(Decimal::from(100)),
            total_score: read.total.and_then(|t| t.1),
            source: src(read.total.map(|t| t.2).unwrap_or(line)),
            indicators: read.indicators,
            stated_subtotals: subs,
            ..Default::default()
        });
    }
    // A page that begins inside a table (the tail of a form whose head is on the page before):
    // its rows, read by their shape, are an evaluation of their own, ahead of the page's forms.
    // The tail stands at the top of the page: only its first lines are looked at.
    let top = lines.len().min(80);
    let head_end = (0..top)
        .find(|&i| {
            let first = lines[i].split('\t').map(str::trim).find(|c| !c.is_empty());
            projects.iter().any(|p| p.title_line <= i)
                || table::header(lines, i).is_some()
                // A header cell on its own line (a table written one cell per line).
                || first.is_some_and(|c| {
                    [
                        "level1", "level2", "level3", "max_points", "score", "criteria",
                        "indicators",
                    ]
                    .iter()
                    .any(|f| labels.is(c, f))
                })
                || !labels
                    .find_in(
                        &forms::labels::norm(&lines[i]),
                        &[
                            "level1",
                            "form_project",
                            "form_department",
                            "form_indicators",
                            "project_name",
                        ],
                    )
                    .is_empty()
        })
        .unwrap_or(top);
    let head_toks = forms::stream::headless_tokens(labels, lines, head_end);
    if let Some(read) = forms::stream::read_headless(labels, &head_toks) {
        // Its scope by its level names (项目决策 or 部门决策), else the project template's.
        let department = read.indicators.iter().any(|i| {
            i.levels[0]
                .as_deref()
                .is_some_and(|n| n.starts_with("部门"))
        });
        let (etype, evaluator) = match &doc_eval {
            Evaluator::ThirdParty(n) => ("third_party", n.clone()),
            Evaluator::Expert => ("expert_panel", None),
            Evaluator::FinanceBureau(n) => ("finance_bureau", n.clone()),
            Evaluator::SelfEval => ("self", None),
        };
        let line = read.indicators.first().map(|i| i.line).unwrap_or(0);
        let subs = read
            .subtotals
            .into_iter()
            .map(|(lvl, n, pts, l)| (lvl, n, Some(pts), None, l))
            .collect();
        res.evaluations.insert(
            0,
            EvalRec {
                eval_id: format!("{stem}-h"),
                unit_id: unit.unit_id.clone(),
                scope: if department { "department" } else { "project" },
                evaluator_type: etype,
                evaluator,
                max_score: read.total_max.unwrap_or(Decimal::from(100)),
                total_score: read.total,
                source: src(line),
                indicators: read.indicators,
                stated_subtotals: subs,
                ..Default::default()
            },
        );
    }
    // A report of many forms (the 139 tables of a street office's report) keeps them under the
    // report's unit; a lone form, or forms with no report around them, under their own unit.
    let lone = projects.len() == 1 || report_unit.is_none();
    let mut units: Vec<UnitRec> = Vec::new();
    if !res.evaluations.is_empty() {
        units.push(unit.clone());
    }
    for (k, p) in projects.iter().enumerate() {
        let form_unit = if lone { own_unit(p) } else { None }
            .or_else(|| report_unit.clone())
            .or_else(|| own_unit(p))
            .unwrap_or_else(|| nameless.clone());
        if !units.iter().any(|u| u.unit_id == form_unit.unit_id) {
            units.push(form_unit.clone());
        }
        let mut inds = p.indicators.clone();
        if let (Some(m), Some(l)) = (p.exec_max, p.funds_line) {
            inds.insert(
                0,
                Indicator {
                    levels: [
                        Some("预算执行".into()),
                        None,
                        Some("预算执行率".into()),
                        None,
                    ],
                    max_points: Some(m),
                    score: p.exec_score,
                    actual_value: p
                        .rate_stated
                        .map(|r| format!("{}%", crate::dataset::decimal::fmt(r))),
                    line: l,
                    ..Default::default()
                },
            );
        }
        let department = p.scope == "department";
        let implementing = p
            .implementing_unit
            .as_deref()
            .map(headline::strip_code)
            .filter(|s| !s.is_empty());
        res.evaluations.push(EvalRec {
            eval_id: format!("{stem}-s{:03}", k + 1),
            unit_id: form_unit.unit_id.clone(),
            fiscal_year: p.year.or(year),
            scope: p.scope,
            project_name: if department { None } else { p.name.clone() },
            evaluator_type: "self",
            evaluator: implementing
                .or_else(|| Some(form_unit.short_name.clone()).filter(|s| !s.is_empty())),
            max_score: p.total_max.unwrap_or(Decimal::from(100)),
            total_score: p.total.or(prose_total_of_form.map(|t| t.0)),
            grade: p.grade.clone(),
            budget_initial: p.budget_initial,
            budget_full_year: p.budget_full_year,
            executed: p.executed,
            execution_rate_stated: p.rate_stated,
            source: src(p.name_line.max(p.title_line)),
            indicators: inds,
            stated_subtotals: p.stated_subtotals.clone(),
            extras: vec![],
            budget_parts: p.budget_parts.clone(),
        });
    }
    res.audit = audit::audit(file, lines, &res.evaluations, &thresholds);
    res.audit.extend(relabels);
    for e in &res.evaluations {
        let named = units
            .iter()
            .find(|u| u.unit_id == e.unit_id)
            .map(|u| !u.unit_name.is_empty())
            .unwrap_or(false);
        let mut missing = Vec::new();
        if !named {
            missing.push("unit");
        }
        if e.fiscal_year.is_none() {
            missing.push("fiscal year");
        }
        if e.total_score.is_none() && e.indicators.iter().all(|i| i.score.is_none()) {
            missing.push("scores");
        }
        if !missing.is_empty() {
            res.audit.push(audit::AuditRow {
                source: e.source.clone(),
                eval_id: e.eval_id.clone(),
                check: "missing".into(),
                stated: String::new(),
                computed: missing.join("; "),
                message: format!(
                    "{}: not found in the file; left blank, never guessed",
                    missing.join(", ")
                ),
            });
        }
    }
    res.units = units;
    res
}

/// How well a reading of a department's indicator table holds together: its scored rows, and
/// much more when its 分值 add up to 100 and its 得分 to the stated total.
fn table_quality(inds: &[Indicator], total: Option<Decimal>) -> usize {
    let scored: Vec<&Indicator> = inds.iter().filter(|i| i.max_points.is_some()).collect();
    let points: Decimal = scored.iter().filter_map(|i| i.max_points).sum();
    let scores: Option<Decimal> = scored.iter().map(|i| i.score).sum();
    2 * scored.len()
        + 40 * (!scored.is_empty() && points == Decimal::from(100)) as usize
        + 20 * (total.is_some() && scores == total) as usize
}

/// Is the table whose header is at `i` headed by a 项目名称 line just above it? Returns the name
/// written after the label, if any (单位名称/项目名称 states none).
fn project_heading(labels: &Labels, lines: &[String], i: usize) -> Option<Option<String>> {
    let above = (i.saturating_sub(4)..i)
        .rev()
        .filter(|&k| !lines[k].trim().is_empty())
        .take(2);
    for k in above {
        let n = forms::labels::norm(&lines[k]);
        if let Some(at) = n.find("项目名称") {
            let rest = n[at + "项目名称".len()..]
                .trim_start_matches([':', '/'])
                .trim();
            let name = Some(rest.to_string()).filter(|r| !r.is_empty() && !labels.is_label(r));
            return Some(name);
        }
    }
    None
}

/// The project a report's title names: "…关于X项目绩效评价报告" (a finance bureau's report on
/// one project), in the first sentence of its first lines.
/// A line that may hold a title: its 报告 comes before any full stop (a whole report run onto
/// one line starts with its title; a sentence mentioning a report does not).
fn title_like(line: &str) -> bool {
    match (line.find("报告"), line.find('。')) {
        (_, None) => true,
        (Some(r), Some(stop)) => r < stop,
        (None, Some(_)) => false,
    }
}

fn project_report_title(line: &str) -> Option<String> {
    let s = text::compact(line);
    let head: String = s.chars().take(120).collect();
    // A project report titled with its project in brackets after it
    // (…2022年度项目支出绩效自评报告(春节慰问经费)).
    for kind in [
        "项目支出绩效自评报告",
        "项目支出绩效评价报告",
        "项目绩效自评报告",
    ] {
        for (at, _) in head.match_indices(kind) {
            let after = &head[at + kind.len()..];
            let inner = after
                .strip_prefix(['(', '（'])
                .and_then(|r| r.split_once([')', '）']))
                .map(|(name, _)| name);
            if let Some(name) = inner.filter(|n| n.chars().count() >= 2) {
                return Some(name.to_string());
            }
        }
    }
    // Each 绩效评价报告 (or 绩效自评报告) of the head in turn (a document site puts its own
    // title first).
    ["绩效评价报告", "绩效自评报告"].iter().find_map(|kind| {
        head.match_indices(kind)
            .find_map(|(end, _)| project_in_title(&head[..end]))
    })
}

/// The project a report title names before its 绩效评价报告: after 关于, else after the last
/// punctuation before it (阿坝县2016年草原生态奖补项目支出绩效评价报告), ending in 项目.
fn project_in_title(before: &str) -> Option<String> {
    let before = before.strip_suffix("支出").unwrap_or(before);
    // A project, or a programme of works (妇女儿童健康水平提升民生工程).
    let name_end = ["项目", "工程"]
        .iter()
        .find(|k| before.ends_with(*k))
        .map(|_| before.len())?;
    let start = match before[..name_end].rfind("关于") {
        Some(p) => p + "关于".len(),
        None => before[..name_end]
            .rfind(|c: char| "):：》《。，,、 >|【】".contains(c) || c == '）')
            .map(|p| p + before[p..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0),
    };
    let name = &before[start..name_end];
    // A title about a set of projects (2022年度财政重点项目, 部分项目, …等项目) names none.
    // What the title says of the project past its year (某区2023年度项目 names none).
    let after_year = match name.rfind('年') {
        Some(p) if name[..p].ends_with(|c: char| c.is_ascii_digit()) => {
            &name[p + '年'.len_utf8()..]
        }
        _ => name,
    };
    let bare: String = after_year
        .trim_start_matches(|c: char| c.is_ascii_digit() || "年度".contains(c))
        .trim_end_matches("项目")
        .trim_end_matches("工程")
        .to_string();
    let set = name.contains('等')
        || [
            "重点",
            "部分",
            "财政重点",
            "专项",
            "财政",
            "预算",
            "若干",
            "民生",
            "",
        ]
        .contains(&bare.as_str());
    (name.chars().count() >= 4 && !name.contains("部门整体") && !set).then(|| name.to_string())
}

/// The project a `项目名称:X` line names, X alone on the line (a cover page's field).
fn project_label_line(line: &str) -> Option<String> {
    let s = text::compact(line);
    let value = s
        .strip_prefix("项目名称")?
        .strip_prefix([':', '：'])?
        .trim();
    let n = value.chars().count();
    ((2..=40).contains(&n) && !value.contains([':', '：', '。', '，', ',']))
        .then(|| value.to_string())
}

/// A year written 20XX年 in a text.
fn year_written(s: &str) -> Option<i32> {
    let at = s.find('年')?;
    let digits = s[..at].get(at.checked_sub(4)?..)?;
    (digits.starts_with("20") && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

fn quoted_project(line: &str) -> Option<String> {
    let s = line.trim();
    let a = s.find('“')?;
    let b = s[a..].find('”')? + a;
    let name = s[a + '“'.len_utf8()..b].trim().to_string();
    let after = &s[b + '”'.len_utf8()..];
    if after.trim_start().starts_with("项目") && name.chars().count() >= 2 {
        Some(name)
    } else {
        None
    }
}

/// A stated summary table ("评价内容 | 分值 | 评价得分": one row per 一级指标) in [from, to).
fn summary_table(
    lines: &[String],
    from: usize,
    to: usize,
) -> Vec<(usize, String, Option<Decimal>, Option<Decimal>, usize)> {
    let mut out = Vec::new();
    for i in from..to.min(lines.len()) {
        let h: Vec<String> = text::cells(&lines[i])
            .iter()
            .map(|c| text::compact(c))
            .collect();
        if h.len() >= 3 && h[0] == "评价内容" && h.iter().any(|c| c == "分值") {
            for k in i + 1..(i + 12).min(lines.len()) {
                let c = text::cells(&lines[k]);
                let name = text::compact(c.first().copied().unwrap_or(""));
                if name.is_empty()
                    || name.contains("综合")
                    || name.contains("合计")
                    || name.contains("级别")
                {
                    break;
                }
                out.push((
                    0,
                    name,
                    c.get(1).and_then(|v| text::number(v)),
                    c.get(2).and_then(|v| text::number(v)),
                    k,
                ));
            }
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_titled_with_a_project_evaluates_it() {
        assert_eq!(
            project_report_title("仪陇县财政局关于国省县乡道路养护项目绩效评价报告根据…")
                .as_deref(),
            Some("国省县乡道路养护项目")
        );
        assert_eq!(
            project_report_title("关于某街道2023年度部门整体支出绩效评价报告"),
            None
        );
        assert_eq!(
            project_report_title("某区2023年度项目支出绩效评价报告"),
            None
        );
        // Without 关于: after the last punctuation (a document site's own title first).
        assert_eq!(
            project_report_title("文档介绍:项目绩效评价报告(2)阿坝县2016年草原生态奖补项目支出绩效评价报告一、项目基本情况")
                .as_deref(),
            Some("阿坝县2016年草原生态奖补项目")
        );
        assert_eq!(year_written("阿坝县2016年草原生态奖补项目"), Some(2016));
        assert_eq!(
            project_label_line("项目名称:2023年专项区级储备粮补贴").as_deref(),
            Some("2023年专项区级储备粮补贴")
        );
        assert_eq!(project_label_line("项目名称:某项目。实施单位:某局"), None);
        // A self-evaluation report of a programme of works (民生工程).
        assert_eq!(
            project_report_title("2021年妇女儿童健康水平提升民生工程绩效自评报告").as_deref(),
            Some("2021年妇女儿童健康水平提升民生工程")
        );
        assert_eq!(
            project_report_title("某县2022年度民生工程绩效自评报告"),
            None,
            "no programme named"
        );
        // A set of projects names none.
        for title in [
            "某区财政局关于2022年度财政重点项目绩效评价报告",
            "关于2021年度部分项目绩效评价报告",
            "关于道路养护等项目绩效评价报告",
        ] {
            assert_eq!(project_report_title(title), None, "{title}");
        }
    }

    #[test]
    fn a_project_named_in_brackets_after_the_report_title() {
        assert_eq!(
            project_report_title("某市人民政府办公室2022年度项目支出绩效自评报告(春节慰问经费)")
                .as_deref(),
            Some("春节慰问经费")
        );
        assert_eq!(
            project_report_title("某局2022年度项目支出绩效自评报告").as_deref(),
            None
        );
        // A title may follow a web page's own lines; a sentence naming a report is none.
        assert!(title_like(
            "某局关于某项目绩效评价报告根据安排。评价结果如下。"
        ));
        assert!(!title_like("根据安排开展评价。详见某项目绩效评价报告"));
        assert!(title_like("索引号 01525502 发布机构 某市人民政府办公室"));
    }

    #[test]
    fn a_project_score_in_prose_is_the_lone_forms_total() {
        // The form's 总分 row is cut off; the sentence before it states the project's score.
        let form = |sentence: &str| -> Vec<String> {
            [
                "某局2021年度项目支出绩效自评报告",
                sentence,
                "项目支出绩效自评表",
                "（2021年度）",
                "项目名称\t公共文化服务体系经费",
                "主管部门\t某局\t实施单位\t某局",
                "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分",
                "产出指标\t数量指标\t送戏下乡场次\t≥20场\t22场\t10\t10",
            ]
            .iter()
            .map(|l| l.to_string())
            .collect()
        };
        let r = extract_text("x.txt", &form("经自评，该项目绩效自评得分为95分。"));
        let totals: Vec<(&str, Option<Decimal>)> = r
            .evaluations
            .iter()
            .map(|e| (e.scope, e.total_score))
            .collect();
        assert_eq!(totals, [("project", Some(Decimal::from(95)))]);
        // A department's score in prose stays the department's.
        let r = extract_text("x.txt", &form("经自评，部门整体支出绩效自评得分为95分。"));
        assert!(r
            .evaluations
            .iter()
            .any(|e| e.scope == "project" && e.total_score.is_none()));
    }
}
