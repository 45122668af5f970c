//! `jixiao bench DATASET --out DIR`: compute every benchmark table.

use std::path::PathBuf;

use crate::dataset::findings::first_error;
use crate::dataset::write::Format;
use crate::engine;
use crate::error::{JxError, Result};

/// Compute the benchmark tables (execution, scores, rankings, deductions, inflation, leniency).
///
/// Compute the benchmarks: execution.csv (预算执行率 against peers), scores.csv (score
/// distributions and the ceiling effect), rankings.csv (rank among peers, 一级指标 score rates),
/// deductions.csv and deductions_detail.csv (扣分 causes), inflation.csv,
/// inflation_summary.csv and inflation_distribution.csv (self-evaluation 自评 vs independent
/// scores), leniency.csv (evaluator effects), summary.json. Validates first: errors stop it.
/// Structurally broken rows (wrong number of fields, invalid bytes, an unclosed quote, a
/// corrupt Parquet row group) are set aside, each an error in findings.csv with its line, and
/// the tables are made from the other rows (exit 1 all the same); --strict refuses instead.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  jixiao bench datasets/synthetic --out out/bench --format parquet"
)]
pub struct Args {
    /// Dataset folder: units, evaluations, indicators (.csv or .parquet)
    pub dataset: PathBuf,
    /// Output folder for the tables
    #[arg(long, default_value = "out/bench")]
    pub out: PathBuf,
    /// Output format of the tables
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// With Parquet: hive-partitioned tables by these columns where a table has them
    /// (e.g. fiscal_year), for Spark, Trino or DuckDB
    #[arg(long, value_delimiter = ',')]
    pub partition_by: Vec<String>,
    /// Deduction cause rules (cause, keywords separated by |) replacing the built-in table
    #[arg(long)]
    pub causes: Option<PathBuf>,
    /// Grading scheme table replacing the dataset's or the built-in one
    #[arg(long)]
    pub grading: Option<PathBuf>,
    /// Read the indicators this many rows at a time: a larger table streams through in
    /// batches (memory stays flat; the deduction detail is written as it is made)
    #[arg(long, default_value_t = crate::dataset::load::DEFAULT_BATCH_ROWS, value_name = "ROWS",
        value_parser = crate::dataset::load::parse_batch_rows)]
    pub batch_rows: usize,
    /// An evaluator is lenient when the lower end of its 95% interval exceeds this many points
    /// [default: 2, or leniency_threshold in jixiao.toml]
    #[arg(long)]
    pub leniency_threshold: Option<f64>,
    /// Read leniency effects against this evaluator (its name, or type:name, e.g. the
    /// bureau's expert panel 专家组) instead of the other evaluators on the same objects
    /// [default: leniency_reference in jixiao.toml, else the other evaluators]
    #[arg(long, value_name = "EVALUATOR")]
    pub leniency_reference: Option<String>,
    #[command(flatten)]
    pub read: super::ReadArgs,
}

/// Peak resident memory of this process (Linux), for --verbose.
fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

pub fn run(args: Args) -> Result<()> {
    let t0 = std::time::Instant::now();
    // A spinner on a terminal only (indicatif draws nothing when stderr is not one).
    let spinner = if super::ui().quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
    };
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let benched = engine::bench(
        &engine::BenchRequest {
            input: engine::Input {
                dataset: &args.dataset,
                read: args.read.options(),
                batch_rows: args.batch_rows,
                grading: args.grading.as_deref(),
            },
            causes: args.causes.as_deref(),
            leniency_threshold: args.leniency_threshold,
            leniency_reference: args.leniency_reference.clone(),
            out: &args.out,
            format: args.format,
            partition_by: &args.partition_by,
        },
        &|message| spinner.set_message(message),
    );
    spinner.finish_and_clear();
    let engine::Benched {
        checked,
        findings_path: fpath,
        tables,
        written,
        streamed,
        timings,
    } = benched?;
    let (ds, findings, counts) = (&checked.ds, &checked.findings, &checked.counts);
    let set_aside_rows = checked.rows_set_aside();
    let (Some(tables), Some(timings)) = (tables, timings) else {
        let errors = checked.errors_in_rows_read();
        crate::say!(
            "bench {}: the dataset has {errors} errors; fix them first{}.",
            args.dataset.display(),
            if set_aside_rows > 0 {
                format!(" ({set_aside_rows} broken rows were also set aside; see findings.csv)")
            } else {
                String::new()
            }
        );
        super::print_counts(counts);
        super::print_findings(findings, 10);
        return Err(JxError::data(format!(
            "{errors} errors{}; see {}",
            first_error(findings, false),
            fpath.display()
        )));
    };
    if super::ui().verbose {
        let secs = |a: std::time::Instant, b: std::time::Instant| (b - a).as_secs_f64();
        let total = t0.elapsed().as_secs_f64();
        crate::say!(
            "bench timings: evaluations (load, check) {:.3} s, indicators (read, check, partials, detail; evaluation tables alongside) {:.3} s, benchmarks {:.3} s, write {:.3} s; total {total:.3} s; {} indicator rows ({:.0} rows/s){}; peak memory {:.0} MB",
            secs(t0, timings.evaluations),
            secs(timings.evaluations, timings.indicators),
            secs(timings.indicators, timings.benchmarks),
            timings.benchmarks.elapsed().as_secs_f64(),
            ds.indicator_rows,
            ds.indicator_rows as f64 / total,
            if streamed {
                format!(" in batches of {}", args.batch_rows)
            } else {
                String::new()
            },
            peak_rss_mb().unwrap_or(f64::NAN)
        );
    }
    if super::ui().json {
        super::println_out(format_args!(
            "{}",
            serde_json::to_string_pretty(&tables.summary).unwrap_or_default()
        ))?;
    } else {
        crate::say!(
            "bench {}: {} units, {} evaluations, {} indicators; {} warnings (findings.csv)",
            args.dataset.display(),
            ds.units.height(),
            ds.evaluations.height(),
            ds.indicator_rows,
            checked.warnings()
        );
        for p in &written {
            crate::say!("  wrote {}", p.display());
        }
    }
    if set_aside_rows > 0 {
        crate::say!(
            "bench {}: {set_aside_rows} broken {} set aside and not in the tables:",
            args.dataset.display(),
            if set_aside_rows == 1 {
                "row was"
            } else {
                "rows were"
            }
        );
        super::print_counts(counts);
        super::print_findings(findings, 10);
        return Err(JxError::data(format!(
            "{set_aside_rows} {} set aside{}; each is in {} with its line, and the tables were made from the other rows. Fix them, or run with --strict to refuse such a dataset.",
            if set_aside_rows == 1 { "row" } else { "rows" },
            first_error(findings, true),
            fpath.display()
        )));
    }
    Ok(())
}
