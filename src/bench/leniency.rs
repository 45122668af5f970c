//! `leniency.csv`: which independent evaluators (third-party firms, expert panels, finance
//! bureaus) score systematically high. Additive model fitted by least squares on scores out of
//! 100: `score = level(object) + β(evaluator) + noise`, where an object is one unit's
//! scope/project in one year. Object levels are absorbed (within-object demeaning), so only
//! objects scored by two or more evaluators carry information, and the β are identified up to
//! a constant within each connected set of evaluators.
//!
//! An evaluator's effect is read against the others: its β minus the mean β of the other
//! evaluators of its connected set (each counted once), i.e. how many points it gives above
//! what the average other evaluator would give the same objects; or, with a reference
//! evaluator, its β minus the reference's. (Centring on a mean that includes the evaluator
//! itself would shrink its difference from the others by (k−1)/k.)
//!
//! Intervals are on Student's t with the fit's residual degrees of freedom (a per-year fit
//! often has very few, where a normal interval is far too narrow). "Lenient" is a one-sided
//! claim (more than the threshold above the others), so the flag reads the one-sided lower
//! bound `flag_low` at `FLAG_LEVEL`, chosen by the calibration run. A flag needs at least
//! `MIN_SHARED_FOR_FLAG` shared objects; per-year rows are descriptive unless the evaluator
//! shares `MIN_SHARED_FOR_YEAR_FLAG` objects that year. Beside the least-squares effect, a
//! censored (Tobit) fit treats a score of exactly 100 as "100 or more": near the ceiling a
//! lenient evaluator's scores pile up at 100 and least squares understates it.
//!
//! The fit works on per-(object, evaluator) sums computed by polars, so it is linear in rows;
//! the dense algebra (nalgebra's Cholesky, with an SVD pseudo-inverse as fallback) is over
//! evaluators only. Self-evaluations are not part of the reference.

use nalgebra::{DMatrix, DVector};
use polars::prelude::*;

use super::stats::{r4, t_critical};
use crate::dataset::enrich::cols;
use crate::error::{JxError, Result};

pub const DEFAULT_THRESHOLD: f64 = 2.0;
/// The one-sided confidence of the flag: lenient when the effect's lower bound at this level
/// exceeds the threshold.
pub const FLAG_LEVEL: f64 = 0.95;
/// No flag from fewer shared objects than this, whatever the interval says.
pub const MIN_SHARED_FOR_FLAG: u32 = 3;
/// A per-year row may flag only when the evaluator shares this many objects that year;
/// otherwise the flag is the pooled row's.
pub const MIN_SHARED_FOR_YEAR_FLAG: u32 = 30;
/// The censoring point of the Tobit fit (scores are on a 100-point scale).
pub const CEILING: f64 = 100.0;
/// Least squares and Tobit effects further apart than this get a note.
pub const TOBIT_NOTE_POINTS: f64 = 1.0;
/// The `reference` column when effects are read against the other evaluators.
pub const AGAINST_OTHERS: &str = "others";
/// One evaluator: its type and name ("third_party:某某会计师事务所").
const EVALUATOR_ID: &str = "evaluator_id";
const UNNAMED: &str = "(unnamed)";

/// An evaluator id as the leniency table makes it ("type:name").
pub fn evaluator_id(evaluator_type: &str, evaluator: Option<&str>) -> String {
    format!("{evaluator_type}:{}", evaluator.unwrap_or(UNNAMED))
}

#[derive(Debug, Clone, Default)]
pub struct LeniencyOptions {
    pub threshold: f64,
    /// Read effects against this evaluator (its name, or "type:name") instead of the others.
    pub reference: Option<String>,
}

/// What the pooled fit (all years) says, for the tables that correct for leniency
/// (inflation's adjusted gaps, rankings' adjusted scores and rank intervals).
#[derive(Debug, Clone, Default)]
pub struct PooledEffects {
    pub ids: Vec<String>,
    /// What scores are adjusted by: β minus the reference's β, or minus the median β of the
    /// connected set (a common scale, the typical evaluator's).
    pub adjustment: Vec<Option<f64>>,
    pub adjustment_se: Vec<Option<f64>>,
    /// Covariance of the adjustments (zero between evaluators of different connected sets).
    pub cov: Option<DMatrix<f64>>,
    /// Residual SD of one independent score around its object's level, leniency removed:
    /// the measurement error of a score.
    pub sigma: Option<f64>,
}

impl PooledEffects {
    pub fn index(&self) -> rustc_hash::FxHashMap<&str, usize> {
        self.ids
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect()
    }
    /// Covariance of two evaluators' effects (0 when unknown or unrelated).
    pub fn cov_of(&self, a: usize, b: usize) -> f64 {
        self.cov
            .as_ref()
            .map(|c| c[(a, b)])
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
    }
}

pub struct Leniency {
    pub table: DataFrame,
    pub pooled: PooledEffects,
}

