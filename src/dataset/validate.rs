//! `validate`: structural checks (errors: duplicate ids, dangling keys, bad cells) and the
//! reports' own arithmetic (warnings: scores out of range, sums that do not add up, stated
//! rates and grades that do not follow from the numbers, blank totals).

use polars::prelude::*;
use rust_decimal::Decimal;

use super::decimal::{decimal_at, f64_at, fmt, text_at};
use super::enrich::cols;
use super::findings::{Finding, Severity};
use super::keys::{EvalIndex, EVAL};
use super::load::Dataset;
use super::load::IndicatorBatches;
use super::schema::ROW;
use crate::error::Result;

/// Tolerances the issue fixes: indicator sums vs total (points), stated vs computed rate
/// (percentage points).
pub const SUM_TOLERANCE: &str = "0.01";
pub const RATE_TOLERANCE: f64 = 0.1;

/// Row counts per table, so the summary shows every row was used or reported:
/// `rows` = `rows_clean` + `rows_with_warnings_only` + `rows_with_errors` + `rows_set_aside`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableCount {
    pub table: String,
    pub file: String,
    /// The encoding the file was read in ("UTF-8", "GB18030", ...; "parquet").
    pub encoding: String,
    pub rows: usize,
    pub rows_with_errors: usize,
    pub rows_with_warnings_only: usize,
    pub rows_clean: usize,
    /// Rows not read: structurally broken (see `csv_rows`), each an error finding.
    pub rows_set_aside: usize,
}

pub fn validate(ds: &Dataset, findings: &mut Vec<Finding>) -> Result<Vec<TableCount>> {
    let mut laps = crate::profile::Laps::start();
    let eval_ids = ds.evaluations.column("eval_id")?.str()?.clone();
    let index = EvalIndex::new(&eval_ids);
    validate_evaluations(ds, &index, findings)?;
    laps.lap("validate: evaluations");
    let keyed = ds.indicators_keyed()?;
    indicator_batch_checks(&keyed, findings)?;
    laps.lap("validate: indicator rows");
    let mut sums = EvalSums::new(ds.evaluations.height());
    sums.add(&keyed)?;
    for f in findings.iter().filter(|f| {
        f.table == "indicators" && super::findings::is_set_aside(f) && f.check != "parent_set_aside"
    }) {
        let key = StringChunked::new("k".into(), [f.key.as_str()]);
        sums.lost_row(index.positions(&key).get(0));
    }
    for (k, _) in ds
        .inputs
        .iter()
        .filter(|i| i.table == "indicators")
        .flat_map(|i| &i.lost_keys)
    {
        let key = StringChunked::new("k".into(), [k.as_str()]);
        sums.lost_row(index.positions(&key).get(0));
    }
    check_sums(ds, &sums, findings)?;
    laps.lap("validate: sums");
    Ok(finish(ds, findings))
}

/// The checks on units and evaluations (everything but the indicator rows); `index`: the
/// evaluations' eval_ids (`EvalIndex::new`), which also knows the repeated ones.
pub fn validate_evaluations(
    ds: &Dataset,
    index: &EvalIndex,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    let mut laps = crate::profile::Laps::start();
    duplicates(ds, index, findings)?;
    laps.lap("  evaluations: duplicates");
    dangling_evaluations(ds, findings)?;
    laps.lap("  evaluations: dangling units");
    ranges(ds, findings)?;
    laps.lap("  evaluations: ranges");
    stated_rates_and_grades(ds, findings)?;
    laps.lap("  evaluations: facts, rates, grades");
    no_grading_scheme(ds.facts()?.lazy(), findings)?;
    laps.lap("  evaluations: grading schemes");
    Ok(())
}

/// Sort the findings and count rows per table (after every check has run).
pub fn finish(ds: &Dataset, findings: &mut [Finding]) -> Vec<TableCount> {
    super::findings::sort(findings);
    counts(ds, findings)
}

/// The checks that look at one indicator row at a time, on a batch of indicators with their
/// `__eval` key: eval_ids not in evaluations, scores outside 0..max_points.
pub fn indicator_batch_checks(keyed: &DataFrame, out: &mut Vec<Finding>) -> Result<()> {
    indicator_checks(keyed, 0, out)
}

