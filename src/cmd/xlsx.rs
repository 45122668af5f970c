//! `jixiao import-xlsx` and `jixiao export-xlsx`: score sheets in and out of Excel.

use std::path::PathBuf;

use crate::dataset::findings::Severity;
use crate::error::{JxError, Result};
use crate::excel::{
    self,
    evaluator::EvaluatorWords,
    headers::Synonyms,
    import::{ImportOptions, SheetReport},
};

/// Import Excel score sheets into the dataset contract.
///
/// Import a workbook of scored results into the dataset contract: every sheet that holds a
/// table (or --sheet), each with its own fiscal year (年度 column, else the title rows, e.g.
/// 2023年度, else the sheet name, e.g. 2021年; --year overrides). Headers map through a synonym
/// table (datasets/header_synonyms.csv, replace with --synonyms): 单位名称, 年度, 评价类型, 项目名称,
/// 总分/综合得分/评价得分, 自评得分, 等级, 满分, 一级指标, 分值, 得分, 扣分原因, 年初预算数, 全年预算数,
/// 全年执行数, 执行率 … A word in a header says whose score, grade or evaluator a column holds
/// (自评 -> self; 复核/抽查/再评价/财政评价 -> finance_bureau, or third_party / expert_panel when
/// the 复核机构 names a firm or a panel; datasets/evaluator_words.csv, replace with
/// --evaluator-words), and a row with 自评得分 and 复核得分 becomes two evaluations. Title rows,
/// two-row and merged headers, totals rows (合计), subheadings, blank rows and a notes block
/// are handled; amounts in 元 become 万元 exactly; unmapped columns are reported and kept. The
/// dataset written is then validated and its findings summarised (exit 1 on errors).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  jixiao import-xlsx datasets/samples/messy_scores.xlsx --out out/imported\n  jixiao import-xlsx 自评结果.xlsx --sheet 2023年 --year 2023 --out out/2023"
)]
pub struct ImportArgs {
    /// The workbook (.xlsx, .xls, .ods)
    pub file: PathBuf,
    /// Output dataset folder
    #[arg(long)]
    pub out: PathBuf,
    /// Sheet to read (default: every sheet that holds a table)
    #[arg(long)]
    pub sheet: Option<String>,
    /// Fiscal year (年度) of every row, over what the title or the sheet name says
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2100))]
    pub year: Option<i32>,
    /// Header synonym table (field, synonyms separated by |)
    #[arg(long)]
    pub synonyms: Option<PathBuf>,
    /// Evaluator words table (kind, word, evaluator_type): who scored a column or a row
    #[arg(long, value_name = "FILE")]
    pub evaluator_words: Option<PathBuf>,
}

