//! `rankings.csv`: each unit's department evaluation ranked among its peers (same fiscal year,
//! evaluator type and peer group), with its score rate (得分率 = score / max) on every level-1
//! indicator (一级指标) as `rate_<name>` columns; `rankings_level1.csv` has the same rates long.

use polars::prelude::*;

use super::indicator_pass::L1_ORDER;
use super::peers::{numbered, percentile_within, with_peer_group, PEER, PEER_GROUP};
use crate::dataset::enrich::cols;
use crate::dataset::keys::{BY_UNIT, EVAL};
use crate::error::Result;

/// One batch's sums per evaluation (`__eval`) and level-1 indicator (its code,
/// `indicator_pass::L1`); partials of several batches add up (`level1_rates`, once the codes
/// are text again).
pub fn level1_partial(indicators_keyed: LazyFrame) -> LazyFrame {
    use super::indicator_pass::L1;
    // Grouped on one u64 (evaluation << 32 | level-1 code; a blank level1 as u32::MAX): a
    // single integer key is polars' fastest group_by.
    let pair = (col(EVAL).cast(DataType::UInt64) * lit(1u64 << 32))
        + col(L1).fill_null(lit(u32::MAX)).cast(DataType::UInt64);
    indicators_keyed
        .filter(col(EVAL).is_not_null())
        .group_by([pair.alias("__pair")])
        .agg([
            col("max_points").sum().alias("max_points"),
            col("score").sum().alias("score"),
            col("score").null_count().alias("n_blank"),
            len().alias("n_indicators"),
        ])
        .with_columns([
            (col("__pair") / lit(1u64 << 32))
                .cast(DataType::UInt32)
                .alias(EVAL),
            (col("__pair") % lit(1u64 << 32))
                .cast(DataType::UInt32)
                .alias(L1),
        ])
        .with_column(
            when(col(L1).eq(lit(u32::MAX)))
                .then(lit(NULL).cast(DataType::UInt32))
                .otherwise(col(L1))
                .alias(L1),
        )
        .drop(by_name(["__pair"], true, false))
}

/// Score rate per evaluation and level-1 indicator from the (concatenated) partials, which
/// carry `level1` and its place in text order (`indicator_pass::L1_ORDER`); null when any of
/// its scores is blank.
pub fn level1_rates(partials: LazyFrame) -> LazyFrame {
    // Grouped on the two integers (one level1 text to each place), the text taken along.
    partials
        .group_by([col(EVAL), col(L1_ORDER)])
        .agg([
            col("level1").first(),
            col("max_points").sum(),
            col("score").sum(),
            col("n_blank").sum(),
            col("n_indicators").sum(),
        ])
        .with_column(
            when(
                col("n_blank")
                    .eq(lit(0u32))
                    .and(col("max_points").cast(DataType::Float64).gt(lit(0.0))),
            )
            .then(
                (col("score").cast(DataType::Float64) / col("max_points").cast(DataType::Float64))
                    .round(4, RoundMode::HalfToEven),
            )
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("score_rate"),
        )
        .with_column(
            when(col("n_blank").gt(lit(0u32)))
                .then(lit(NULL))
                .otherwise(col("score"))
                .alias("score"),
        )
}