/// Effects pooled over all years (fiscal_year blank) and fitted within each year, so the
/// table keeps fiscal_year like every other.
pub fn leniency(facts: LazyFrame, opts: &LeniencyOptions) -> Result<Leniency> {
    let indep = facts
        .filter(
            col("evaluator_type")
                .neq(lit("self"))
                .and(col(cols::SCORE_100).is_not_null()),
        )
        .select([
            col("unit_id"),
            col("fiscal_year"),
            col("evaluator_type"),
            col("evaluator"),
            // Made here, for the independent rows only, not in the facts for every row.
            concat_str(
                [
                    col("evaluator_type"),
                    col("evaluator").fill_null(lit(UNNAMED)),
                ],
                ":",
                false,
            )
            .alias(EVALUATOR_ID),
            col(cols::SCORE_100),
            concat_str(
                [
                    col("unit_id"),
                    col("fiscal_year").cast(DataType::String),
                    col("scope"),
                    col(cols::NAME_KEY),
                ],
                "\u{1f}",
                false,
            )
            .alias("object"),
        ])
        .collect()?;
    let reference = match &opts.reference {
        Some(r) => Some(resolve_reference(&indep, r)?),
        None => None,
    };
    // An object belongs to one fiscal year, so the per-(object, evaluator) sums are made
    // once and each year's fit takes its rows of them (still sorted by object).
    let at_ceiling = col(cols::SCORE_100).gt_eq(lit(CEILING - 1e-9));
    let cells = indep
        .clone()
        .lazy()
        .group_by([col("object"), col(EVALUATOR_ID)])
        .agg([
            col("fiscal_year").first(),
            len().cast(DataType::Float64).alias("n"),
            col(cols::SCORE_100).sum().alias("sy"),
            (col(cols::SCORE_100) * col(cols::SCORE_100))
                .sum()
                .alias("syy"),
            at_ceiling.cast(DataType::Float64).sum().alias("nc"),
        ])
        .sort(["object", EVALUATOR_ID], Default::default())
        .collect()?;
    let years = indep
        .column("fiscal_year")?
        .unique()?
        .sort(Default::default())?;
    let ctx = FitContext {
        threshold: opts.threshold,
        reference: reference.as_deref(),
    };
    let (pooled_frame, pooled) = fit_frame(indep.clone().lazy(), &cells, &ctx, None)?;
    let mut parts = vec![pooled_frame
        .lazy()
        .with_column(lit(NULL).cast(DataType::Int32).alias("fiscal_year"))];
    for y in years.i32()?.iter().flatten() {
        let in_year = |df: &DataFrame| -> Result<DataFrame> {
            Ok(df.filter(&df.column("fiscal_year")?.i32()?.equal(y))?)
        };
        parts.push(
            fit_frame(
                indep.clone().lazy().filter(col("fiscal_year").eq(lit(y))),
                &in_year(&cells)?,
                &ctx,
                Some(y),
            )?
            .0
            .lazy()
            .with_column(lit(y).alias("fiscal_year")),
        );
    }
    let all = concat(parts, UnionArgs::default())?;
    let mut order = vec![col("fiscal_year")];
    order.extend(
        [
            "evaluator_type",
            "evaluator",
            "n_evaluations",
            "n_units",
            "n_shared_objects",
            "effect",
            "se",
            "ci_low",
            "ci_high",
            "flag_low",
            "lenient",
            "threshold",
            "reference",
            "df",
            "share_at_100",
            "effect_tobit",
            "adjustment",
            "note",
        ]
        .iter()
        .map(|c| col(*c)),
    );
    Ok(Leniency {
        table: all.select(order).collect()?,
        pooled,
    })
}

