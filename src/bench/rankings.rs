//! `rankings.csv`: each unit's department evaluation ranked among its peers (same fiscal year,
//! evaluator type and peer group), with its score rate (得分率 = score / max) on every level-1
//! indicator (一级指标) as `rate_<name>` columns; `rankings_level1.csv` has the same rates long.
//!
//! Beside each rank: a rank interval from the scores' measurement error (`rank_low`,
//! `rank_high`), the score with its evaluator's leniency removed and its rank among the peers
//! (`score_100_adjusted`, `rank_adjusted`, with its interval), and a percentile only in peer
//! groups of at least `MIN_PEERS_FOR_PERCENTILE` (a unit alone would be at 100).

use polars::prelude::*;

use super::leniency::{evaluator_id, PooledEffects};
use super::peers::{numbered, percentile_within, with_peer_group, PEER, PEER_GROUP};
use super::stats::r4;
use crate::dataset::decimal::{cell_f64, cell_text};
use crate::dataset::enrich::cols;
use crate::dataset::keys::EVAL;
use crate::error::Result;

/// Percentiles are withheld (blank, with the reason) in smaller peer groups.
pub const MIN_PEERS_FOR_PERCENTILE: u32 = 5;
/// One-sided 95% normal quantile: two scores are told apart when they differ by more than
/// this many SDs of their difference (so a rank interval is a 90% statement about each
/// comparison, not a simultaneous one).
pub const Z_RANK: f64 = 1.6448536269514722;
const S100: &str = "__s100";

/// One batch's sums per evaluation (`__eval`) and level-1 indicator; partials of several
/// batches add up (`level1_rates`).
pub fn level1_partial(indicators_keyed: LazyFrame) -> LazyFrame {
    indicators_keyed
        .filter(col(EVAL).is_not_null())
        .group_by([col(EVAL), col("level1")])
        .agg([
            col("max_points").sum().alias("max_points"),
            col("score").sum().alias("score"),
            col("score").null_count().alias("n_blank"),
            len().alias("n_indicators"),
        ])
}

