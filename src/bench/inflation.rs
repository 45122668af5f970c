//! Self-evaluation inflation (自评虚高).
//! - `inflation.csv`: one row per matched pair: the same unit, year, scope and project (names
//!   matched by `name_key`) scored by `self` and by an independent evaluator, with the
//!   reference's estimated leniency and the gap once it is removed.
//! - `inflation_summary.csv`: per reference type and scope, pooled over the years (fiscal_year
//!   blank) and per year: mean gap with a 95% interval clustered by unit, its sd, Bland–Altman
//!   95% limits of agreement, share where self is higher, grade agreement, linearly weighted
//!   kappa on grade tiers, and the leniency-adjusted mean gap with its interval.
//! - `inflation_evaluators.csv`: the same gaps per reference evaluator.
//! - `inflation_distribution.csv`: self scores against independent scores of the same unit,
//!   year and scope, as distributions (where no pair exists).

use polars::prelude::*;

use super::leniency::{evaluator_id, PooledEffects};
use super::stats::{clustered_mean, r4, t_critical};
use crate::dataset::decimal::{cell_f64, cell_text};
use crate::dataset::enrich::cols;
use crate::error::Result;

pub fn pairs(facts: LazyFrame) -> LazyFrame {
    let scored = facts.filter(col("total_score").is_not_null());
    let selfs = scored
        .clone()
        .filter(col("evaluator_type").eq(lit("self")))
        .select([
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
            col("unit_id"),
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
        col("unit_id"),
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
                "unit_id",
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

/// Adds what the reference evaluator's scores are adjusted by (`reference_adjustment`: its
/// leniency on the common scale of the pooled fit, `PooledEffects::adjustment`) and
/// `gap_adjusted` = self − (reference − adjustment) = gap_100 + adjustment, both blank when
/// the reference shares no object with another evaluator.
pub fn with_adjusted(pairs: DataFrame, pooled: &PooledEffects) -> Result<DataFrame> {
    let reference = reference_index(&pairs, pooled)?;
    let gap = pairs.column("gap_100")?.cast(&DataType::Float64)?;
    let adj = |k: Option<usize>| k.and_then(|k| pooled.adjustment[k]);
    let effect: Vec<Option<f64>> = reference.iter().map(|k| r4(adj(*k))).collect();
    let adjusted: Vec<Option<f64>> = reference
        .iter()
        .zip(gap.f64()?.iter())
        .map(|(k, g)| r4(adj(*k).zip(g).map(|(e, g)| g + e)))
        .collect();
    let mut pairs = pairs;
    pairs.with_column(Column::new("reference_adjustment".into(), effect))?;
    pairs.with_column(Column::new("gap_adjusted".into(), adjusted))?;
    Ok(pairs)
}

/// Each pair's reference evaluator as its place in `PooledEffects` (the pairs iterated as
/// columns: a cell at a time by name would look up the column every time).
fn reference_index(pairs: &DataFrame, pooled: &PooledEffects) -> Result<Vec<Option<usize>>> {
    let index = pooled.index();
    let rt = pairs.column("reference_type")?.str()?;
    let ev = pairs.column("reference_evaluator")?.str()?;
    // A few evaluators, many pairs: each (type, name) is looked up once.
    let mut seen: rustc_hash::FxHashMap<(&str, &str), Option<usize>> = Default::default();
    Ok(rt
        .iter()
        .zip(ev.iter())
        .map(|(t, e)| {
            let (t, e) = (t.unwrap_or(""), e.unwrap_or(""));
            *seen.entry((t, e)).or_insert_with(|| {
                let id = evaluator_id(t, (!e.is_empty()).then_some(e));
                index.get(id.as_str()).copied()
            })
        })
        .collect())
}

/// One pair as the interval computations read it.
struct Pair {
    unit: Name,
    self_id: Name,
    year: Option<i32>,
    reference_type: Name,
    scope: Name,
    reference_evaluator: Name,
    /// Index of the reference in `PooledEffects`, when it has an effect.
    reference: Option<usize>,
    gap: f64,
    adjusted: Option<f64>,
}

/// Text shared between pairs (a unit's id, a scope): cloned without copying.
type Name = std::sync::Arc<str>;

/// The pairs as the interval computations read them, read once for all of them.
pub struct PairSet(Vec<Pair>);

pub fn pair_set(pairs: &DataFrame, pooled: &PooledEffects) -> PairSet {
    PairSet(read_pairs(pairs, pooled))
}

fn read_pairs(pairs: &DataFrame, pooled: &PooledEffects) -> Vec<Pair> {
    let read = || -> Result<Vec<Pair>> {
        let reference = reference_index(pairs, pooled)?;
        let mut names: rustc_hash::FxHashMap<String, Name> = Default::default();
        let mut text = |c: &str| -> Result<Vec<Name>> {
            Ok(pairs
                .column(c)?
                .str()?
                .iter()
                .map(|v| {
                    let v = v.unwrap_or("");
                    match names.get(v) {
                        Some(n) => n.clone(),
                        None => {
                            let n: Name = v.into();
                            names.insert(v.to_string(), n.clone());
                            n
                        }
                    }
                })
                .collect())
        };
        let (unit, self_id, rt, scope, ev) = (
            text("unit_id")?,
            text("self_eval_id")?,
            text("reference_type")?,
            text("scope")?,
            text("reference_evaluator")?,
        );
        let year = pairs.column("fiscal_year")?.cast(&DataType::Int32)?;
        let gap = pairs.column("gap_100")?.cast(&DataType::Float64)?;
        let rows = unit
            .into_iter()
            .zip(self_id)
            .zip(rt)
            .zip(scope)
            .zip(ev)
            .zip(year.i32()?.iter())
            .zip(gap.f64()?.iter())
            .zip(reference);
        Ok(rows
            .filter_map(
                |(((((((unit, self_id), rt), scope), ev), year), gap), reference)| {
                    let gap = gap?;
                    let reference = reference.filter(|&k| pooled.adjustment[k].is_some());
                    Some(Pair {
                        unit,
                        self_id,
                        year,
                        reference_type: rt,
                        scope,
                        reference_evaluator: ev,
                        reference,
                        gap,
                        adjusted: reference.and_then(|k| pooled.adjustment[k].map(|e| gap + e)),
                    })
                },
            )
            .collect())
    };
    read().unwrap_or_default()
}

/// The mean gap and its interval clustered by unit; and the adjusted mean gap, whose interval
/// also carries the uncertainty of the effects removed (wᵀ Σ w, w the share of the pairs each
/// reference evaluator scored, Σ the adjustments' covariance from the leniency fit).
#[derive(Debug, Clone, Default)]
pub struct GapInterval {
    pub n: usize,
    pub units: usize,
    pub mean: Option<f64>,
    pub se: Option<f64>,
    pub ci: Option<(f64, f64)>,
    /// The gaps' SD, for the Bland–Altman limits of agreement.
    pub sd: Option<f64>,
    pub n_adjusted: usize,
    pub mean_adjusted: Option<f64>,
    pub ci_adjusted: Option<(f64, f64)>,
}

impl GapInterval {
    /// Bland–Altman 95% limits of agreement: where one gap falls (mean ± 1.96 SD), as
    /// `inflation_summary`'s loa_low/loa_high.
    pub fn limits_of_agreement(&self) -> Option<(f64, f64)> {
        self.mean
            .zip(self.sd)
            .map(|(m, sd)| (m - 1.96 * sd, m + 1.96 * sd))
    }
}

/// `obs`: (unit, gap, adjusted gap); `weights`: each reference evaluator's weight summed over
/// the adjusted observations (a pair 1, a self score's m references 1/m each).
fn gap_interval(obs: &[Obs], weights: &Weights, pooled: &PooledEffects) -> GapInterval {
    let raw: Vec<(usize, f64)> = obs.iter().map(|o| (o.0, o.1)).collect();
    let mut out = GapInterval::default();
    if let Some(m) = clustered_mean(&raw) {
        out.n = m.n;
        out.units = m.clusters;
        out.mean = Some(m.mean);
        out.se = m.se;
        out.ci = m.ci;
        out.sd = m.sd;
    }
    let adj: Vec<(usize, f64)> = obs.iter().filter_map(|o| o.2.map(|a| (o.0, a))).collect();
    if let Some(m) = clustered_mean(&adj) {
        out.n_adjusted = m.n;
        out.mean_adjusted = Some(m.mean);
        let mut w: Vec<(usize, f64)> = weights.iter().map(|(&k, &x)| (k, x / m.n as f64)).collect();
        w.sort_by_key(|x| x.0);
        let mut var_effects = 0.0;
        for &(a, wa) in &w {
            for &(b, wb) in &w {
                var_effects += wa * wb * pooled.cov_of(a, b);
            }
        }
        let t = t_critical(0.95, m.clusters as f64 - 1.0);
        out.ci_adjusted = m.se.zip(t).map(|(se, t)| {
            let se = (se * se + var_effects.max(0.0)).sqrt();
            (m.mean - t * se, m.mean + t * se)
        });
    }
    out
}

/// A name's identity: names are interned (`read_pairs`), so equal text is one allocation and
/// its address serves as a cheap key.
fn key(n: &Name) -> usize {
    std::sync::Arc::as_ptr(n) as *const u8 as usize
}

/// (unit, gap, adjusted gap).
type Obs = (usize, f64, Option<f64>);
type Weights = rustc_hash::FxHashMap<usize, f64>;

/// The pairs of one table row: observations and reference weights.
#[derive(Default)]
struct Group<'a> {
    first: Option<&'a Pair>,
    obs: Vec<Obs>,
    weights: Weights,
}

impl<'a> Group<'a> {
    fn push(&mut self, p: &'a Pair) {
        self.first.get_or_insert(p);
        let adjusted = p.adjusted.zip(p.reference);
        self.obs.push((key(&p.unit), p.gap, adjusted.map(|a| a.0)));
        if let Some((_, k)) = adjusted {
            *self.weights.entry(k).or_default() += 1.0;
        }
    }
    fn interval(&self, pooled: &PooledEffects) -> GapInterval {
        gap_interval(&self.obs, &self.weights, pooled)
    }
}

/// Interval columns for `keys` rows (fiscal_year None: pooled over the years).
fn interval_columns(rows: &[GapInterval]) -> Vec<Column> {
    let f = |g: &dyn Fn(&GapInterval) -> Option<f64>| -> Vec<Option<f64>> {
        rows.iter().map(|r| r4(g(r))).collect()
    };
    vec![
        Column::new(
            "n_units".into(),
            rows.iter().map(|r| r.units as u32).collect::<Vec<_>>(),
        ),
        Column::new("se_gap".into(), f(&|r| r.se)),
        Column::new("ci_low".into(), f(&|r| r.ci.map(|c| c.0))),
        Column::new("ci_high".into(), f(&|r| r.ci.map(|c| c.1))),
        Column::new(
            "n_pairs_adjusted".into(),
            rows.iter().map(|r| r.n_adjusted as u32).collect::<Vec<_>>(),
        ),
        Column::new("mean_gap_adjusted".into(), f(&|r| r.mean_adjusted)),
        Column::new("ci_low_adjusted".into(), f(&|r| r.ci_adjusted.map(|c| c.0))),
        Column::new(
            "ci_high_adjusted".into(),
            f(&|r| r.ci_adjusted.map(|c| c.1)),
        ),
    ]
}

/// `inflation_evaluators.csv`: per reference evaluator and scope, pooled over the years
/// (fiscal_year blank) and per year.
pub fn evaluators(set: &PairSet, pooled: &PooledEffects) -> Result<DataFrame> {
    type Key = (Name, Name, Name, Option<i32>);
    let mut at: rustc_hash::FxHashMap<(usize, usize, usize, Option<i32>), usize> =
        Default::default();
    let mut groups: Vec<(Key, Group)> = Vec::new();
    for p in &set.0 {
        for year in [None, p.year] {
            let k = (
                key(&p.reference_type),
                key(&p.reference_evaluator),
                key(&p.scope),
                year,
            );
            let i = *at.entry(k).or_insert_with(|| {
                let names = (
                    p.reference_type.clone(),
                    p.reference_evaluator.clone(),
                    p.scope.clone(),
                    year,
                );
                groups.push((names, Group::default()));
                groups.len() - 1
            });
            groups[i].1.push(p);
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let mut keys: Vec<&Key> = Vec::new();
    let mut rows = Vec::new();
    let mut effect = Vec::new();
    let mut effect_se = Vec::new();
    for (k, g) in &groups {
        rows.push(g.interval(pooled));
        let r = g.first.and_then(|p| p.reference);
        effect.push(r4(r.and_then(|k| pooled.adjustment[k])));
        effect_se.push(r4(r.and_then(|k| pooled.adjustment_se[k])));
        keys.push(k);
    }
    let mut columns = vec![
        Column::new(
            "reference_type".into(),
            keys.iter().map(|k| &*k.0).collect::<Vec<_>>(),
        ),
        Column::new(
            "reference_evaluator".into(),
            keys.iter()
                .map(|k| (!k.1.is_empty()).then_some(&*k.1))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "scope".into(),
            keys.iter().map(|k| &*k.2).collect::<Vec<_>>(),
        ),
        Column::new(
            "fiscal_year".into(),
            keys.iter().map(|k| k.3).collect::<Vec<_>>(),
        ),
        Column::new(
            "n_pairs".into(),
            rows.iter().map(|r| r.n as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "mean_gap".into(),
            rows.iter().map(|r| r4(r.mean)).collect::<Vec<_>>(),
        ),
        Column::new("reference_adjustment".into(), effect),
        Column::new("reference_adjustment_se".into(), effect_se),
    ];
    columns.extend(interval_columns(&rows));
    Ok(DataFrame::new_infer_height(columns)?)
}

/// (reference type, None over all types; pairs; the gap interval over self scores.)
pub type Headline = (Option<String>, usize, GapInterval);

/// The headline gaps of summary.json, one per reference type and one over all: each self
/// score counts once (its gap against the mean of its references of that type, or of all),
/// with an interval clustered by unit.
pub fn headline(set: &PairSet, pooled: &PooledEffects) -> Vec<Headline> {
    let all = &set.0;
    let mut types: Vec<Option<String>> = vec![None];
    let mut names: Vec<String> = all.iter().map(|p| p.reference_type.to_string()).collect();
    names.sort();
    names.dedup();
    types.extend(names.into_iter().map(Some));
    types
        .into_iter()
        .map(|t| {
            // One observation per self score, in order of first appearance, accumulated as
            // its pairs come (a self score's pairs are not always adjacent).
            let of_type = |p: &&Pair| t.as_deref().is_none_or(|t| &*p.reference_type == t);
            let mut at: rustc_hash::FxHashMap<usize, usize> = Default::default();
            // (unit, Σ gap, pairs, Σ adjusted, all adjusted)
            let mut acc: Vec<(usize, f64, f64, f64, bool)> = Vec::new();
            let mut n_pairs = 0;
            for p in all.iter().filter(of_type) {
                let i = *at.entry(key(&p.self_id)).or_insert_with(|| {
                    acc.push((key(&p.unit), 0.0, 0.0, 0.0, true));
                    acc.len() - 1
                });
                let a = &mut acc[i];
                a.1 += p.gap;
                a.2 += 1.0;
                match p.adjusted {
                    Some(x) if p.reference.is_some() => a.3 += x,
                    _ => a.4 = false,
                }
                n_pairs += 1;
            }
            // A self score's m references weigh 1/m each in its adjusted gap.
            let mut weights = Weights::default();
            for p in all.iter().filter(of_type) {
                let a = acc[at[&key(&p.self_id)]];
                if let (true, Some(k)) = (a.4, p.reference) {
                    *weights.entry(k).or_default() += 1.0 / a.2;
                }
            }
            let obs: Vec<Obs> = acc
                .into_iter()
                .map(|(unit, gap, m, adj, all_adjusted)| {
                    (unit, gap / m, all_adjusted.then_some(adj / m))
                })
                .collect();
            (t, n_pairs, gap_interval(&obs, &weights, pooled))
        })
        .collect()
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

/// Per (reference type, scope), pooled over the years (fiscal_year blank) and per year.
pub fn summary(pairs: &DataFrame, set: &PairSet, pooled: &PooledEffects) -> Result<DataFrame> {
    let per_year = summary_by(pairs, true)?;
    let all_years = summary_by(pairs, false)?;
    let mut stats = all_years.vstack(&per_year)?;
    stats = stats
        .lazy()
        .sort(
            ["reference_type", "scope", "fiscal_year"],
            SortMultipleOptions::default().with_nulls_last(false),
        )
        .collect()?;
    // Intervals clustered by unit, and the adjusted gaps, in the rows' order.
    let mut groups: rustc_hash::FxHashMap<(usize, usize, Option<i32>), Group> = Default::default();
    let mut names: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for p in &set.0 {
        names.insert(&p.reference_type, key(&p.reference_type));
        names.insert(&p.scope, key(&p.scope));
        for year in [None, p.year] {
            groups
                .entry((key(&p.reference_type), key(&p.scope), year))
                .or_default()
                .push(p);
        }
    }
    let rows: Vec<GapInterval> = (0..stats.height())
        .map(|i| {
            let name = |c: &str| names.get(cell_text(&stats, c, i).as_str()).copied();
            let group = name("reference_type")
                .zip(name("scope"))
                .and_then(|(t, s)| {
                    groups.get(&(t, s, cell_f64(&stats, "fiscal_year", i).map(|y| y as i32)))
                });
            group.map(|g| g.interval(pooled)).unwrap_or_default()
        })
        .collect();
    for c in interval_columns(&rows) {
        stats.with_column(c)?;
    }
    Ok(stats)
}

/// The summary statistics of `summary`, grouped per year (`by_year`) or over all years.
fn summary_by(pairs: &DataFrame, by_year: bool) -> Result<DataFrame> {
    let mut keys = vec![col("reference_type"), col("scope")];
    if by_year {
        keys.push(col("fiscal_year"));
    }
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
        .collect()?;
    if !by_year {
        stats.with_column(Column::new_scalar(
            "fiscal_year".into(),
            Scalar::new(DataType::Int32, AnyValue::Null),
            stats.height(),
        ))?;
    }
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
            let same_year = !by_year || cfy.get(j) == fy.get(i);
            if crt.get(j) == rt.get(i) && csc.get(j) == sc.get(i) && same_year {
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

/// Self scores against independent scores of the same unit, year and scope (project
/// self-scores against project independent scores: a department score is no yardstick for a
/// project). A unit-year whose independent scores are all of another scope keeps its self row
/// with blank independent columns and a `note` saying so.
pub fn distribution(facts: LazyFrame) -> LazyFrame {
    let scored = facts.filter(col("total_score").is_not_null());
    let keys = [col("unit_id"), col("fiscal_year"), col("scope")];
    let unit_year = [col("unit_id"), col("fiscal_year")];
    let s = col(cols::SCORE_100);
    let selfs = scored
        .clone()
        .filter(col("evaluator_type").eq(lit("self")))
        .group_by(keys.clone())
        .agg([
            col(cols::DISPLAY_NAME).first().alias("short_name"),
            len().alias("n_self"),
            s.clone().mean().alias("mean_self"),
            s.clone().median().alias("median_self"),
            s.clone().min().alias("min_self"),
            s.clone().max().alias("max_self"),
            col("scope").first().alias("self_scopes"),
        ]);
    let independent = scored.filter(col("evaluator_type").neq(lit("self")));
    let indep = independent.clone().group_by(keys.clone()).agg([
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
    // Which scopes the unit-year's independent scores cover, for the note.
    let any_scope = independent.group_by(unit_year.clone()).agg([col("scope")
        .unique()
        .sort(Default::default())
        .str()
        .join(",", true)
        .alias("__indep_scopes")]);
    let round = |c: &str| col(c).round(4, RoundMode::HalfToEven);
    selfs
        .join(
            any_scope,
            unit_year.clone(),
            unit_year,
            JoinArgs::new(JoinType::Inner),
        )
        .join(indep, keys.clone(), keys, JoinArgs::new(JoinType::Left))
        .with_columns([
            (col("mean_self") - col("mean_independent")).alias("mean_difference"),
            when(col("n_independent").is_null())
                .then(
                    lit("no independent ")
                        + col("scope")
                        + lit(" scores for this unit and year (independent scores are for: ")
                        + col("__indep_scopes")
                        + lit(")"),
                )
                .otherwise(lit(NULL).cast(DataType::String))
                .alias("note"),
        ])
        .sort(["fiscal_year", "unit_id", "scope"], Default::default())
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
            col("scope"),
            col("note"),
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
