//! The benchmarks, one module each. `run` builds every table from a loaded dataset;
//! `BenchTables::write` writes them. Nothing here knows about charts, reports or the CLI.

pub mod causes;
pub mod deductions;
pub(crate) mod detail_sink;
pub mod execution;
pub(crate) mod indicator_pass;
pub mod inflation;
pub mod leniency;
pub mod peers;
pub mod rankings;
pub mod scores;
pub(crate) mod stats;
pub mod summary;

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::dataset::write::{write_atomic, write_table, Format};
use crate::dataset::Dataset;
use crate::error::Result;
use causes::CauseRules;
use indicator_pass::IndicatorPass;

/// The indicator columns the benchmarks use (the rest of the contract's, the target and
/// actual values, appear in no table): bench reads only these, and the deduction detail
/// carries them all (`deductions::deductions_detail`).
pub const INDICATOR_COLUMNS: &[&str] = &[
    "eval_id",
    "level1",
    "level2",
    "level3",
    "level4",
    "max_points",
    "score",
    "reason",
    "source",
];

#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub leniency_threshold: f64,
    pub causes: CauseRules,
    /// Peers are the district's units when it has at least this many, else the province's.
    pub min_district_units: u32,
    /// Leniency effects read against this evaluator (name or type:name) instead of the
    /// other evaluators.
    pub leniency_reference: Option<String>,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            leniency_threshold: leniency::DEFAULT_THRESHOLD,
            causes: CauseRules::default(),
            min_district_units: peers::MIN_DISTRICT_UNITS,
            leniency_reference: None,
        }
    }
}

