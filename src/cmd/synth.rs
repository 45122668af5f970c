//! `jixiao synth --out DIR`: a synthetic multi-district, multi-year panel with planted truth.

use std::path::PathBuf;

use crate::dataset::write::Format;
use crate::error::Result;
use crate::synth::{self, Design, FirmDesign, SynthOptions};

/// Make a synthetic panel with planted truth (truth.json).
///
/// Make a synthetic dataset (clearly labelled 合成数据) with planted truth in truth.json: one
/// lenient third-party firm (+5 points), self-evaluation (自评) inflation of 4 points, units with
/// low execution (预算执行率 < 80%), and deduction causes at known frequencies.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  jixiao synth --out datasets/synthetic --districts 3 --units 8 --years 3"
)]
pub struct Args {
    /// Output folder
    #[arg(long)]
    pub out: PathBuf,
    /// Number of districts (区)
    #[arg(long, default_value_t = 3)]
    pub districts: usize,
    /// Units (street offices) per district
    #[arg(long, default_value_t = 8)]
    pub units: usize,
    /// Fiscal years, ending with --last-year
    #[arg(long, default_value_t = 3)]
    pub years: usize,
    /// Project evaluations per unit and year (each self-evaluated, some independently)
    #[arg(long, default_value_t = 4)]
    pub projects: usize,
    /// Random seed (same seed, same data)
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Last fiscal year
    #[arg(long, default_value_t = 2024)]
    pub last_year: i32,
    /// Table format
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// With Parquet: hive-partitioned folders by these columns (e.g. province,fiscal_year),
    /// readable by Spark, Trino, DuckDB and jixiao itself
    #[arg(long, value_delimiter = ',')]
    pub partition_by: Vec<String>,
    #[command(flatten)]
    pub design: DesignArgs,
}

/// The evaluator design (the calibration design of `jixiao calibrate`): without --firms, the
/// built-in roster of five independent evaluators with one firm at +5.
#[derive(clap::Args, Debug, Clone)]
pub struct DesignArgs {
    /// Third-party firms (第三方): each unit-year is scored by one of them, drawn at random,
    /// and each object also by an expert panel (专家组) with probability --panel-share
    #[arg(long, value_name = "N")]
    pub firms: Option<usize>,
    /// Noise SD of the firms' scores: one value, or LO:HI spread evenly over the firms
    #[arg(long, value_name = "SD[:SD]", default_value = "1.5", value_parser = parse_range)]
    pub firm_noise: (f64, f64),
    /// Planted bias of the first firm in points (its scores this much higher)
    #[arg(
        long,
        value_name = "POINTS",
        default_value_t = 0.0,
        allow_hyphen_values = true
    )]
    pub firm_bias: f64,
    /// Share of objects the expert panel also scores
    #[arg(long, default_value_t = 0.3)]
    pub panel_share: f64,
    /// Noise SD of the expert panel's scores
    #[arg(long, default_value_t = synth::NOISE_SD)]
    pub panel_noise: f64,
    /// Mean object quality in points (near 100 the ceiling censors scores)
    #[arg(long, default_value_t = 84.0)]
    pub quality: f64,
}

/// "1.5" or "1:4".
pub fn parse_range(s: &str) -> std::result::Result<(f64, f64), String> {
    let num = |v: &str| {
        v.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| format!("'{v}' is not a non-negative number"))
    };
    match s.split_once(':') {
        Some((a, b)) => Ok((num(a)?, num(b)?)),
        None => num(s).map(|v| (v, v)),
    }
}

impl DesignArgs {
    pub fn design(&self) -> crate::error::Result<Design> {
        if !(0.0..=1.0).contains(&self.panel_share) {
            return Err(crate::error::JxError::usage_like(
                "--panel-share is a share between 0 and 1.",
            ));
        }
        let firms = match self.firms {
            Some(0) => {
                return Err(crate::error::JxError::usage_like(
                    "--firms needs at least one firm.",
                ))
            }
            Some(n) => Some(FirmDesign {
                firms: n,
                noise: self.firm_noise,
                bias: self.firm_bias,
                panel_share: self.panel_share,
                panel_noise: self.panel_noise,
            }),
            None => None,
        };
        Ok(Design {
            firms,
            quality_mean: self.quality,
        })
    }
}

pub fn run(a: Args) -> Result<()> {
    if a.format == Format::Xlsx {
        return Err(crate::error::JxError::usage_like(
            "synth writes csv or parquet; for a workbook run `jixiao export-xlsx` on the panel.",
        ));
    }
    let o = SynthOptions {
        districts: a.districts,
        units: a.units,
        years: a.years,
        projects: a.projects,
        seed: a.seed,
        last_year: a.last_year,
    };
    let c = synth::generate_with(&a.out, &o, &a.design.design()?)?;
    if !a.partition_by.is_empty() {
        if a.format != Format::Parquet {
            return Err(crate::error::JxError::usage_like(
                "--partition-by needs --format parquet.",
            ));
        }
        let (ds, _) = crate::dataset::load(&a.out)?;
        crate::dataset::write::write_dataset_partitioned(&ds, &a.out, &a.partition_by)?;
        for t in ["units", "evaluations", "indicators"] {
            let _ = std::fs::remove_file(a.out.join(format!("{t}.csv")));
        }
    } else if a.format == Format::Parquet {
        synth::to_parquet(&a.out)?;
    }
    crate::say!(
        "synth: {} units, {} evaluations, {} indicators in {} (truth.json has what was planted)",
        c.units,
        c.evaluations,
        c.indicators,
        a.out.display()
    );
    Ok(())
}
