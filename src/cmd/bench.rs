//! `jixiao bench DATASET --out DIR`: compute every benchmark table.

use std::path::PathBuf;

use crate::bench;
use crate::dataset::findings::{count, Severity};
use crate::dataset::write::{ensure_dir, Format};
use crate::error::{JxError, Result};

/// Compute the benchmark tables (execution, scores, rankings, deductions, inflation, leniency).
///
/// Compute the benchmarks: execution.csv (预算执行率 against peers), scores.csv (score
/// distributions and the ceiling effect), rankings.csv (rank among peers, 一级指标 score rates),
/// deductions.csv and deductions_detail.csv (扣分 causes), inflation.csv,
/// inflation_summary.csv and inflation_distribution.csv (self-evaluation 自评 vs independent
/// scores), leniency.csv (evaluator effects), summary.json. Validates first: errors stop it.
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
    /// An evaluator is lenient when the lower end of its 95% interval exceeds this many points
    /// [default: 2, or leniency_threshold in jixiao.toml]
    #[arg(long)]
    pub leniency_threshold: Option<f64>,
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
    let (ds, findings, counts) = super::validate::load_and_validate(
        &args.dataset,
        super::grading_path(args.grading.as_deref()).as_deref(),
    )?;
    ensure_dir(&args.out)?;
    let fpath = super::validate::write_findings(&args.out, &findings)?;
    let errors = count(&findings, Severity::Error);
    if errors > 0 {
        crate::say!(
            "bench {}: the dataset has {errors} errors; fix them first.",
            args.dataset.display()
        );
        super::validate::print_counts(&counts);
        super::print_findings(&findings, 10);
        return Err(JxError::data(format!(
            "{errors} errors; see {}",
            fpath.display()
        )));
    }
    let opts = super::bench_options(args.causes.as_deref(), args.leniency_threshold)?;
    let t1 = std::time::Instant::now();
    // A spinner on a terminal only (indicatif draws nothing when stderr is not one).
    let spinner = if super::ui().quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
    };
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner.set_message(format!(
        "benchmarks on {} evaluations",
        ds.evaluations.height()
    ));
    let tables = bench::run(&ds, &opts)?;
    let t2 = std::time::Instant::now();
    spinner.set_message("writing tables");
    let written = if args.partition_by.is_empty() {
        tables.write(&args.out, args.format)?
    } else if args.format == Format::Parquet {
        tables.write_partitioned(&args.out, &args.partition_by)?
    } else {
        return Err(JxError::usage_like(
            "--partition-by needs --format parquet.",
        ));
    };
    spinner.finish_and_clear();
    if super::ui().verbose {
        crate::say!(
            "bench timings: load+validate {:.3} s, benchmarks {:.3} s, write {:.3} s; {} indicator rows; peak memory {:.0} MB",
            (t1 - t0).as_secs_f64(),
            (t2 - t1).as_secs_f64(),
            t2.elapsed().as_secs_f64(),
            ds.indicators.height(),
            peak_rss_mb().unwrap_or(f64::NAN)
        );
    }
    if super::ui().json {
        println!(
            "{}",
            serde_json::to_string_pretty(&tables.summary).unwrap_or_default()
        );
    } else {
        crate::say!(
            "bench {}: {} units, {} evaluations, {} indicators; {} warnings (findings.csv)",
            args.dataset.display(),
            ds.units.height(),
            ds.evaluations.height(),
            ds.indicators.height(),
            count(&findings, Severity::Warning)
        );
        for p in &written {
            crate::say!("  wrote {}", p.display());
        }
    }
    Ok(())
}