/// Every benchmark table, named as in the output contract.
#[derive(Clone)]
pub struct BenchTables {
    pub execution: DataFrame,
    pub scores: DataFrame,
    pub rankings: DataFrame,
    pub rankings_level1: DataFrame,
    pub deductions: DataFrame,
    pub deductions_detail: DataFrame,
    pub inflation: DataFrame,
    pub inflation_summary: DataFrame,
    pub inflation_evaluators: DataFrame,
    pub inflation_distribution: DataFrame,
    pub leniency: DataFrame,
    /// summary.json's inflation headlines (one gap per self score), per reference type.
    pub inflation_headline: Vec<inflation::Headline>,
    pub summary: serde_json::Value,
    /// Set when the deduction detail was written batch by batch (`detail_sink`) rather than
    /// kept in `deductions_detail`.
    pub deductions_detail_written: Option<PathBuf>,
    /// Tables already encoded for writing in this format (`evaluation_tables` with `encode`).
    pub encoded: Option<(Format, Vec<(&'static str, Vec<u8>)>)>,
}

/// Every table from a dataset held in memory (its indicators are one batch).
pub fn run(ds: &Dataset, opts: &BenchOptions) -> Result<BenchTables> {
    let facts = ds.facts()?;
    let per_evaluation = evaluation_tables(&facts, opts, None)?;
    let mut pass = IndicatorPass::new(&facts, &opts.causes)?;
    let detail = pass.feed(&ds.indicators_keyed()?)?;
    tables(ds, &facts, &pass, detail, per_evaluation)
}

/// The tables that need only the evaluations (no indicator rows): they can be computed while
/// the indicators stream through.
pub struct EvaluationTables {
    execution: DataFrame,
    scores: DataFrame,
    inflation: DataFrame,
    inflation_summary: DataFrame,
    inflation_evaluators: DataFrame,
    inflation_headline: Vec<inflation::Headline>,
    inflation_distribution: DataFrame,
    leniency: DataFrame,
    /// Not a table yet: the rankings' evaluations (`rankings::ranked_departments`).
    ranked_departments: DataFrame,
    encoded: Option<(Format, Vec<(&'static str, Vec<u8>)>)>,
}

/// `encode`: also encode the tables as files of this format, so that a caller computing them
/// alongside other work (bench's indicator stream) has that done too by the time it writes.
pub fn evaluation_tables(
    facts: &DataFrame,
    opts: &BenchOptions,
    encode: Option<Format>,
) -> Result<EvaluationTables> {
    let mut laps = crate::profile::Laps::start();
    let mut lap = |what: &str| laps.lap(what);
    let f = || facts.clone().lazy();
    // The tables that need nothing but the facts, planned together and collected at once.
    let [execution, scores, inflation_distribution]: [DataFrame; 3] =
        LazyFrame::collect_all_with_engine(
            vec![
                execution::execution(f(), opts.min_district_units)?.logical_plan,
                scores::scores(f()).logical_plan,
                inflation::distribution(f()).logical_plan,
            ],
            Engine::Auto,
            OptFlags::default(),
        )?
        .try_into()
        .map_err(|_| {
            crate::error::JxError::internal("collect_all gave another number of tables")
        })?;
    lap("execution, scores, inflation distribution");
    // Leniency first: inflation's adjusted gaps and the rankings' adjusted scores and rank
    // intervals use its pooled fit.
    let leniency::Leniency {
        table: leniency,
        pooled,
    } = leniency::leniency(
        f(),
        &leniency::LeniencyOptions {
            threshold: opts.leniency_threshold,
            reference: opts.leniency_reference.clone(),
        },
    )?;
    lap("leniency");
    let inflation = inflation::with_adjusted(inflation::pairs(f()).collect()?, &pooled)?;
    let pair_set = inflation::pair_set(&inflation, &pooled);
    let inflation_summary = inflation::summary(&inflation, &pair_set, &pooled)?;
    let inflation_evaluators = inflation::evaluators(&pair_set, &pooled)?;
    let inflation_headline = inflation::headline(&pair_set, &pooled);
    lap("inflation");
    let ranked_departments = rankings::ranked_departments(f(), opts.min_district_units, &pooled)?;
    lap("ranked departments");
    let mut tables = EvaluationTables {
        execution,
        scores,
        inflation,
        inflation_summary,
        inflation_evaluators,
        inflation_headline,
        inflation_distribution,
        leniency,
        ranked_departments,
        encoded: None,
    };
    if let Some(format) = encode.filter(|f| *f != Format::Xlsx) {
        use rayon::prelude::*;
        let named = [
            ("execution", &tables.execution),
            ("scores", &tables.scores),
            ("inflation", &tables.inflation),
            ("inflation_summary", &tables.inflation_summary),
            ("inflation_evaluators", &tables.inflation_evaluators),
            ("inflation_distribution", &tables.inflation_distribution),
            ("leniency", &tables.leniency),
        ];
        let encoded = named
            .par_iter()
            .filter_map(|(name, df)| {
                crate::dataset::write::table_bytes(df, format)
                    .transpose()
                    .map(|bytes| bytes.map(|b| (*name, b)))
            })
            .collect::<Result<Vec<_>>>()?;
        tables.encoded = Some((format, encoded));
        lap("encode evaluation tables");
    }
    Ok(tables)
}

/// Every table, once `pass` has seen every indicator batch (`deductions_detail`: the detail
/// rows kept, or an empty frame when they were written batch by batch).
pub fn tables(
    ds: &Dataset,
    facts: &DataFrame,
    pass: &IndicatorPass,
    deductions_detail: DataFrame,
    per_evaluation: EvaluationTables,
) -> Result<BenchTables> {
    let mut laps = crate::profile::Laps::start();
    // Independent: the deductions (small, mostly on one thread) alongside the rankings.
    let (ranked, deductions) = rayon::join(
        || -> Result<_> {
            let level1 = pass.level1()?;
            rankings::rankings(per_evaluation.ranked_departments.clone(), level1)
        },
        || -> Result<_> { Ok(pass.deductions()?.collect()?) },
    );
    let ((rankings, rankings_level1), deductions) = (ranked?, deductions?);
    laps.lap("rankings and deductions");
    let e = per_evaluation;
    let mut tables = BenchTables {
        execution: e.execution,
        scores: e.scores,
        rankings,
        rankings_level1,
        deductions,
        deductions_detail,
        inflation: e.inflation,
        inflation_summary: e.inflation_summary,
        inflation_evaluators: e.inflation_evaluators,
        inflation_headline: e.inflation_headline,
        inflation_distribution: e.inflation_distribution,
        leniency: e.leniency,
        summary: serde_json::Value::Null,
        deductions_detail_written: None,
        encoded: e.encoded,
    };
    tables.summary = summary::summary(ds, facts, &tables)?;
    Ok(tables)
}

impl BenchTables {
    pub fn named(&self) -> Vec<(&'static str, &DataFrame)> {
        vec![
            ("execution", &self.execution),
            ("scores", &self.scores),
            ("rankings", &self.rankings),
            ("rankings_level1", &self.rankings_level1),
            ("deductions", &self.deductions),
            ("deductions_detail", &self.deductions_detail),
            ("inflation", &self.inflation),
            ("inflation_summary", &self.inflation_summary),
            ("inflation_evaluators", &self.inflation_evaluators),
            ("inflation_distribution", &self.inflation_distribution),
            ("leniency", &self.leniency),
        ]
    }

    /// The tables still to be written: all but a deduction detail already written batch by
    /// batch.
    fn to_write(&self) -> Vec<(&'static str, &DataFrame)> {
        self.named()
            .into_iter()
            .filter(|(name, _)| {
                *name != "deductions_detail" || self.deductions_detail_written.is_none()
            })
            .collect()
    }

    /// Parquet tables partitioned (hive folders) by the given columns where a table has them.
    pub fn write_partitioned(&self, dir: &Path, by: &[String]) -> Result<Vec<PathBuf>> {
        crate::dataset::write::ensure_dir(dir)?;
        let mut written = Vec::new();
        written.extend(self.deductions_detail_written.clone());
        for (name, df) in self.to_write() {
            written.extend(crate::dataset::write::write_partitioned(dir, name, df, by)?);
        }
        let p = dir.join("summary.json");
        let text = serde_json::to_string_pretty(&self.summary).unwrap_or_default() + "\n";
        write_atomic(&p, text.as_bytes())?;
        written.push(p);
        Ok(written)
    }

    pub fn write(&self, dir: &Path, format: Format) -> Result<Vec<PathBuf>> {
        crate::dataset::write::ensure_dir(dir)?;
        let mut written = Vec::new();
        if format == Format::Xlsx {
            // One workbook, a sheet per table, for people who work in Excel.
            let p = dir.join("bench.xlsx");
            crate::excel::write::write_workbook(&p, &self.named())?;
            written.push(p);
        }
        written.extend(self.deductions_detail_written.clone());
        // The tables are independent: written in parallel (each one atomically).
        use rayon::prelude::*;
        let tables: Vec<(&str, &DataFrame)> = self
            .to_write()
            .into_iter()
            .filter(|_| format != Format::Xlsx)
            .collect();
        // Internal helper columns (tiers) are kept: they are documented extensions.
        let encoded = |name: &str| -> Option<&Vec<u8>> {
            let (f, tables) = self.encoded.as_ref()?;
            (*f == format)
                .then(|| tables.iter().find(|(n, _)| *n == name).map(|(_, b)| b))
                .flatten()
        };
        written.extend(
            tables
                .par_iter()
                .map(|(name, df)| match encoded(name) {
                    Some(bytes) => {
                        let path = crate::dataset::write::table_path(dir, name, format);
                        write_atomic(&path, bytes)?;
                        Ok(path)
                    }
                    None => write_table(dir, name, df, format),
                })
                .collect::<Result<Vec<_>>>()?,
        );
        let p = dir.join("summary.json");
        let text = serde_json::to_string_pretty(&self.summary).unwrap_or_default() + "\n";
        write_atomic(&p, text.as_bytes())?;
        written.push(p);
        Ok(written)
    }
}
