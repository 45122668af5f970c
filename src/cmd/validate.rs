//! `jixiao validate DATASET`: check a dataset against the contract and its own arithmetic.

use std::path::PathBuf;

use crate::dataset::findings::{count, Severity};
use crate::dataset::grading::Grading;
use crate::dataset::validate::{validate, TableCount};
use crate::dataset::write::{ensure_dir, serde_csv_bytes, write_atomic};
use crate::dataset::{self, Dataset, Finding};
use crate::error::{JxError, Result};

/// Check a dataset against the contract and its own arithmetic (findings.csv).
///
/// Check a dataset: schema and types, duplicate ids, dangling keys (errors); scores outside
/// 0..max, indicator scores that do not add up to the total (±0.01), stated execution rate
/// (预算执行率) vs executed/budget (±0.1 point), stated grade (等级) vs the grading scheme,
/// negative amounts, blank totals (warnings). Writes findings.csv; exit 1 when there are errors.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  jixiao validate datasets/extracted --out out/validate")]
pub struct Args {
    /// Dataset folder: units, evaluations, indicators (.csv or .parquet)
    pub dataset: PathBuf,
    /// Where findings.csv goes
    #[arg(long, default_value = "out/validate")]
    pub out: PathBuf,
    /// Grading scheme table (province, from_year, grade, min_score); default: the dataset's
    /// grading.csv, else the built-in 90/80/60 (优/良/中/差)
    #[arg(long)]
    pub grading: Option<PathBuf>,
    /// Read the indicators this many rows at a time (memory stays flat for any size)
    #[arg(long, default_value_t = crate::dataset::load::DEFAULT_BATCH_ROWS, value_name = "ROWS",
        value_parser = crate::dataset::load::parse_batch_rows)]
    pub batch_rows: usize,
    /// Also write findings.xlsx (csv: findings.csv only)
    #[arg(long, value_enum, default_value_t = crate::dataset::write::Format::Csv)]
    pub format: crate::dataset::write::Format,
    #[command(flatten)]
    pub read: super::ReadArgs,
}

/// Findings as a frame (for the workbook).
pub fn findings_frame(findings: &[Finding]) -> Result<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let s = |f: fn(&Finding) -> String| findings.iter().map(f).collect::<Vec<_>>();
    Ok(DataFrame::new_infer_height(vec![
        Column::new("severity".into(), s(|f| f.severity.as_str().to_string())),
        Column::new("table".into(), s(|f| f.table.clone())),
        Column::new("key".into(), s(|f| f.key.clone())),
        Column::new(
            "row".into(),
            findings.iter().map(|f| f.row).collect::<Vec<_>>(),
        ),
        Column::new("check".into(), s(|f| f.check.clone())),
        Column::new("message".into(), s(|f| f.message.clone())),
    ])?)
}

pub const FINDINGS_HEADER: &[&str] = &["severity", "table", "key", "row", "check", "message"];

/// Load and validate; shared with `bench`, which refuses to run on errors.
pub fn load_and_validate(
    path: &std::path::Path,
    grading: Option<&std::path::Path>,
) -> Result<(Dataset, Vec<Finding>, Vec<TableCount>)> {
    let (mut ds, mut findings) = dataset::load(path)?;
    if let Some(g) = grading {
        ds.set_grading(Grading::from_file(g)?);
    }
    let counts = validate(&ds, &mut findings)?;
    Ok((ds, findings, counts))
}

pub fn write_findings(dir: &std::path::Path, findings: &[Finding]) -> Result<PathBuf> {
    ensure_dir(dir)?;
    let p = dir.join("findings.csv");
    write_atomic(&p, &serde_csv_bytes(findings, FINDINGS_HEADER)?)?;
    Ok(p)
}

pub fn print_counts(counts: &[TableCount]) {
    crate::say!(
        "  {:<12} {:>9} {:>9} {:>9} {:>9} {:>10}",
        "table",
        "rows",
        "clean",
        "warnings",
        "errors",
        "set aside"
    );
    for c in counts {
        crate::say!(
            "  {:<12} {:>9} {:>9} {:>9} {:>9} {:>10}",
            c.table,
            c.rows,
            c.rows_clean,
            c.rows_with_warnings_only,
            c.rows_with_errors,
            c.rows_set_aside
        );
    }
}

pub fn run(args: Args) -> Result<()> {
    // The indicators are checked a batch at a time, as bench reads them.
    let (mut ds, mut findings, batches) =
        dataset::load::load_evaluations_with(&args.dataset, args.batch_rows, &args.read.options())?;
    if let Some(g) = super::grading_path(args.grading.as_deref()) {
        ds.set_grading(Grading::from_file(&g)?);
    }
    // The first indicator batch is read while the evaluations are checked.
    let batches = dataset::read_ahead::ReadAhead::start(batches);
    let eval_ids = ds.evaluations.column("eval_id")?.str()?.clone();
    let index = dataset::keys::EvalIndex::new(&eval_ids);
    crate::dataset::validate::validate_evaluations(&ds, &index, &mut findings)?;
    let counts = crate::dataset::validate::validate_streamed(
        &mut ds,
        &index,
        batches,
        &mut findings,
        |_| Ok(()),
    )?;
    let path = write_findings(&args.out, &findings)?;
    if args.format == crate::dataset::write::Format::Xlsx {
        crate::excel::write::write_workbook(
            &args.out.join("findings.xlsx"),
            &[("findings", &findings_frame(&findings)?)],
        )?;
    }
    let (errors, warnings) = (
        count(&findings, Severity::Error),
        count(&findings, Severity::Warning),
    );
    if super::ui().json {
        super::println_out(format_args!(
            "{}",
            serde_json::json!({"dataset": args.dataset.display().to_string(), "errors": errors,
                "warnings": warnings, "tables": counts, "findings": path.display().to_string()})
        ))?;
    } else {
        crate::say!(
            "validate {}: {errors} errors, {warnings} warnings",
            args.dataset.display()
        );
        print_counts(&counts);
        super::print_findings(&findings, 10);
        crate::say!("findings written to {}", path.display());
    }
    if errors > 0 {
        let first = super::first_error(&findings, false);
        let first = if first.is_empty() {
            super::first_error(&findings, true)
        } else {
            first
        };
        return Err(JxError::data(format!(
            "{errors} errors in {}{first}; see {}",
            args.dataset.display(),
            path.display()
        )));
    }
    Ok(())
}