/// `indicator_batch_checks`; `lost`: evaluation rows set aside as broken, one of which a
/// dangling eval_id may have been (said in its finding).
fn indicator_checks(keyed: &DataFrame, lost: usize, out: &mut Vec<Finding>) -> Result<()> {
    let hint = match lost {
        0 => String::new(),
        1 => " (or it was the evaluation whose row was set aside as broken: see its finding)"
            .to_string(),
        n => format!(" (or it was one of the {n} evaluations whose rows were set aside as broken: see their findings)"),
    };
    // Their eval_id was looked up at load (`keys`); null means not found.
    let d = rows_where(
        keyed,
        col("eval_id").is_not_null().and(col(EVAL).is_null()),
        &["eval_id"],
    )?;
    let error = (Severity::Error, "indicators", "dangling_key");
    per_row(&d, error, "eval_id", out, |i| {
        let v = text(&d, "eval_id", i)?;
        Ok(format!(
            "eval_id '{v}' is not in evaluations; add it there or fix the id{hint}."
        ))
    })?;
    indicator_ranges(keyed, out)
}

/// Every check on a dataset whose indicators are read in batches (`load_evaluations`): the
/// evaluation checks, then each batch keyed (`__eval`), checked row by row and handed to
/// `each` (the benchmarks' pass, or nothing), then the sum check over all batches. Updates
/// `ds.indicator_rows` (known only at the end for a CSV read in chunks); returns the counts.
pub fn validate_streamed(
    ds: &mut Dataset,
    index: &EvalIndex,
    mut batches: IndicatorBatches,
    findings: &mut Vec<Finding>,
    mut each: impl FnMut(&DataFrame) -> Result<()>,
) -> Result<Vec<TableCount>> {
    let mut laps = crate::profile::Laps::start();
    let mut sums = EvalSums::new(ds.evaluations.height());
    let mut seen = findings.len();
    let mut cascaded = 0;
    // Evaluation rows set aside as broken: a dangling eval_id may be one of theirs, damaged
    // past recognition.
    let lost_unnamed = findings
        .iter()
        .filter(|f| {
            f.table == "evaluations"
                && super::findings::is_set_aside(f)
                && f.check != "parent_set_aside"
        })
        .count();
    while let Some(mut batch) = batches.next_batch(findings)? {
        laps.lap("batch: read and type");
        let mut keys = index.positions(batch.column("eval_id")?.str()?);
        if !ds.lost_evals.is_empty() {
            // The findings after `seen` are this batch's: those of rows set aside go too.
            let mut found = findings.split_off(seen);
            let n = super::load::set_aside_orphans(ds, &mut batch, &keys, &mut found)?;
            findings.extend(found);
            if n > 0 {
                cascaded += n;
                keys = index.positions(batch.column("eval_id")?.str()?);
            }
        }
        // An evaluation one of whose indicator rows was set aside cannot be summed.
        for f in &findings[seen..] {
            if f.table == "indicators"
                && super::findings::is_set_aside(f)
                && f.check != "parent_set_aside"
            {
                let key = StringChunked::new("k".into(), [f.key.as_str()]);
                sums.lost_row(index.positions(&key).get(0));
            }
        }
        seen = findings.len();
        batch.with_column(keys.into_column())?;
        indicator_checks(&batch, lost_unnamed, findings)?;
        sums.add(&batch)?;
        laps.lap("batch: keys, checks, sums");
        each(&batch)?;
        laps.lap("batch: benchmarks' pass");
    }
    for (k, _) in &batches.input.lost_keys {
        let key = StringChunked::new("k".into(), [k.as_str()]);
        sums.lost_row(index.positions(&key).get(0));
    }
    check_sums(ds, &sums, findings)?;
    laps.lap("indicators: sum check");
    ds.indicator_rows = batches.rows_read() - cascaded;
    if let Some(input) = ds.inputs.iter_mut().find(|i| i.table == "indicators") {
        *input = batches.input.clone();
        input.rows = ds.indicator_rows;
        input.set_aside += cascaded;
    }
    let counts = finish(ds, findings);
    laps.lap("findings sorted and counted");
    Ok(counts)
}

