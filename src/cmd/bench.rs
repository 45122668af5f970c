//! `jixiao bench DATASET --out DIR`: compute every benchmark table.

use std::path::PathBuf;

use crate::bench;
use crate::dataset::findings::{count, is_set_aside, Severity};
use crate::dataset::validate;
use crate::dataset::write::{ensure_dir, Format};
use crate::error::{JxError, Result};
use polars::prelude::DataFrame;

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
    let mut laps = crate::profile::Laps::start();
    let (mut ds, mut findings, mut batches) = crate::dataset::load::load_evaluations_with(
        &args.dataset,
        args.batch_rows,
        &args.read.options(),
    )?;
    batches.read_only(bench::INDICATOR_COLUMNS);
    if let Some(g) = super::grading_path(args.grading.as_deref()) {
        ds.set_grading(crate::dataset::grading::Grading::from_file(&g)?);
    }
    laps.lap("load units and evaluations");
    let mut opts = super::bench_options(args.causes.as_deref(), args.leniency_threshold)?;
    opts.leniency_reference = args.leniency_reference.clone();
    let known_rows = batches.known_rows();
    let streamed = known_rows.is_none_or(|rows| rows > args.batch_rows);
    if !args.partition_by.is_empty() && args.format != Format::Parquet {
        return Err(JxError::usage_like(
            "--partition-by needs --format parquet.",
        ));
    }
    ensure_dir(&args.out)?;
    // The first indicator batch is read while the evaluations are checked.
    let batches = crate::dataset::read_ahead::ReadAhead::start(batches);
    // A spinner on a terminal only (indicatif draws nothing when stderr is not one).
    let spinner = if super::ui().quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
    };
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner.set_message(format!("checking {} evaluations", ds.evaluations.height()));
    // The eval_id index keys every indicator batch and finds the repeated ids.
    let eval_ids = ds.evaluations.column("eval_id")?.str()?.clone();
    let index = crate::dataset::keys::EvalIndex::new(&eval_ids);
    validate::validate_evaluations(&ds, &index, &mut findings)?;
    let facts = ds.facts()?;
    laps.lap("check evaluations, facts");
    let t_evals = std::time::Instant::now();
    // The indicators, a batch at a time: typed, keyed, checked, and fed to the benchmarks.
    let mut pass = bench::indicator_pass::IndicatorPass::new(&facts, &opts.causes)?;
    let mut sink = if streamed {
        Some(bench::detail_sink::DetailSink::new(
            &args.out,
            args.format,
            &args.partition_by,
        )?)
    } else {
        None
    };
    let mut kept_detail = Vec::new();
    let mut seen = 0usize;
    // The tables that need only the evaluations are computed on a second thread meanwhile
    // (and thrown away if the data turn out to have errors).
    // Encoded for writing there too, unless partitioned (split by column values later).
    let encode = args.partition_by.is_empty().then_some(args.format);
    let per_evaluation = std::thread::scope(|scope| -> Result<_> {
        let per_evaluation = scope.spawn(|| bench::evaluation_tables(&facts, &opts, encode));
        let counts =
            validate::validate_streamed(&mut ds, &index, batches, &mut findings, |batch| {
                let detail = pass.feed(batch)?;
                match sink.as_mut() {
                    Some(s) => s.push(&detail)?,
                    None => kept_detail.push(detail),
                }
                seen += batch.height();
                spinner.set_message(match known_rows {
                    Some(n) => format!("indicators: {seen} of {n} rows"),
                    None => format!("indicators: {seen} rows"),
                });
                Ok(())
            });
        let per_evaluation = per_evaluation
            .join()
            .map_err(|_| JxError::internal("the evaluation benchmarks panicked"))?;
        Ok((counts?, per_evaluation))
    })?;
    let (counts, per_evaluation) = per_evaluation;
    let fpath = super::validate::write_findings(&args.out, &findings)?;
    // Rows set aside are errors, but the tables can be made without them; errors in rows that
    // were read (a bad cell, a dangling key) stop bench as before.
    let set_aside_findings = findings.iter().filter(|f| is_set_aside(f)).count();
    let set_aside_rows: usize = counts.iter().map(|c| c.rows_set_aside).sum();
    let errors = count(&findings, Severity::Error) - set_aside_findings;
    if errors > 0 {
        spinner.finish_and_clear();
        crate::say!(
            "bench {}: the dataset has {errors} errors; fix them first{}.",
            args.dataset.display(),
            if set_aside_rows > 0 {
                format!(" ({set_aside_rows} broken rows were also set aside; see findings.csv)")
            } else {
                String::new()
            }
        );
        super::validate::print_counts(&counts);
        super::print_findings(&findings, 10);
        return Err(JxError::data(format!(
            "{errors} errors{}; see {}",
            super::first_error(&findings, false),
            fpath.display()
        )));
    }
    let t1 = std::time::Instant::now();
    spinner.set_message("benchmarks");
    let detail = match kept_detail.len() {
        0 => DataFrame::empty(),
        1 => kept_detail.pop().unwrap(),
        _ => {
            let mut all = kept_detail.remove(0);
            for d in &kept_detail {
                all.vstack_mut(d)?;
            }
            all
        }
    };
    let mut tables = bench::tables(&ds, &facts, &pass, detail, per_evaluation?)?;
    if set_aside_rows > 0 {
        // Said in the summary too, so that a reader of the tables knows rows are missing.
        tables.summary["rows_set_aside"] = serde_json::json!(counts
            .iter()
            .filter(|c| c.rows_set_aside > 0)
            .map(|c| (c.table.clone(), c.rows_set_aside))
            .collect::<std::collections::BTreeMap<_, _>>());
    }
    let t2 = std::time::Instant::now();
    spinner.set_message("writing tables");
    let mut written = Vec::new();
    if let Some(s) = sink {
        tables.deductions_detail_written = Some(s.finish()?);
    }
    written.extend(if args.partition_by.is_empty() {
        tables.write(&args.out, args.format)?
    } else {
        tables.write_partitioned(&args.out, &args.partition_by)?
    });
    spinner.finish_and_clear();
    if super::ui().verbose {
        let secs = |a: std::time::Instant, b: std::time::Instant| (b - a).as_secs_f64();
        let total = t0.elapsed().as_secs_f64();
        crate::say!(
            "bench timings: evaluations (load, check) {:.3} s, indicators (read, check, partials, detail; evaluation tables alongside) {:.3} s, benchmarks {:.3} s, write {:.3} s; total {total:.3} s; {} indicator rows ({:.0} rows/s){}; peak memory {:.0} MB",
            secs(t0, t_evals),
            secs(t_evals, t1),
            secs(t1, t2),
            t2.elapsed().as_secs_f64(),
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
            count(&findings, Severity::Warning)
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
        super::validate::print_counts(&counts);
        super::print_findings(&findings, 10);
        return Err(JxError::data(format!(
            "{set_aside_rows} {} set aside{}; each is in {} with its line, and the tables were made from the other rows. Fix them, or run with --strict to refuse such a dataset.",
            if set_aside_rows == 1 { "row" } else { "rows" },
            super::first_error(&findings, true),
            fpath.display()
        )));
    }
    Ok(())
}
