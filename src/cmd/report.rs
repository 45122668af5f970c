//! `jixiao report [DATASET...] --out DIR`: the leadership report. With no dataset it is the
//! main job on the bundled data: extract datasets/reports if needed, benchmark
//! datasets/extracted and datasets/synthetic, write the gallery to charts/ and out/report.html.

use std::path::{Path, PathBuf};

use crate::charts::{self, ChartData};
use crate::dataset::write::{ensure_dir, write_atomic, Format};
use crate::error::Result;
use crate::extract;
use crate::report;

/// Write the leadership report: a briefing, then a page per unit (单位画像), charts and tables.
///
/// Write the leadership report for district leaders comparing their units (street offices
/// 街道办事处, district departments): a one-page briefing of the findings in Chinese (scores
/// against peers, budget execution 预算执行率, self-evaluation 自评 against independent scores,
/// deduction causes 扣分原因, lenient evaluators, the re-check list 自评抽查复核), then per
/// dataset a unit overview, the charts, a page per unit (单位画像, addressable as
/// report.html#unit-<unit_id>) and the detail tables. The HTML is self-contained (font embedded,
/// no network), with filters for district, fiscal year, evaluator type and scope, and prints on
/// A4 with a page per unit. --format docx writes a Word briefing; --format pdf prints the page
/// with a headless Chromium-family browser. Without DATASET it runs the main job on the bundled
/// datasets.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "The report's title: --title, else title under [report] in jixiao.toml. A dataset's name: \
title in DATASET/dataset.toml (with an optional description), else one made from its places and units.\n\n\
Examples:\n  jixiao report                      # main job on the bundled datasets\n  \
jixiao report my/dataset --out out/my-report --title \"丰台区街道绩效评价简报\" --format html,docx,pdf"
)]
pub struct Args {
    /// Dataset folders (default: datasets/extracted and datasets/synthetic, extracting
    /// datasets/reports first when needed)
    pub datasets: Vec<PathBuf>,
    /// Output folder for the report and, per dataset, its bench and review tables
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Formats to write, comma-separated: html (report.html), docx (report.docx, the Word
    /// briefing), pdf (report.pdf, printed from report.html by headless Chromium)
    #[arg(long, value_enum, value_delimiter = ',', default_value = "html")]
    pub format: Vec<ReportFormat>,
    /// The report's title (封面标题) [default: title under [report] in jixiao.toml, else
    /// 绩效评价对标简报]
    #[arg(long)]
    pub title: Option<String>,
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

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Docx,
    Pdf,
}

/// The title when neither --title nor jixiao.toml gives one.
pub const DEFAULT_TITLE: &str = "绩效评价对标简报";

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
    let title = a
        .title
        .clone()
        .or_else(|| {
            crate::config::current()
                .report
                .as_ref()
                .and_then(|r| r.title.clone())
        })
        .unwrap_or_else(|| DEFAULT_TITLE.to_string());
    // Each dataset's own tables, kept until the report is built from all of them.
    struct Loaded {
        ds: crate::dataset::Dataset,
        tables: crate::bench::BenchTables,
        review: crate::review::Review,
        charts: Vec<crate::charts::Rendered>,
        meta: report::DatasetMeta,
        synthetic: bool,
    }
    let mut loaded = Vec::new();
    for dir in &datasets {
        let meta = report::DatasetMeta::read(dir)?;
        let name = dir
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "dataset".into());
        let (ds, mut tables) = super::bench_for_display(dir, &opts)?;
        // The re-check list (自评抽查复核) with the settings in jixiao.toml: its tables beside
        // the bench tables, its entry in their summary.json, its part in the page.
        let review_opts = crate::engine::options::review_options(
            None,
            None,
            None,
            None,
            None,
            a.leniency_threshold,
        )?;
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
        crate::say!(
            "report: {} -> charts in {}",
            dir.display(),
            chart_dir.display()
        );
        loaded.push(Loaded {
            synthetic: dir.join("truth.json").is_file(),
            ds,
            tables,
            review,
            charts: rendered,
            meta,
        });
    }
    let inputs: Vec<report::PartInput> = loaded
        .iter()
        .map(|l| report::PartInput {
            ds: &l.ds,
            tables: &l.tables,
            review: Some(&l.review),
            charts: l.charts.clone(),
            title: l.meta.title.clone(),
            description: l.meta.description.clone(),
            synthetic: l.synthetic,
            threshold: opts.leniency_threshold,
            min_district_units: opts.min_district_units,
        })
        .collect();
    let model = report::build(&title, &inputs)?;
    let mut written = Vec::new();
    let wants = |f: ReportFormat| a.format.contains(&f);
    let html_path = a.out.join("report.html");
    if wants(ReportFormat::Html) || wants(ReportFormat::Pdf) {
        let html = report::page(&model)?;
        write_atomic(&html_path, html.as_bytes())?;
        written.push(html_path.clone());
    }
    if wants(ReportFormat::Docx) {
        let p = a.out.join("report.docx");
        write_atomic(&p, &report::docx::write(&model)?)?;
        written.push(p);
    }
    if wants(ReportFormat::Pdf) {
        let p = a.out.join("report.pdf");
        report::pdf::print(&html_path, &p)?;
        written.push(p);
    }
    if super::ui().json {
        println!(
            "{}",
            serde_json::json!({
                "written": written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "report": html_path.display().to_string(),
                "datasets": datasets.iter().map(|d| d.display().to_string()).collect::<Vec<_>>(),
            })
        );
    }
    for p in &written {
        crate::say!("report: wrote {}", p.display());
    }
    Ok(())
}