/// Per evaluation, by its position: the sum of its indicator scores, its blank scores and
/// its rows, added in place batch by batch, so the sum check needs neither a group_by of each
/// batch nor a regrouping of their concatenation nor a join with the evaluations.
pub struct EvalSums {
    sum_score: Vec<i128>,
    n_blank: Vec<u32>,
    n_rows: Vec<u32>,
}

impl EvalSums {
    /// Zero sums for `n` evaluations.
    pub fn new(n: usize) -> EvalSums {
        EvalSums {
            sum_score: vec![0; n],
            n_blank: vec![0; n],
            n_rows: vec![0; n],
        }
    }

    /// Add the rows of one batch of indicators with `__eval` (rows with none are dangling,
    /// reported elsewhere, and not summed).
    /// An indicator row of evaluation `e` (if known) was set aside: its sum is not checked,
    /// as with a blank score.
    pub fn lost_row(&mut self, e: Option<u32>) {
        if let Some(e) = e {
            self.n_blank[e as usize] += 1;
        }
    }

    pub fn add(&mut self, keyed: &DataFrame) -> Result<()> {
        let eval = keyed.column(EVAL)?.u32()?;
        let score = keyed.column("score")?.decimal()?.physical();
        for (e, s) in eval.iter().zip(score.iter()) {
            if let Some(e) = e {
                let e = e as usize;
                self.n_rows[e] += 1;
                match s {
                    Some(s) => self.sum_score[e] += s,
                    None => self.n_blank[e] += 1,
                }
            }
        }
        Ok(())
    }

    /// As columns aligned with the evaluations (blank for an evaluation without indicators).
    fn columns(&self) -> Result<[Column; 3]> {
        let has_rows = |e: usize| self.n_rows[e] > 0;
        let n = self.n_rows.len();
        let sum: Int128Chunked = (0..n)
            .map(|e| has_rows(e).then_some(self.sum_score[e]))
            .collect();
        let sum = sum
            .into_decimal(super::schema::PRECISION, super::schema::SCALE)?
            .into_series()
            .with_name("sum_score".into());
        let count = |v: &[u32], name: &str| -> Column {
            let c: UInt32Chunked = (0..n).map(|e| has_rows(e).then_some(v[e])).collect();
            c.with_name(name.into()).into_column()
        };
        Ok([
            sum.into_column(),
            count(&self.n_blank, "n_blank"),
            count(&self.n_rows, "n_rows"),
        ])
    }
}

fn rows_where(df: &DataFrame, pred: Expr, cols_: &[&str]) -> Result<DataFrame> {
    let mut sel = vec![col(ROW)];
    let mut seen = std::collections::HashSet::new();
    sel.extend(cols_.iter().filter(|c| seen.insert(**c)).map(|c| col(*c)));
    Ok(df.clone().lazy().filter(pred).select(sel).collect()?)
}

fn row_of(df: &DataFrame, i: usize) -> u64 {
    df.column(ROW)
        .ok()
        .and_then(|c| c.get(i).ok())
        .and_then(|v| v.extract::<u64>())
        .unwrap_or(0)
}

/// One finding (severity, table, check) per row of `d` (rows selected with `__row`), keyed by
/// the row's `key` column, its message made from the row's index.
fn per_row(
    d: &DataFrame,
    (severity, table, check): (Severity, &str, &str),
    key: &str,
    out: &mut Vec<Finding>,
    message: impl Fn(usize) -> Result<String>,
) -> Result<()> {
    for i in 0..d.height() {
        let k = text(d, key, i)?;
        out.push(Finding::new(
            severity,
            table,
            k,
            row_of(d, i),
            check,
            message(i)?,
        ));
    }
    Ok(())
}

/// The text in column `c` at row `i` ("" when blank).
fn text(d: &DataFrame, c: &str, i: usize) -> Result<String> {
    Ok(text_at(d.column(c)?, i).unwrap_or_default())
}

