//! `jixiao review DATASET --out DIR`: which self-evaluations to re-check first, and why.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::dataset::findings::first_error;
use crate::engine;
use crate::error::{JxError, Result};
use crate::review::{self, output, sample};

/// Rank self-evaluations (自评) for re-checking (自评抽查复核) and draw the sample.
///
/// Rank every self-evaluation (自评) by the evidence in its own form that it deserves a
/// re-check (自评抽查复核): an indicator whose 实际完成值 misses its 年度指标值 yet keeps full
/// points, a high total on low budget execution (预算执行率), a total that is not the sum of its
/// indicator scores, a grade (等级) the total does not earn, every indicator at full marks,
/// points lost with no 偏差原因, and a unit whose self scores sat above independent scores in
/// earlier years. The risk score is the sum of the weights of the reasons found (editable,
/// datasets/review_weights.csv). Writes review.csv (one row per self-evaluation, in priority
/// order, each reason with a Chinese evidence sentence citing FILE:LINE), review_targets.csv
/// (every target / actual pair as compared) and summary.json; the sample of N takes the top
/// N × (1 − F) by risk and draws N × F at random (seeded) from the rest. With --rechecked, the
/// re-checked scores give the estimated share of inflated self-evaluations with a 95%
/// interval. Validates first, as bench does: errors stop it.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  jixiao review datasets/extracted --out out/review --sample 20 --format xlsx\n  jixiao review datasets/extracted --out out/review --rechecked out/review/review.csv"
)]
pub struct Args {
    /// Dataset folder: units, evaluations, indicators (.csv or .parquet)
    pub dataset: PathBuf,
    /// Output folder for review.csv, review_targets.csv, summary.json (and review.xlsx)
    #[arg(long, default_value = "out/review")]
    pub out: PathBuf,
    /// N: how many evaluations to re-check [default: 20, or sample under [review] in
    /// jixiao.toml]
    #[arg(long, value_name = "N", value_parser = parse_sample)]
    pub sample: Option<usize>,
    /// F: the share of the sample drawn at random from outside the risk stratum, 0 to 1
    /// [default: 0.2, or random_share in jixiao.toml]
    #[arg(long, value_name = "F", value_parser = parse_share)]
    pub random_share: Option<f64>,
    /// Seed of the random draw (the same seed on the same data draws the same evaluations)
    /// [default: 1, or seed in jixiao.toml]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// csv: review.csv and review_targets.csv; xlsx: also review.xlsx in Chinese for Excel
    #[arg(long, value_enum, default_value_t = ReviewFormat::Csv)]
    pub format: ReviewFormat,
    /// Reason weights (reason, weight, max_count, label, description) replacing
    /// datasets/review_weights.csv
    #[arg(long, value_name = "FILE")]
    pub weights: Option<PathBuf>,
    /// Re-check results (复核得分) fed back: a CSV with eval_id and rechecked_score (review.csv
    /// with that column filled in will do); gives the estimated share of inflated
    /// self-evaluations
    #[arg(long, value_name = "FILE")]
    pub rechecked: Option<PathBuf>,
    /// A self score more than this many points (out of 100) above its re-checked score counts
    /// as inflated [default: 5, or inflated_above in jixiao.toml]
    #[arg(long, value_name = "POINTS", value_parser = parse_points)]
    pub inflated_above: Option<f64>,
    /// Grading scheme table replacing the dataset's or the built-in one
    #[arg(long)]
    pub grading: Option<PathBuf>,
    /// Leniency threshold in points, for the lenient evaluators the history check names
    /// [default: 2, or leniency_threshold in jixiao.toml]
    #[arg(long)]
    pub leniency_threshold: Option<f64>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewFormat {
    Csv,
    Xlsx,
}

fn parse_sample(s: &str) -> std::result::Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "'{s}' is not a sample size (a whole number of at least 1)"
        )),
    }
}

fn parse_share(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!(
            "'{s}' is not a share between 0 and 1 (e.g. 0.2 for a fifth drawn at random)"
        )),
    }
}

fn parse_points(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(f) if f.is_finite() && f >= 0.0 => Ok(f),
        _ => Err(format!("'{s}' is not a number of points of at least 0")),
    }
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