pub fn import(a: ImportArgs) -> Result<()> {
    let synonyms = match a
        .synonyms
        .clone()
        .or_else(|| crate::config::current().synonyms.clone())
        .as_ref()
    {
        Some(p) => Synonyms::from_file(p)?,
        None => Synonyms::default(),
    };
    let words = match &a.evaluator_words {
        Some(p) => EvaluatorWords::from_file(p)?,
        None => EvaluatorWords::default(),
    };
    let (ex, rep) = excel::import::import(
        &a.file,
        &ImportOptions {
            synonyms: &synonyms,
            words: &words,
            sheet: a.sheet.as_deref(),
            year: a.year,
        },
    )?;
    crate::extract::output::write(&ex, &a.out)?;
    let n_ind: usize = ex.evaluations.iter().map(|e| e.indicators.len()).sum();
    let rows: usize = rep.sheets.iter().map(|s| s.data_rows).sum();
    crate::say!(
        "import-xlsx {}: {} sheet(s) read{}; {rows} rows became {} evaluations ({} units, {n_ind} indicator rows) -> {}",
        a.file.display(),
        rep.sheets.len(),
        if rep.skipped.is_empty() {
            String::new()
        } else {
            format!(", {} without a table", rep.skipped.len())
        },
        ex.evaluations.len(),
        ex.units.len(),
        a.out.display()
    );
    for s in &rep.sheets {
        print_sheet(s);
    }
    for (s, why) in &rep.skipped {
        crate::say!("sheet '{s}' not read: {why}");
    }
    // What the user would learn from validate (and bench's refusal) later, at once.
    let checked = crate::engine::load_checked(
        &a.out,
        crate::engine::options::grading_path(None).as_deref(),
    )?;
    let (errors, warnings) = (checked.errors(), checked.warnings());
    let (findings, counts) = (&checked.findings, &checked.counts);
    if super::ui().json {
        super::println_out(format_args!(
            "{}",
            serde_json::json!({
                "file": a.file.display().to_string(),
                "out": a.out.display().to_string(),
                "sheets": rep.sheets.iter().map(|s| serde_json::json!({
                    "sheet": s.sheet, "year": s.year, "rows": s.data_rows,
                    "evaluations": s.evaluations, "indicators": s.indicators,
                })).collect::<Vec<_>>(),
                "skipped_sheets": rep.skipped.iter().map(|(s, why)| serde_json::json!({"sheet": s, "why": why})).collect::<Vec<_>>(),
                "units": ex.units.len(), "evaluations": ex.evaluations.len(), "indicators": n_ind,
                "errors": errors, "warnings": warnings,
            })
        ))?;
    } else {
        crate::say!(
            "validate {}: {errors} errors, {warnings} warnings",
            a.out.display()
        );
        super::print_counts(counts);
        super::print_findings(findings, 10);
        // The first warnings in full, each at the workbook cell it comes from, so what is
        // missing (a blank 得分, a grade that does not follow from the score) is seen now.
        let source: std::collections::HashMap<&str, &str> = ex
            .evaluations
            .iter()
            .map(|e| (e.eval_id.as_str(), e.source.as_str()))
            .collect();
        let shown = 5;
        for f in findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .take(shown)
        {
            match source.get(f.key.as_str()) {
                Some(at) => crate::say!("  warning: {at}: {}", f.message),
                None => crate::say!("  warning: {} {}: {}", f.table, f.key, f.message),
            }
        }
        if warnings > shown {
            crate::say!(
                "  … and {} more: jixiao validate {} --out DIR lists them all",
                warnings - shown,
                a.out.display()
            );
        }
    }
    if errors > 0 {
        return Err(JxError::data(format!(
            "the imported dataset {} has {errors} errors, so bench will refuse it; fix the workbook (or the flags) and import again. All findings: jixiao validate {}",
            a.out.display(),
            a.out.display()
        )));
    }
    Ok(())
}

fn print_sheet(s: &SheetReport) {
    crate::say!(
        "sheet '{}': header in row {}; fiscal year {}; {} rows -> {} evaluations, {} indicator rows",
        s.sheet,
        s.header_rows
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join("-"),
        s.year,
        s.data_rows,
        s.evaluations,
        s.indicators
    );
    for (c, h, f) in &s.mapped {
        crate::say!("  column {c} {h:?} -> {f}");
    }
    for (c, h) in &s.skipped_columns {
        crate::say!("  column {c} {h:?}: row numbers, not read");
    }
    for (c, h, why) in &s.unmapped {
        crate::say!("  column {c} {h:?} kept as an extra column of evaluations.csv ({why})");
    }
    if !s.totals_rows.is_empty() {
        crate::say!("  totals rows skipped: {:?}", s.totals_rows);
    }
    for (r, t) in &s.subheading_rows {
        crate::say!("  row {r} ({t}) has no score, grade or amount: read as a subheading, skipped");
    }
    if s.continued_rows > 0 {
        crate::say!(
            "  rows without a unit, read as the unit above: {}",
            s.continued_rows
        );
    }
    if s.blank_rows > 0 {
        crate::say!("  blank rows skipped: {}", s.blank_rows);
    }
    for n in &s.notes {
        crate::say!("  note below the table: {n}");
    }
    for r in &s.remarks {
        crate::say!("  {r}");
    }
}

/// Export a dataset as one Excel sheet (评分表) that import-xlsx reads back.
///
/// Export a dataset as one workbook sheet (评分表): a row per indicator with its evaluation and
/// unit, Chinese headers over the contract names, frozen headers and filters. import-xlsx
/// reads it back to the same tables.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  jixiao export-xlsx datasets/extracted --out out/extracted.xlsx"
)]
pub struct ExportArgs {
    /// Dataset folder
    pub dataset: PathBuf,
    /// The workbook to write
    #[arg(long)]
    pub out: PathBuf,
}

pub fn export(a: ExportArgs) -> Result<()> {
    let (ds, _) = crate::dataset::load(&a.dataset)?;
    if let Some(parent) = a.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        crate::dataset::write::ensure_dir(parent)?;
    }
    excel::export::export(&ds, &a.out)?;
    crate::say!(
        "export-xlsx: {} -> {}",
        a.dataset.display(),
        a.out.display()
    );
    Ok(())
}
