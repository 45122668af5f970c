//! The re-check sample and what the re-checks say about the population.
//!
//! The sample of N: the first `round(N × (1 − F))` evaluations of the priority list whose risk
//! score is above 0 (the risk stratum), plus the rest of the N drawn uniformly at random, with
//! a seeded generator, from every evaluation not in the risk stratum (the random stratum). When
//! fewer evaluations have any risk than the risk stratum has room for, the spare places go to
//! the random draw, so the sample is always N (or the whole population when it is smaller).
//!
//! The estimate: only the random stratum is a probability sample of something (the evaluations
//! outside the risk stratum), so only it estimates how common inflated self-evaluations are
//! there; the risk stratum is taken whole, so its count is known exactly once every one of them
//! is re-checked. The population share is the two added up with their sizes as weights:
//! `(inflated in the risk stratum + N_rest × p̂_random) / N_population`.

use std::collections::HashMap;
use std::path::Path;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{JxError, Result};
use crate::synth::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stratum {
    Risk,
    Random,
}

impl Stratum {
    pub fn code(self) -> &'static str {
        match self {
            Stratum::Risk => "risk",
            Stratum::Random => "random",
        }
    }
    pub fn chinese(self) -> &'static str {
        match self {
            Stratum::Risk => "风险层",
            Stratum::Random => "随机层",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SampleInfo {
    /// N asked for, and the size drawn (N, or the population when smaller).
    pub asked: usize,
    pub size: usize,
    pub random_share: f64,
    pub seed: u64,
    pub risk: usize,
    pub random: usize,
    /// Evaluations in the list, those with a risk score above 0, and those outside the risk
    /// stratum (the random stratum's population).
    pub population: usize,
    pub flagged: usize,
    pub rest: usize,
}

/// `order`: row indices in priority order; `risk_positive[i]`: row i has a risk score above 0;
/// `ids[i]`: its eval_id (the random draw runs over the rest sorted by eval_id, so the input
/// file's row order does not change who is drawn). Returns each row's stratum.
pub fn draw(
    order: &[usize],
    risk_positive: &[bool],
    ids: &[&str],
    n: usize,
    random_share: f64,
    seed: u64,
) -> (Vec<Option<Stratum>>, SampleInfo) {
    let population = order.len();
    let size = n.min(population);
    let random_wanted = ((size as f64) * random_share).round() as usize;
    let risk_room = size - random_wanted.min(size);
    let flagged = order.iter().filter(|&&i| risk_positive[i]).count();
    let mut strata = vec![None; risk_positive.len()];
    let mut risk = 0;
    for &i in order.iter().filter(|&&i| risk_positive[i]).take(risk_room) {
        strata[i] = Some(Stratum::Risk);
        risk += 1;
    }
    let mut rest: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| strata[i].is_none())
        .collect();
    rest.sort_by(|&a, &b| ids[a].cmp(ids[b]).then(a.cmp(&b)));
    let n_rest = rest.len();
    let random = (size - risk).min(n_rest);
    // A partial Fisher–Yates shuffle: the first `random` places are a uniform draw without
    // replacement.
    let mut rng = Rng(seed ^ 0x7265_7669_6577);
    for k in 0..random {
        let j = k + rng.below(n_rest - k);
        rest.swap(k, j);
        strata[rest[k]] = Some(Stratum::Random);
    }
    (
        strata,
        SampleInfo {
            asked: n,
            size: risk + random,
            random_share,
            seed,
            risk,
            random,
            population,
            flagged,
            rest: n_rest,
        },
    )
}

/// One re-checked evaluation as the bureau feeds it back.
#[derive(Debug, Clone, PartialEq)]
pub struct Rechecked {
    pub eval_id: String,
    pub score: Decimal,
    /// The stratum the file says it was drawn in (review.csv's column, filled in), if given.
    pub stratum: Option<String>,
    pub row: usize,
}

