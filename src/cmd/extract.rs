//! `jixiao extract PATH... --out DIR`: evaluation reports (.txt) in, an audited dataset out.

use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::dataset::write::Format;
use crate::error::Result;
use crate::extract;

/// Extract evaluation reports (.txt) into an audited dataset.
///
/// Extract performance-evaluation reports (绩效评价报告, 项目支出绩效自评表) into the dataset
/// contract: units.csv, evaluations.csv, indicators.csv, plus audit.csv (the reports' own
/// inconsistencies, with FILE:LINE) and manifest.csv (every input file and what was found).
/// Encodings UTF-8 (with or without BOM), GB18030/GBK and UTF-16 are detected.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  jixiao extract datasets/reports --out datasets/extracted")]
pub struct Args {
    /// Report files or folders (searched recursively for .txt)
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output folder
    #[arg(long)]
    pub out: PathBuf,
    /// Format of the three contract tables (audit and manifest are always CSV)
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Also write what the readers saw: each file's text layer (one line per paragraph or table
    /// row, cells split by TAB, each line led by its FILE:LINE or FILE:pPAGE:LINE) into this folder
    #[arg(long, value_name = "DIR")]
    pub text_out: Option<PathBuf>,
    /// Form labels to add to the built-in vocabulary (CSV `field,labels`, labels separated by
    /// `|`, e.g. `project_name,工程名称`); also `labels = "FILE"` in jixiao.toml (the flag wins)
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,
}

/// The vocabulary the forms are read by: the built-in one, with the rows of `--labels` (or of
/// jixiao.toml's `labels`) added.
fn vocabulary(flag: Option<&PathBuf>) -> Result<Option<extract::Labels>> {
    let Some(path) = flag
        .cloned()
        .or_else(|| crate::config::current().labels.clone())
    else {
        return Ok(None);
    };
    let bytes = std::fs::read(&path).map_err(|e| {
        crate::error::JxError::input(format!(
            "{}: cannot read the label vocabulary: {e}",
            path.display()
        ))
    })?;
    let text = crate::encoding::decode(&bytes);
    extract::Labels::extended(&text)
        .map(Some)
        .map_err(|e| crate::error::JxError::input(format!("{}: {e}", path.display())))
}

pub fn run(a: Args) -> Result<()> {
    if a.format == Format::Xlsx {
        return Err(crate::error::JxError::usage_like("extract writes csv or parquet; for a workbook run `jixiao export-xlsx` on the extracted folder."));
    }
    let labels = vocabulary(a.labels.as_ref())?;
    let files = extract::collect_inputs(&a.paths)?;
    let bar = if super::ui().quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("extract {bar:30} {pos}/{len} files {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let t0 = std::time::Instant::now();
    let ex = match &labels {
        Some(l) => extract::extract_files_with(&files, l, &|| bar.inc(1)),
        None => extract::extract_files(&files, &|| bar.inc(1)),
    };
    bar.finish_and_clear();
    let t1 = std::time::Instant::now();
    extract::output::write(&ex, &a.out)?;
    if super::ui().verbose {
        let bytes: u64 = ex.manifest.iter().map(|m| m.bytes).sum();
        let secs = (t1 - t0).as_secs_f64();
        eprintln!(
            "extract: read {:.1} MB in {:.3} s ({:.1} MB/s on {} threads); wrote outputs in {:.3} s",
            bytes as f64 / 1e6,
            secs,
            bytes as f64 / 1e6 / secs,
            rayon::current_num_threads(),
            t1.elapsed().as_secs_f64()
        );
    }
    if let Some(dir) = &a.text_out {
        extract::output::write_text_layers(&files, dir)?;
    }
    if a.format == Format::Parquet {
        crate::dataset::write::csv_tables_to_parquet(&a.out)?;
    }
    if super::ui().json {
        let files: Vec<serde_json::Value> = ex
            .manifest
            .iter()
            .map(|m| {
                serde_json::json!({"file": m.file, "encoding": m.encoding, "status": m.status,
                "evaluations": m.evaluations, "indicators": m.indicators, "note": m.note})
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({"out": a.out.display().to_string(), "units": ex.units.len(),
                "evaluations": ex.evaluations.len(), "audit_findings": ex.audit.len(), "files": files})
        );
    }
    if !super::ui().quiet {
        let n_ind: usize = ex.manifest.iter().map(|m| m.indicators).sum();
        eprintln!(
            "extract: {} files, {} units, {} evaluations, {n_ind} indicator rows, {} audit findings -> {}",
            files.len(),
            ex.units.len(),
            ex.evaluations.len(),
            ex.audit.len(),
            a.out.display()
        );
        for m in &ex.manifest {
            eprintln!(
                "  {:<14} {}{}",
                m.status,
                m.file,
                if m.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", m.note)
                }
            );
        }
    }
    Ok(())
}
