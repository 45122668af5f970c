//! Settings for the pipeline's stages from the command-line flags, then jixiao.toml
//! (`config`), then the defaults: one place, so every command that benches, grades or
//! reviews resolves them alike.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::bench::causes::CauseRules;
use crate::bench::BenchOptions;
use crate::error::{JxError, Result};
use crate::review::{ReviewOptions, Weights};

/// Benchmark options (`causes`: a cause rules file; `threshold`: the leniency threshold).
pub fn bench_options(causes: Option<&Path>, threshold: Option<f64>) -> Result<BenchOptions> {
    let cfg = crate::config::current();
    let causes = match causes.map(Path::to_path_buf).or_else(|| cfg.causes.clone()) {
        Some(p) => CauseRules::from_file(&p)?,
        None => CauseRules::default(),
    };
    let d = BenchOptions::default();
    Ok(BenchOptions {
        leniency_threshold: threshold
            .or(cfg.leniency_threshold)
            .unwrap_or(d.leniency_threshold),
        causes,
        min_district_units: cfg.min_district_units.unwrap_or(d.min_district_units),
        leniency_reference: cfg.leniency_reference.clone(),
    })
}

/// The grading table (else the dataset's own or the built-in).
pub fn grading_path(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| crate::config::current().grading.clone())
}

/// Units for the per-unit charts.
pub fn chart_units(flag: &[String]) -> Vec<String> {
    if flag.is_empty() {
        crate::config::current().units.clone().unwrap_or_default()
    } else {
        flag.to_vec()
    }
}

/// A setting as an exact decimal (a toml float such as 90.0 or 0.5 prints as written).
fn decimal(v: f64, what: &str) -> Result<Decimal> {
    Decimal::from_str(&v.to_string()).map_err(|_| {
        JxError::input(format!(
            "{what} = {v} in jixiao.toml is not a number jixiao can use."
        ))
    })
}

/// Review options from the flags, then `[review]` in jixiao.toml (the report passes no flags).
pub fn review_options(
    sample: Option<usize>,
    random_share: Option<f64>,
    seed: Option<u64>,
    weights: Option<&Path>,
    inflated_above: Option<f64>,
    leniency_threshold: Option<f64>,
) -> Result<ReviewOptions> {
    let cfg = crate::config::current();
    let r = cfg.review.clone().unwrap_or_default();
    let d = ReviewOptions::default();
    let bad = |what: &str, why: &str| {
        JxError::input(format!(
            "{}: [review] {what}: {why}",
            cfg.path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "jixiao.toml".into())
        ))
    };
    if r.sample == Some(0) {
        return Err(bad("sample", "must be at least 1"));
    }
    if let Some(f) = r.random_share.filter(|f| !(0.0..=1.0).contains(f)) {
        return Err(bad("random_share", &format!("{f} is not between 0 and 1")));
    }
    for (what, v) in [
        ("high_score", r.high_score),
        ("low_execution", r.low_execution),
        ("history_gap", r.history_gap),
        ("inflated_above", r.inflated_above),
    ] {
        if v.is_some_and(|v| !v.is_finite() || v < 0.0) {
            return Err(bad(what, "must be a number of at least 0"));
        }
    }
    let weights = match weights.map(Path::to_path_buf).or(r.weights.clone()) {
        Some(p) => Weights::from_file(&p)?,
        None => d.weights.clone(),
    };
    Ok(ReviewOptions {
        sample: sample.or(r.sample).unwrap_or(d.sample),
        random_share: random_share.or(r.random_share).unwrap_or(d.random_share),
        seed: seed.or(r.seed).unwrap_or(d.seed),
        weights,
        high_score: match r.high_score {
            Some(v) => decimal(v, "high_score")?,
            None => d.high_score,
        },
        low_execution: match r.low_execution {
            Some(v) => decimal(v, "low_execution")?,
            None => d.low_execution,
        },
        history_gap: r.history_gap.unwrap_or(d.history_gap),
        leniency_threshold: leniency_threshold
            .or(cfg.leniency_threshold)
            .unwrap_or(d.leniency_threshold),
        inflated_above: match inflated_above.or(r.inflated_above) {
            Some(v) => decimal(v, "inflated_above")?,
            None => d.inflated_above,
        },
    })
}
