//! `leniency.csv`: which independent evaluators (third-party firms, expert panels, finance
//! bureaus) score systematically high. Additive model fitted by least squares on scores out of
//! 100: `score = level(object) + effect(evaluator) + noise`, where an object is one unit's
//! scope/project in one year. Object levels are absorbed (within-object demeaning), so only
//! objects scored by two or more evaluators carry information. Effects are identified up to a
//! constant within each connected set of evaluators and centred to mean zero there: an effect
//! is "points above the average independent evaluator for the same objects". Self-evaluations
//! are not part of the reference.
//!
//! The fit works on per-(object, evaluator) sums computed by polars, so it is linear in rows;
//! the dense solve is over evaluators only.

use std::collections::HashMap;

use polars::prelude::*;

use crate::dataset::enrich::cols;
use crate::error::Result;

pub const DEFAULT_THRESHOLD: f64 = 2.0;
const Z95: f64 = 1.959963984540054;
/// One evaluator: its type and name ("third_party:某某会计师事务所").
const EVALUATOR_ID: &str = "evaluator_id";

#[derive(Debug, Clone)]
pub struct EvaluatorEffect {
    pub evaluator_type: String,
    pub evaluator: String,
    pub n_evaluations: u32,
    pub n_units: u32,
    pub n_shared_objects: u32,
    pub effect: Option<f64>,
    pub se: Option<f64>,
}

/// Effects pooled over all years (fiscal_year blank) and fitted within each year, so the
/// table keeps fiscal_year like every other.
pub fn leniency(facts: LazyFrame, threshold: f64) -> Result<DataFrame> {
    // An object belongs to one fiscal year, so the per-(object, evaluator) sums are made
    // once and each year's fit takes its rows of them (still sorted by object).
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
                    col("evaluator").fill_null(lit("(unnamed)")),
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
        ])
        .sort(["object", EVALUATOR_ID], Default::default())
        .collect()?;
    let years = indep
        .column("fiscal_year")?
        .unique()?
        .sort(Default::default())?;
    let mut parts = vec![fit_frame(indep.clone().lazy(), &cells, threshold)?
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
                threshold,
            )?
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
            "lenient",
            "threshold",
        ]
        .iter()
        .map(|c| col(*c)),
    );
    Ok(all.select(order).collect()?)
}

/// One fit: `indep`, the independent scores it covers; `cells`, their per-(object,
/// evaluator) sums sorted by object.
fn fit_frame(indep: LazyFrame, cells: &DataFrame, threshold: f64) -> Result<DataFrame> {
    let per_eval = indep
        .group_by([col(EVALUATOR_ID)])
        .agg([
            col("evaluator_type").first(),
            col("evaluator").first(),
            len().alias("n_evaluations"),
            col("unit_id").n_unique().alias("n_units"),
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
    // Group the sorted cells by object (iterating the columns: a cell at a time by index
    // would look up its chunk every time).
    let mut groups: Vec<Vec<(usize, f64, f64, f64)>> = Vec::new();
    let mut last: Option<&str> = None;
    let sums = n.iter().zip(sy.iter()).zip(syy.iter());
    for ((o, e), ((n, sy), syy)) in obj.iter().zip(ev.iter()).zip(sums) {
        let o = o.unwrap_or("");
        if last != Some(o) {
            groups.push(Vec::new());
            last = Some(o);
        }
        let e = index[e.unwrap_or("")];
        groups.last_mut().unwrap().push((
            e,
            n.unwrap_or(0.0),
            sy.unwrap_or(0.0),
            syy.unwrap_or(0.0),
        ));
    }
    let fit = fit_effects(ids.len(), &groups);

    let et = per_eval.column("evaluator_type")?.str()?;
    let en = per_eval.column("evaluator")?.str()?;
    let ne = per_eval.column("n_evaluations")?.cast(&DataType::UInt32)?;
    let nu = per_eval.column("n_units")?.cast(&DataType::UInt32)?;
    let (ne, nu) = (ne.u32()?, nu.u32()?);
    let mut rows: Vec<EvaluatorEffect> = (0..ids.len())
        .map(|i| EvaluatorEffect {
            evaluator_type: et.get(i).unwrap_or("").to_string(),
            evaluator: en.get(i).unwrap_or("").to_string(),
            n_evaluations: ne.get(i).unwrap_or(0),
            n_units: nu.get(i).unwrap_or(0),
            n_shared_objects: fit.shared[i],
            effect: fit.effect[i],
            se: fit.se[i],
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.evaluator_type.as_str(), a.evaluator.as_str())
            .cmp(&(b.evaluator_type.as_str(), b.evaluator.as_str()))
    });
    to_frame(&rows, threshold)
}

fn to_frame(rows: &[EvaluatorEffect], threshold: f64) -> Result<DataFrame> {
    let r4 = |v: Option<f64>| v.map(|x| (x * 10000.0).round() / 10000.0);
    let ci_low: Vec<Option<f64>> = rows
        .iter()
        .map(|r| r.effect.zip(r.se).map(|(e, s)| e - Z95 * s))
        .collect();
    let ci_high: Vec<Option<f64>> = rows
        .iter()
        .map(|r| r.effect.zip(r.se).map(|(e, s)| e + Z95 * s))
        .collect();
    let lenient: Vec<Option<bool>> = ci_low.iter().map(|c| c.map(|c| c > threshold)).collect();
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
        Column::new(
            "effect".into(),
            rows.iter().map(|r| r4(r.effect)).collect::<Vec<_>>(),
        ),
        Column::new(
            "se".into(),
            rows.iter().map(|r| r4(r.se)).collect::<Vec<_>>(),
        ),
        Column::new(
            "ci_low".into(),
            ci_low.into_iter().map(r4).collect::<Vec<_>>(),
        ),
        Column::new(
            "ci_high".into(),
            ci_high.into_iter().map(r4).collect::<Vec<_>>(),
        ),
        Column::new("lenient".into(), lenient),
        Column::new("threshold".into(), vec![threshold; rows.len()]),
    ])?)
}