/// The decimal in column `c` at row `i` as printed in messages ("(blank)" when blank).
fn num(d: &DataFrame, c: &str, i: usize) -> Result<String> {
    Ok(fmt_o(decimal_at(d.column(c)?, i)))
}

fn duplicates(ds: &Dataset, index: &EvalIndex, out: &mut Vec<Finding>) -> Result<()> {
    let repeated_units = super::keys::repeated_rows(ds.units.column("unit_id")?.str()?);
    for (table, df, key, rows) in [
        ("units", &ds.units, "unit_id", repeated_units),
        (
            "evaluations",
            &ds.evaluations,
            "eval_id",
            index.repeated_rows.clone(),
        ),
    ] {
        let d = df
            .select([ROW, key])?
            .take(&IdxCa::from_vec(PlSmallStr::EMPTY, rows))?;
        per_row(
            &d,
            (Severity::Error, table, "duplicate_id"),
            key,
            out,
            |i| {
                let k = text(&d, key, i)?;
                Ok(format!("{key} '{k}' appears more than once in {table}; each must be unique (two copies of the same report?)."))
            },
        )?;
    }
    Ok(())
}

fn dangling_evaluations(ds: &Dataset, out: &mut Vec<Finding>) -> Result<()> {
    let known_units = ds.units.column("unit_id")?.as_materialized_series().clone();
    let d = rows_where(
        &ds.evaluations,
        col("unit_id").is_not_null().and(
            col("unit_id")
                .is_in(lit(known_units).implode(false), false)
                .not(),
        ),
        &["unit_id", "eval_id"],
    )?;
    let error = (Severity::Error, "evaluations", "dangling_key");
    per_row(&d, error, "eval_id", out, |i| {
        let v = text(&d, "unit_id", i)?;
        Ok(format!(
            "unit_id '{v}' is not in units; add it there or fix the id."
        ))
    })
}

/// Zero as a contract decimal: range checks compare the exact values (a cast to float cost
/// time at scale: README, Measured figures).
fn zero() -> Expr {
    lit(0).cast(crate::dataset::schema::decimal_dtype())
}

fn ranges(ds: &Dataset, out: &mut Vec<Finding>) -> Result<()> {
    let f = |c: &str| col(c);
    let e = &ds.evaluations;
    let d = rows_where(
        e,
        f("total_score")
            .gt(f("max_score"))
            .or(f("total_score").lt(zero())),
        &["eval_id", "total_score", "max_score"],
    )?;
    let warning = |check| (Severity::Warning, "evaluations", check);
    per_row(&d, warning("score_out_of_range"), "eval_id", out, |i| {
        Ok(format!(
            "total_score {} is outside 0..max_score {}.",
            num(&d, "total_score", i)?,
            num(&d, "max_score", i)?
        ))
    })?;
    let d = rows_where(e, f("max_score").lt_eq(lit(0.0)), &["eval_id", "max_score"])?;
    let error = (Severity::Error, "evaluations", "max_not_positive");
    per_row(&d, error, "eval_id", out, |i| {
        Ok(format!(
            "max_score {} must be above 0.",
            num(&d, "max_score", i)?
        ))
    })?;
    for amount in ["budget_initial", "budget_full_year", "executed"] {
        let d = rows_where(e, f(amount).lt(lit(0.0)), &["eval_id", amount])?;
        per_row(&d, warning("negative_amount"), "eval_id", out, |i| {
            Ok(format!("{amount} is negative ({}).", num(&d, amount, i)?))
        })?;
    }
    // Blank totals: kept blank, reported so nobody mistakes them for zero.
    let d = rows_where(e, col("total_score").is_null(), &["eval_id"])?;
    per_row(&d, warning("blank_total"), "eval_id", out, |_| {
        Ok("total_score is blank; it stays blank and is left out of score statistics.".into())
    })
}

