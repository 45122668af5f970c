//! `summary.json`: the headline numbers a reader wants first.

use polars::prelude::*;
use serde_json::{json, Value};

use super::BenchTables;
use crate::dataset::decimal::{decimal_at, f64_at, fmt, text_at};
use crate::dataset::Dataset;
use crate::error::Result;

fn strings(df: &DataFrame, c: &str) -> Result<Vec<String>> {
    let col_ = df.column(c)?;
    Ok((0..df.height())
        .map(|i| text_at(col_, i).unwrap_or_default())
        .collect())
}

/// How many of the evaluations below 80% execution summary.json lists (the lowest).
pub const BELOW_80_LISTED: u32 = 100;

pub fn summary(ds: &Dataset, facts: &DataFrame, t: &BenchTables) -> Result<Value> {
    let by_type = facts
        .clone()
        .lazy()
        .group_by([col("evaluator_type")])
        .agg([
            len().alias("n"),
            col("total_score").null_count().alias("blank"),
        ])
        .sort(["evaluator_type"], Default::default())
        .collect()?;
    let mut types = serde_json::Map::new();
    for i in 0..by_type.height() {
        types.insert(
            text_at(by_type.column("evaluator_type")?, i).unwrap_or_default(),
            json!({"evaluations": f64_at(by_type.column("n")?, i).unwrap_or(0.0) as u64,
                   "blank_totals": f64_at(by_type.column("blank")?, i).unwrap_or(0.0) as u64}),
        );
    }
    // Inflation: one gap per self score (against the mean of its references), over all
    // reference types and per type, so a self score paired twice is not counted twice.
    let r4 = |v: Option<f64>| super::stats::r4(v);
    let headline = |h: &super::inflation::Headline| {
        let g = &h.2;
        json!({
            "n_pairs": h.1,
            "n_self_scores": g.n,
            "n_units": g.units,
            "mean_gap": r4(g.mean),
            "ci_low": r4(g.ci.map(|c| c.0)),
            "ci_high": r4(g.ci.map(|c| c.1)),
            "n_self_scores_adjusted": g.n_adjusted,
            "mean_gap_adjusted": r4(g.mean_adjusted),
            "ci_low_adjusted": r4(g.ci_adjusted.map(|c| c.0)),
            "ci_high_adjusted": r4(g.ci_adjusted.map(|c| c.1)),
        })
    };
    let overall = t.inflation_headline.iter().find(|h| h.0.is_none());
    let by_reference_type: serde_json::Map<String, Value> = t
        .inflation_headline
        .iter()
        .filter_map(|h| h.0.clone().map(|k| (k, headline(h))))
        .collect();
    let lenient = t
        .leniency
        .clone()
        .lazy()
        .filter(
            col("lenient")
                .eq(lit(true))
                .and(col("fiscal_year").is_null()),
        )
        .select([
            col("evaluator_type"),
            col("evaluator"),
            col("effect"),
            col("ci_low"),
            col("ci_high"),
            col("flag_low"),
        ])
        .collect()?;
    let lenient_list: Vec<Value> = (0..lenient.height())
        .map(|i| {
            json!({
                "evaluator_type": text_at(lenient.column("evaluator_type").unwrap(), i),
                "evaluator": text_at(lenient.column("evaluator").unwrap(), i),
                "effect": f64_at(lenient.column("effect").unwrap(), i),
                "ci_low": f64_at(lenient.column("ci_low").unwrap(), i),
                "ci_high": f64_at(lenient.column("ci_high").unwrap(), i),
                "flag_low": f64_at(lenient.column("flag_low").unwrap(), i),
            })
        })
        .collect();
    let below = t
        .execution
        .clone()
        .lazy()
        .filter(col("flag").eq(lit("below_80")))
        .select([
            col("unit_id"),
            col("short_name"),
            col("fiscal_year"),
            col("scope"),
            col("project_name"),
            col("execution_rate"),
        ])
        .collect()?;
    let n_below = below.height();
    // The lowest rates (a province has thousands; execution.csv lists them all), shown by
    // year and unit.
    let below = below
        .lazy()
        .sort(["execution_rate"], Default::default())
        .limit(BELOW_80_LISTED)
        .sort(
            ["fiscal_year", "unit_id", "scope", "project_name"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()?;
    let below_list: Vec<Value> = (0..below.height())
        .map(|i| {
            json!({
                "unit_id": text_at(below.column("unit_id").unwrap(), i),
                "short_name": text_at(below.column("short_name").unwrap(), i),
                "fiscal_year": f64_at(below.column("fiscal_year").unwrap(), i).map(|v| v as i64),
                "scope": text_at(below.column("scope").unwrap(), i),
                "project_name": text_at(below.column("project_name").unwrap(), i),
                "execution_rate": crate::dataset::decimal::cell_f64(&below, "execution_rate", i),
            })
        })
        .collect();
    // Top causes over all years, by points lost (exact decimal sums).
    let causes = t
        .deductions
        .clone()
        .lazy()
        .group_by([col("cause")])
        .agg([
            col("n_deductions").sum().alias("n"),
            col("points_lost").sum().alias("points"),
        ])
        .sort_by_exprs(
            [col("points").cast(DataType::Float64), col("cause")],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let cause_names = strings(&causes, "cause")?;
    let top_causes: Vec<Value> = (0..causes.height().min(5))
        .map(|i| {
            json!({"cause": cause_names[i],
                   "n_deductions": f64_at(causes.column("n").unwrap(), i).map(|v| v as u64),
                   "points_lost": decimal_at(causes.column("points").unwrap(), i).map(fmt)})
        })
        .collect();
    let years: Vec<i64> = {
        let y = facts
            .column("fiscal_year")?
            .unique_stable()?
            .sort(Default::default())?;
        (0..y.len())
            .filter_map(|i| f64_at(&y, i).map(|v| v as i64))
            .collect()
    };
    Ok(json!({
        "dataset": ds.dir.display().to_string(),
        "counts": {
            "units": ds.units.height(),
            "evaluations": ds.evaluations.height(),
            "indicators": ds.indicator_rows,
            "fiscal_years": years,
            "by_evaluator_type": types,
        },
        "inflation": {
            "n_pairs": t.inflation.height(),
            "n_self_scores": overall.map(|h| h.2.n).unwrap_or(0),
            "mean_gap": overall.and_then(|h| r4(h.2.mean)),
            "ci_low": overall.and_then(|h| r4(h.2.ci.map(|c| c.0))),
            "ci_high": overall.and_then(|h| r4(h.2.ci.map(|c| c.1))),
            "by_reference_type": by_reference_type,
            "distribution_level_units": t.inflation_distribution.height(),
        },
        "lenient_evaluators": lenient_list,
        "below_80_execution_count": n_below,
        "below_80_execution": below_list,
        "top_causes": top_causes,
    }))
}