pub struct Fit {
    pub effect: Vec<Option<f64>>,
    pub se: Vec<Option<f64>>,
    /// objects each evaluator shares with another evaluator
    pub shared: Vec<u32>,
}

/// Least squares with object levels absorbed. `groups[g]` lists (evaluator, n, Σy, Σy²) of
/// one object. Normal equations: M β = r with M = Σ_g (diag(c_g) − c_g c_gᵀ / n_g),
/// r = Σ_g (s_g − c_g ȳ_g); M is singular along 1 in each connected set of evaluators, fixed by
/// centring (Σβ = 0 there).
pub fn fit_effects(n_eval: usize, groups: &[Vec<(usize, f64, f64, f64)>]) -> Fit {
    let mut shared = vec![0u32; n_eval];
    let mut parent: Vec<usize> = (0..n_eval).collect();
    fn find(p: &mut Vec<usize>, x: usize) -> usize {
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
    let multi: Vec<&Vec<(usize, f64, f64, f64)>> = groups.iter().filter(|g| g.len() >= 2).collect();
    for g in &multi {
        for &(e, ..) in g.iter() {
            shared[e] += 1;
        }
        let r0 = find(&mut parent, g[0].0);
        for &(e, ..) in g.iter().skip(1) {
            let r = find(&mut parent, e);
            parent[r] = r0;
        }
    }
    let mut comp: HashMap<usize, Vec<usize>> = HashMap::new();
    for e in 0..n_eval {
        if shared[e] > 0 {
            let r = find(&mut parent, e);
            comp.entry(r).or_default().push(e);
        }
    }
    // Bucket the objects by the component of their evaluators (linear, not components × objects).
    let mut groups_of: HashMap<usize, Vec<&Vec<(usize, f64, f64, f64)>>> = HashMap::new();
    for g in &multi {
        let r = find(&mut parent, g[0].0);
        groups_of.entry(r).or_default().push(g);
    }
    let mut effect = vec![None; n_eval];
    let mut se = vec![None; n_eval];
    let mut local = vec![usize::MAX; n_eval];
    let mut comps: Vec<(usize, Vec<usize>)> = comp.into_iter().collect();
    comps.sort_by(|a, b| a.1.cmp(&b.1));
    // Build one system per component; pool the residual variance over all of them.
    let mut solutions = Vec::new();
    let (mut rss, mut n_obs, mut n_groups, mut n_params) = (0.0, 0.0, 0.0, 0.0);
    for (root, members) in &comps {
        for (k, &e) in members.iter().enumerate() {
            local[e] = k;
        }
        let k = members.len();
        let mut m = vec![vec![0.0; k]; k];
        let mut r = vec![0.0; k];
        let comp_groups = groups_of.remove(root).unwrap_or_default();
        for g in &comp_groups {
            let ng: f64 = g.iter().map(|c| c.1).sum();
            let ybar = g.iter().map(|c| c.2).sum::<f64>() / ng;
            for &(e, c, s, _) in g.iter() {
                let i = local[e];
                m[i][i] += c;
                r[i] += s - c * ybar;
                for &(f, d, _, _) in g.iter() {
                    m[i][local[f]] -= c * d / ng;
                }
            }
        }
        // Centring: solve (M + J/k) β = r; then Cov ∝ (M + J/k)^-1 − J/k.
        let mut a = m.clone();
        for row in a.iter_mut() {
            for v in row.iter_mut() {
                *v += 1.0 / k as f64;
            }
        }
        let Some(inv) = invert(&a) else { continue };
        let beta: Vec<f64> = (0..k)
            .map(|i| (0..k).map(|j| inv[i][j] * r[j]).sum())
            .collect();
        for g in &comp_groups {
            let ng: f64 = g.iter().map(|c| c.1).sum();
            let sum_y: f64 = g.iter().map(|c| c.2).sum();
            let ybar = sum_y / ng;
            let bbar = g.iter().map(|c| c.1 * beta[local[c.0]]).sum::<f64>() / ng;
            // Σ (y − ȳ − (β_e − β̄))² expanded over the cell sums.
            let syy: f64 = g.iter().map(|c| c.3).sum();
            let mut s = syy - ng * ybar * ybar;
            for &(e, c, sy, _) in g.iter() {
                let d = beta[local[e]] - bbar;
                s += -2.0 * d * (sy - c * ybar) + c * d * d;
            }
            rss += s;
            n_obs += ng;
            n_groups += 1.0;
        }
        n_params += (k - 1) as f64;
        solutions.push((members.clone(), beta, inv));
    }
    let df = n_obs - n_groups - n_params;
    let sigma2 = if df > 0.0 {
        Some((rss / df).max(0.0))
    } else {
        None
    };
    for (members, beta, inv) in solutions {
        let k = members.len() as f64;
        for (i, &e) in members.iter().enumerate() {
            effect[e] = Some(beta[i]);
            se[e] = sigma2.map(|s2| (s2 * (inv[i][i] - 1.0 / k)).max(0.0).sqrt());
        }
    }
    Fit { effect, se, shared }
}

/// Gauss–Jordan inverse with partial pivoting; None when singular.
fn invert(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut m: Vec<Vec<f64>> = a.to_vec();
    let mut inv: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    for c in 0..n {
        let p = (c..n).max_by(|&x, &y| m[x][c].abs().total_cmp(&m[y][c].abs()))?;
        if m[p][c].abs() < 1e-12 {
            return None;
        }
        m.swap(c, p);
        inv.swap(c, p);
        let d = m[c][c];
        for j in 0..n {
            m[c][j] /= d;
            inv[c][j] /= d;
        }
        for r in 0..n {
            if r != c {
                let f = m[r][c];
                if f != 0.0 {
                    for j in 0..n {
                        m[r][j] -= f * m[c][j];
                        inv[r][j] -= f * inv[c][j];
                    }
                }
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two evaluators on the same three objects: the effect is half the mean difference
    /// (centred), computed by hand.
    #[test]
    fn two_evaluators_hand_computed() {
        // object scores: A = 90, 80, 70; B = 94, 83, 75 -> differences 4, 3, 5, mean 4.
        let g = |a: f64, b: f64| vec![(0, 1.0, a, a * a), (1, 1.0, b, b * b)];
        let groups = vec![g(90.0, 94.0), g(80.0, 83.0), g(70.0, 75.0)];
        let fit = fit_effects(2, &groups);
        assert!((fit.effect[0].unwrap() + 2.0).abs() < 1e-9);
        assert!((fit.effect[1].unwrap() - 2.0).abs() < 1e-9);
        // residuals: d_i - 4 = 0, -1, 1 -> each obs residual ±half: RSS = 2 * (0 + .25 + .25) = 1
        // df = 6 - 3 - 1 = 2 -> s2 = 0.5; var(beta_B) = s2 * (inv - 1/k); M = [[1.5,-1.5],[-1.5,1.5]]
        // (M + J/2)^-1 has diagonal 1/6 + 1/2 -> var = 0.5 * 1/6 = 1/12.
        let se = fit.se[1].unwrap();
        assert!((se - (1.0f64 / 12.0).sqrt()).abs() < 1e-9, "{se}");
        assert_eq!(fit.shared, vec![3, 3]);
    }

    #[test]
    fn evaluator_without_overlap_has_no_effect() {
        let groups = vec![
            vec![(0, 1.0, 90.0, 8100.0), (1, 1.0, 92.0, 8464.0)],
            vec![(2, 1.0, 88.0, 7744.0)],
        ];
        let fit = fit_effects(3, &groups);
        assert!(fit.effect[2].is_none());
        assert!(fit.effect[0].is_some());
        assert!(fit.se[0].is_none(), "no residual degrees of freedom");
    }
}
