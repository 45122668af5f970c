//! `jixiao report [DATASET...] --out DIR`: the leadership report. With no dataset it is the
//! main job on the bundled data: extract datasets/reports if needed, benchmark
//! datasets/extracted and datasets/synthetic, write the gallery to charts/ and out/report.html.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::bench::BenchTables;
use crate::charts::{self, ChartData};
use crate::dataset::write::{ensure_dir, write_atomic, Format};
use crate::error::Result;
use crate::extract;
use crate::report::{self, Section};

/// Write the self-contained HTML report (the main job without arguments).
///
/// Write one self-contained HTML report (report.html): headline findings in plain Chinese
/// (self-evaluation 自评 gap, units below 80% execution 预算执行率, top deduction causes 扣分原因,
/// lenient evaluators), the charts inline as SVG, and the key tables (sortable). Opens offline.
/// Without DATASET it runs the main job on the bundled datasets.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  jixiao report                      # main job on the bundled datasets\n  jixiao report my/dataset --out out/my-report"
)]
pub struct Args {
    /// Dataset folders (default: datasets/extracted and datasets/synthetic, extracting
    /// datasets/reports first when needed)
    pub datasets: Vec<PathBuf>,
    /// Output folder for report.html and, per dataset, its bench tables
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Where the chart gallery (PNG + SVG) goes; default: charts/ for the bundled datasets,
    /// OUT/<dataset>/charts otherwise
    #[arg(long)]
    pub charts: Option<PathBuf>,
    /// Leniency threshold in points [default: 2, or jixiao.toml]
    #[arg(long)]
    pub leniency_threshold: Option<f64>,
    /// Units for the per-unit charts (unit_id or short_name, comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub units: Vec<String>,
}

pub const BUNDLED_REPORTS: &str = "datasets/reports";
pub const BUNDLED_EXTRACTED: &str = "datasets/extracted";
pub const BUNDLED_SYNTHETIC: &str = "datasets/synthetic";

/// Re-extract when the extracted dataset is missing or its manifest does not list exactly
/// the report files present (a clean clone keeps no meaningful file times).
fn extraction_needed(reports: &Path, extracted: &Path) -> Result<bool> {
    let manifest = extracted.join("manifest.csv");
    if !extracted.join("evaluations.csv").is_file() || !manifest.is_file() {
        return Ok(true);
    }
    let files = extract::collect_inputs(&[reports.to_path_buf()])?;
    let listed = std::fs::read_to_string(&manifest).unwrap_or_default();
    let n_listed = listed.lines().count().saturating_sub(1);
    Ok(n_listed != files.len()
        || files
            .iter()
            .any(|f| !listed.contains(&f.display().to_string())))
}

fn key_tables(t: &BenchTables) -> Result<Vec<(String, DataFrame, usize)>> {
    let flagged_first = t
        .execution
        .clone()
        .lazy()
        .with_column(
            when(col("flag").eq(lit("ok")))
                .then(lit(1))
                .otherwise(lit(0))
                .alias("__ok"),
        )
        .sort(["__ok", "execution_rate"], Default::default())
        .drop(by_name(["__ok"], true, false))
        .collect()?;
    Ok(vec![
        (
            "预算执行率与同类单位 (execution)".to_string(),
            flagged_first,
            200,
        ),
        ("单位排名 (rankings)".to_string(), t.rankings.clone(), 200),
        (
            "扣分原因 (deductions)".to_string(),
            t.deductions.clone(),
            100,
        ),
        (
            "自评与独立评分 (inflation_summary)".to_string(),
            t.inflation_summary.clone(),
            100,
        ),
        (
            "自评与独立评分, 按评价主体 (inflation_evaluators)".to_string(),
            t.inflation_evaluators.clone(),
            100,
        ),
        (
            "自评与独立评分的分布比较 (inflation_distribution)".to_string(),
            t.inflation_distribution.clone(),
            100,
        ),
        (
            "评价主体宽严 (leniency)".to_string(),
            t.leniency.clone(),
            100,
        ),
    ])
}

pub fn run(a: Args) -> Result<()> {
    let bundled = a.datasets.is_empty();
    let datasets: Vec<PathBuf> = if bundled {
        let (reports, extracted) = (
            PathBuf::from(BUNDLED_REPORTS),
            PathBuf::from(BUNDLED_EXTRACTED),
        );
        if extraction_needed(&reports, &extracted)? {
            crate::say!(
                "report: extracting {} into {}",
                reports.display(),
                extracted.display()
            );
            let files = extract::collect_inputs(&[reports])?;
            let ex = extract::extract_files(&files, &|| {});
            extract::output::write(&ex, &extracted)?;
        }
        vec![extracted, PathBuf::from(BUNDLED_SYNTHETIC)]
    } else {
        a.datasets.clone()
    };
    ensure_dir(&a.out)?;
    let opts = super::bench_options(None, a.leniency_threshold)?;
    let mut sections = Vec::new();
    for dir in &datasets {
        let name = dir
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "dataset".into());
        let (ds, mut tables) = super::charts::bench_for_display(dir, &opts)?;
        // The re-check list (自评抽查复核) with the settings in jixiao.toml: its tables beside
        // the bench tables, its entry in their summary.json, its part in the page.
        let review_opts =
            super::review::options(None, None, None, None, None, a.leniency_threshold)?;
        let review = crate::review::from_dataset(&ds, &review_opts)?;
        crate::review::output::write(&review, &a.out.join(&name).join("review"), false)?;
        if let Some(summary) = tables.summary.as_object_mut() {
            summary.insert("review".into(), crate::review::output::summary(&review));
        }
        tables.write(
            &{
                let p = a.out.join(&name).join("bench");
                ensure_dir(&p)?;
                p
            },
            Format::Csv,
        )?;
        let mut data = ChartData::from_tables(&tables, opts.leniency_threshold)?;
        data.selected_units = super::chart_units(&a.units);
        let rendered = charts::render_all(&data)?;
        let chart_dir = match (&a.charts, bundled) {
            (Some(c), _) => c.join(&name),
            (None, true) => PathBuf::from("charts").join(&name),
            (None, false) => a.out.join(&name).join("charts"),
        };
        charts::write_all(&rendered, &chart_dir)?;
        let synthetic = dir.join("truth.json").is_file();
        let title = if synthetic {
            format!("合成面板: {}", dir.display())
        } else {
            format!("数据集: {}", dir.display())
        };
        sections.push(Section {
            title,
            synthetic,
            findings: report::findings::sentences(&ds, &tables, opts.leniency_threshold),
            charts: rendered,
            tables: key_tables(&tables)?,
            review: Some(review),
        });
        crate::say!(
            "report: {} -> charts in {}",
            dir.display(),
            chart_dir.display()
        );
    }
    let html = report::page("绩效评价对标报告", &sections)?;
    let path = a.out.join("report.html");
    write_atomic(&path, html.as_bytes())?;
    if super::ui().json {
        println!(
            "{}",
            serde_json::json!({"report": path.display().to_string(), "datasets": datasets.iter().map(|d| d.display().to_string()).collect::<Vec<_>>()})
        );
    }
    crate::say!("report: wrote {}", path.display());
    Ok(())
}