fn indicator_ranges(keyed: &DataFrame, out: &mut Vec<Finding>) -> Result<()> {
    let f = |c: &str| col(c);
    let d = rows_where(
        keyed,
        f("score")
            .gt(f("max_points"))
            .or(f("score").lt(zero()))
            .or(f("max_points").lt(zero())),
        &[
            "eval_id",
            "score",
            "max_points",
            "level1",
            "level2",
            "level3",
            "level4",
        ],
    )?;
    let warning = (Severity::Warning, "indicators", "score_out_of_range");
    per_row(&d, warning, "eval_id", out, |i| {
        Ok(format!(
            "indicator {}: score {} is outside 0..max_points {}.",
            indicator_name(&d, i),
            num(&d, "score", i)?,
            num(&d, "max_points", i)?
        ))
    })
}

fn indicator_name(d: &DataFrame, i: usize) -> String {
    ["level1", "level2", "level3", "level4"]
        .iter()
        .filter_map(|c| d.column(c).ok().and_then(|c| text_at(c, i)))
        .collect::<Vec<_>>()
        .join(" / ")
}

fn fmt_o(d: Option<Decimal>) -> String {
    d.map(fmt).unwrap_or_else(|| "(blank)".into())
}

/// Indicator scores that do not add up to the evaluation's total (`sums`: every batch's
/// rows added up).
pub fn check_sums(ds: &Dataset, sums: &EvalSums, out: &mut Vec<Finding>) -> Result<()> {
    let tol: f64 = SUM_TOLERANCE.parse().unwrap();
    let joined = ds
        .evaluations
        .select([ROW, "eval_id", "total_score"])?
        .hstack(&sums.columns()?)?
        .lazy()
        .filter(
            col("n_rows")
                .is_not_null()
                .and(col("total_score").is_not_null())
                .and(col("n_blank").eq(lit(0u32)))
                .and(
                    (col("sum_score").cast(DataType::Float64)
                        - col("total_score").cast(DataType::Float64))
                    .abs()
                    .gt(lit(tol)),
                ),
        )
        .select([
            col(ROW),
            col("eval_id"),
            col("sum_score"),
            col("total_score"),
            col("n_rows"),
        ])
        .collect()?;
    let d = &joined;
    let warning = (Severity::Warning, "evaluations", "indicator_sum");
    per_row(d, warning, "eval_id", out, |i| {
        Ok(format!(
            "the {} indicator scores add up to {}, but total_score is {} (tolerance {SUM_TOLERANCE}).",
            f64_at(d.column("n_rows")?, i).unwrap_or(0.0),
            num(d, "sum_score", i)?,
            num(d, "total_score", i)?
        ))
    })
}

/// Scored evaluations whose province and year no grading scheme covers (a grading.csv that
/// starts later, or names only other provinces and has no `*` row): their grade tier stays
/// blank. One warning per province and year, at its first row.
fn no_grading_scheme(facts: LazyFrame, out: &mut Vec<Finding>) -> Result<()> {
    let uncovered = facts
        .filter(
            col(cols::SCORE_100)
                .is_not_null()
                .and(col("fiscal_year").is_not_null())
                .and(col(cols::TIER).is_null()),
        )
        .group_by([col("province"), col("fiscal_year")])
        .agg([col(ROW).min(), len().alias("n")])
        .sort([ROW], Default::default())
        .collect()?;
    for i in 0..uncovered.height() {
        let province = text_at(uncovered.column("province")?, i).unwrap_or_else(|| "*".into());
        let year = f64_at(uncovered.column("fiscal_year")?, i).unwrap_or(0.0) as i32;
        let n = f64_at(uncovered.column("n")?, i).unwrap_or(0.0);
        out.push(Finding::new(
            Severity::Warning,
            "evaluations",
            format!("{province}/{year}"),
            row_of(&uncovered, i),
            "grading_scheme",
            format!("no grading scheme covers {province} {year} (grading.csv has no row for that province or *, from that year or earlier): its {n} scored evaluations get no grade tier (等级)."),
        ));
    }
    Ok(())
}

