//! `execution.csv`: each evaluation with a budget, its execution rate (预算执行率 =
//! executed / budget_full_year × 100) against its peers' median and quartiles, its percentile
//! among them, and a flag.

use polars::prelude::*;

use super::peers::{numbered, percentile_within, with_peer_group, PEER, PEER_GROUP};
use crate::dataset::enrich::cols;
use crate::error::Result;

pub const COLUMNS: &[&str] = &[
    "unit_id",
    "short_name",
    "district",
    "fiscal_year",
    "scope",
    "project_name",
    "evaluator_type",
    "budget_full_year",
    "executed",
    "execution_rate",
    "execution_rate_stated",
    "peer_median",
    "peer_p25",
    "peer_p75",
    "percentile",
    "flag",
    "peer_group",
    "n_peers",
    "eval_id",
];

/// Flags in order of severity; the thresholds are fixed by the issue.
pub const FLAGS: [&str; 4] = ["below_80", "below_90", "above_100", "ok"];

/// The flag of an execution rate (`FLAGS`): chosen as a number, then looked up, because a
/// when/then chain of text literals built each row's text (at 700 thousand evaluations a
/// third of a second, nearly all of this table's time).
pub fn flag_expr(rate: Expr) -> Expr {
    let code = when(rate.clone().lt(lit(80.0)))
        .then(lit(0u32))
        .when(rate.clone().lt(lit(90.0)))
        .then(lit(1u32))
        .when(rate.gt(lit(100.0)))
        .then(lit(2u32))
        .otherwise(lit(3u32));
    lit(Series::new("flag".into(), FLAGS)).gather(code, false)
}

pub fn execution(facts: LazyFrame, min_district_units: u32) -> Result<LazyFrame> {
    let with_budget = facts.filter(
        col("budget_full_year")
            .cast(DataType::Float64)
            .gt(lit(0.0))
            .and(col("executed").is_not_null()),
    );
    // The windows group on the peer group's number and the final sort uses it (`numbered`).
    let with_groups = numbered(
        with_peer_group(with_budget, &[], min_district_units)?,
        &["fiscal_year", "scope", PEER_GROUP],
    );
    let peers = [col(PEER)];
    // Statistics in f64 (quantiles); the printed rate stays the exact decimal.
    let rate = col(cols::EXECUTION_RATE).cast(DataType::Float64);
    Ok(with_groups
        .with_columns([
            rate.clone()
                .median()
                .over(peers.clone())?
                .alias("peer_median"),
            rate.clone()
                .quantile(lit(0.25), QuantileMethod::Linear)
                .over(peers.clone())?
                .alias("peer_p25"),
            rate.clone()
                .quantile(lit(0.75), QuantileMethod::Linear)
                .over(peers.clone())?
                .alias("peer_p75"),
            len().over(peers.clone())?.alias("n_peers"),
            percentile_within(rate.clone(), &peers)?.alias("percentile"),
            flag_expr(rate.clone()).alias("flag"),
        ])
        .with_columns([
            col("peer_median").round(4, RoundMode::HalfToEven),
            col("peer_p25").round(4, RoundMode::HalfToEven),
            col("peer_p75").round(4, RoundMode::HalfToEven),
            col("percentile").round(2, RoundMode::HalfToEven),
            col(cols::DISPLAY_NAME).alias("short_name"),
        ])
        .sort([PEER, "unit_id", "eval_id"], Default::default())
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>()))
}
