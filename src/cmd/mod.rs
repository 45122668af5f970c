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

use crate::dataset::findings::{Finding, Severity};

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
    /// header synonyms); default: ./jixiao.toml when present
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

/// Benchmark options from the flags, then jixiao.toml, then the defaults.
pub fn bench_options(
    causes: Option<&std::path::Path>,
    threshold: Option<f64>,
) -> crate::error::Result<crate::bench::BenchOptions> {
    let cfg = crate::config::current();
    let causes = match causes
        .map(|p| p.to_path_buf())
        .or_else(|| cfg.causes.clone())
    {
        Some(p) => crate::bench::causes::CauseRules::from_file(&p)?,
        None => crate::bench::causes::CauseRules::default(),
    };
    let d = crate::bench::BenchOptions::default();
    Ok(crate::bench::BenchOptions {
        leniency_threshold: threshold
            .or(cfg.leniency_threshold)
            .unwrap_or(d.leniency_threshold),
        causes,
        min_district_units: cfg.min_district_units.unwrap_or(d.min_district_units),
        leniency_reference: None,
    })
}

/// The grading table from the flag, then jixiao.toml (else the dataset's own or the built-in).
pub fn grading_path(flag: Option<&std::path::Path>) -> Option<std::path::PathBuf> {
    flag.map(|p| p.to_path_buf())
        .or_else(|| crate::config::current().grading.clone())
}

/// Units for the per-unit charts from the flag, then jixiao.toml.
pub fn chart_units(flag: &[String]) -> Vec<String> {
    if flag.is_empty() {
        crate::config::current().units.clone().unwrap_or_default()
    } else {
        flag.to_vec()
    }
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

/// " (the first: ...)" naming the first error's place, for the one-line error a command ends
/// with (printed even with --quiet); `set_aside`: the first row set aside, else the first
/// error in a row that was read.
pub fn first_error(findings: &[Finding], set_aside: bool) -> String {
    findings
        .iter()
        .find(|f| {
            f.severity == Severity::Error && crate::dataset::findings::is_set_aside(f) == set_aside
        })
        .map(|f| format!(" (the first: {})", located(f)))
        .unwrap_or_default()
}

/// A finding's message with its table and row in front, unless the message names them, on
/// one line: control characters a damaged cell brought in (a CR, a line break, a tab) are
/// shown escaped, so they cannot break the line or overwrite it on a terminal.
pub fn located(f: &Finding) -> String {
    let named = f.message.contains(&format!("row {}", f.row))
        || f.message.contains("line ")
        || f.message.contains("row group ");
    let text = if f.row == 0 || named {
        format!("{} {}", f.table, f.message)
    } else {
        format!("{} row {}: {}", f.table, f.row, f.message)
    };
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        text
    }
}