/// `--rechecked FILE`: a CSV with eval_id and rechecked_score (review.csv with its
/// rechecked_score column filled in will do); rows with a blank score were not re-checked.
pub fn read_rechecked(path: &Path) -> Result<Vec<Rechecked>> {
    let bytes = std::fs::read(path).map_err(|e| {
        JxError::input(format!(
            "{}: cannot read the re-check results: {e}",
            path.display()
        ))
    })?;
    let text = crate::encoding::decode(&bytes);
    let name = path.display().to_string();
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = r
        .headers()
        .map_err(|e| JxError::input(format!("{name}: {e}")))?
        .clone();
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h));
    let (Some(ii), Some(si)) = (
        find(&["eval_id", "评价编号"]),
        find(&["rechecked_score", "复核得分"]),
    ) else {
        return Err(JxError::input(format!(
            "{name}: the re-check results need the columns eval_id and rechecked_score (复核得分); the header has: {}.",
            header.iter().collect::<Vec<_>>().join(", ")
        )));
    };
    let sti = find(&["stratum"]);
    let mut out: Vec<Rechecked> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, rec) in r.records().enumerate() {
        let row = i + 2;
        let rec = rec.map_err(|e| JxError::input(format!("{name}: row {row}: {e}")))?;
        let id = rec.get(ii).unwrap_or("").to_string();
        let s = rec.get(si).unwrap_or("");
        if id.is_empty() || s.is_empty() {
            continue;
        }
        let score: Decimal = s.parse().map_err(|_| {
            JxError::input(format!(
                "{name}: row {row}, column rechecked_score: '{s}' is not a score (a number such as 86.5)."
            ))
        })?;
        if let Some(first) = seen.insert(id.clone(), row) {
            return Err(JxError::input(format!(
                "{name}: row {row}: eval_id '{id}' was already given on row {first}; keep one re-checked score per evaluation."
            )));
        }
        out.push(Rechecked {
            eval_id: id,
            score,
            stratum: sti
                .and_then(|j| rec.get(j))
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            row,
        });
    }
    Ok(out)
}

/// A share with its 95% Wilson interval.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Share {
    pub share: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

const Z95: f64 = 1.959963984540054;

/// Wilson score interval for x successes in n trials (95%).
pub fn wilson(x: usize, n: usize) -> Option<Share> {
    if n == 0 {
        return None;
    }
    let (x, n) = (x as f64, n as f64);
    let p = x / n;
    let z2 = Z95 * Z95;
    let d = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / d;
    let half = Z95 / d * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 or n the interval touches 0 or 1 exactly (the two terms cancel; floats may not).
    Some(Share {
        share: p,
        ci_low: if x == 0.0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        ci_high: if x == n {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    })
}

/// Re-check results of one stratum.
#[derive(Debug, Clone, Serialize, Default)]
pub struct StratumResult {
    /// In the stratum, re-checked (with a self score to compare), found inflated.
    pub drawn: usize,
    pub rechecked: usize,
    pub inflated: usize,
    pub share: Option<Share>,
}

/// The population's share of inflated self-evaluations.
#[derive(Debug, Clone, Serialize)]
pub struct PopulationShare {
    /// Point estimate and interval when every risk-stratum evaluation was re-checked; else
    /// None and `bounds` (its unchecked ones counted as none and as all inflated).
    pub estimate: Option<Share>,
    pub bounds: (f64, f64),
}

#[derive(Debug, Clone, Serialize)]
pub struct Estimate {
    /// Inflated: the self score above the re-checked score by more than this many points on
    /// the 100-point scale.
    pub inflated_above: Decimal,
    pub random: StratumResult,
    pub risk: StratumResult,
    pub population: Option<PopulationShare>,
    /// Re-checked evaluations outside the sample (not used), ids not in the list, and those
    /// whose stated stratum differs from this draw's.
    pub outside_sample: Vec<String>,
    pub unknown_ids: Vec<String>,
    pub stratum_differs: Vec<String>,
}

/// One sampled evaluation's part in the estimate.
pub struct Unit<'a> {
    pub eval_id: &'a str,
    pub stratum: Option<Stratum>,
    /// Self score and re-checked score on the 100-point scale (None when either is blank).
    pub gap_100: Option<Decimal>,
}

