//! What the charts draw, read once from the benchmark tables into plain rows. Charts read the
//! benchmark tables only, never the raw reports.

use polars::prelude::*;

use crate::bench::BenchTables;
use crate::dataset::decimal::{cell_f64 as f, cell_text as s};
use crate::error::Result;

#[derive(Debug, Clone)]
pub struct RankRow {
    pub unit_id: String,
    pub name: String,
    pub fiscal_year: i32,
    pub evaluator_type: String,
    pub score_100: f64,
    pub tier: Option<i32>,
    /// The score's measurement error (SD) and the ranks it allows (rankings.csv).
    pub sd: Option<f64>,
    pub rank_interval: Option<(u32, u32)>,
}

#[derive(Debug, Clone)]
pub struct ScoreRow {
    pub evaluator_type: String,
    pub scope: String,
    pub fiscal_year: i32,
    pub n: f64,
    pub q: [f64; 7], // min, p10, p25, median, p75, p90, max
    pub share_eq_max: f64,
    pub share_ge_95: f64,
}

#[derive(Debug, Clone)]
pub struct PairRow {
    pub unit_id: String,
    pub self_100: f64,
    pub ref_100: f64,
    pub reference_type: String,
}

#[derive(Debug, Clone)]
pub struct ExecRow {
    pub unit_id: String,
    pub name: String,
    pub fiscal_year: i32,
    pub scope: String,
    pub rate: f64,
    pub p25: f64,
    pub p75: f64,
}

#[derive(Debug, Clone)]
pub struct LeniencyRow {
    pub label: String,
    pub effect: Option<f64>,
    pub ci: Option<(f64, f64)>,
    pub lenient: bool,
    /// No flag either way (too few shared objects, the reference itself …): `note` says why.
    pub judged: bool,
}

#[derive(Debug, Clone)]
pub struct Level1Row {
    pub unit_id: String,
    pub name: String,
    pub fiscal_year: i32,
    pub evaluator_type: String,
    pub level1: String,
    pub rate: Option<f64>,
}

/// Self scores against independent scores of the same unit and year, where no pair exists.
#[derive(Debug, Clone)]
pub struct DistRow {
    pub name: String,
    pub fiscal_year: i32,
    pub n_self: f64,
    pub self_range: (f64, f64, f64),
    pub n_independent: f64,
    pub independent_range: (f64, f64, f64),
}

/// The mean self − independent gap over all pairs, each self score once (its gap against the
/// mean of its references), with its clustered interval and the limits of agreement.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub n_self: usize,
    pub bias: f64,
    pub ci: Option<(f64, f64)>,
    pub loa: (f64, f64),
}

#[derive(Debug, Clone, Default)]
pub struct ChartData {
    pub distribution: Vec<DistRow>,
    pub rankings: Vec<RankRow>,
    pub scores: Vec<ScoreRow>,
    pub pairs: Vec<PairRow>,
    /// The Bland–Altman figures of all pairs, as bench computed them for summary.json.
    pub agreement: Option<Agreement>,
    /// (cause, points lost, deductions) over all years, most points first
    pub causes: Vec<(String, f64, f64)>,
    pub execution: Vec<ExecRow>,
    pub leniency: Vec<LeniencyRow>,
    pub threshold: f64,
    pub level1: Vec<Level1Row>,
    /// units picked with --units (unit_id or short name); empty: all
    pub selected_units: Vec<String>,
}

pub fn evaluator_label(t: &str) -> &'static str {
    match t {
        "self" => "自评",
        "third_party" => "第三方",
        "expert_panel" => "专家评分",
        "finance_bureau" => "财政部门",
        _ => "其他",
    }
}

