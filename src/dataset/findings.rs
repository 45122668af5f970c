//! Findings: what validate (and the loader) report about a dataset, one per problem,
//! written to `findings.csv` (severity, table, key, row, check, message).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops `bench`: the dataset cannot be trusted until it is fixed.
    Error,
    /// Reported; benchmarks still run (the reports' own inconsistencies are warnings).
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// units, evaluations, indicators or grading
    pub table: String,
    /// the record's key (unit_id, eval_id) where it has one
    pub key: String,
    /// row in the file: header is row 1, the first record row 2; 0 when not tied to a row
    pub row: u64,
    /// short machine name of the check, e.g. `score_above_max`
    pub check: String,
    pub message: String,
}

impl Finding {
    pub fn new(
        severity: Severity,
        table: &str,
        key: impl Into<String>,
        row: u64,
        check: &str,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            severity,
            table: table.to_string(),
            key: key.into(),
            row,
            check: check.to_string(),
            message: message.into(),
        }
    }
}

/// Whether the finding is about a row set aside (not read), rather than a row read with
/// errors (`csv_rows::SET_ASIDE_CHECKS`).
pub fn is_set_aside(f: &Finding) -> bool {
    super::csv_rows::SET_ASIDE_CHECKS.contains(&f.check.as_str())
}

pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

/// Stable order: by table, row, check — so re-runs write byte-identical files.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            a.table.as_str(),
            a.row,
            a.check.as_str(),
            a.key.as_str(),
            a.message.as_str(),
        )
            .cmp(&(
                b.table.as_str(),
                b.row,
                b.check.as_str(),
                b.key.as_str(),
                b.message.as_str(),
            ))
    });
}

/// The columns of findings.csv.
pub const HEADER: &[&str] = &["severity", "table", "key", "row", "check", "message"];

/// Findings as a frame (for the workbook).
pub fn frame(findings: &[Finding]) -> crate::error::Result<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let s = |f: fn(&Finding) -> String| findings.iter().map(f).collect::<Vec<_>>();
    Ok(DataFrame::new_infer_height(vec![
        Column::new("severity".into(), s(|f| f.severity.as_str().to_string())),
        Column::new("table".into(), s(|f| f.table.clone())),
        Column::new("key".into(), s(|f| f.key.clone())),
        Column::new(
            "row".into(),
            findings.iter().map(|f| f.row).collect::<Vec<_>>(),
        ),
        Column::new("check".into(), s(|f| f.check.clone())),
        Column::new("message".into(), s(|f| f.message.clone())),
    ])?)
}

/// " (the first: ...)" naming the first error's place, for the one-line error a command ends
/// with (printed even with --quiet); `set_aside`: the first row set aside, else the first
/// error in a row that was read.
pub fn first_error(findings: &[Finding], set_aside: bool) -> String {
    findings
        .iter()
        .find(|f| f.severity == Severity::Error && is_set_aside(f) == set_aside)
        .map(|f| format!(" (the first: {})", located(f)))
        .unwrap_or_default()
}

/// A finding's message with its table and row in front, unless the message names them, on
/// one line: control characters a damaged cell brought in (a CR, a line break, a tab) are
/// shown escaped, so they cannot break the line or overwrite it on a terminal.
pub fn located(f: &Finding) -> String {
    let named = f.message.contains(&format!("row {}", f.row))
        || f.message.contains("line ")
        || f.message.contains("row group ");
    let text = if f.row == 0 || named {
        format!("{} {}", f.table, f.message)
    } else {
        format!("{} row {}: {}", f.table, f.row, f.message)
    };
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        text
    }
}