fn stated_rates_and_grades(ds: &Dataset, out: &mut Vec<Finding>) -> Result<()> {
    let facts = ds.facts()?.lazy();
    let rate = facts
        .clone()
        .filter(
            col("execution_rate_stated")
                .is_not_null()
                .and(col(cols::EXECUTION_RATE).is_not_null())
                .and(
                    (col(cols::EXECUTION_RATE).cast(DataType::Float64)
                        - col("execution_rate_stated").cast(DataType::Float64))
                    .abs()
                    .gt(lit(RATE_TOLERANCE)),
                ),
        )
        .select([
            col(ROW),
            col("eval_id"),
            col("executed"),
            col("budget_full_year"),
            col("execution_rate_stated"),
            col(cols::EXECUTION_RATE),
        ])
        .sort([ROW], Default::default())
        .collect()?;
    let warning = (Severity::Warning, "evaluations", "execution_rate_stated");
    per_row(&rate, warning, "eval_id", out, |i| {
        Ok(format!(
            "stated execution rate (预算执行率) {}% but executed {} / budget_full_year {} = {}% (tolerance {RATE_TOLERANCE} point).",
            num(&rate, "execution_rate_stated", i)?,
            num(&rate, "executed", i)?,
            num(&rate, "budget_full_year", i)?,
            num(&rate, cols::EXECUTION_RATE, i)?
        ))
    })?;
    let grades = facts
        .filter(col("grade").is_not_null())
        .filter(
            col(cols::STATED_TIER).is_null().or(col(cols::TIER)
                .is_not_null()
                .and(col(cols::TIER).neq(col(cols::STATED_TIER)))),
        )
        .select([
            col(ROW),
            col("eval_id"),
            col("grade"),
            col("total_score"),
            col("province"),
            col("fiscal_year"),
            col(cols::TIER),
            col(cols::STATED_TIER),
        ])
        .sort([ROW], Default::default())
        .collect()?;
    per_row(
        &grades,
        (Severity::Warning, "evaluations", "grade"),
        "eval_id",
        out,
        |i| {
            let g = text(&grades, "grade", i)?;
            Ok(if grades.column(cols::STATED_TIER)?.get(i)?.is_null() {
                format!("grade '{g}' is not a grade word jixiao knows (优/良/中/差, 优秀/良好/一般/较差, A-D); it cannot be checked.")
            } else {
                let prov = text_at(grades.column("province")?, i);
                let year = f64_at(grades.column("fiscal_year")?, i).unwrap_or(0.0) as i32;
                let scheme = ds.grading.scheme_for(prov.as_deref(), year);
                let tier = f64_at(grades.column(cols::TIER)?, i).unwrap_or(0.0) as usize;
                let expected = scheme
                    .and_then(|s| s.bands.get(tier.saturating_sub(1)))
                    .map(|b| b.grade.clone())
                    .unwrap_or_default();
                format!(
                "stated grade '{g}' does not match total_score {} under the grading scheme for {} {year} (expected '{expected}'); check grading.csv or the report.",
                num(&grades, "total_score", i)?,
                prov.unwrap_or_else(|| "*".into()),
            )
            })
        },
    )
}

fn counts(ds: &Dataset, findings: &[Finding]) -> Vec<TableCount> {
    let mut out = Vec::new();
    for (input, rows) in ds.inputs.iter().zip([
        ds.units.height(),
        ds.evaluations.height(),
        ds.indicator_rows,
    ]) {
        let mut err_rows = std::collections::BTreeSet::new();
        let mut warn_rows = std::collections::BTreeSet::new();
        // Rows set aside are not among `rows`; they are counted by the reader.
        for f in findings
            .iter()
            .filter(|f| f.table == input.table && f.row > 0 && !super::findings::is_set_aside(f))
        {
            match f.severity {
                Severity::Error => err_rows.insert(f.row),
                Severity::Warning => warn_rows.insert(f.row),
            };
        }
        let warn_only = warn_rows.difference(&err_rows).count();
        out.push(TableCount {
            table: input.table.to_string(),
            file: input.path.display().to_string(),
            encoding: input.encoding.to_string(),
            rows: rows + input.set_aside,
            rows_with_errors: err_rows.len(),
            rows_with_warnings_only: warn_only,
            rows_clean: rows - err_rows.len() - warn_only,
            rows_set_aside: input.set_aside,
        });
    }
    out
}