/// Count inflated re-checks by stratum and scale them to the population.
pub fn estimate(
    units: &[Unit],
    rechecked_ids: &HashMap<String, Option<String>>,
    unknown_ids: Vec<String>,
    info: &SampleInfo,
    inflated_above: Decimal,
) -> Estimate {
    let mut random = StratumResult::default();
    let mut risk = StratumResult::default();
    let mut outside = Vec::new();
    let mut differs = Vec::new();
    for u in units {
        let part = match u.stratum {
            Some(Stratum::Random) => &mut random,
            Some(Stratum::Risk) => &mut risk,
            None => {
                if rechecked_ids.contains_key(u.eval_id) {
                    outside.push(u.eval_id.to_string());
                }
                continue;
            }
        };
        part.drawn += 1;
        let Some(stated) = rechecked_ids.get(u.eval_id) else {
            continue;
        };
        if let (Some(s), Some(mine)) = (stated, u.stratum) {
            if s != mine.code() {
                differs.push(u.eval_id.to_string());
            }
        }
        if let Some(gap) = u.gap_100 {
            part.rechecked += 1;
            part.inflated += (gap > inflated_above) as usize;
        }
    }
    random.share = wilson(random.inflated, random.rechecked);
    risk.share = wilson(risk.inflated, risk.rechecked);
    let n = info.population as f64;
    let population = random.share.filter(|_| n > 0.0).map(|p| {
        let rest = info.rest as f64;
        let x = risk.inflated as f64;
        let unchecked = (risk.drawn - risk.rechecked) as f64;
        let bounds = (
            (x + rest * p.ci_low) / n,
            (x + unchecked + rest * p.ci_high) / n,
        );
        PopulationShare {
            estimate: (unchecked == 0.0).then(|| Share {
                share: (x + rest * p.share) / n,
                ci_low: bounds.0,
                ci_high: bounds.1,
            }),
            bounds,
        }
    });
    Estimate {
        inflated_above,
        random,
        risk,
        population,
        outside_sample: outside,
        unknown_ids,
        stratum_differs: differs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("e{i:03}")).collect()
    }

    #[test]
    fn strata_are_disjoint_reproducible_and_sized() {
        let names = ids(50);
        let ids: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
        let order: Vec<usize> = (0..50).collect();
        // The first 12 in priority order carry risk.
        let risky: Vec<bool> = (0..50).map(|i| i < 12).collect();
        let (a, info) = draw(&order, &risky, &ids, 20, 0.2, 7);
        assert_eq!((info.size, info.risk, info.random), (20, 12, 8));
        // Risk stratum: exactly the top 12 (room for 16; only 12 flagged, so 8 random).
        let (b, _) = draw(&order, &risky, &ids, 20, 0.25, 7);
        for i in 0..12 {
            assert_eq!(a[i], Some(Stratum::Risk));
            assert_eq!(b[i], Some(Stratum::Risk));
        }
        assert_eq!(a.iter().filter(|s| **s == Some(Stratum::Random)).count(), 8);
        assert!((0..12).all(|i| a[i] != Some(Stratum::Random)));
        // Same seed, same draw; another seed, another draw.
        let (again, _) = draw(&order, &risky, &ids, 20, 0.2, 7);
        assert_eq!(a, again);
        let (other, _) = draw(&order, &risky, &ids, 20, 0.2, 8);
        assert_ne!(a, other);
        // More flagged than room: the top 16 by priority, 4 at random.
        let all_risky = vec![true; 50];
        let (c, info) = draw(&order, &all_risky, &ids, 20, 0.2, 7);
        assert_eq!((info.risk, info.random, info.rest), (16, 4, 34));
        assert!((0..16).all(|i| c[i] == Some(Stratum::Risk)));
        // A population smaller than N: everyone.
        let (d, info) = draw(&order[..5], &risky, &ids, 20, 0.2, 7);
        assert_eq!(info.size, 5);
        assert!(d[..5].iter().all(|s| s.is_some()));
    }

    #[test]
    fn wilson_hand_computed() {
        // 2 of 10: p = 0.2; Wilson 95% = 0.0567 .. 0.5098 (standard tables).
        let s = wilson(2, 10).unwrap();
        assert!((s.ci_low - 0.05668).abs() < 1e-4, "{s:?}");
        assert!((s.ci_high - 0.50984).abs() < 1e-4, "{s:?}");
        let s = wilson(0, 8).unwrap();
        assert_eq!(s.ci_low, 0.0);
        assert!((s.ci_high - 0.32440).abs() < 1e-4, "{s:?}");
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn population_share_weights_the_strata() {
        let info = SampleInfo {
            asked: 10,
            size: 10,
            random_share: 0.5,
            seed: 1,
            risk: 5,
            random: 5,
            population: 105,
            flagged: 5,
            rest: 100,
        };
        let names = ids(10);
        let d = |v: i64| Some(Decimal::from(v));
        let units: Vec<Unit> = (0..10)
            .map(|i| Unit {
                eval_id: &names[i],
                stratum: Some(if i < 5 {
                    Stratum::Risk
                } else {
                    Stratum::Random
                }),
                // risk: 4 of 5 inflated; random: 1 of 5.
                gap_100: if i < 4 || i == 5 { d(12) } else { d(1) },
            })
            .collect();
        let fed: HashMap<String, Option<String>> =
            names.iter().map(|n| (n.clone(), None)).collect();
        let e = estimate(&units, &fed, vec![], &info, Decimal::from(5));
        assert_eq!((e.risk.rechecked, e.risk.inflated), (5, 4));
        assert_eq!((e.random.rechecked, e.random.inflated), (5, 1));
        let p = e.population.unwrap().estimate.unwrap();
        // (4 + 100 × 0.2) / 105
        assert!((p.share - 24.0 / 105.0).abs() < 1e-12);
        // One risk evaluation not re-checked: bounds only.
        let mut fed2 = fed.clone();
        fed2.remove("e000");
        let e = estimate(&units, &fed2, vec![], &info, Decimal::from(5));
        let pop = e.population.unwrap();
        assert!(pop.estimate.is_none());
        assert!(pop.bounds.1 > pop.bounds.0);
    }
}
