//! `jixiao synth --out DIR`: a synthetic multi-district, multi-year panel with planted truth.

use std::path::PathBuf;

use crate::dataset::write::Format;
use crate::error::Result;
use crate::synth::{self, SynthOptions};

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
    let c = synth::generate(&a.out, &o)?;
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
