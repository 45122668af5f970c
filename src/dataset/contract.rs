//! The contract's rows as Rust records: what the extractor and the workbook importer make
//! and `extract::output` writes as the dataset's tables (units, evaluations, indicators) with
//! the extraction's own (audit, manifest). The typed tables the loader reads back are
//! `load::Dataset`'s frames; the columns of both are `schema`'s.

use rust_decimal::Decimal;

/// A row of units: the organisation evaluated.
#[derive(Debug, Clone, Default)]
pub struct UnitRec {
    pub unit_id: String,
    pub unit_name: String,
    pub short_name: String,
    pub province: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub unit_type: String,
}

/// A row of evaluations, with its indicator rows and what the extraction audit needs.
#[derive(Debug, Clone, Default)]
pub struct EvalRec {
    pub eval_id: String,
    pub unit_id: String,
    pub fiscal_year: Option<i32>,
    pub scope: &'static str,
    pub project_name: Option<String>,
    pub evaluator_type: &'static str,
    pub evaluator: Option<String>,
    pub max_score: Decimal,
    pub total_score: Option<Decimal>,
    pub grade: Option<String>,
    pub budget_initial: Option<Decimal>,
    pub budget_full_year: Option<Decimal>,
    pub executed: Option<Decimal>,
    pub execution_rate_stated: Option<Decimal>,
    pub source: String,
    pub indicators: Vec<Indicator>,
    /// level-1 (and level-2) subtotals the report states: (level, name, max?, score?, line)
    pub stated_subtotals: Vec<(usize, String, Option<Decimal>, Option<Decimal>, usize)>,
    /// Columns outside the contract, kept as they were (workbook imports).
    pub extras: Vec<(String, String)>,
    /// Parts of the full-year budget a table states (label, amount, line), for the audit.
    pub budget_parts: Vec<(String, Decimal, usize)>,
}

/// A row of manifest.csv: one input file, how it was read and what it gave.
#[derive(Debug, Clone)]
pub struct ManifestRow {
    pub file: String,
    pub encoding: String,
    pub bytes: u64,
    pub status: &'static str,
    pub evaluations: usize,
    pub indicators: usize,
    pub note: String,
    /// The reader that read it (`text`, `docx`, `pdf`), empty when none could.
    pub reader: &'static str,
    pub pages: Option<usize>,
    pub tables: usize,
}

/// A row of indicators (its evaluation is the `EvalRec` holding it).
#[derive(Debug, Clone, Default)]
pub struct Indicator {
    pub levels: [Option<String>; 4],
    pub max_points: Option<Decimal>,
    pub score: Option<Decimal>,
    pub target_value: Option<String>,
    pub actual_value: Option<String>,
    pub reason: Option<String>,
    /// 0-based line index in the file
    pub line: usize,
    /// An explicit FILE:LINE (imports); None means the evaluation's file and `line`.
    pub source: Option<String>,
}

/// A row of audit.csv: an inconsistency in a report's own numbers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditRow {
    pub source: String,
    pub eval_id: String,
    pub check: String,
    pub stated: String,
    pub computed: String,
    pub message: String,
}

/// Everything extracted from a set of files.
#[derive(Debug, Default)]
pub struct Extracted {
    pub units: Vec<UnitRec>,
    pub evaluations: Vec<EvalRec>,
    pub audit: Vec<AuditRow>,
    pub manifest: Vec<ManifestRow>,
}
