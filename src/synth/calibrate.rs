//! Calibration of the leniency flag (`jixiao calibrate`): many synthetic panels with known
//! truth, with and without a planted lenient firm, each written, loaded and benchmarked as a
//! user's dataset would be; counted are the panels where an unbiased evaluator is flagged
//! (false flags, in any row of `leniency.csv` and in the pooled rows) and those where the
//! planted firm is flagged in its pooled row (power).

use std::path::PathBuf;

use polars::prelude::*;

use super::{firm_roster, Design, FirmDesign, SynthOptions};
use crate::bench::leniency::{self, LeniencyOptions};
use crate::dataset::decimal::{cell_f64, cell_text};
use crate::error::Result;

#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: &'static str,
    pub what: &'static str,
    pub design: Design,
}

impl Scenario {
    /// The planted firm's name, when one is biased.
    pub fn planted(&self) -> Option<String> {
        let f = self.design.firms.as_ref()?;
        (f.bias != 0.0).then(|| firm_roster(f)[0].1.clone())
    }
}

fn firms(n: usize, noise: (f64, f64), bias: f64) -> Option<FirmDesign> {
    Some(FirmDesign {
        firms: n,
        noise,
        bias,
        ..FirmDesign::default()
    })
}

/// The scenarios of issue #19, on the synth command's default panel size (3 districts of 8
/// units, 3 years, a department and 4 projects a unit-year).
pub fn scenarios() -> Vec<Scenario> {
    let d = |f, q| Design {
        firms: f,
        quality_mean: q,
    };
    vec![
        Scenario {
            name: "null-20",
            what: "20 firms and a panel, no bias, firm noise SD 1-4",
            design: d(firms(20, (1.0, 4.0), 0.0), 84.0),
        },
        Scenario {
            name: "null-4",
            what: "4 firms and a panel, no bias, noise SD 1.5",
            design: d(firms(4, (1.5, 1.5), 0.0), 84.0),
        },
        Scenario {
            name: "power-4",
            what: "4 firms and a panel, one firm +3, noise SD 1.5",
            design: d(firms(4, (1.5, 1.5), 3.0), 84.0),
        },
        Scenario {
            name: "power-20",
            what: "20 firms and a panel, one firm +4.5, noise SD 1.5",
            design: d(firms(20, (1.5, 1.5), 4.5), 84.0),
        },
        Scenario {
            name: "ceiling",
            what: "4 firms and a panel, quality 93, one firm +3.6, noise SD 1.5",
            design: d(firms(4, (1.5, 1.5), 3.6), 93.0),
        },
    ]
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub scenario: String,
    pub panels: usize,
    /// Panels with an unbiased evaluator flagged in any row, and in a pooled row.
    pub false_flag_panels: usize,
    pub false_flag_pooled_panels: usize,
    /// Panels where the planted firm's pooled row is flagged.
    pub planted_flagged: usize,
    /// The planted (or first) firm's pooled least-squares and Tobit effects, one a panel.
    pub effects: Vec<f64>,
    pub tobit: Vec<f64>,
    /// Its shared objects, one a panel.
    pub shared: Vec<f64>,
    /// Its share of scores at 100.
    pub at_100: Vec<f64>,
    pub seconds: f64,
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

impl Outcome {
    pub fn false_flag_rate(&self) -> f64 {
        self.false_flag_panels as f64 / self.panels.max(1) as f64
    }
    pub fn false_flag_pooled_rate(&self) -> f64 {
        self.false_flag_pooled_panels as f64 / self.panels.max(1) as f64
    }
    pub fn power(&self) -> f64 {
        self.planted_flagged as f64 / self.panels.max(1) as f64
    }
    pub fn mean_effect(&self) -> Option<f64> {
        mean(&self.effects)
    }
    pub fn mean_tobit(&self) -> Option<f64> {
        mean(&self.tobit)
    }
    pub fn mean_shared(&self) -> Option<f64> {
        mean(&self.shared)
    }
    pub fn mean_at_100(&self) -> Option<f64> {
        mean(&self.at_100)
    }
}

/// What one panel's leniency table says.
struct PanelResult {
    false_flag: bool,
    false_flag_pooled: bool,
    planted_flagged: bool,
    first: Option<(f64, Option<f64>, f64, Option<f64>)>,
}

fn one_panel(
    s: &Scenario,
    base: &SynthOptions,
    seed: u64,
    lopts: &LeniencyOptions,
    dir: &std::path::Path,
) -> Result<PanelResult> {
    let o = SynthOptions {
        seed,
        ..base.clone()
    };
    super::generate_with(dir, &o, &s.design)?;
    let (ds, _) = crate::dataset::load(dir)?;
    let facts = ds.facts()?;
    let t = leniency::leniency(facts.lazy(), lopts)?.table;
    let planted = s.planted();
    let first = s.design.firms.as_ref().map(|f| firm_roster(f)[0].1.clone());
    let mut r = PanelResult {
        false_flag: false,
        false_flag_pooled: false,
        planted_flagged: false,
        first: None,
    };
    for i in 0..t.height() {
        let name = cell_text(&t, "evaluator", i);
        let pooled = cell_text(&t, "fiscal_year", i).is_empty();
        let flagged = cell_text(&t, "lenient", i) == "true";
        let is_planted = planted.as_deref() == Some(name.as_str());
        if flagged && !is_planted {
            r.false_flag = true;
            r.false_flag_pooled |= pooled;
        }
        if flagged && is_planted && pooled {
            r.planted_flagged = true;
        }
        if pooled && first.as_deref() == Some(name.as_str()) {
            if let Some(e) = cell_f64(&t, "effect", i) {
                r.first = Some((
                    e,
                    cell_f64(&t, "effect_tobit", i),
                    cell_f64(&t, "n_shared_objects", i).unwrap_or(0.0),
                    cell_f64(&t, "share_at_100", i),
                ));
            }
        }
    }
    Ok(r)
}

/// Runs `panels` panels of a scenario (seeds `seed`, `seed + 1`, …) in `work` (a folder per
/// panel, removed after).
pub fn run(
    s: &Scenario,
    base: &SynthOptions,
    panels: usize,
    seed: u64,
    lopts: &LeniencyOptions,
    work: &std::path::Path,
) -> Result<Outcome> {
    let t0 = std::time::Instant::now();
    crate::dataset::write::ensure_dir(work)?;
    // Plain threads pulling panel numbers, not a rayon par_iter: polars runs its own rayon
    // pool inside each panel, and a rayon worker blocked on it steals the next panel onto its
    // own stack, so the stack grew with the panel count (1,000 panels overflowed it).
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(panels.max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Each thread keeps (panel number, result) for the panels it ran; put back in order.
    let mut numbered: Vec<(usize, Result<PanelResult>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= panels {
                            return mine;
                        }
                        let dir: PathBuf = work.join(format!("{}-{i}", s.name));
                        let r = one_panel(s, base, seed.wrapping_add(i as u64), lopts, &dir);
                        let _ = std::fs::remove_dir_all(&dir);
                        mine.push((i, r));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    numbered.sort_by_key(|r| r.0);
    let results: Vec<PanelResult> = numbered
        .into_iter()
        .map(|r| r.1)
        .collect::<Result<Vec<_>>>()?;
    let mut o = Outcome {
        scenario: s.name.to_string(),
        panels,
        ..Default::default()
    };
    for r in &results {
        o.false_flag_panels += r.false_flag as usize;
        o.false_flag_pooled_panels += r.false_flag_pooled as usize;
        o.planted_flagged += r.planted_flagged as usize;
        if let Some((e, t, n, a)) = r.first {
            o.effects.push(e);
            o.tobit.extend(t);
            o.shared.push(n);
            o.at_100.extend(a);
        }
    }
    o.seconds = t0.elapsed().as_secs_f64();
    Ok(o)
}
