//! `scores.csv`: score distributions per (evaluator_type, scope, fiscal_year), overall and per
//! district, on a 100-point scale: moments, quantiles, the ceiling effect (share at the
//! maximum, at or above 95 and 90) and the share in each grade tier.

use polars::prelude::*;

use crate::dataset::enrich::cols;
use crate::dataset::grading::TIER_NAMES;

pub const GROUPING_OVERALL: &str = "evaluator_type/scope/year";
pub const GROUPING_DISTRICT: &str = "district";

fn stats() -> Vec<Expr> {
    let s = || col(cols::SCORE_100);
    let q = |p: f64, name: &str| {
        s().quantile(lit(p), QuantileMethod::Linear)
            .round(4, RoundMode::HalfToEven)
            .alias(name)
    };
    let share = |pred: Expr, name: &str| {
        pred.cast(DataType::Float64)
            .mean()
            .round(4, RoundMode::HalfToEven)
            .alias(name)
    };
    let mut v = vec![
        len().alias("n"),
        s().mean().round(4, RoundMode::HalfToEven).alias("mean"),
        s().std(1).round(4, RoundMode::HalfToEven).alias("sd"),
        s().min().round(4, RoundMode::HalfToEven).alias("min"),
        q(0.10, "p10"),
        q(0.25, "p25"),
        q(0.50, "median"),
        q(0.75, "p75"),
        q(0.90, "p90"),
        s().max().round(4, RoundMode::HalfToEven).alias("max"),
        share(s().gt_eq(lit(90.0)), "share_ge_90"),
        share(s().gt_eq(lit(95.0)), "share_ge_95"),
        share(
            col("total_score")
                .cast(DataType::Float64)
                .eq(col("max_score").cast(DataType::Float64)),
            "share_eq_max",
        ),
    ];
    for (i, name) in TIER_NAMES.iter().enumerate() {
        v.push(share(
            col(cols::TIER).eq(lit(i as i32 + 1)),
            &format!("share_{name}"),
        ));
    }
    v
}

pub fn scores(facts: LazyFrame) -> LazyFrame {
    let scored = facts.filter(col("total_score").is_not_null());
    let overall = scored
        .clone()
        .group_by([col("evaluator_type"), col("scope"), col("fiscal_year")])
        .agg(stats())
        .with_columns([
            lit(GROUPING_OVERALL).alias("grouping"),
            lit(NULL).cast(DataType::String).alias("district"),
        ]);
    let by_district = scored
        .filter(col("district").is_not_null())
        .group_by([
            col("district"),
            col("evaluator_type"),
            col("scope"),
            col("fiscal_year"),
        ])
        .agg(stats())
        .with_column(lit(GROUPING_DISTRICT).alias("grouping"));
    let mut order: Vec<Expr> = [
        "grouping",
        "district",
        "evaluator_type",
        "scope",
        "fiscal_year",
    ]
    .iter()
    .map(|c| col(*c))
    .collect();
    let mut stat_names = vec![
        "n",
        "mean",
        "sd",
        "min",
        "p10",
        "p25",
        "median",
        "p75",
        "p90",
        "max",
        "share_ge_90",
        "share_ge_95",
        "share_eq_max",
    ]
    .into_iter()
    .map(|s| s.to_string())
    .collect::<Vec<_>>();
    stat_names.extend(TIER_NAMES.iter().map(|n| format!("share_{n}")));
    order.extend(stat_names.iter().map(|c| col(c.as_str())));
    concat(
        [overall.select(order.clone()), by_district.select(order)],
        UnionArgs::default(),
    )
    .expect("same schema")
    .sort(
        [
            "grouping",
            "district",
            "evaluator_type",
            "scope",
            "fiscal_year",
        ],
        SortMultipleOptions::default().with_nulls_last(false),
    )
}
