//! The pipeline every command runs, in the library: load → validate → benchmark tables →
//! sinks. The commands (`cmd`) parse their arguments, call one of these and print.
//!
//! - [`validate`]: every check of a dataset, its indicators streamed in batches;
//! - [`bench`]: the same checks with the benchmark tables made alongside, written by
//!   [`sinks`] (the deduction detail as it is made when the indicators come in batches);
//! - [`load_checked`]: a dataset loaded whole and checked, for the commands that work on it
//!   in memory (review, charts, the report, import-xlsx); [`crate::bench::run`] then makes
//!   its tables.
//!
//! Settings come from [`options`] (flags, then jixiao.toml, then the defaults).

pub mod options;
pub mod sinks;

use std::path::{Path, PathBuf};
use std::time::Instant;

use polars::prelude::DataFrame;

use crate::bench::{self, BenchTables};
use crate::dataset::findings::{count, is_set_aside, Finding, Severity};
use crate::dataset::grading::Grading;
use crate::dataset::keys::EvalIndex;
use crate::dataset::load::{IndicatorBatches, ReadOptions};
use crate::dataset::validate::{self, TableCount};
use crate::dataset::write::{ensure_dir, Format};
use crate::dataset::Dataset;
use crate::error::{JxError, Result};

/// A dataset to read, and how.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The folder with units, evaluations and indicators (.csv or .parquet).
    pub dataset: &'a Path,
    pub read: ReadOptions,
    /// Indicator rows read at a time.
    pub batch_rows: usize,
    /// A grading table replacing the dataset's own (`--grading`; else jixiao.toml's).
    pub grading: Option<&'a Path>,
}

/// A dataset checked: its findings (sorted) and the row counts per table.
pub struct Checked {
    pub ds: Dataset,
    pub findings: Vec<Finding>,
    pub counts: Vec<TableCount>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        count(&self.findings, Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        count(&self.findings, Severity::Warning)
    }

    /// Errors in rows that were read (a bad cell, a dangling key): they stop the benchmarks.
    /// Rows set aside as broken are errors too, but the tables can be made without them.
    pub fn errors_in_rows_read(&self) -> usize {
        self.errors() - self.findings.iter().filter(|f| is_set_aside(f)).count()
    }

    /// Rows set aside as broken, in all tables.
    pub fn rows_set_aside(&self) -> usize {
        self.counts.iter().map(|c| c.rows_set_aside).sum()
    }
}

/// Units and evaluations loaded, the indicators ready to be read in batches.
fn open(input: &Input) -> Result<(Dataset, Vec<Finding>, IndicatorBatches)> {
    let (mut ds, findings, batches) =
        crate::dataset::load::load_evaluations_with(input.dataset, input.batch_rows, &input.read)?;
    if let Some(g) = options::grading_path(input.grading) {
        ds.set_grading(Grading::from_file(&g)?);
    }
    Ok((ds, findings, batches))
}

/// Every check of a dataset, its indicators read a batch at a time (memory stays flat).
pub fn validate(input: &Input) -> Result<Checked> {
    let (mut ds, mut findings, batches) = open(input)?;
    let eval_ids = ds.evaluations.column("eval_id")?.str()?.clone();
    let index = EvalIndex::new(&eval_ids);
    validate::validate_evaluations(&ds, &index, &mut findings)?;
    let counts = validate::validate_streamed(&mut ds, &index, batches, &mut findings, |_| Ok(()))?;
    Ok(Checked {
        ds,
        findings,
        counts,
    })
}

/// A dataset loaded whole (a broken row refuses it) and checked; `grading` replaces the
/// dataset's grading table.
pub fn load_checked(dataset: &Path, grading: Option<&Path>) -> Result<Checked> {
    let (mut ds, mut findings) = crate::dataset::load(dataset)?;
    if let Some(g) = grading {
        ds.set_grading(Grading::from_file(g)?);
    }
    let counts = validate::validate(&ds, &mut findings)?;
    Ok(Checked {
        ds,
        findings,
        counts,
    })
}

/// A dataset loaded whole and checked (`load_checked`, with the grading table of jixiao.toml
/// if any), then benchmarked in memory, for display (charts, the report): no tables when
/// the data have errors.
pub fn bench_whole(
    dataset: &Path,
    opts: &bench::BenchOptions,
) -> Result<(Checked, Option<BenchTables>)> {
    let checked = load_checked(dataset, options::grading_path(None).as_deref())?;
    if checked.errors() > 0 {
        return Ok((checked, None));
    }
    let tables = bench::run(&checked.ds, opts)?;
    Ok((checked, Some(tables)))
}

