//! One file per subcommand: its usage text, its arguments, and a thin `run` that calls the
//! library and prints. Shared helpers for printing live here.

pub mod bench;
pub mod calibrate;
pub mod charts;
pub mod completions;
pub mod extract;
pub mod report;
pub mod review;
pub mod sql;
pub mod synth;
pub mod validate;
pub mod xlsx;

use clap::{Parser, Subcommand};

use crate::dataset::findings::{located, Finding, Severity};

#[derive(Parser, Debug)]
#[command(
    name = "jixiao",
    version,
    about = "jixiao (绩效): benchmarks for public-spending performance evaluations (绩效评价).",
    long_about = "jixiao (绩效) loads many units' scored performance evaluations across years and computes \
the benchmarks finance bureaus (财政局), district leaders and researchers need: budget execution rate \
(预算执行率) against peers, score distributions, common deduction causes (扣分原因), how far \
self-evaluations (自评) sit above independent scores (third-party firms 第三方, expert panels 专家评分), \
and which evaluators are systematically lenient.\n\n\
A dataset is a folder with units, evaluations and indicators as CSV or Parquet (see SCHEMA.md).",
    after_help = "Exit codes: 0 ok; 1 the data has errors (see findings.csv); 2 usage error; \
3 an input cannot be read; 4 an output cannot be written."
)]
pub struct Cli {
    /// Settings file (grading, causes, leniency threshold, peer grouping, chart units,
    /// header synonyms, form labels); default: ./jixiao.toml when present
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// No progress bars or summaries (errors are still printed)
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Timings, throughput and peak memory
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// A machine-readable summary on stdout
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Validate(validate::Args),
    Extract(extract::Args),
    Bench(bench::Args),
    Charts(charts::Args),
    Report(report::Args),
    Review(review::Args),
    Synth(synth::Args),
    Calibrate(calibrate::Args),
    ImportXlsx(xlsx::ImportArgs),
    ExportXlsx(xlsx::ExportArgs),
    Sql(sql::Args),
    Completions(completions::Args),
}

/// How `bench` and `validate` read the dataset's tables.
#[derive(clap::Args, Debug, Clone)]
pub struct ReadArgs {
    /// Refuse the dataset (exit 3) at the first structurally broken row (wrong number of
    /// fields, invalid bytes, an unclosed quote, a corrupt Parquet row group) instead of
    /// setting such rows aside and reading the rest
    #[arg(long)]
    pub strict: bool,
    /// Read every CSV in this encoding instead of deciding from each file (a BOM, valid
    /// UTF-8, UTF-16's NUL bytes, else whichever of UTF-8 and GB18030 finds fewer invalid
    /// bytes)
    #[arg(long, value_enum, value_name = "ENCODING")]
    pub encoding: Option<crate::encoding::Forced>,
}

impl ReadArgs {
    pub fn options(&self) -> crate::dataset::load::ReadOptions {
        crate::dataset::load::ReadOptions {
            strict: self.strict,
            encoding: self.encoding,
        }
    }
}

/// How much to say: the global --quiet, --verbose and --json.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    pub json: bool,
}

static UI: std::sync::OnceLock<Ui> = std::sync::OnceLock::new();

pub fn set_ui(ui: Ui) {
    let _ = UI.set(ui);
}

/// What every subcommand shares, from the global flags: how much to print, and the settings
/// (`--config`, else ./jixiao.toml when present).
pub fn init(cli: &Cli) -> crate::error::Result<()> {
    set_ui(Ui {
        quiet: cli.quiet,
        verbose: cli.verbose,
        json: cli.json,
    });
    crate::config::Config::init(cli.config.as_deref())
}

pub fn ui() -> Ui {
    *UI.get_or_init(Ui::default)
}

/// A progress line or summary on stderr, unless --quiet.
#[macro_export]
macro_rules! say {
    ($($t:tt)*) => {
        if !$crate::cmd::ui().quiet {
            eprintln!($($t)*);
        }
    };
}

/// Text on standard output (the --json summaries, the SQL, completion scripts), unlike
/// `print!` not a panic when the reader has gone: a closed pipe is `JxError::BrokenPipe`,
/// which ends the command quietly.
pub fn print_out(text: impl AsRef<[u8]>) -> crate::error::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_ref())
        .and_then(|()| out.flush())
        .map_err(crate::error::JxError::stdout)
}

/// A line on standard output, as [`print_out`].
pub fn println_out(text: impl std::fmt::Display) -> crate::error::Result<()> {
    print_out(format!("{text}\n"))
}

/// Benchmark options from the flags, then jixiao.toml, then the defaults
/// (`engine::options::bench_options`; kept for `cmd::report` and `cmd::calibrate`).
pub fn bench_options(
    causes: Option<&std::path::Path>,
    threshold: Option<f64>,
) -> crate::error::Result<crate::bench::BenchOptions> {
    crate::engine::options::bench_options(causes, threshold)
}

/// Units for the per-unit charts from the flag, then jixiao.toml
/// (`engine::options::chart_units`; kept for `cmd::report`).
pub fn chart_units(flag: &[String]) -> Vec<String> {
    crate::engine::options::chart_units(flag)
}

/// Load, validate and bench a dataset for charts and the report; errors in the data stop it,
/// with the first findings printed.
pub fn bench_for_display(
    dataset: &std::path::Path,
    opts: &crate::bench::BenchOptions,
) -> crate::error::Result<(crate::dataset::Dataset, crate::bench::BenchTables)> {
    let (checked, tables) = crate::engine::bench_whole(dataset, opts)?;
    let Some(tables) = tables else {
        print_findings(&checked.findings, 10);
        return Err(crate::error::JxError::data(format!(
            "{} errors in {}; run `jixiao validate {}` for the full list",
            checked.errors(),
            dataset.display(),
            dataset.display()
        )));
    };
    Ok((checked.ds, tables))
}

/// Print a short findings summary to stderr: counts by severity and check, then the first few.
pub fn print_findings(findings: &[Finding], limit: usize) {
    if ui().quiet {
        return;
    }
    use std::collections::BTreeMap;
    let mut by: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for f in findings {
        *by.entry((f.severity, f.check.as_str())).or_default() += 1;
    }
    for ((sev, check), n) in &by {
        eprintln!("  {:<7} {:<24} {n}", sev.as_str(), check);
    }
    for f in findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .take(limit)
    {
        eprintln!("  error: {}", located(f));
    }
}

/// Row counts per table (every row clean, warned about, in error or set aside), on stderr.
pub fn print_counts(counts: &[crate::dataset::validate::TableCount]) {
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
