//! What the findings, the overview and the unit pages read: the benchmark tables turned once
//! into plain rows with their peers' statistics beside them. Peers are those the benchmarks
//! use (the `peer_group` of rankings.csv and execution.csv); nothing here re-ranks.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::bench::BenchTables;
use crate::dataset::decimal::{cell_f64 as f, cell_text as s};
use crate::dataset::Dataset;
use crate::review::Review;

pub struct UnitInfo {
    pub id: String,
    pub name: String,
    pub full_name: String,
    pub district: String,
    pub province: String,
    pub kind: String,
}

/// A department evaluation's score (rankings.csv) with its peer group's statistics.
#[derive(Clone)]
pub struct DeptScore {
    pub unit_id: String,
    pub year: i32,
    pub evaluator_type: String,
    pub evaluator: String,
    pub eval_id: String,
    pub score: f64,
    pub rank: Option<u32>,
    pub n_peers: Option<u32>,
    pub rank_interval: Option<(u32, u32)>,
    pub peer_group: String,
    pub peer_median: f64,
    /// Scores in the peer group (this one included).
    pub peer_n: usize,
}

/// Any evaluation's score on the 100-point scale (evaluations.csv).
pub struct EvalScore {
    pub unit_id: String,
    pub year: i32,
    pub scope: String,
    pub evaluator_type: String,
    pub score: f64,
}

/// One execution row (execution.csv).
#[derive(Clone)]
pub struct Exec {
    pub unit_id: String,
    pub year: i32,
    pub scope: String,
    pub evaluator_type: String,
    pub project: String,
    pub rate: f64,
    pub peer_median: Option<f64>,
    pub peer_p25: Option<f64>,
    pub peer_p75: Option<f64>,
    pub n_peers: Option<u32>,
    pub flag: String,
}

pub struct Ctx<'a> {
    pub ds: &'a Dataset,
    pub t: &'a BenchTables,
    pub review: Option<&'a Review>,
    pub threshold: f64,
    /// Peers are the district's units when it has this many, else the province's.
    pub min_district_units: u32,
    pub units: Vec<UnitInfo>,
    /// unit_id → the unit page's anchor.
    pub anchors: HashMap<String, String>,
    pub dept: Vec<DeptScore>,
    pub evals: Vec<EvalScore>,
    pub exec: Vec<Exec>,
    pub years: Vec<i32>,
}

pub fn median(v: &mut [f64]) -> Option<f64> {
    quantile(v, 0.5)
}

/// Linear-interpolated quantile (as the benchmarks compute theirs).
pub fn quantile(v: &mut [f64], q: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(v[lo] + (v[hi] - v[lo]) * (pos - lo as f64))
}

impl<'a> Ctx<'a> {
    pub fn new(
        ds: &'a Dataset,
        t: &'a BenchTables,
        review: Option<&'a Review>,
        threshold: f64,
        min_district_units: u32,
        taken: &mut BTreeSet<String>,
    ) -> Ctx<'a> {
        let u = &ds.units;
        let units: Vec<UnitInfo> = (0..u.height())
            .map(|i| UnitInfo {
                id: s(u, "unit_id", i),
                name: {
                    let n = s(u, "short_name", i);
                    if n.is_empty() {
                        s(u, "unit_name", i)
                    } else {
                        n
                    }
                },
                full_name: s(u, "unit_name", i),
                district: s(u, "district", i),
                province: s(u, "province", i),
                kind: s(u, "unit_type", i),
            })
            .collect();
        // Anchors are `unit-<unit_id>` (white space would break the address); a unit id that
        // another dataset of the same report already took gets a suffix.
        let mut anchors = HashMap::new();
        for un in &units {
            let base = format!(
                "unit-{}",
                un.id
                    .chars()
                    .map(|c| if c.is_whitespace() { '_' } else { c })
                    .collect::<String>()
            );
            let mut a = base.clone();
            let mut k = 2;
            while taken.contains(&a) {
                a = format!("{base}-{k}");
                k += 1;
            }
            taken.insert(a.clone());
            anchors.insert(un.id.clone(), a);
        }

