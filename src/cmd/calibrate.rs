//! `jixiao calibrate`: how often the leniency flag is wrong and how often it finds a planted
//! lenient firm, measured on synthetic panels with known truth.

use std::path::PathBuf;

use crate::bench::leniency::LeniencyOptions;
use crate::dataset::write::write_atomic;
use crate::error::{JxError, Result};
use crate::synth::calibrate::{self, Outcome};
use crate::synth::SynthOptions;

/// Measure the leniency flag's false-flag rate and power on synthetic panels.
///
/// Runs N synthetic panels (合成数据) a scenario, each written, loaded and benchmarked like a
/// user's dataset, and prints per scenario the share of panels where an unbiased evaluator is
/// flagged lenient (偏宽) in any row of leniency.csv and in a pooled row, the share where the
/// planted lenient firm is flagged (power), and its mean effect by least squares and by the
/// censored (Tobit) fit. Scenarios: null-20 (20 firms, no bias, noise SD 1-4), null-4,
/// power-4 (one firm +3 among four and a panel), power-20 (+4.5 among 20), ceiling (quality
/// 93, +3.6).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  jixiao calibrate                       # 200 panels a scenario\n  jixiao calibrate --panels 50 --scenario power-4 --out calibration.csv"
)]
pub struct Args {
    /// Panels a scenario
    #[arg(long, default_value_t = 200)]
    pub panels: usize,
    /// Seed of the first panel (the next ones count up)
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Scenarios to run (default: all)
    #[arg(long, value_delimiter = ',')]
    pub scenario: Vec<String>,
    /// Also write the figures as CSV
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Leniency threshold in points [default: 2]
    #[arg(long)]
    pub leniency_threshold: Option<f64>,
    /// Read effects against this evaluator (e.g. 合成专家组) instead of the others
    #[arg(long)]
    pub leniency_reference: Option<String>,
    /// Districts a panel
    #[arg(long, default_value_t = 3)]
    pub districts: usize,
    /// Units per district
    #[arg(long, default_value_t = 8)]
    pub units: usize,
    /// Fiscal years
    #[arg(long, default_value_t = 3)]
    pub years: usize,
    /// Projects per unit and year
    #[arg(long, default_value_t = 4)]
    pub projects: usize,
}

fn f(v: Option<f64>, places: usize) -> String {
    v.map(|x| format!("{x:.places$}")).unwrap_or_default()
}

pub fn csv(outcomes: &[Outcome]) -> String {
    let mut s = String::from(
        "scenario,panels,false_flag_panels,false_flag_rate,false_flag_pooled_rate,planted_flagged,power,mean_effect,mean_effect_tobit,mean_shared_objects,mean_share_at_100,seconds\n",
    );
    for o in outcomes {
        s.push_str(&format!(
            "{},{},{},{:.4},{:.4},{},{:.4},{},{},{},{},{:.1}\n",
            o.scenario,
            o.panels,
            o.false_flag_panels,
            o.false_flag_rate(),
            o.false_flag_pooled_rate(),
            o.planted_flagged,
            o.power(),
            f(o.mean_effect(), 4),
            f(o.mean_tobit(), 4),
            f(o.mean_shared(), 1),
            f(o.mean_at_100(), 4),
            o.seconds
        ));
    }
    s
}

pub fn run(a: Args) -> Result<()> {
    let all = calibrate::scenarios();
    let chosen: Vec<_> = if a.scenario.is_empty() {
        all.clone()
    } else {
        a.scenario
            .iter()
            .map(|n| {
                all.iter().find(|s| s.name == n).cloned().ok_or_else(|| {
                    JxError::usage_like(format!(
                        "--scenario {n}: unknown; the scenarios are {}",
                        all.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
                    ))
                })
            })
            .collect::<Result<_>>()?
    };
    if a.panels == 0 {
        return Err(JxError::usage_like("--panels needs at least one panel."));
    }
    let base = SynthOptions {
        districts: a.districts,
        units: a.units,
        years: a.years,
        projects: a.projects,
        ..SynthOptions::default()
    };
    let lopts = LeniencyOptions {
        threshold: super::bench_options(None, a.leniency_threshold)?.leniency_threshold,
        reference: a.leniency_reference.clone(),
    };
    let work = std::env::temp_dir().join(format!("jixiao-calibrate-{}", std::process::id()));
    let mut outcomes = Vec::new();
    let t0 = std::time::Instant::now();
    super::println_out(format_args!(
        "{:<9} {:>6} {:>11} {:>13} {:>7} {:>7} {:>7} {:>7} {:>7}  what",
        "scenario",
        "panels",
        "false_flags",
        "false_pooled",
        "power",
        "effect",
        "tobit",
        "shared",
        "at_100"
    ))?;
    for s in &chosen {
        let o = calibrate::run(s, &base, a.panels, a.seed, &lopts, &work).and_then(|o| {
            super::println_out(format_args!(
                "{:<9} {:>6} {:>10.1}% {:>12.1}% {:>6.1}% {:>7} {:>7} {:>7} {:>7}  {}",
                o.scenario,
                o.panels,
                100.0 * o.false_flag_rate(),
                100.0 * o.false_flag_pooled_rate(),
                100.0 * o.power(),
                f(o.mean_effect(), 2),
                f(o.mean_tobit(), 2),
                f(o.mean_shared(), 1),
                f(o.mean_at_100(), 3),
                s.what
            ))?;
            Ok(o)
        });
        let o = match o {
            Ok(o) => o,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&work);
                return Err(e);
            }
        };
        outcomes.push(o);
    }
    let _ = std::fs::remove_dir_all(&work);
    crate::say!(
        "calibrate: {} scenarios x {} panels in {:.1} s (power counts the planted firm's pooled row; false flags count any unbiased evaluator flagged in any row)",
        outcomes.len(),
        a.panels,
        t0.elapsed().as_secs_f64()
    );
    if let Some(p) = &a.out {
        write_atomic(p, csv(&outcomes).as_bytes())?;
    }
    Ok(())
}