pub fn run(a: Args) -> Result<()> {
    let opts = engine::options::review_options(
        a.sample,
        a.random_share,
        a.seed,
        a.weights.as_deref(),
        a.inflated_above,
        a.leniency_threshold,
    )?;
    // Loaded and validated as bench does: the same errors for bad input, and errors stop it.
    let checked = engine::load_checked(
        &a.dataset,
        engine::options::grading_path(a.grading.as_deref()).as_deref(),
    )?;
    let fpath = engine::sinks::write_findings(&a.out, &checked.findings)?;
    let errors = checked.errors();
    if errors > 0 {
        crate::say!(
            "review {}: the dataset has {errors} errors; fix them first.",
            a.dataset.display()
        );
        super::print_counts(&checked.counts);
        super::print_findings(&checked.findings, 10);
        return Err(JxError::data(format!(
            "{errors} errors{}; see {}",
            first_error(&checked.findings, false),
            fpath.display()
        )));
    }
    let mut result = review::run(&checked.ds, &checked.findings, &opts)?;
    if let Some(p) = &a.rechecked {
        let rechecked = sample::read_rechecked(p)?;
        result.apply_rechecks(&rechecked);
    }
    let written = output::write(&result, &a.out, a.format == ReviewFormat::Xlsx)?;
    if super::ui().json {
        super::println_out(format_args!(
            "{}",
            serde_json::to_string_pretty(&output::summary(&result)).unwrap_or_default()
        ))?;
        return Ok(());
    }
    print_summary(&a.dataset, &result);
    for p in written.iter().chain([&fpath]) {
        crate::say!("  wrote {}", p.display());
    }
    Ok(())
}

fn print_summary(dataset: &Path, r: &review::Review) {
    let s = &r.sample;
    let what = match r.population {
        review::Population::SelfEvaluations => "self-evaluations (自评)",
        review::Population::AllEvaluations => "evaluations",
    };
    crate::say!(
        "review {}: {} {what}, {} with a reason to re-check; sample of {}: {} by risk, {} at random from the other {} (seed {})",
        dataset.display(),
        r.rows.len(),
        r.rows
            .iter()
            .filter(|x| x.risk_score > Decimal::ZERO)
            .count(),
        s.size,
        s.risk,
        s.random,
        s.rest,
        s.seed
    );
    for n in &r.notes {
        crate::say!("  note: {}", n.en);
    }
    let t = r.target_counts();
    if t.pairs > 0 {
        crate::say!(
            "  target / actual pairs (年度指标值 / 实际完成值): {} compared: {} met, {} missed, {} partly met, {} not comparable",
            t.pairs,
            t.met,
            t.missed,
            t.partly,
            t.not_comparable
        );
    }
    crate::say!("  evaluations per reason (in the sample):");
    for (reason, all, in_sample) in r.reason_counts() {
        crate::say!(
            "    {:<26} {:>6} ({in_sample}), weight {}",
            reason.code(),
            all,
            crate::dataset::decimal::fmt(r.weights.get(reason).weight)
        );
    }
    crate::say!("  top of the list:");
    for row in r.rows.iter().take(5) {
        crate::say!(
            "    {:>3}. {} (risk {}; {}): {}",
            row.rank,
            row.eval_id,
            crate::dataset::decimal::fmt(row.risk_score),
            row.reasons(),
            row.project_name.as_deref().unwrap_or(&row.short_name)
        );
    }
    if let Some(e) = &r.estimate {
        let part = |name: &str, x: &sample::StratumResult| {
            let share = x
                .share
                .map(|s| {
                    format!(
                        ": {} (95% Wilson interval {} to {})",
                        pct(s.share),
                        pct(s.ci_low),
                        pct(s.ci_high)
                    )
                })
                .unwrap_or_default();
            crate::say!(
                "  re-checks (复核), {name} stratum: {} of {} re-checked, {} inflated{share}",
                x.rechecked,
                x.drawn,
                x.inflated
            );
        };
        crate::say!(
            "  inflated: self score more than {} points (out of 100) above the re-checked score",
            crate::dataset::decimal::fmt(e.inflated_above)
        );
        part("random", &e.random);
        part("risk", &e.risk);
        match &e.population {
            Some(p) => match &p.estimate {
                Some(s) => crate::say!(
                    "  estimated share of inflated self-evaluations in all {} evaluations: {} (95% interval {} to {}; the risk stratum counted as found, the rest scaled from the random stratum)",
                    r.sample.population,
                    pct(s.share),
                    pct(s.ci_low),
                    pct(s.ci_high)
                ),
                None => crate::say!(
                    "  not every risk-stratum evaluation was re-checked: the share of inflated self-evaluations lies between {} and {}",
                    pct(p.bounds.0),
                    pct(p.bounds.1)
                ),
            },
            None => crate::say!(
                "  no random-stratum evaluation was re-checked: no estimate of the share (only the random stratum gives one without bias)"
            ),
        }
        for (ids, what) in [
            (
                &e.unknown_ids,
                "are not in the list (not evaluations of this dataset's population)",
            ),
            (
                &e.outside_sample,
                "were re-checked but not drawn: left out of the estimate",
            ),
            (
                &e.stratum_differs,
                "were drawn in another stratum than the file says (same data and seed?)",
            ),
        ] {
            if !ids.is_empty() {
                crate::say!(
                    "  warning: {} re-checked evaluations {what}: {}",
                    ids.len(),
                    ids.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                );
            }
        }
    }
}
