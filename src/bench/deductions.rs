//! `deductions_detail.csv`: every indicator that lost points (扣分), with its cause;
//! `deductions.csv`: per fiscal year and cause, how many deductions, in how many evaluations,
//! the points lost, their share of all points lost that year, and the level-1 indicator
//! where the cause cost most.

use polars::prelude::*;

use super::causes::CauseRules;
use crate::dataset::keys::EVAL;
use crate::error::Result;

/// Every indicator that lost points, with its evaluation's columns and its cause, in the
/// order the indicators stand in their file. `facts` has one row per evaluation in the
/// evaluations' order and `indicators` the `__eval` key (`keys`), so the evaluation columns
/// are gathered by position rather than joined on eval_id text.
/// Returns the table and, aligned with its rows, integer keys for `deductions`
/// (`fiscal_year`, `__cause`: position in `rules.cause_names()`, `level1`, `points_lost`,
/// `__eval`).
pub fn deductions_detail(
    facts: &DataFrame,
    indicators: &DataFrame,
    rules: &CauseRules,
) -> Result<(DataFrame, DataFrame)> {
    let mut laps = crate::profile::Laps::start();
    let lost = indicators
        .clone()
        .lazy()
        .select([col(EVAL)
            .is_not_null()
            .and(col("score").is_not_null())
            .and(col("max_points").gt(col("score")))
            .fill_null(lit(false))
            .alias("lost")])
        .collect()?;
    let lost = lost.column("lost")?.bool()?;
    laps.lap("  detail: mask");
    // The indicator's own columns (all bench reads but eval_id, whose text comes with the
    // evaluation's facts) and its keys.
    let carried = super::INDICATOR_COLUMNS
        .iter()
        .copied()
        .filter(|c| *c != "eval_id")
        .chain([EVAL]);
    let of_indicator = indicators.select(carried)?.filter(lost)?;
    let eval_pos: IdxCa = of_indicator
        .column(EVAL)?
        .u32()?
        .clone()
        .with_name(EVAL.into());
    let of_indicator = of_indicator.drop(EVAL)?;
    laps.lap("  detail: filter");
    // Column by column, in parallel: a whole-frame take first rejoins every column's chunks.
    let of_evaluation: Vec<Column> = {
        use rayon::prelude::*;
        [
            "eval_id",
            "unit_id",
            "fiscal_year",
            "evaluator_type",
            "scope",
            "project_name",
        ]
        .par_iter()
        .map(|n| facts.column(n).and_then(|c| c.take(&eval_pos)))
        .collect::<PolarsResult<_>>()?
    };
    let of_evaluation = DataFrame::new_infer_height(of_evaluation)?;
    laps.lap("  detail: gather");
    let text = |c: &str| of_indicator.column(c).and_then(|c| c.str());
    let codes = rules.classify_rows(
        text("reason")?,
        [
            text("level1")?,
            text("level2")?,
            text("level3")?,
            text("level4")?,
        ],
    );
    laps.lap("  detail: classify");
    let codes = IdxCa::from_vec(CAUSE.into(), codes);
    let cause = Series::new("cause".into(), rules.cause_names()).take(&codes)?;
    laps.lap("  detail: cause names");
    let points_lost = (of_indicator.column("max_points")?.as_materialized_series()
        - of_indicator.column("score")?.as_materialized_series())?
    .with_name("points_lost".into());
    let ev = |n: &str| of_evaluation.column(n).cloned();
    let ind = |n: &str| of_indicator.column(n).cloned();
    let detail = DataFrame::new_infer_height(vec![
        ev("eval_id")?,
        ev("unit_id")?,
        ev("fiscal_year")?,
        ev("evaluator_type")?,
        ev("scope")?,
        ev("project_name")?,
        ind("level1")?,
        ind("level2")?,
        ind("level3")?,
        ind("level4")?,
        ind("max_points")?,
        ind("score")?,
        points_lost.into_column(),
        ind("reason")?,
        cause.into_column(),
        ind("source")?,
    ])?;
    laps.lap("  detail: assemble");
    let keys = DataFrame::new_infer_height(vec![
        detail.column("fiscal_year")?.clone(),
        codes.into_column(),
        of_indicator.column("level1")?.clone(),
        detail.column("points_lost")?.clone(),
        eval_pos.into_column(),
    ])?;
    Ok((detail, keys))
}

pub const CAUSE: &str = "__cause";

/// One batch's deductions per (fiscal year, cause, level-1 indicator): how many and the points
/// lost (exact); partials of several batches add up.
pub fn cause_level1_partial(keys: &DataFrame) -> Result<DataFrame> {
    Ok(keys
        .clone()
        .lazy()
        .group_by([col("fiscal_year"), col(CAUSE), col("level1")])
        .agg([
            len().alias("n_deductions"),
            col("points_lost").sum().alias("points_lost"),
        ])
        .collect()?)
}

/// Per fiscal year and cause, from the batches' partials (`cause_level1_partial`,
/// concatenated) and the evaluations per year and cause (`fiscal_year`, `__cause`,
/// `n_evaluations`); grouped on integers, the cause names put in last.
pub fn deductions(
    cause_level1: LazyFrame,
    n_evaluations: LazyFrame,
    rules: &CauseRules,
) -> Result<LazyFrame> {
    let names = DataFrame::new_infer_height(vec![
        Column::new("cause".into(), rules.cause_names()),
        Column::new(
            CAUSE.into(),
            (0..rules.cause_names().len() as IdxSize).collect::<Vec<_>>(),
        ),
    ])?
    .lazy();
    let per_cause = cause_level1
        .clone()
        .group_by([col("fiscal_year"), col(CAUSE)])
        .agg([
            col("n_deductions").sum().alias("n_deductions"),
            col("points_lost").sum().alias("points_lost"),
        ])
        .join(
            n_evaluations,
            [col("fiscal_year"), col(CAUSE)],
            [col("fiscal_year"), col(CAUSE)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            (col("points_lost").cast(DataType::Float64)
                / col("points_lost")
                    .cast(DataType::Float64)
                    .sum()
                    .over([col("fiscal_year")])?)
            .round(4, RoundMode::HalfToEven)
            .alias("share_of_points_lost"),
        );
    // Exact sums per level-1 indicator, compared as floats only after adding up.
    let top_level1 = cause_level1
        .group_by([col("fiscal_year"), col(CAUSE), col("level1")])
        .agg([col("points_lost").sum().alias("lvl_points")])
        .with_column(col("lvl_points").cast(DataType::Float64))
        .sort_by_exprs(
            [
                col("fiscal_year"),
                col(CAUSE),
                col("lvl_points"),
                col("level1"),
            ],
            SortMultipleOptions::default().with_order_descending_multi([false, false, true, false]),
        )
        .group_by_stable([col("fiscal_year"), col(CAUSE)])
        .agg([col("level1").first().alias("top_level1")]);
    Ok(per_cause
        .join(
            top_level1,
            [col("fiscal_year"), col(CAUSE)],
            [col("fiscal_year"), col(CAUSE)],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            names,
            [col(CAUSE)],
            [col(CAUSE)],
            JoinArgs::new(JoinType::Left),
        )
        .select([
            col("fiscal_year"),
            col("cause"),
            col("n_deductions"),
            col("n_evaluations"),
            col("points_lost"),
            col("share_of_points_lost"),
            col("top_level1"),
        ])
        .sort_by_exprs(
            [
                col("fiscal_year"),
                col("points_lost").cast(DataType::Float64),
                col("cause"),
            ],
            SortMultipleOptions::default().with_order_descending_multi([false, true, false]),
        ))
}