/// The reference evaluator named by the user: its "type:name" id, or its name when only one
/// evaluator has it.
fn resolve_reference(indep: &DataFrame, wanted: &str) -> Result<String> {
    let ids = indep
        .column(EVALUATOR_ID)?
        .unique()?
        .sort(Default::default())?;
    let ids: Vec<String> = ids.str()?.iter().flatten().map(String::from).collect();
    if ids.iter().any(|i| i == wanted) {
        return Ok(wanted.to_string());
    }
    let by_name: Vec<&String> = ids
        .iter()
        .filter(|i| i.split_once(':').map(|(_, n)| n) == Some(wanted))
        .collect();
    match by_name.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(JxError::usage_like(format!(
            "--leniency-reference {wanted}: no independent evaluator has that name; they are: {}",
            ids.iter().take(30).cloned().collect::<Vec<_>>().join(", ")
        ))),
        many => Err(JxError::usage_like(format!(
            "--leniency-reference {wanted}: several evaluators have that name; give one as type:name ({})",
            many.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

struct FitContext<'a> {
    threshold: f64,
    reference: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct EvaluatorEffect {
    pub evaluator_type: String,
    pub evaluator: String,
    pub n_evaluations: u32,
    pub n_units: u32,
    pub n_shared_objects: u32,
    pub effect: Option<f64>,
    pub se: Option<f64>,
    pub ci: Option<(f64, f64)>,
    /// One-sided lower bound at `FLAG_LEVEL`: what the flag compares with the threshold.
    pub flag_low: Option<f64>,
    pub lenient: Option<bool>,
    pub df: Option<f64>,
    pub share_at_100: Option<f64>,
    pub effect_tobit: Option<f64>,
    pub adjustment: Option<f64>,
    pub note: Vec<&'static str>,
}

/// One fit: `indep`, the independent scores it covers; `cells`, their per-(object,
/// evaluator) sums sorted by object; `year`, None for the pooled fit.
fn fit_frame(
    indep: LazyFrame,
    cells: &DataFrame,
    ctx: &FitContext,
    year: Option<i32>,
) -> Result<(DataFrame, PooledEffects)> {
    let per_eval = indep
        .group_by([col(EVALUATOR_ID)])
        .agg([
            col("evaluator_type").first(),
            col("evaluator").first(),
            len().alias("n_evaluations"),
            col("unit_id").n_unique().alias("n_units"),
            col(cols::SCORE_100)
                .gt_eq(lit(CEILING - 1e-9))
                .cast(DataType::Float64)
                .mean()
                .alias("share_at_100"),
        ])
        .sort([EVALUATOR_ID], Default::default())
        .collect()?;

    let ids: Vec<String> = per_eval
        .column(EVALUATOR_ID)?
        .str()?
        .iter()
        .map(|s| s.unwrap_or("").to_string())
        .collect();
    let index: rustc_hash::FxHashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let obj = cells.column("object")?.str()?;
    let ev = cells.column(EVALUATOR_ID)?.str()?;
    let n = cells.column("n")?.f64()?;
    let sy = cells.column("sy")?.f64()?;
    let syy = cells.column("syy")?.f64()?;
    let nc = cells.column("nc")?.f64()?;
    // Group the sorted cells by object (iterating the columns: a cell at a time by index
    // would look up its chunk every time).
    let mut groups: Vec<Vec<Cell>> = Vec::new();
    let mut last: Option<&str> = None;
    let sums = n.iter().zip(sy.iter()).zip(syy.iter()).zip(nc.iter());
    for ((o, e), (((n, sy), syy), nc)) in obj.iter().zip(ev.iter()).zip(sums) {
        let o = o.unwrap_or("");
        if last != Some(o) {
            groups.push(Vec::new());
            last = Some(o);
        }
        groups.last_mut().unwrap().push(Cell {
            e: index[e.unwrap_or("")],
            n: n.unwrap_or(0.0),
            sy: sy.unwrap_or(0.0),
            syy: syy.unwrap_or(0.0),
            nc: nc.unwrap_or(0.0),
        });
    }
    let reference = match ctx.reference {
        Some(r) => match index.get(r) {
            Some(&i) => Reference::Evaluator(i),
            None => Reference::Absent,
        },
        None => Reference::Others,
    };
    let fit = fit_effects(ids.len(), &groups, reference);

    let et = per_eval.column("evaluator_type")?.str()?;
    let en = per_eval.column("evaluator")?.str()?;
    let ne = per_eval.column("n_evaluations")?.cast(&DataType::UInt32)?;
    let nu = per_eval.column("n_units")?.cast(&DataType::UInt32)?;
    let (ne, nu) = (ne.u32()?, nu.u32()?);
    let at100 = per_eval.column("share_at_100")?.f64()?;
    let t = fit.df.and_then(|df| t_critical(0.95, df));
    // A one-sided bound at level L is the lower end of the two-sided interval at 2L − 1.
    let t_flag = fit.df.and_then(|df| t_critical(2.0 * FLAG_LEVEL - 1.0, df));
    let mut rows: Vec<EvaluatorEffect> = (0..ids.len())
        .map(|i| {
            let shared = fit.shared[i];
            let ci = fit.effect[i]
                .zip(fit.se[i])
                .zip(t)
                .map(|((e, s), t)| (e - t * s, e + t * s));
            let flag_low = fit.effect[i]
                .zip(fit.se[i])
                .zip(t_flag)
                .map(|((e, s), t)| e - t * s);
            let mut note = Vec::new();
            match fit.status[i] {
                Status::Reference => note.push("reference"),
                Status::NotConnected => note.push("not_connected_to_reference"),
                Status::ReferenceAbsent => note.push("reference_not_in_fit"),
                Status::NoOverlap => note.push("no_shared_objects"),
                Status::Estimated => {}
            }
            let judged = fit.status[i] == Status::Estimated;
            if judged && shared < MIN_SHARED_FOR_FLAG {
                note.push("few_shared_objects");
            } else if judged && ci.is_none() {
                note.push("no_residual_df");
            } else if judged && year.is_some() && shared < MIN_SHARED_FOR_YEAR_FLAG {
                note.push("per_year_descriptive");
            }
            let flaggable = judged && note.is_empty();
            let lenient = if flaggable {
                flag_low.map(|b| b > ctx.threshold)
            } else {
                None
            };
            if let (Some(a), Some(b)) = (fit.effect[i], fit.tobit[i]) {
                if (a - b).abs() > TOBIT_NOTE_POINTS {
                    note.push("tobit_differs");
                }
            }
            EvaluatorEffect {
                evaluator_type: et.get(i).unwrap_or("").to_string(),
                evaluator: en.get(i).unwrap_or("").to_string(),
                n_evaluations: ne.get(i).unwrap_or(0),
                n_units: nu.get(i).unwrap_or(0),
                n_shared_objects: shared,
                effect: fit.effect[i],
                se: fit.se[i],
                ci,
                flag_low,
                lenient,
                df: fit.df,
                share_at_100: at100.get(i),
                effect_tobit: fit.tobit[i],
                adjustment: fit.adjustment[i],
                note,
            }
        })
        .collect();
    let pooled = PooledEffects {
        ids: ids.clone(),
        adjustment: fit.adjustment.clone(),
        adjustment_se: fit.adjustment_se.clone(),
        cov: fit.cov.clone(),
        sigma: fit.sigma2.map(f64::sqrt),
    };
    rows.sort_by(|a, b| {
        (a.evaluator_type.as_str(), a.evaluator.as_str())
            .cmp(&(b.evaluator_type.as_str(), b.evaluator.as_str()))
    });
    let reference_label = ctx.reference.unwrap_or(AGAINST_OTHERS);
    Ok((to_frame(&rows, ctx.threshold, reference_label)?, pooled))
}

fn to_frame(rows: &[EvaluatorEffect], threshold: f64, reference: &str) -> Result<DataFrame> {
    let f = |g: &dyn Fn(&EvaluatorEffect) -> Option<f64>| -> Vec<Option<f64>> {
        rows.iter().map(|r| r4(g(r))).collect()
    };
    Ok(DataFrame::new_infer_height(vec![
        Column::new(
            "evaluator_type".into(),
            rows.iter()
                .map(|r| r.evaluator_type.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "evaluator".into(),
            rows.iter()
                .map(|r| r.evaluator.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "n_evaluations".into(),
            rows.iter().map(|r| r.n_evaluations).collect::<Vec<_>>(),
        ),
        Column::new(
            "n_units".into(),
            rows.iter().map(|r| r.n_units).collect::<Vec<_>>(),
        ),
        Column::new(
            "n_shared_objects".into(),
            rows.iter().map(|r| r.n_shared_objects).collect::<Vec<_>>(),
        ),
        Column::new("effect".into(), f(&|r| r.effect)),
        Column::new("se".into(), f(&|r| r.se)),
        Column::new("ci_low".into(), f(&|r| r.ci.map(|c| c.0))),
        Column::new("ci_high".into(), f(&|r| r.ci.map(|c| c.1))),
        Column::new("flag_low".into(), f(&|r| r.flag_low)),
        Column::new(
            "lenient".into(),
            rows.iter().map(|r| r.lenient).collect::<Vec<_>>(),
        ),
        Column::new("threshold".into(), vec![threshold; rows.len()]),
        Column::new("reference".into(), vec![reference; rows.len()]),
        Column::new(
            "df".into(),
            rows.iter()
                .map(|r| r.df.map(|d| d.round() as u32))
                .collect::<Vec<_>>(),
        ),
        Column::new("share_at_100".into(), f(&|r| r.share_at_100)),
        Column::new("effect_tobit".into(), f(&|r| r.effect_tobit)),
        Column::new("adjustment".into(), f(&|r| r.adjustment)),
        Column::new(
            "note".into(),
            rows.iter()
                .map(|r| (!r.note.is_empty()).then(|| r.note.join(";")))
                .collect::<Vec<_>>(),
        ),
    ])?)
}

/// One (object, evaluator) cell: how many scores, their sum and sum of squares, and how many
/// of them sit at the ceiling (included in the sums).
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    pub e: usize,
    pub n: f64,
    pub sy: f64,
    pub syy: f64,
    pub nc: f64,
}

impl Cell {
    /// A cell without scores at the ceiling (hand computations in the tests).
    #[cfg(test)]
    pub fn of(e: usize, scores: &[f64]) -> Cell {
        Cell {
            e,
            n: scores.len() as f64,
            sy: scores.iter().sum(),
            syy: scores.iter().map(|y| y * y).sum(),
            nc: scores.iter().filter(|y| **y >= CEILING - 1e-9).count() as f64,
        }
    }
}

/// What effects are read against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reference {
    /// The other evaluators of the connected set, each counted once.
    Others,
    /// This evaluator.
    Evaluator(usize),
    /// A reference was named but does not score in this fit.
    Absent,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Status {
    Estimated,
    Reference,
    NotConnected,
    ReferenceAbsent,
    NoOverlap,
}

pub struct Fit {
    pub effect: Vec<Option<f64>>,
    pub se: Vec<Option<f64>>,
    /// objects each evaluator shares with another evaluator
    pub shared: Vec<u32>,
    pub status: Vec<Status>,
    /// Residual degrees of freedom: observations − objects − Σ (evaluators − 1) per set.
    pub df: Option<f64>,
    pub sigma2: Option<f64>,
    /// The same contrasts from the censored (Tobit) fit.
    pub tobit: Vec<Option<f64>>,
    /// β minus the reference's β, or the median β of the set: what adjusted scores remove.
    pub adjustment: Vec<Option<f64>>,
    pub adjustment_se: Vec<Option<f64>>,
    /// Covariance of the adjustments.
    pub cov: Option<DMatrix<f64>>,
}

/// The normal equations of one connected set of evaluators.
struct Comp {
    members: Vec<usize>,
    /// Indices of its objects in `groups`.
    groups: Vec<usize>,
    /// A generalised inverse of M (with M β = r): (M + J/k)⁻¹, or M⁺ when the Cholesky
    /// factorisation fails. Both give centred β and equal variances for contrasts.
    ginv: DMatrix<f64>,
}

struct System {
    comps: Vec<Comp>,
    /// Each evaluator's place in its set's matrices.
    local: Vec<usize>,
    comp_of: Vec<Option<usize>>,
    shared: Vec<u32>,
}

/// Connected sets of evaluators (through objects they share) and their normal matrices.
/// `groups[g]` lists the cells of one object; objects with one evaluator are left out.
fn system(n_eval: usize, groups: &[Vec<Cell>], keep: impl Fn(&[Cell]) -> bool) -> System {
    let mut shared = vec![0u32; n_eval];
    let mut parent: Vec<usize> = (0..n_eval).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let nx = p[y];
            p[y] = r;
            y = nx;
        }
        r
    }
    let multi: Vec<usize> = (0..groups.len())
        .filter(|&g| groups[g].len() >= 2 && keep(&groups[g]))
        .collect();
    for &g in &multi {
        let cells = &groups[g];
        for c in cells {
            shared[c.e] += 1;
        }
        let r0 = find(&mut parent, cells[0].e);
        for c in cells.iter().skip(1) {
            let r = find(&mut parent, c.e);
            parent[r] = r0;
        }
    }
    // Sets in the order of their smallest member; objects bucketed by set (linear).
    let mut comp_of = vec![None; n_eval];
    let mut root_comp: rustc_hash::FxHashMap<usize, usize> = Default::default();
    let mut comps: Vec<Comp> = Vec::new();
    let mut local = vec![usize::MAX; n_eval];
    for e in 0..n_eval {
        if shared[e] == 0 {
            continue;
        }
        let r = find(&mut parent, e);
        let c = *root_comp.entry(r).or_insert_with(|| {
            comps.push(Comp {
                members: Vec::new(),
                groups: Vec::new(),
                ginv: DMatrix::zeros(0, 0),
            });
            comps.len() - 1
        });
        local[e] = comps[c].members.len();
        comps[c].members.push(e);
        comp_of[e] = Some(c);
    }
    for &g in &multi {
        let c = comp_of[groups[g][0].e].expect("a shared evaluator has a set");
        comps[c].groups.push(g);
    }
    for comp in comps.iter_mut() {
        let k = comp.members.len();
        let mut m = DMatrix::<f64>::zeros(k, k);
        for &g in &comp.groups {
            let cells = &groups[g];
            let ng: f64 = cells.iter().map(|c| c.n).sum();
            for a in cells {
                let i = local[a.e];
                m[(i, i)] += a.n;
                for b in cells {
                    m[(i, local[b.e])] -= a.n * b.n / ng;
                }
            }
        }
        // M is singular along 1 (only differences are identified): M + J/k is positive
        // definite for a connected set, and its inverse acts as M's inverse on contrasts.
        let shifted = &m + DMatrix::from_element(k, k, 1.0 / k as f64);
        comp.ginv = match nalgebra::Cholesky::new(shifted) {
            Some(ch) => ch.inverse(),
            None => m
                .clone()
                .pseudo_inverse(1e-10)
                .unwrap_or_else(|_| DMatrix::zeros(k, k)),
        };
    }
    System {
        comps,
        local,
        comp_of,
        shared,
    }
}

/// β of each evaluator in its set (centred there) from the cell sums `sy` (one per cell).
fn solve(sys: &System, groups: &[Vec<Cell>], sy: &[Vec<f64>], beta: &mut [f64]) {
    for comp in &sys.comps {
        let k = comp.members.len();
        let mut r = DVector::<f64>::zeros(k);
        for &g in &comp.groups {
            let cells = &groups[g];
            let ng: f64 = cells.iter().map(|c| c.n).sum();
            let ybar = sy[g].iter().sum::<f64>() / ng;
            for (c, s) in cells.iter().zip(&sy[g]) {
                r[sys.local[c.e]] += s - c.n * ybar;
            }
        }
        let b = &comp.ginv * r;
        for (i, &e) in comp.members.iter().enumerate() {
            beta[e] = b[i];
        }
    }
}

/// The object level α_g = ȳ_g − β̄_g of one object.
fn level(cells: &[Cell], sy: &[f64], beta: &[f64]) -> f64 {
    let ng: f64 = cells.iter().map(|c| c.n).sum();
    (sy.iter().sum::<f64>() - cells.iter().map(|c| c.n * beta[c.e]).sum::<f64>()) / ng
}

/// Σ (y − α_g − β_e)² over the objects of the system, from cell sums.
fn rss(sys: &System, groups: &[Vec<Cell>], sy: &[Vec<f64>], syy: &[Vec<f64>], beta: &[f64]) -> f64 {
    let mut total = 0.0;
    for comp in &sys.comps {
        for &g in &comp.groups {
            let cells = &groups[g];
            let alpha = level(cells, &sy[g], beta);
            for ((c, s), ss) in cells.iter().zip(&sy[g]).zip(&syy[g]) {
                let mu = alpha + beta[c.e];
                total += ss - 2.0 * mu * s + c.n * mu * mu;
            }
        }
    }
    total.max(0.0)
}

fn residual_df(sys: &System, groups: &[Vec<Cell>]) -> f64 {
    let mut n_obs = 0.0;
    let mut n_groups = 0.0;
    let mut n_params = 0.0;
    for comp in &sys.comps {
        for &g in &comp.groups {
            n_obs += groups[g].iter().map(|c| c.n).sum::<f64>();
            n_groups += 1.0;
        }
        n_params += (comp.members.len() - 1) as f64;
    }
    n_obs - n_groups - n_params
}

/// The contrast vector (in its set's local order) that reads evaluator `e` against the
/// others or the reference; None when there is nothing to read it against.
fn contrast(sys: &System, e: usize, reference: Reference) -> (Status, Option<DVector<f64>>) {
    let Some(c) = sys.comp_of[e] else {
        return (Status::NoOverlap, None);
    };
    let comp = &sys.comps[c];
    let k = comp.members.len();
    let mut a = DVector::<f64>::zeros(k);
    match reference {
        Reference::Others => {
            for v in a.iter_mut() {
                *v = -1.0 / (k as f64 - 1.0);
            }
            a[sys.local[e]] = 1.0;
            (Status::Estimated, Some(a))
        }
        Reference::Evaluator(r) if r == e => (Status::Reference, None),
        Reference::Evaluator(r) if sys.comp_of[r] == Some(c) => {
            a[sys.local[e]] = 1.0;
            a[sys.local[r]] = -1.0;
            (Status::Estimated, Some(a))
        }
        Reference::Evaluator(_) => (Status::NotConnected, None),
        Reference::Absent => (Status::ReferenceAbsent, None),
    }
}

/// Least squares with object levels absorbed, and the censored fit beside it. `groups[g]`
/// lists the cells of one object. Normal equations: M β = r with
/// M = Σ_g (diag(c_g) − c_g c_gᵀ / n_g), r = Σ_g (s_g − c_g ȳ_g).
pub fn fit_effects(n_eval: usize, groups: &[Vec<Cell>], reference: Reference) -> Fit {
    let sys = system(n_eval, groups, |_| true);
    let sy: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| g.iter().map(|c| c.sy).collect())
        .collect();
    let syy: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| g.iter().map(|c| c.syy).collect())
        .collect();
    let mut beta = vec![0.0; n_eval];
    solve(&sys, groups, &sy, &mut beta);
    let df = residual_df(&sys, groups);
    let sigma2 = (df > 0.0).then(|| rss(&sys, groups, &sy, &syy, &beta) / df);

    let mut effect = vec![None; n_eval];
    let mut se = vec![None; n_eval];
    let mut status = vec![Status::NoOverlap; n_eval];
    let mut contrasts: Vec<Option<DVector<f64>>> = vec![None; n_eval];
    for e in 0..n_eval {
        let (st, a) = contrast(&sys, e, reference);
        status[e] = st;
        if st == Status::Reference {
            effect[e] = Some(0.0);
        }
        if let Some(a) = a {
            let comp = &sys.comps[sys.comp_of[e].unwrap()];
            let b: f64 = comp
                .members
                .iter()
                .enumerate()
                .map(|(i, &f)| a[i] * beta[f])
                .sum();
            effect[e] = Some(b);
            let q = (a.transpose() * &comp.ginv * &a)[(0, 0)];
            se[e] = sigma2.map(|s2| (s2 * q).max(0.0).sqrt());
            contrasts[e] = Some(a);
        }
    }
    // The adjustment other tables remove (a common scale, unlike the effects, each read
    // against its own others): β minus the reference's β, or minus the median β of the set
    // (the typical evaluator: a lenient minority does not move it).
    let mut adjustment = vec![None; n_eval];
    let mut adjustment_se = vec![None; n_eval];
    let mut adj_contrasts: Vec<Option<DVector<f64>>> = vec![None; n_eval];
    for comp in &sys.comps {
        let k = comp.members.len();
        let mut base = DVector::<f64>::zeros(k);
        match reference {
            Reference::Evaluator(r) if sys.comp_of[r] == sys.comp_of[comp.members[0]] => {
                base[sys.local[r]] = 1.0;
            }
            Reference::Evaluator(_) | Reference::Absent => continue,
            Reference::Others => {
                let mut order: Vec<usize> = (0..k).collect();
                order.sort_by(|&a, &b| beta[comp.members[a]].total_cmp(&beta[comp.members[b]]));
                if k % 2 == 1 {
                    base[order[k / 2]] = 1.0;
                } else {
                    base[order[k / 2 - 1]] = 0.5;
                    base[order[k / 2]] = 0.5;
                }
            }
        }
        for (i, &e) in comp.members.iter().enumerate() {
            let mut a = -base.clone();
            a[i] += 1.0;
            adjustment[e] = Some(
                comp.members
                    .iter()
                    .enumerate()
                    .map(|(j, &f)| a[j] * beta[f])
                    .sum(),
            );
            let q = (a.transpose() * &comp.ginv * &a)[(0, 0)];
            adjustment_se[e] = sigma2.map(|s2| (s2 * q).max(0.0).sqrt());
            adj_contrasts[e] = Some(a);
        }
    }
    // Covariance of the adjustments: σ² aᵢᵀ G aⱼ within a set, 0 across sets.
    let cov = sigma2.map(|s2| {
        let mut cov = DMatrix::<f64>::zeros(n_eval, n_eval);
        for comp in &sys.comps {
            let with: Vec<usize> = comp
                .members
                .iter()
                .copied()
                .filter(|&e| adj_contrasts[e].is_some())
                .collect();
            for &i in &with {
                let gi = &comp.ginv * adj_contrasts[i].as_ref().unwrap();
                for &j in &with {
                    cov[(i, j)] = s2 * adj_contrasts[j].as_ref().unwrap().dot(&gi);
                }
            }
        }
        cov
    });
    let tobit = tobit_effects(n_eval, groups, reference);
    Fit {
        effect,
        se,
        shared: sys.shared,
        status,
        df: (df > 0.0).then_some(df),
        sigma2,
        tobit,
        adjustment,
        adjustment_se,
        cov,
    }
}

/// Mills ratio φ(z) / (1 − Φ(z)), accurate far into the tail.
fn mills(z: f64) -> f64 {
    if z > 30.0 {
        return z + 1.0 / z;
    }
    let q = 0.5 * statrs::function::erf::erfc(z / std::f64::consts::SQRT_2);
    let phi = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    phi / q
}

/// The censored fit: a score at the ceiling is read as "at least 100". Expectation–
/// maximisation: each score at 100 is replaced by its expected value above 100 under the
/// current fit, the least-squares system is solved again, and σ² is re-estimated (with its
/// conditional variance, on the residual degrees of freedom, which keeps the object levels
/// from shrinking σ as a plain maximum likelihood would with two scores an object). Objects
/// whose every score is 100 say nothing about differences and are left out.
fn tobit_effects(n_eval: usize, groups: &[Vec<Cell>], reference: Reference) -> Vec<Option<f64>> {
    let keep = |cells: &[Cell]| cells.iter().any(|c| c.nc < c.n);
    let sys = system(n_eval, groups, keep);
    let mut sy: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| g.iter().map(|c| c.sy).collect())
        .collect();
    let mut syy: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| g.iter().map(|c| c.syy).collect())
        .collect();
    let mut beta = vec![0.0; n_eval];
    solve(&sys, groups, &sy, &mut beta);
    let df = residual_df(&sys, groups);
    let censored: Vec<usize> = sys
        .comps
        .iter()
        .flat_map(|c| c.groups.iter().copied())
        .filter(|&g| groups[g].iter().any(|c| c.nc > 0.0))
        .collect();
    if df > 0.0 && !censored.is_empty() {
        // Objects without a score at the ceiling never change: their share of r and of the
        // RSS (a quadratic in β: C − 2βᵀr + βᵀMβ) is made once, so that each iteration visits
        // only the censored objects.
        let mut plain: Vec<(DVector<f64>, DMatrix<f64>, f64)> = Vec::new();
        let mut censored_of: Vec<Vec<usize>> = Vec::new();
        for comp in &sys.comps {
            let k = comp.members.len();
            let (mut r, mut m, mut c) = (DVector::zeros(k), DMatrix::zeros(k, k), 0.0);
            let mut cens = Vec::new();
            for &g in &comp.groups {
                let cells = &groups[g];
                if cells.iter().any(|c| c.nc > 0.0) {
                    cens.push(g);
                    continue;
                }
                let ng: f64 = cells.iter().map(|c| c.n).sum();
                let sg: f64 = cells.iter().map(|c| c.sy).sum();
                c += cells.iter().map(|c| c.syy).sum::<f64>() - sg * sg / ng;
                for a in cells {
                    let i = sys.local[a.e];
                    r[i] += a.sy - a.n * sg / ng;
                    m[(i, i)] += a.n;
                    for b in cells {
                        m[(i, sys.local[b.e])] -= a.n * b.n / ng;
                    }
                }
            }
            plain.push((r, m, c));
            censored_of.push(cens);
        }
        let step = |sy: &[Vec<f64>], syy: &[Vec<f64>], beta: &mut [f64]| -> f64 {
            let mut total = 0.0;
            for ((comp, (r0, m0, c0)), cens) in sys.comps.iter().zip(&plain).zip(&censored_of) {
                let mut r = r0.clone();
                for &g in cens {
                    let cells = &groups[g];
                    let ng: f64 = cells.iter().map(|c| c.n).sum();
                    let ybar = sy[g].iter().sum::<f64>() / ng;
                    for (c, s) in cells.iter().zip(&sy[g]) {
                        r[sys.local[c.e]] += s - c.n * ybar;
                    }
                }
                let b = &comp.ginv * r;
                for (i, &e) in comp.members.iter().enumerate() {
                    beta[e] = b[i];
                }
                total += c0 - 2.0 * b.dot(r0) + (b.transpose() * m0 * &b)[(0, 0)];
                for &g in cens {
                    let cells = &groups[g];
                    let alpha = level(cells, &sy[g], beta);
                    for ((c, s), ss) in cells.iter().zip(&sy[g]).zip(&syy[g]) {
                        let mu = alpha + beta[c.e];
                        total += ss - 2.0 * mu * s + c.n * mu * mu;
                    }
                }
            }
            total.max(0.0)
        };
        let mut s2 = rss(&sys, groups, &sy, &syy, &beta) / df;
        for _ in 0..2000 {
            if !(s2 > 1e-12) {
                break;
            }
            let sigma = s2.sqrt();
            for &g in &censored {
                let cells = &groups[g];
                let alpha = level(cells, &sy[g], &beta);
                for (j, c) in cells.iter().enumerate() {
                    if c.nc == 0.0 {
                        continue;
                    }
                    let mu = alpha + beta[c.e];
                    let z = (CEILING - mu) / sigma;
                    let lam = mills(z);
                    let m = mu + sigma * lam;
                    let v = (s2 * (1.0 + z * lam - lam * lam)).max(0.0);
                    sy[g][j] = c.sy - c.nc * CEILING + c.nc * m;
                    syy[g][j] = c.syy - c.nc * CEILING * CEILING + c.nc * (v + m * m);
                }
            }
            let before = beta.clone();
            let s2_new = step(&sy, &syy, &mut beta) / df;
            let moved = before
                .iter()
                .zip(&beta)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            let done = moved < 1e-7 && (s2_new - s2).abs() < 1e-7;
            s2 = s2_new;
            if done {
                break;
            }
        }
    }
    (0..n_eval)
        .map(|e| {
            let (_, a) = contrast(&sys, e, reference);
            match reference {
                Reference::Evaluator(r) if r == e && sys.comp_of[e].is_some() => Some(0.0),
                _ => a.map(|a| {
                    let comp = &sys.comps[sys.comp_of[e].unwrap()];
                    comp.members
                        .iter()
                        .enumerate()
                        .map(|(i, &f)| a[i] * beta[f])
                        .sum()
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: f64, b: f64) -> Vec<Cell> {
        vec![Cell::of(0, &[a]), Cell::of(1, &[b])]
    }

    /// Two evaluators on the same three objects: each reads as the mean difference from the
    /// other, computed by hand.
    #[test]
    fn two_evaluators_hand_computed() {
        // object scores: A = 90, 80, 70; B = 94, 83, 75 -> differences 4, 3, 5, mean 4.
        let groups = vec![pair(90.0, 94.0), pair(80.0, 83.0), pair(70.0, 75.0)];
        let fit = fit_effects(2, &groups, Reference::Others);
        assert!((fit.effect[0].unwrap() + 4.0).abs() < 1e-9);
        assert!((fit.effect[1].unwrap() - 4.0).abs() < 1e-9);
        // The differences 4, 3, 5 have SD 1: se of their mean 1/√3; df = 6 − 3 − 1 = 2.
        let se = fit.se[1].unwrap();
        assert!((se - (1.0f64 / 3.0).sqrt()).abs() < 1e-9, "{se}");
        assert_eq!(fit.df, Some(2.0));
        assert_eq!(fit.shared, vec![3, 3]);
        // No score at 100: the censored fit is least squares.
        assert!((fit.tobit[1].unwrap() - 4.0).abs() < 1e-9);
        // Against B as the reference: A is 4 below, B is the reference.
        let fit = fit_effects(2, &groups, Reference::Evaluator(1));
        assert!((fit.effect[0].unwrap() + 4.0).abs() < 1e-9);
        assert_eq!(fit.status[1], Status::Reference);
        assert_eq!(fit.effect[1], Some(0.0));
    }

    /// The flag reads the one-sided 95% bound, not the two-sided interval: B is 4 points
    /// above A on three objects (se 1/√3, df 2). One-sided, t(0.95; 2) = 2.919986 gives
    /// 4 − 1.685856 = 2.3141 > 2 (lenient); the 95% interval's lower end, t(0.975; 2) =
    /// 4.302653, is 1.5159, below the threshold.
    #[test]
    fn the_flag_reads_the_one_sided_bound() {
        let facts = df!(
            "unit_id" => ["u1", "u1", "u2", "u2", "u3", "u3"],
            "fiscal_year" => [2023i32; 6],
            "evaluator_type" => ["third_party"; 6],
            "evaluator" => ["A", "B", "A", "B", "A", "B"],
            cols::SCORE_100 => [90.0, 94.0, 80.0, 83.0, 70.0, 75.0],
            "scope" => ["department"; 6],
            cols::NAME_KEY => [""; 6],
        )
        .unwrap();
        let opts = LeniencyOptions {
            threshold: 2.0,
            reference: None,
        };
        let t = leniency(facts.lazy(), &opts).unwrap().table;
        let pooled = t
            .lazy()
            .filter(col("fiscal_year").is_null())
            .collect()
            .unwrap();
        let get = |c: &str| pooled.column(c).unwrap().f64().unwrap().get(1).unwrap();
        assert_eq!(
            pooled.column("evaluator").unwrap().str().unwrap().get(1),
            Some("B")
        );
        assert!((get("flag_low") - 2.3141).abs() < 1e-4, "{pooled}");
        assert!((get("ci_low") - 1.5159).abs() < 1e-4, "{pooled}");
        let lenient = pooled.column("lenient").unwrap().bool().unwrap();
        assert_eq!((lenient.get(0), lenient.get(1)), (Some(false), Some(true)));
    }

    /// Three evaluators in a chain (A–B on two objects, B–C on two): against the others,
    /// hand computed. β (centred) from differences B−A = 2 and C−B = 1 exactly: β = (−5/3,
    /// 1/3, 4/3); A against the mean of B and C: −5/3 − (1/3 + 4/3)/2 = −2.5.
    #[test]
    fn chain_read_against_the_others() {
        let groups = vec![
            vec![Cell::of(0, &[80.0]), Cell::of(1, &[82.0])],
            vec![Cell::of(0, &[70.0]), Cell::of(1, &[72.0])],
            vec![Cell::of(1, &[90.0]), Cell::of(2, &[91.0])],
            vec![Cell::of(1, &[60.0]), Cell::of(2, &[61.0])],
        ];
        let fit = fit_effects(3, &groups, Reference::Others);
        assert!((fit.effect[0].unwrap() + 2.5).abs() < 1e-9);
        assert!((fit.effect[1].unwrap() - 0.5).abs() < 1e-9);
        assert!((fit.effect[2].unwrap() - 2.0).abs() < 1e-9);
        // An exact fit: no residual variance, so a zero se (not blank: df = 8 − 4 − 2 = 2).
        assert_eq!(fit.df, Some(2.0));
        assert!(fit.se[0].unwrap() < 1e-6);
        // C against A as reference: 3 points.
        let fit = fit_effects(3, &groups, Reference::Evaluator(0));
        assert!((fit.effect[2].unwrap() - 3.0).abs() < 1e-9);
    }

    #[test]
    fn evaluator_without_overlap_has_no_effect() {
        let groups = vec![
            vec![Cell::of(0, &[90.0]), Cell::of(1, &[92.0])],
            vec![Cell::of(2, &[88.0])],
        ];
        let fit = fit_effects(3, &groups, Reference::Others);
        assert!(fit.effect[2].is_none());
        assert_eq!(fit.status[2], Status::NoOverlap);
        assert!(fit.effect[0].is_some());
        assert!(fit.se[0].is_none(), "no residual degrees of freedom");
        assert_eq!(fit.df, None);
        // A reference in another set: nothing to read the others against.
        let fit = fit_effects(3, &groups, Reference::Evaluator(2));
        assert_eq!(fit.status[0], Status::NotConnected);
        assert!(fit.effect[0].is_none());
    }

    /// Planted truth at the ceiling: B is 4 points above A on objects whose level sits at
    /// 97, so about half of B's scores would pass 100 and are recorded as 100. Least squares
    /// reads far less than 4; the censored fit recovers it.
    #[test]
    fn tobit_recovers_an_effect_compressed_by_the_ceiling() {
        let mut rng = crate::synth::Rng(11);
        let mut groups = Vec::new();
        for _ in 0..600 {
            let level = rng.normal(97.0, 2.0);
            let a = (level + rng.normal(0.0, 1.5)).min(100.0);
            let b = (level + 4.0 + rng.normal(0.0, 1.5)).min(100.0);
            groups.push(pair(a, b));
        }
        let fit = fit_effects(2, &groups, Reference::Others);
        let ols = fit.effect[1].unwrap();
        let tobit = fit.tobit[1].unwrap();
        assert!(ols < 3.0, "least squares {ols}, tobit {tobit}");
        assert!((tobit - 4.0).abs() < 0.35, "tobit {tobit}");
    }
}