/// What `bench` computes and where its tables go.
#[derive(Debug, Clone)]
pub struct BenchRequest<'a> {
    pub input: Input<'a>,
    /// A deduction cause rules file (`--causes`; else jixiao.toml's, else the built-in).
    pub causes: Option<&'a Path>,
    pub leniency_threshold: Option<f64>,
    pub leniency_reference: Option<String>,
    /// The output folder.
    pub out: &'a Path,
    pub format: Format,
    /// With Parquet: hive folders by these columns where a table has them.
    pub partition_by: &'a [String],
}

/// When each phase of `bench` ended.
#[derive(Debug, Clone, Copy)]
pub struct Timings {
    pub evaluations: Instant,
    pub indicators: Instant,
    pub benchmarks: Instant,
}

/// The outcome of `bench`.
pub struct Benched {
    pub checked: Checked,
    /// findings.csv, written in every case.
    pub findings_path: PathBuf,
    /// The tables, unless errors in rows that were read stopped them.
    pub tables: Option<BenchTables>,
    /// The files written (findings.csv aside).
    pub written: Vec<PathBuf>,
    /// Whether the indicators were read in several batches.
    pub streamed: bool,
    /// None when the tables were not made.
    pub timings: Option<Timings>,
}

/// Check a dataset and make every benchmark table: the indicators stream through in batches
/// (typed, keyed, checked, fed to the benchmarks' pass, their deduction detail written as it
/// is made when there are several), while the tables that need only the evaluations are
/// computed on a second thread. Errors in rows that were read stop it before the tables are
/// written (findings.csv is written in every case). `progress` hears what it is doing.
pub fn bench(req: &BenchRequest, progress: &dyn Fn(String)) -> Result<Benched> {
    let mut laps = crate::profile::Laps::start();
    let (mut ds, mut findings, mut batches) = open(&req.input)?;
    batches.read_only(bench::INDICATOR_COLUMNS);
    laps.lap("load units and evaluations");
    let mut opts = options::bench_options(req.causes, req.leniency_threshold)?;
    if req.leniency_reference.is_some() {
        opts.leniency_reference = req.leniency_reference.clone();
    }
    let known_rows = batches.known_rows();
    let batch_rows = req.input.batch_rows;
    let streamed = known_rows.is_none_or(|rows| rows > batch_rows);
    if !req.partition_by.is_empty() && req.format != Format::Parquet {
        return Err(JxError::usage_like(
            "--partition-by needs --format parquet.",
        ));
    }
    ensure_dir(req.out)?;
    progress(format!("checking {} evaluations", ds.evaluations.height()));
    // The eval_id index keys every indicator batch and finds the repeated ids.
    let eval_ids = ds.evaluations.column("eval_id")?.str()?.clone();
    let index = EvalIndex::new(&eval_ids);
    validate::validate_evaluations(&ds, &index, &mut findings)?;
    let facts = ds.facts()?;
    laps.lap("check evaluations, facts");
    let t_evals = Instant::now();
    // The indicators, a batch at a time: typed, keyed, checked, and fed to the benchmarks.
    let mut pass = bench::indicator_pass::IndicatorPass::new(&facts, &opts.causes)?;
    let mut sink = if streamed {
        Some(bench::detail_sink::DetailSink::new(
            req.out,
            req.format,
            req.partition_by,
        )?)
    } else {
        None
    };
    let mut kept_detail = Vec::new();
    let mut seen = 0usize;
    // The tables that need only the evaluations are computed on a second thread meanwhile
    // (and thrown away if the data turn out to have errors).
    // Encoded for writing there too, unless partitioned (split by column values later).
    let encode = req.partition_by.is_empty().then_some(req.format);
    let (counts, per_evaluation) = std::thread::scope(|scope| -> Result<_> {
        let per_evaluation = scope.spawn(|| bench::evaluation_tables(&facts, &opts, encode));
        let counts =
            validate::validate_streamed(&mut ds, &index, batches, &mut findings, |batch| {
                let detail = pass.feed(batch)?;
                match sink.as_mut() {
                    Some(s) => s.push(&detail)?,
                    None => kept_detail.push(detail),
                }
                seen += batch.height();
                progress(match known_rows {
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
    let findings_path = sinks::write_findings(req.out, &findings)?;
    let checked = Checked {
        ds,
        findings,
        counts,
    };
    if checked.errors_in_rows_read() > 0 {
        return Ok(Benched {
            checked,
            findings_path,
            tables: None,
            written: Vec::new(),
            streamed,
            timings: None,
        });
    }
    let t_indicators = Instant::now();
    progress("benchmarks".to_string());
    let detail = stack(kept_detail)?;
    let mut tables = bench::tables(&checked.ds, &facts, &pass, detail, per_evaluation?)?;
    if checked.rows_set_aside() > 0 {
        // Said in the summary too, so that a reader of the tables knows rows are missing.
        tables.summary["rows_set_aside"] = serde_json::json!(checked
            .counts
            .iter()
            .filter(|c| c.rows_set_aside > 0)
            .map(|c| (c.table.clone(), c.rows_set_aside))
            .collect::<std::collections::BTreeMap<_, _>>());
    }
    let t_benchmarks = Instant::now();
    progress("writing tables".to_string());
    let mut written = Vec::new();
    if let Some(s) = sink {
        tables.deductions_detail_written = Some(s.finish()?);
    }
    written.extend(if req.partition_by.is_empty() {
        tables.write(req.out, req.format)?
    } else {
        tables.write_partitioned(req.out, req.partition_by)?
    });
    Ok(Benched {
        checked,
        findings_path,
        tables: Some(tables),
        written,
        streamed,
        timings: Some(Timings {
            evaluations: t_evals,
            indicators: t_indicators,
            benchmarks: t_benchmarks,
        }),
    })
}

/// The deduction detail batches kept in memory, as one frame.
fn stack(mut parts: Vec<DataFrame>) -> Result<DataFrame> {
    Ok(match parts.len() {
        0 => DataFrame::empty(),
        1 => parts.pop().unwrap_or_default(),
        _ => {
            let mut all = parts.remove(0);
            for d in &parts {
                all.vstack_mut(d)?;
            }
            all
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("datasets")
            .join(name)
    }

    /// A fresh folder under the system's temporary one.
    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("jixiao-engine-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// The synthetic panel with one score that is not a number (an error in a row read).
    fn with_a_bad_score(tag: &str) -> PathBuf {
        let d = scratch(&format!("bad-score-{tag}"));
        for f in ["units.csv", "evaluations.csv"] {
            std::fs::copy(bundled("synthetic").join(f), d.join(f)).unwrap();
        }
        let text = std::fs::read_to_string(bundled("synthetic").join("indicators.csv")).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let header: Vec<&str> = lines[0].split(',').collect();
        let score = header.iter().position(|c| *c == "score").unwrap();
        let mut cells: Vec<String> = lines[2000].split(',').map(str::to_string).collect();
        cells[score] = "abc".into();
        lines[2000] = cells.join(",");
        std::fs::write(d.join("indicators.csv"), lines.join("\n") + "\n").unwrap();
        d
    }

    fn input(dataset: &Path, batch_rows: usize) -> Input<'_> {
        Input {
            dataset,
            read: ReadOptions::default(),
            batch_rows,
            grading: None,
        }
    }

    fn as_json<T: serde::Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap()
    }

    /// The indicators checked in batches find what the whole dataset checked in memory finds.
    #[test]
    fn streamed_and_whole_checks_agree() {
        let bad = with_a_bad_score("checks");
        for dataset in [bundled("synthetic"), bundled("extracted"), bad.clone()] {
            let streamed = validate(&input(&dataset, 997)).unwrap();
            let whole = load_checked(&dataset, None).unwrap();
            assert_eq!(as_json(&streamed.findings), as_json(&whole.findings));
            assert_eq!(as_json(&streamed.counts), as_json(&whole.counts));
            assert_eq!(streamed.ds.indicator_rows, whole.ds.indicator_rows);
        }
        assert_eq!(validate(&input(&bad, 997)).unwrap().errors(), 1);
        let _ = std::fs::remove_dir_all(bad);
    }

    /// bench with its indicators streamed in batches makes the tables `bench_whole` makes
    /// in memory; errors in rows read stop it after findings.csv.
    #[test]
    fn streamed_bench_equals_bench_whole() {
        let out = scratch("bench-out");
        let dataset = bundled("synthetic");
        let req = |input| BenchRequest {
            input,
            causes: None,
            leniency_threshold: None,
            leniency_reference: None,
            out: &out,
            format: Format::Csv,
            partition_by: &[],
        };
        let benched = bench(&req(input(&dataset, 997)), &|_| ()).unwrap();
        assert!(benched.streamed);
        let streamed = benched.tables.unwrap();
        assert!(streamed.deductions_detail_written.is_some());
        let (checked, whole) =
            bench_whole(&dataset, &options::bench_options(None, None).unwrap()).unwrap();
        assert_eq!(checked.errors(), 0);
        let whole = whole.unwrap();
        for ((name, a), (_, b)) in streamed.named().into_iter().zip(whole.named()) {
            if name != "deductions_detail" {
                assert!(a.equals_missing(b), "{name} differs");
            }
        }
        assert_eq!(streamed.summary, whole.summary);

        let bad = with_a_bad_score("bench");
        let refused = bench(&req(input(&bad, 997)), &|_| ()).unwrap();
        assert!(refused.tables.is_none() && refused.written.is_empty());
        assert_eq!(refused.checked.errors_in_rows_read(), 1);
        assert!(refused.findings_path.exists());
        let _ = std::fs::remove_dir_all(bad);
        let _ = std::fs::remove_dir_all(out);
    }
}
