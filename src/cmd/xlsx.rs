//! `jixiao import-xlsx` and `jixiao export-xlsx`: score sheets in and out of Excel.

use std::path::PathBuf;

use crate::error::Result;
use crate::excel::{self, headers::Synonyms, import::ImportOptions};

/// Import an Excel score sheet into the dataset contract.
///
/// Import a workbook of scored results (单位名称, 年度, 评价类型, 项目名称, 总分, 一级指标, 分值,
/// 得分, 扣分原因, 年初预算数, 全年预算数, 全年执行数, 执行率 …) into the dataset contract. Headers
/// map through a synonym table (datasets/header_synonyms.csv, replace with --synonyms); title
/// rows, two-row and merged headers, merged cells, totals rows (合计), blank rows and a notes
/// block below the table are handled; unmapped columns are reported and kept.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  jixiao import-xlsx datasets/samples/messy_scores.xlsx --out out/imported"
)]
pub struct ImportArgs {
    /// The workbook (.xlsx, .xls, .ods)
    pub file: PathBuf,
    /// Output dataset folder
    #[arg(long)]
    pub out: PathBuf,
    /// Sheet to read (default: the first)
    #[arg(long)]
    pub sheet: Option<String>,
    /// Header synonym table (field, synonyms separated by |)
    #[arg(long)]
    pub synonyms: Option<PathBuf>,
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
    let (ex, rep) = excel::import::import(
        &a.file,
        &ImportOptions {
            synonyms: &synonyms,
            sheet: a.sheet.as_deref(),
        },
    )?;
    crate::extract::output::write(&ex, &a.out)?;
    if !super::ui().quiet {
        let n_ind: usize = ex.evaluations.iter().map(|e| e.indicators.len()).sum();
        crate::say!(
            "import-xlsx {} (sheet {}): header in row {}; {} units, {} evaluations, {n_ind} indicator rows -> {}",
            a.file.display(),
            rep.sheet,
            rep.header_rows.iter().map(|r| r.to_string()).collect::<Vec<_>>().join("-"),
            ex.units.len(),
            ex.evaluations.len(),
            a.out.display()
        );
        for (c, h, f) in &rep.mapped {
            crate::say!("  column {c} {h:?} -> {f}");
        }
        for (c, h) in &rep.unmapped {
            crate::say!("  column {c} {h:?} is not in the contract: kept as an extra column of evaluations.csv");
        }
        if !rep.totals_rows.is_empty() {
            crate::say!("  totals rows skipped: {:?}", rep.totals_rows);
        }
        if rep.continued_rows > 0 {
            crate::say!(
                "  rows without a unit, read as continuing the evaluation above: {}",
                rep.continued_rows
            );
        }
        if rep.blank_rows > 0 {
            crate::say!("  blank rows skipped: {}", rep.blank_rows);
        }
        for n in &rep.notes {
            crate::say!("  note below the table: {n}");
        }
        for r in &rep.remarks {
            crate::say!("  {r}");
        }
    }
    Ok(())
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
