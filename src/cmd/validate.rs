//! `jixiao validate DATASET`: check a dataset against the contract and its own arithmetic.

use std::path::PathBuf;

use crate::dataset::findings::first_error;
use crate::dataset::write::Format;
use crate::engine::{self, sinks};
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
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    #[command(flatten)]
    pub read: super::ReadArgs,
}

pub fn run(args: Args) -> Result<()> {
    // The indicators are checked a batch at a time, as bench reads them.
    let checked = engine::validate(&engine::Input {
        dataset: &args.dataset,
        read: args.read.options(),
        batch_rows: args.batch_rows,
        grading: args.grading.as_deref(),
    })?;
    let path = sinks::write_findings(&args.out, &checked.findings)?;
    if args.format == Format::Xlsx {
        sinks::write_findings_xlsx(&args.out, &checked.findings)?;
    }
    let (errors, warnings) = (checked.errors(), checked.warnings());
    if super::ui().json {
        super::println_out(format_args!(
            "{}",
            serde_json::json!({"dataset": args.dataset.display().to_string(), "errors": errors,
                "warnings": warnings, "tables": checked.counts, "findings": path.display().to_string()})
        ))?;
    } else {
        crate::say!(
            "validate {}: {errors} errors, {warnings} warnings",
            args.dataset.display()
        );
        super::print_counts(&checked.counts);
        super::print_findings(&checked.findings, 10);
        crate::say!("findings written to {}", path.display());
    }
    if errors > 0 {
        let first = first_error(&checked.findings, false);
        let first = if first.is_empty() {
            first_error(&checked.findings, true)
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