impl ChartData {
    pub fn from_tables(t: &BenchTables, threshold: f64) -> Result<ChartData> {
        let r = &t.rankings;
        let rankings = (0..r.height())
            .map(|i| RankRow {
                unit_id: s(r, "unit_id", i),
                name: s(r, "short_name", i),
                fiscal_year: f(r, "fiscal_year", i).unwrap_or(0.0) as i32,
                evaluator_type: s(r, "evaluator_type", i),
                score_100: f(r, "score_rate", i).unwrap_or(0.0) * 100.0,
                tier: f(r, "grade_tier", i).map(|v| v as i32),
                sd: f(r, "measurement_sd", i),
                rank_interval: f(r, "rank_low", i)
                    .zip(f(r, "rank_high", i))
                    .map(|(a, b)| (a as u32, b as u32)),
            })
            .collect();
        let sc = t
            .scores
            .clone()
            .lazy()
            .filter(col("grouping").eq(lit(crate::bench::scores::GROUPING_OVERALL)))
            .collect()?;
        let scores = (0..sc.height())
            .map(|i| ScoreRow {
                evaluator_type: s(&sc, "evaluator_type", i),
                scope: s(&sc, "scope", i),
                fiscal_year: f(&sc, "fiscal_year", i).unwrap_or(0.0) as i32,
                n: f(&sc, "n", i).unwrap_or(0.0),
                q: ["min", "p10", "p25", "median", "p75", "p90", "max"]
                    .map(|c| f(&sc, c, i).unwrap_or(f64::NAN)),
                share_eq_max: f(&sc, "share_eq_max", i).unwrap_or(0.0),
                share_ge_95: f(&sc, "share_ge_95", i).unwrap_or(0.0),
            })
            .collect();
        let p = &t.inflation;
        let pairs = (0..p.height())
            .filter_map(|i| {
                let g = f(p, "gap_100", i)?;
                let r = f(p, "reference_score", i)?;
                Some(PairRow {
                    unit_id: s(p, "unit_id", i),
                    self_100: r + g,
                    ref_100: r,
                    reference_type: s(p, "reference_type", i),
                })
            })
            .collect();
        let d = t
            .deductions
            .clone()
            .lazy()
            .group_by([col("cause")])
            .agg([
                col("points_lost").cast(DataType::Float64).sum().alias("p"),
                col("n_deductions").sum().alias("n"),
            ])
            .sort_by_exprs(
                [col("p"), col("cause")],
                SortMultipleOptions::default().with_order_descending_multi([true, false]),
            )
            .collect()?;
        let causes = (0..d.height())
            .map(|i| {
                (
                    s(&d, "cause", i),
                    f(&d, "p", i).unwrap_or(0.0),
                    f(&d, "n", i).unwrap_or(0.0),
                )
            })
            .collect();
        let e = &t.execution;
        let execution = (0..e.height())
            .filter_map(|i| {
                Some(ExecRow {
                    unit_id: s(e, "unit_id", i),
                    name: s(e, "short_name", i),
                    fiscal_year: f(e, "fiscal_year", i)? as i32,
                    scope: s(e, "scope", i),
                    rate: f(e, "execution_rate", i)?,
                    p25: f(e, "peer_p25", i).unwrap_or(f64::NAN),
                    p75: f(e, "peer_p75", i).unwrap_or(f64::NAN),
                })
            })
            .collect();
        // The pooled fit (all years; fiscal_year blank) is what the chart shows.
        let l = &t
            .leniency
            .clone()
            .lazy()
            .filter(col("fiscal_year").is_null())
            .collect()?;
        let leniency = (0..l.height())
            .map(|i| {
                let effect = f(l, "effect", i);
                let ci = f(l, "ci_low", i).zip(f(l, "ci_high", i));
                LeniencyRow {
                    label: format!(
                        "{}·{}",
                        evaluator_label(&s(l, "evaluator_type", i)),
                        s(l, "evaluator", i)
                    ),
                    effect,
                    ci,
                    lenient: s(l, "lenient", i) == "true",
                    judged: !s(l, "lenient", i).is_empty(),
                }
            })
            .collect();
        let lv = &t.rankings_level1;
        let level1 = (0..lv.height())
            .map(|i| Level1Row {
                unit_id: s(lv, "unit_id", i),
                name: s(lv, "short_name", i),
                fiscal_year: f(lv, "fiscal_year", i).unwrap_or(0.0) as i32,
                evaluator_type: s(lv, "evaluator_type", i),
                level1: s(lv, "level1", i),
                rate: f(lv, "score_rate", i),
            })
            .collect();
        let di = &t.inflation_distribution;
        let distribution = (0..di.height())
            .filter_map(|i| {
                Some(DistRow {
                    name: s(di, "short_name", i),
                    fiscal_year: f(di, "fiscal_year", i)? as i32,
                    n_self: f(di, "n_self", i)?,
                    self_range: (
                        f(di, "min_self", i)?,
                        f(di, "mean_self", i)?,
                        f(di, "max_self", i)?,
                    ),
                    n_independent: f(di, "n_independent", i)?,
                    independent_range: (
                        f(di, "min_independent", i)?,
                        f(di, "mean_independent", i)?,
                        f(di, "max_independent", i)?,
                    ),
                })
            })
            .collect();
        let agreement = t
            .inflation_headline
            .iter()
            .find(|h| h.0.is_none())
            .and_then(|(_, _, g)| {
                Some(Agreement {
                    n_self: g.n,
                    bias: g.mean?,
                    ci: g.ci,
                    loa: g.limits_of_agreement()?,
                })
            });
        Ok(ChartData {
            distribution,
            rankings,
            scores,
            pairs,
            agreement,
            causes,
            execution,
            leniency,
            threshold,
            level1,
            selected_units: vec![],
        })
    }

    pub fn unit_selected(&self, unit_id: &str, name: &str) -> bool {
        self.selected_units.is_empty()
            || self
                .selected_units
                .iter()
                .any(|u| u == unit_id || u == name)
    }
}
