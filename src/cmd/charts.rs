//! `jixiao charts DATASET --out DIR`: the comparison charts as PNG and SVG.

use std::path::PathBuf;

use crate::charts::{self, ChartData};
use crate::engine;
use crate::error::Result;

/// Render the comparison charts as PNG and SVG.
///
/// Render the comparison charts (PNG and SVG, Chinese labels, bundled CJK font): unit ranking
/// (排名), score distributions and the ceiling effect, self (自评) vs independent scores and
/// Bland–Altman, deduction causes (扣分原因) Pareto, execution rate (预算执行率) against peers and
/// against score, trends across years, level-1 (一级指标) heatmap, evaluator leniency.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  jixiao charts datasets/synthetic --out charts --units syn-d01-u001,syn-d01-u002"
)]
pub struct Args {
    /// Dataset folder: units, evaluations, indicators (.csv or .parquet)
    pub dataset: PathBuf,
    /// Output folder for the PNG and SVG files
    #[arg(long, default_value = "out/charts")]
    pub out: PathBuf,
    /// Units to show in the per-unit charts (unit_id or short_name, comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub units: Vec<String>,
    /// Deduction cause rules replacing the built-in table
    #[arg(long)]
    pub causes: Option<PathBuf>,
    /// Leniency threshold in points (see `jixiao bench --help`)
    #[arg(long)]
    pub leniency_threshold: Option<f64>,
}

pub fn run(a: Args) -> Result<()> {
    let opts = engine::options::bench_options(a.causes.as_deref(), a.leniency_threshold)?;
    let (_, tables) = super::bench_for_display(&a.dataset, &opts)?;
    let mut data = ChartData::from_tables(&tables, opts.leniency_threshold)?;
    data.selected_units = engine::options::chart_units(&a.units);
    let rendered = charts::render_all(&data)?;
    let written = charts::write_all(&rendered, &a.out)?;
    if super::ui().json {
        super::println_out(format_args!(
            "{}",
            serde_json::json!({"written": written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>()})
        ))?;
    }
    crate::say!("charts: {} files in {}", written.len(), a.out.display());
    Ok(())
}
