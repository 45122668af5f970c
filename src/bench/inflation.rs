//! Self-evaluation inflation (自评虚高).
//! - `inflation.csv`: one row per matched pair: the same unit, year, scope and project (names
//!   matched by `name_key`) scored by `self` and by an independent evaluator.
//! - `inflation_summary.csv`: per reference type, scope and year: mean gap, its sd,
//!   Bland–Altman 95% limits of agreement, share where self is higher, grade agreement and
//!   linearly weighted kappa on grade tiers.
//! - `inflation_distribution.csv`: where no pairs exist, self scores against independent scores
//!   of the same unit and year (any scope), as distributions.

use polars::prelude::*;

use crate::dataset::enrich::cols;
use crate::dataset::keys::UNIT;
use crate::error::Result;

pub fn pairs(facts: LazyFrame) -> LazyFrame {
    let scored = facts.filter(col("total_score").is_not_null());
    let selfs = scored
        .clone()
        .filter(col("evaluator_type").eq(lit("self")))
        .select([
            col(UNIT),
            col("unit_id"),
            col(cols::DISPLAY_NAME).alias("short_name"),
            col("fiscal_year"),
            col("scope"),
            col("project_name"),
            col(cols::NAME_KEY),
            col("eval_id").alias("self_eval_id"),
            col("total_score").alias("self_score"),
            col(cols::SCORE_100).alias("self_100"),
            col(cols::TIER).alias("self_tier"),
        ]);
    let refs = scored
        .filter(col("evaluator_type").neq(lit("self")))
        .select([
            col(UNIT),
            col("fiscal_year"),
            col("scope"),
            col(cols::NAME_KEY),
            col("eval_id").alias("reference_eval_id"),
            col("evaluator_type").alias("reference_type"),
            col("evaluator").alias("reference_evaluator"),
            col("total_score").alias("reference_score"),
            col(cols::SCORE_100).alias("ref_100"),
            col(cols::TIER).alias("reference_tier"),
        ]);
    let on = [
        col(UNIT),
        col("fiscal_year"),
        col("scope"),
        col(cols::NAME_KEY),
    ];
    selfs
        .join(refs, on.clone(), on, JoinArgs::new(JoinType::Inner))
        .with_columns([
            (col("self_score") - col("reference_score")).alias("gap"),
            (col("self_100") - col("ref_100"))
                .round(4, RoundMode::HalfToEven)
                .alias("gap_100"),
        ])
        .sort(
            [
                "fiscal_year",
                "scope",
                UNIT,
                "project_name",
                "reference_type",
                "reference_eval_id",
            ],
            Default::default(),
        )
        .select([
            col("unit_id"),
            col("short_name"),
            col("fiscal_year"),
            col("scope"),
            col("project_name"),
            col("self_score"),
            col("reference_type"),
            col("reference_evaluator"),
            col("reference_score"),
            col("gap"),
            col("gap_100"),
            col("self_tier"),
            col("reference_tier"),
            col("self_eval_id"),
            col("reference_eval_id"),
        ])
}

/// Linearly weighted Cohen's kappa for tiers 1..=k from (a, b, count) cells.
pub fn weighted_kappa(cells: &[(usize, usize, f64)], k: usize) -> Option<f64> {
    let n: f64 = cells.iter().map(|c| c.2).sum();
    if n == 0.0 || k < 2 {
        return None;
    }
    let mut row = vec![0.0; k + 1];
    let mut colm = vec![0.0; k + 1];
    for &(a, b, c) in cells {
        row[a.min(k)] += c;
        colm[b.min(k)] += c;
    }
    let w = |i: usize, j: usize| 1.0 - (i as f64 - j as f64).abs() / (k as f64 - 1.0);
    let po: f64 = cells
        .iter()
        .map(|&(a, b, c)| w(a.min(k), b.min(k)) * c)
        .sum::<f64>()
        / n;
    let mut pe = 0.0;
    for i in 1..=k {
        for j in 1..=k {
            pe += w(i, j) * row[i] * colm[j];
        }
    }
    pe /= n * n;
    if (1.0 - pe).abs() < 1e-12 {
        return None; // all in one cell: agreement by chance is total, kappa undefined
    }
    Some((po - pe) / (1.0 - pe))
}