        let r = &t.rankings;
        let mut dept: Vec<DeptScore> = (0..r.height())
            .filter_map(|i| {
                Some(DeptScore {
                    unit_id: s(r, "unit_id", i),
                    year: f(r, "fiscal_year", i)? as i32,
                    evaluator_type: s(r, "evaluator_type", i),
                    evaluator: s(r, "evaluator", i),
                    eval_id: s(r, "eval_id", i),
                    score: f(r, "score_100", i)
                        .or_else(|| f(r, "score_rate", i).map(|x| x * 100.0))?,
                    rank: f(r, "rank", i).map(|x| x as u32),
                    n_peers: f(r, "n_peers", i).map(|x| x as u32),
                    rank_interval: f(r, "rank_low", i)
                        .zip(f(r, "rank_high", i))
                        .map(|(a, b)| (a as u32, b as u32)),
                    peer_group: s(r, "peer_group", i),
                    peer_median: f64::NAN,
                    peer_n: 0,
                })
            })
            .collect();
        let mut groups: BTreeMap<(i32, String, String), Vec<f64>> = BTreeMap::new();
        for d in &dept {
            groups
                .entry((d.year, d.evaluator_type.clone(), d.peer_group.clone()))
                .or_default()
                .push(d.score);
        }
        for d in &mut dept {
            let g = groups
                .get_mut(&(d.year, d.evaluator_type.clone(), d.peer_group.clone()))
                .expect("grouped above");
            d.peer_n = g.len();
            d.peer_median = median(g).unwrap_or(f64::NAN);
        }

        let e = &ds.evaluations;
        let evals: Vec<EvalScore> = (0..e.height())
            .filter_map(|i| {
                let max = f(e, "max_score", i).filter(|m| *m > 0.0)?;
                Some(EvalScore {
                    unit_id: s(e, "unit_id", i),
                    year: f(e, "fiscal_year", i)? as i32,
                    scope: s(e, "scope", i),
                    evaluator_type: s(e, "evaluator_type", i),
                    score: f(e, "total_score", i)? / max * 100.0,
                })
            })
            .collect();
        let mut years: Vec<i32> = (0..e.height())
            .filter_map(|i| f(e, "fiscal_year", i).map(|y| y as i32))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        years.sort();

        let x = &t.execution;
        let exec = (0..x.height())
            .filter_map(|i| {
                Some(Exec {
                    unit_id: s(x, "unit_id", i),
                    year: f(x, "fiscal_year", i)? as i32,
                    scope: s(x, "scope", i),
                    evaluator_type: s(x, "evaluator_type", i),
                    project: s(x, "project_name", i),
                    rate: f(x, "execution_rate", i)?,
                    peer_median: f(x, "peer_median", i),
                    peer_p25: f(x, "peer_p25", i),
                    peer_p75: f(x, "peer_p75", i),
                    n_peers: f(x, "n_peers", i).map(|v| v as u32),
                    flag: s(x, "flag", i),
                })
            })
            .collect();
        Ctx {
            ds,
            t,
            review,
            threshold,
            min_district_units,
            units,
            anchors,
            dept,
            evals,
            exec,
            years,
        }
    }

    pub fn unit(&self, id: &str) -> Option<&UnitInfo> {
        self.units.iter().find(|u| u.id == id)
    }

    pub fn name(&self, id: &str) -> String {
        self.unit(id)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    pub fn anchor(&self, id: &str) -> Option<&str> {
        self.anchors.get(id).map(|s| s.as_str())
    }

    pub fn district(&self, id: &str) -> String {
        self.unit(id)
            .map(|u| u.district.clone())
            .unwrap_or_default()
    }

    /// The units a unit's project scores are compared with: its district when the district
    /// has `min_district_units` units, else its province (the benchmarks' rule).
    pub fn peers_of(&self, id: &str) -> Vec<&str> {
        let Some(me) = self.unit(id) else {
            return vec![];
        };
        let district: Vec<&str> = self
            .units
            .iter()
            .filter(|u| u.district == me.district && u.province == me.province)
            .map(|u| u.id.as_str())
            .collect();
        if district.len() >= self.min_district_units as usize {
            district
        } else {
            self.units
                .iter()
                .filter(|u| u.province == me.province)
                .map(|u| u.id.as_str())
                .collect()
        }
    }

    /// Mean project score of each unit in (year, evaluator type): unit_id → (n, mean).
    pub fn project_means(&self, year: i32, evaluator_type: &str) -> BTreeMap<&str, (usize, f64)> {
        let mut m: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
        for e in self.evals.iter().filter(|e| {
            e.year == year && e.scope == "project" && e.evaluator_type == evaluator_type
        }) {
            let x = m.entry(e.unit_id.as_str()).or_insert((0, 0.0));
            x.0 += 1;
            x.1 += e.score;
        }
        for v in m.values_mut() {
            v.1 /= v.0 as f64;
        }
        m
    }

    pub fn districts(&self) -> Vec<String> {
        self.units
            .iter()
            .map(|u| u.district.clone())
            .filter(|d| !d.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }
}
