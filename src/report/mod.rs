//! `report`: the leadership briefing. One typed model (`model::Report`) built from the
//! benchmark tables, then written as a self-contained HTML page (askama templates, the CJK
//! font embedded, filters that work offline, a print style sheet for A4), a Word file
//! (`docx`) and a PDF printed from the page by headless Chromium (`pdf`).
//!
//! The report opens with the briefing (five to eight findings per dataset), then per dataset:
//! the unit overview, the charts, a page per unit (单位画像, addressable as `#unit-<unit_id>`),
//! the re-check list and the detail tables.

mod context;
pub mod docx;
pub mod findings;
mod html;
pub mod model;
pub mod pdf;
pub mod review;
mod tables;
mod unit_chart;
mod units;
pub mod zh;

use std::collections::BTreeSet;
use std::path::Path;

pub use html::{escape, page};
pub use model::Report;

use crate::bench::BenchTables;
use crate::charts::Rendered;
use crate::dataset::Dataset;
use crate::error::{JxError, Result};
use context::Ctx;
use model::{Figure, Filter, Part};

/// Rows of the re-check list the report shows.
const REVIEW_ROWS: usize = 20;

/// What a dataset says about itself in `dataset.toml` beside its tables:
/// `title = "…"` (the name the report gives it) and `description = "…"` (a sentence under it).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetMeta {
    pub title: Option<String>,
    pub description: Option<String>,
}

impl DatasetMeta {
    /// `DIR/dataset.toml` when present.
    pub fn read(dir: &Path) -> Result<DatasetMeta> {
        let p = dir.join("dataset.toml");
        if !p.is_file() {
            return Ok(DatasetMeta::default());
        }
        let text = std::fs::read_to_string(&p)
            .map_err(|e| JxError::input(format!("{}: cannot read: {e}", p.display())))?;
        toml::from_str(&text).map_err(|e| JxError::input(format!("{}: {e}", p.display())))
    }
}

/// One dataset's inputs to the report.
pub struct PartInput<'a> {
    pub ds: &'a Dataset,
    pub tables: &'a BenchTables,
    pub review: Option<&'a crate::review::Review>,
    pub charts: Vec<Rendered>,
    /// The name the user gave (`dataset.toml`); `None`: one is made from the data.
    pub title: Option<String>,
    pub description: Option<String>,
    pub synthetic: bool,
    pub threshold: f64,
    pub min_district_units: u32,
}

/// A dataset's name from its data when the user gave none: its places and units, never a
/// folder path.
fn title_from_data(c: &Ctx, synthetic: bool) -> String {
    let districts = c.districts();
    let places = match districts.len() {
        0 => String::new(),
        1..=3 => zh::list(&districts),
        n => format!("{}等 {n} 个区（县）", zh::list(&districts[..2])),
    };
    // No space after a full-width bracket: "等 4 个区（县）5 个单位".
    let sep = if places.ends_with('）') { "" } else { " " };
    let what = format!("{places}{sep}{} 个单位的绩效评价", c.units.len());
    let what = what.trim().to_string();
    if synthetic {
        format!("合成面板（演示数据）：{what}")
    } else {
        what
    }
}

fn filters(c: &Ctx) -> Vec<Filter> {
    let mut out = Vec::new();
    let districts = c.districts();
    if districts.len() > 1 {
        out.push(Filter {
            key: "district",
            label: "区（县）",
            options: districts.iter().map(|d| (d.clone(), d.clone())).collect(),
        });
    }
    out.push(Filter {
        key: "year",
        label: "年度",
        options: c
            .years
            .iter()
            .rev()
            .map(|y| (y.to_string(), format!("{y} 年度")))
            .collect(),
    });
    let types: BTreeSet<String> = c
        .evals
        .iter()
        .map(|e| e.evaluator_type.clone())
        .chain(c.exec.iter().map(|x| x.evaluator_type.clone()))
        .collect();
    let mut ev = Vec::new();
    if types.iter().any(|t| t != "self") {
        ev.push(("independent".to_string(), "独立评价（全部）".to_string()));
    }
    for t in ["self", "third_party", "expert_panel", "finance_bureau"] {
        if types.contains(t) {
            ev.push((t.to_string(), zh::evaluator(t).to_string()));
        }
    }
    out.push(Filter {
        key: "evaluator",
        label: "评价主体",
        options: ev,
    });
    let scopes: BTreeSet<String> = c.evals.iter().map(|e| e.scope.clone()).collect();
    out.push(Filter {
        key: "scope",
        label: "范围",
        options: ["department", "project"]
            .iter()
            .filter(|s| scopes.contains(**s))
            .map(|s| (s.to_string(), zh::scope(s).to_string()))
            .collect(),
    });
    out
}

/// The report from its parts. `title` is the name the user gave the whole report.
pub fn build(title: &str, inputs: &[PartInput]) -> Result<Report> {
    let mut taken = BTreeSet::new();
    let mut parts = Vec::new();
    let mut all_years = BTreeSet::new();
    for (k, inp) in inputs.iter().enumerate() {
        let key = format!("d{k}");
        let c = Ctx::new(
            inp.ds,
            inp.tables,
            inp.review,
            inp.threshold,
            inp.min_district_units,
            &mut taken,
        );
        all_years.extend(c.years.iter().copied());
        let charts = inp
            .charts
            .iter()
            .map(|r| Figure::from_rendered(format!("{key}-{}", r.name), r))
            .collect();
        parts.push(Part {
            title: inp
                .title
                .clone()
                .unwrap_or_else(|| title_from_data(&c, inp.synthetic)),
            description: inp.description.clone(),
            synthetic: inp.synthetic,
            findings: findings::briefing(&c),
            filters: filters(&c),
            overview: units::overview(&c, &key),
            charts,
            units: units::pages(&c),
            review: inp.review.map(|r| review::part(r, REVIEW_ROWS, &key)),
            tables: tables::details(&c, &key)?,
            key,
        });
    }
    let years: Vec<i32> = all_years.into_iter().collect();
    let n_units: usize = parts.iter().map(|p| p.units.len()).sum();
    let subtitle = if parts.len() == 1 {
        format!("{}，{} 个单位", zh::years(&years), n_units)
    } else {
        format!(
            "{}，{} 个数据集、共 {} 个单位",
            zh::years(&years),
            parts.len(),
            n_units
        )
    };
    Ok(Report {
        title: title.to_string(),
        subtitle,
        parts,
    })
}