pub fn summary(pairs: &DataFrame) -> Result<DataFrame> {
    let keys = [col("reference_type"), col("scope"), col("fiscal_year")];
    let g = col("gap_100");
    let mut stats = pairs
        .clone()
        .lazy()
        .group_by(keys.clone())
        .agg([
            len().alias("n_pairs"),
            g.clone().mean().alias("mean_gap"),
            g.clone().std(1).alias("sd_gap"),
            g.clone()
                .gt(lit(0.0))
                .cast(DataType::Float64)
                .mean()
                .alias("share_self_higher"),
            col("self_tier")
                .eq(col("reference_tier"))
                .cast(DataType::Float64)
                .mean()
                .alias("grade_agreement"),
        ])
        .with_columns([
            (col("mean_gap") - lit(1.96) * col("sd_gap")).alias("loa_low"),
            (col("mean_gap") + lit(1.96) * col("sd_gap")).alias("loa_high"),
        ])
        .sort(
            ["reference_type", "scope", "fiscal_year"],
            Default::default(),
        )
        .collect()?;
    // Kappa from the tier cross-table of each group (small: at most 16 cells a group).
    let cells = pairs
        .clone()
        .lazy()
        .filter(
            col("self_tier")
                .is_not_null()
                .and(col("reference_tier").is_not_null()),
        )
        .group_by([
            col("reference_type"),
            col("scope"),
            col("fiscal_year"),
            col("self_tier"),
            col("reference_tier"),
        ])
        .agg([len().alias("c")])
        .collect()?;
    let mut kappa = Vec::with_capacity(stats.height());
    let (rt, sc, fy) = (
        stats.column("reference_type")?.str()?.clone(),
        stats.column("scope")?.str()?.clone(),
        stats.column("fiscal_year")?.i32()?.clone(),
    );
    let (crt, csc, cfy) = (
        cells.column("reference_type")?.str()?,
        cells.column("scope")?.str()?,
        cells.column("fiscal_year")?.i32()?,
    );
    let (cst, cre, cc) = (
        cells.column("self_tier")?.i32()?,
        cells.column("reference_tier")?.i32()?,
        cells.column("c")?.cast(&DataType::Float64)?,
    );
    let cc = cc.f64()?;
    for i in 0..stats.height() {
        let mut group = Vec::new();
        for j in 0..cells.height() {
            if crt.get(j) == rt.get(i) && csc.get(j) == sc.get(i) && cfy.get(j) == fy.get(i) {
                group.push((
                    cst.get(j).unwrap_or(4) as usize,
                    cre.get(j).unwrap_or(4) as usize,
                    cc.get(j).unwrap_or(0.0),
                ));
            }
        }
        kappa.push(weighted_kappa(&group, 4));
    }
    stats.with_column(Column::new("weighted_kappa".into(), kappa))?;
    let round = |c: &str| col(c).round(4, RoundMode::HalfToEven);
    Ok(stats
        .lazy()
        .select([
            col("reference_type"),
            col("scope"),
            col("fiscal_year"),
            col("n_pairs"),
            round("mean_gap"),
            round("sd_gap"),
            round("loa_low"),
            round("loa_high"),
            round("share_self_higher"),
            round("grade_agreement"),
            round("weighted_kappa"),
        ])
        .collect()?)
}

pub fn distribution(facts: LazyFrame) -> LazyFrame {
    let scored = facts.filter(col("total_score").is_not_null());
    let keys = [col(UNIT), col("fiscal_year")];
    let s = col(cols::SCORE_100);
    let selfs = scored
        .clone()
        .filter(col("evaluator_type").eq(lit("self")))
        .group_by(keys.clone())
        .agg([
            col("unit_id").first(),
            col(cols::DISPLAY_NAME).first().alias("short_name"),
            len().alias("n_self"),
            s.clone().mean().alias("mean_self"),
            s.clone().median().alias("median_self"),
            s.clone().min().alias("min_self"),
            s.clone().max().alias("max_self"),
            col("scope")
                .unique()
                .sort(Default::default())
                .str()
                .join(",", true)
                .alias("self_scopes"),
        ]);
    let indep = scored
        .filter(col("evaluator_type").neq(lit("self")))
        .group_by(keys.clone())
        .agg([
            len().alias("n_independent"),
            s.clone().mean().alias("mean_independent"),
            s.clone().min().alias("min_independent"),
            s.clone().max().alias("max_independent"),
            col("evaluator_type")
                .unique()
                .sort(Default::default())
                .str()
                .join(",", true)
                .alias("independent_types"),
        ]);
    let round = |c: &str| col(c).round(4, RoundMode::HalfToEven);
    selfs
        .join(indep, keys.clone(), keys, JoinArgs::new(JoinType::Inner))
        .with_column((col("mean_self") - col("mean_independent")).alias("mean_difference"))
        .sort(["fiscal_year", UNIT], Default::default())
        .select([
            col("unit_id"),
            col("short_name"),
            col("fiscal_year"),
            col("n_self"),
            col("self_scopes"),
            round("mean_self"),
            round("median_self"),
            round("min_self"),
            round("max_self"),
            col("n_independent"),
            col("independent_types"),
            round("mean_independent"),
            round("min_independent"),
            round("max_independent"),
            round("mean_difference"),
        ])
}

#[cfg(test)]
mod tests {
    use super::weighted_kappa;

    #[test]
    fn kappa_hand_computed() {
        // Perfect agreement over two tiers.
        assert!((weighted_kappa(&[(1, 1, 5.0), (2, 2, 5.0)], 4).unwrap() - 1.0).abs() < 1e-12);
        // 2x2 in tiers 1,2 with k=4 (weights 1, 2/3): po = (4 + 4 + 2*(2/3)) / 10 = 0.93333,
        // rows = cols = (5,5): pe = (25*1 + 25*1 + 2*25*(2/3)) / 100 = 0.83333 -> kappa = 0.6
        let k = weighted_kappa(&[(1, 1, 4.0), (1, 2, 1.0), (2, 1, 1.0), (2, 2, 4.0)], 4).unwrap();
        assert!((k - 0.6).abs() < 1e-9, "{k}");
        assert_eq!(weighted_kappa(&[(1, 1, 3.0)], 4), None);
    }
}