/// Score rate per evaluation and level-1 indicator from the (concatenated) partials; null
/// when any of its scores is blank.
pub fn level1_rates(partials: LazyFrame) -> LazyFrame {
    partials
        .group_by([col(EVAL), col("level1")])
        .agg([
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
pub fn ranked_departments(
    facts: LazyFrame,
    min_district_units: u32,
    pooled: &PooledEffects,
) -> Result<DataFrame> {
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
        col(PEER),
        col(cols::SCORE_100).alias(S100),
    ])
    .collect()?;
    with_intervals(ranked, pooled)
}

/// Ranks that could hold given the measurement error: a peer is surely above (below) when
/// its score exceeds (falls short of) this one by more than `Z_RANK` SDs of their
/// difference; `var[i]` is the variance of score i. (rank_low, rank_high) per row; blank
/// without a score or a variance.
pub fn rank_interval(
    peer: &[u64],
    score: &[Option<f64>],
    var: &[Option<f64>],
) -> Vec<Option<(u32, u32)>> {
    let mut groups: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
    for (i, p) in peer.iter().enumerate() {
        if score[i].is_some() {
            groups.entry(*p).or_default().push(i);
        }
    }
    let mut out = vec![None; peer.len()];
    for rows in groups.values() {
        let n = rows.len() as u32;
        for &i in rows {
            let (Some(si), Some(vi)) = (score[i], var[i]) else {
                continue;
            };
            let (mut above, mut below) = (0u32, 0u32);
            for &j in rows {
                let (Some(sj), Some(vj)) = (score[j], var[j].or(var[i])) else {
                    continue;
                };
                let d = Z_RANK * (vi + vj).sqrt();
                if sj - si > d {
                    above += 1;
                } else if si - sj > d {
                    below += 1;
                }
            }
            out[i] = Some((1 + above, n - below));
        }
    }
    out
}

/// Rank (1 = best, ties share the best) among the rows of the same peer group that have a
/// score.
fn rank_within(peer: &[u64], score: &[Option<f64>]) -> Vec<Option<u32>> {
    let mut groups: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
    for (i, p) in peer.iter().enumerate() {
        if score[i].is_some() {
            groups.entry(*p).or_default().push(i);
        }
    }
    let mut out = vec![None; peer.len()];
    for rows in groups.values() {
        for &i in rows {
            let si = score[i].unwrap();
            out[i] = Some(1 + rows.iter().filter(|&&j| score[j].unwrap() > si).count() as u32);
        }
    }
    out
}

/// The rank intervals, adjusted scores and ranks, and withheld percentiles (see the module
/// docs), on the ranked department evaluations (small: one row an evaluation).
fn with_intervals(mut ranked: DataFrame, pooled: &PooledEffects) -> Result<DataFrame> {
    let h = ranked.height();
    let peer: Vec<u64> = ranked
        .column(PEER)?
        .cast(&DataType::UInt64)?
        .u64()?
        .iter()
        .map(|v| v.unwrap_or(u64::MAX))
        .collect();
    let score: Vec<Option<f64>> = (0..h).map(|i| cell_f64(&ranked, S100, i)).collect();
    let n_peers: Vec<u32> = (0..h)
        .map(|i| cell_f64(&ranked, "n_peers", i).unwrap_or(0.0) as u32)
        .collect();
    let s2 = pooled.sigma.map(|s| s * s);
    let index = pooled.index();
    let (mut effect, mut effect_var) = (vec![None; h], vec![None; h]);
    for i in 0..h {
        let t = cell_text(&ranked, "evaluator_type", i);
        if t == "self" {
            continue; // no leniency is estimated for self-evaluations
        }
        let name = cell_text(&ranked, "evaluator", i);
        let id = evaluator_id(&t, (!name.is_empty()).then_some(name.as_str()));
        if let Some(&k) = index.get(id.as_str()) {
            effect[i] = pooled.adjustment[k];
            effect_var[i] = pooled.adjustment_se[k].map(|s| s * s);
        }
    }
    let adjusted: Vec<Option<f64>> = (0..h)
        .map(|i| score[i].zip(effect[i]).map(|(s, e)| s - e))
        .collect();
    let raw_var = vec![s2; h];
    let adjusted_var: Vec<Option<f64>> = (0..h)
        .map(|i| s2.zip(effect_var[i]).map(|(a, b)| a + b))
        .collect();
    let raw = rank_interval(&peer, &score, &raw_var);
    let adj = rank_interval(&peer, &adjusted, &adjusted_var);
    let rank_adjusted = rank_within(&peer, &adjusted);
    let withheld: Vec<bool> = n_peers
        .iter()
        .map(|&n| n < MIN_PEERS_FOR_PERCENTILE)
        .collect();
    let percentile: Vec<Option<f64>> = (0..h)
        .map(|i| {
            if withheld[i] {
                None
            } else {
                cell_f64(&ranked, "percentile", i)
            }
        })
        .collect();
    let note: Vec<Option<String>> = n_peers
        .iter()
        .zip(&withheld)
        .map(|(n, w)| {
            w.then(|| {
                format!("peer group of {n} (fewer than {MIN_PEERS_FOR_PERCENTILE}): no percentile")
            })
        })
        .collect();
    let u = |v: &[Option<(u32, u32)>], hi: bool| -> Vec<Option<u32>> {
        v.iter()
            .map(|x| x.map(|(a, b)| if hi { b } else { a }))
            .collect()
    };
    for c in [
        Column::new("percentile".into(), percentile),
        Column::new("percentile_note".into(), note),
        Column::new(
            "score_100".into(),
            score.iter().map(|v| r4(*v)).collect::<Vec<_>>(),
        ),
        Column::new("measurement_sd".into(), vec![r4(pooled.sigma); h]),
        Column::new("rank_low".into(), u(&raw, false)),
        Column::new("rank_high".into(), u(&raw, true)),
        Column::new(
            "evaluator_adjustment".into(),
            effect.iter().map(|v| r4(*v)).collect::<Vec<_>>(),
        ),
        Column::new(
            "score_100_adjusted".into(),
            adjusted.iter().map(|v| r4(*v)).collect::<Vec<_>>(),
        ),
        Column::new("rank_adjusted".into(), rank_adjusted),
        Column::new("rank_adjusted_low".into(), u(&adj, false)),
        Column::new("rank_adjusted_high".into(), u(&adj, true)),
    ] {
        ranked.with_column(c)?;
    }
    Ok(ranked.drop(S100)?)
}

/// The rankings tables from `ranked_departments` and `level1`, the concatenated
/// `level1_partial`s (of department evaluations at least).
pub fn rankings(ranked: DataFrame, level1: LazyFrame) -> Result<(DataFrame, DataFrame)> {
    let ranked_evals = ranked.column(EVAL)?.as_materialized_series().clone();

    // Long rows sort by evaluation, in (fiscal_year, evaluator_type, unit, eval_id) order,
    // then level1: the evaluations are put in that order here (a hundred thousand rows) and
    // the long rows sort on that place and the level1 text (a blank first).
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
        ])
        .sort(
            ["fiscal_year", "evaluator_type", "unit_id", "eval_id"],
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
        .sort_by_exprs([col("__order"), col("level1")], Default::default())
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
        .sort([PEER, "rank", "unit_id", "eval_id"], Default::default())
        .drop(by_name([EVAL, PEER], true, false))
        .collect()?;
    let long = long.drop_many([EVAL]);
    Ok((wide, long))
}
