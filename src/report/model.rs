//! The report as typed data: what the HTML template, the Word writer and the tests read. It is
//! built once from the benchmark tables (`build`), so the page, the Word file and the PDF say
//! the same thing.

use crate::charts::Rendered;

/// The whole report: a title the user gave, then one part per dataset.
pub struct Report {
    pub title: String,
    /// One line under the title: what the report covers.
    pub subtitle: String,
    pub parts: Vec<Part>,
}

/// One dataset's part.
pub struct Part {
    /// "d0", "d1": prefixes the part's element ids.
    pub key: String,
    pub title: String,
    /// A dataset's own words about itself (dataset.toml `description`).
    pub description: Option<String>,
    pub synthetic: bool,
    /// The briefing: five to eight findings, most important first.
    pub findings: Vec<Finding>,
    pub filters: Vec<Filter>,
    /// One row per unit, year, evaluator type and scope: score and execution against peers.
    pub overview: Table,
    pub charts: Vec<Figure>,
    pub units: Vec<UnitPage>,
    pub review: Option<ReviewPart>,
    /// The detail tables (bench outputs, Chinese headers).
    pub tables: Vec<Table>,
}

/// One finding: a topic word for the margin and one sentence, whose unit names link to the
/// unit pages.
pub struct Finding {
    pub topic: String,
    pub spans: Vec<Span>,
}

pub enum Span {
    Text(String),
    Unit { anchor: String, name: String },
}

impl Finding {
    pub fn new(topic: &str) -> Finding {
        Finding {
            topic: topic.to_string(),
            spans: Vec::new(),
        }
    }
    pub fn text(mut self, s: impl Into<String>) -> Finding {
        self.push(s);
        self
    }
    pub fn push(&mut self, s: impl Into<String>) {
        let s = s.into();
        match self.spans.last_mut() {
            Some(Span::Text(t)) => t.push_str(&s),
            _ => self.spans.push(Span::Text(s)),
        }
    }
    pub fn unit(&mut self, anchor: Option<&str>, name: &str) {
        match anchor {
            Some(a) => self.spans.push(Span::Unit {
                anchor: a.to_string(),
                name: name.to_string(),
            }),
            None => self.push(name),
        }
    }
    /// The sentence as plain text (the Word file, the tests).
    pub fn plain(&self) -> String {
        self.spans
            .iter()
            .map(|s| match s {
                Span::Text(t) => t.as_str(),
                Span::Unit { name, .. } => name.as_str(),
            })
            .collect()
    }
}

/// A filter of the page: which attribute it reads and its choices (value, label).
pub struct Filter {
    pub key: &'static str,
    pub label: &'static str,
    pub options: Vec<(String, String)>,
}

/// The attributes a row (or a unit page) is filtered by; `None` matches every choice.
#[derive(Clone, Default)]
pub struct Attrs {
    pub district: Option<String>,
    pub year: Option<String>,
    pub evaluator: Option<String>,
    pub scope: Option<String>,
}

pub struct Table {
    pub id: String,
    pub caption: String,
    pub note: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Rows in the whole table (more than `rows` when only the first are shown).
    pub total_rows: usize,
}

pub struct Column {
    pub label: String,
    /// The contract's column name, shown as a tooltip (empty for the report's own columns).
    pub key: String,
}

pub struct Row {
    pub cells: Vec<Cell>,
    pub attrs: Attrs,
    /// Emphasised (below 80% execution, a lenient evaluator, …).
    pub flagged: bool,
}

#[derive(Default)]
pub struct Cell {
    pub text: String,
    /// An anchor in the page (a unit's page).
    pub link: Option<String>,
    /// A bar drawn under the value.
    pub bar: Option<Bar>,
    /// Long text that wraps (reasons, evidence).
    pub wrap: bool,
}

/// A bar under a value: its length in percent of the cell, and whether the value falls short
/// of its comparison (drawn red).
pub struct Bar {
    pub width: String,
    pub short: bool,
}

impl Bar {
    pub fn new(width: f64, short: bool) -> Bar {
        Bar {
            width: format!("{:.1}", width.clamp(0.0, 100.0)),
            short,
        }
    }
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            ..Cell::default()
        }
    }
}

/// A chart: inline SVG for the page and print (vector), PNG for the Word file.
pub struct Figure {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
    pub size: (u32, u32),
    /// Nothing to draw: the page says why in one line instead of showing an empty panel.
    pub missing: Option<String>,
}

impl Figure {
    pub fn from_rendered(id: String, r: &Rendered) -> Figure {
        Figure {
            id,
            title: r.title.to_string(),
            svg: fit_svg(&r.svg),
            png: r.png.clone(),
            size: r.size,
            missing: r.missing.clone(),
        }
    }
}

/// A chart that fits the width of the page: the fixed width and height of the SVG root
/// give way to its viewBox, so the browser (and the printer) scale it to the column.
pub fn fit_svg(svg: &str) -> String {
    let svg = match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    };
    let Some(end) = svg.find('>') else {
        return svg.to_string();
    };
    let (head, rest) = svg.split_at(end);
    let mut h = String::with_capacity(head.len() + 48);
    for part in head.split(' ') {
        if part.starts_with("width=") || part.starts_with("height=") {
            continue;
        }
        if !h.is_empty() {
            h.push(' ');
        }
        h.push_str(part);
    }
    h.push_str(" class=\"chart\" preserveAspectRatio=\"xMinYMin meet\"");
    h + rest
}

/// 单位画像: one unit's page.
pub struct UnitPage {
    /// `unit-<unit_id>`: the page's address in the report.
    pub anchor: String,
    pub unit_id: String,
    pub name: String,
    pub full_name: String,
    pub district: String,
    pub kind: String,
    pub attrs: Attrs,
    /// Three to five sentences: where the unit stands.
    pub summary: Vec<String>,
    pub figure: Option<Figure>,
    pub scores: Table,
    pub execution: Table,
    pub level1: Table,
    pub causes: Table,
    pub gap: Table,
    /// The re-check list's reasons for this unit's self-evaluations (自评抽查复核).
    pub review: Table,
}

/// The re-check part (自评抽查复核).
pub struct ReviewPart {
    pub sentences: Vec<String>,
    pub chart_svg: String,
    pub table: Table,
}
