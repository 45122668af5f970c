//! `deductions_detail.csv`: every indicator that lost points (扣分), with its cause;
//! `deductions.csv`: per fiscal year and cause, how many deductions, in how many evaluations,
//! the points lost, their share of all points lost that year, and the level-1 indicator
//! where the cause cost most.

use polars::prelude::*;

use super::causes::CauseRules;
use crate::error::Result;

pub fn deductions_detail(facts: LazyFrame, indicators: LazyFrame, rules: &CauseRules) -> LazyFrame {
    let names = concat_str(
        [
            col("level1").fill_null(lit("")),
            col("level2").fill_null(lit("")),
            col("level3").fill_null(lit("")),
            col("level4").fill_null(lit("")),
        ],
        " ",
        false,
    );
    let eval_cols = facts.select([
        col("eval_id"),
        col("unit_id"),
        col("fiscal_year"),
        col("evaluator_type"),
        col("scope"),
        col("project_name"),
    ]);
    let lost = indicators
        .filter(col("score").is_not_null())
        .with_column((col("max_points") - col("score")).alias("points_lost"))
        .filter(col("points_lost").cast(DataType::Float64).gt(lit(0.0)))
        .with_columns([
            col("reason").fill_null(lit("")).alias("__reason"),
            names.alias("__names"),
        ]);
    // Reasons and indicator names repeat: classify each distinct pair once (every rule is a
    // regex scan), then join the cause back.
    let keys = [col("__reason"), col("__names")];
    let causes = lost
        .clone()
        .select(keys.clone())
        .unique(None, UniqueKeepStrategy::Any)
        .with_column(rules.expr(col("__reason"), col("__names")).alias("cause"));
    lost.join(causes, keys.clone(), keys, JoinArgs::new(JoinType::Left))
        .join(
            eval_cols,
            [col("eval_id")],
            [col("eval_id")],
            JoinArgs::new(JoinType::Inner),
        )
        .select([
            col("eval_id"),
            col("unit_id"),
            col("fiscal_year"),
            col("evaluator_type"),
            col("scope"),
            col("project_name"),
            col("level1"),
            col("level2"),
            col("level3"),
            col("level4"),
            col("max_points"),
            col("score"),
            col("points_lost"),
            col("reason"),
            col("cause"),
            col("source"),
            col(crate::dataset::schema::ROW),
        ])
}

pub fn deductions(detail: LazyFrame) -> Result<LazyFrame> {
    let per_cause = detail
        .clone()
        .group_by([col("fiscal_year"), col("cause")])
        .agg([
            len().alias("n_deductions"),
            col("eval_id").n_unique().alias("n_evaluations"),
            col("points_lost").sum().alias("points_lost"),
        ])
        .with_column(
            (col("points_lost").cast(DataType::Float64)
                / col("points_lost")
                    .cast(DataType::Float64)
                    .sum()
                    .over([col("fiscal_year")])?)
            .round(4, RoundMode::HalfToEven)
            .alias("share_of_points_lost"),
        );
    let top_level1 = detail
        .group_by([col("fiscal_year"), col("cause"), col("level1")])
        .agg([col("points_lost")
            .cast(DataType::Float64)
            .sum()
            .alias("lvl_points")])
        .sort_by_exprs(
            [
                col("fiscal_year"),
                col("cause"),
                col("lvl_points"),
                col("level1"),
            ],
            SortMultipleOptions::default().with_order_descending_multi([false, false, true, false]),
        )
        .group_by_stable([col("fiscal_year"), col("cause")])
        .agg([col("level1").first().alias("top_level1")]);
    Ok(per_cause
        .join(
            top_level1,
            [col("fiscal_year"), col("cause")],
            [col("fiscal_year"), col("cause")],
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
