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