/// The scored department evaluations ranked among their peers: everything `rankings` needs
/// from the evaluations, so that it can be made before the indicators are read.
pub fn ranked_departments(facts: LazyFrame, min_district_units: u32) -> Result<DataFrame> {
    let ranked_dept = facts.filter(
        col("scope")
            .eq(lit("department"))
            .and(col("total_score").is_not_null()),
    );
    let peers = [col(PEER)];
    let s = col(cols::SCORE_100);
    let ranked = numbered(
        with_peer_group(ranked_dept, &["evaluator_type"], min_district_units)?,
        &["fiscal_year", "evaluator_type", PEER_GROUP],
    )
    .with_columns([
        s.clone()
            .rank(
                RankOptions {
                    method: RankMethod::Min,
                    descending: true,
                },
                None,
            )
            .over(peers.clone())?
            .alias("rank"),
        len().over(peers.clone())?.alias("n_peers"),
        percentile_within(s.clone(), &peers)?
            .round(2, RoundMode::HalfToEven)
            .alias("percentile"),
        (s / lit(100.0))
            .round(4, RoundMode::HalfToEven)
            .alias("score_rate"),
        col(cols::DISPLAY_NAME).alias("short_name"),
    ])
    .select([
        col("unit_id"),
        col("short_name"),
        col("district"),
        col("fiscal_year"),
        col("evaluator_type"),
        col("evaluator"),
        col("eval_id"),
        col("total_score"),
        col("max_score"),
        col("score_rate"),
        col("rank"),
        col("n_peers"),
        col("percentile"),
        col(PEER_GROUP),
        col(cols::TIER).alias("grade_tier"),
        col(EVAL),
        col(BY_UNIT),
        col(PEER),
    ])
    .collect()?;
    Ok(ranked)
}

/// The rankings tables from `ranked_departments` and `level1`, the concatenated
/// `level1_partial`s (of department evaluations at least).
pub fn rankings(ranked: DataFrame, level1: LazyFrame) -> Result<(DataFrame, DataFrame)> {
    let ranked_evals = ranked.column(EVAL)?.as_materialized_series().clone();

    // Long rows sort by evaluation, in (fiscal_year, evaluator_type, unit, eval_id) order,
    // then level1: the evaluations are put in that order here (a hundred thousand rows) and
    // the long rows sort on one integer made of that place and the level1 text's place.
    let evaluations_in_order = ranked
        .clone()
        .lazy()
        .select([
            col("eval_id"),
            col("unit_id"),
            col("short_name"),
            col("fiscal_year"),
            col("evaluator_type"),
            col(EVAL),
            col(BY_UNIT),
        ])
        .sort(
            ["fiscal_year", "evaluator_type", BY_UNIT],
            Default::default(),
        )
        .with_row_index("__order", None);
    let long = evaluations_in_order
        .join(
            level1_rates(level1.filter(col(EVAL).is_in(lit(ranked_evals).implode(false), false))),
            [col(EVAL)],
            [col(EVAL)],
            JoinArgs::new(JoinType::Inner),
        )
        .sort_by_exprs(
            [(col("__order").cast(DataType::UInt64) * lit(1u64 << 32))
                + col(L1_ORDER).cast(DataType::UInt64)],
            Default::default(),
        )
        .select([
            col("eval_id"),
            col("unit_id"),
            col("short_name"),
            col("fiscal_year"),
            col("evaluator_type"),
            col("level1"),
            col("max_points"),
            col("score"),
            col("score_rate"),
            col(EVAL),
        ])
        .collect()?;

    // Wide: one rate_<level1> column per level-1 name, most frequent first.
    let names = long
        .clone()
        .lazy()
        .group_by([col("level1")])
        .agg([len().alias("n")])
        .sort_by_exprs(
            [col("n"), col("level1")],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    // Joined on the integer evaluation key, not the eval_id text.
    let mut wide = ranked.lazy();
    for name in names.column("level1")?.str()?.iter().flatten() {
        let one = long
            .clone()
            .lazy()
            .filter(col("level1").eq(lit(name)))
            .select([col(EVAL), col("score_rate").alias(format!("rate_{name}"))]);
        wide = wide.join(one, [col(EVAL)], [col(EVAL)], JoinArgs::new(JoinType::Left));
    }
    let wide = wide
        .sort([PEER, "rank", BY_UNIT], Default::default())
        .drop(by_name([EVAL, BY_UNIT, PEER], true, false))
        .collect()?;
    let long = long.drop_many([EVAL]);
    Ok((wide, long))
}
