//! Where the pipeline's results go: findings.csv (and findings.xlsx), the benchmark tables
//! (`BenchTables::write`, `write_partitioned`) and the deduction detail streamed batch by
//! batch (`bench::detail_sink`).

use std::path::{Path, PathBuf};

use crate::dataset::findings::{self, Finding};
use crate::dataset::write::{ensure_dir, serde_csv_bytes, write_atomic};
use crate::error::Result;

/// findings.csv in `dir` (made if need be); returns its path.
pub fn write_findings(dir: &Path, findings: &[Finding]) -> Result<PathBuf> {
    ensure_dir(dir)?;
    let p = dir.join("findings.csv");
    write_atomic(&p, &serde_csv_bytes(findings, findings::HEADER)?)?;
    Ok(p)
}

/// findings.xlsx in `dir`, for people who work in Excel.
pub fn write_findings_xlsx(dir: &Path, findings: &[Finding]) -> Result<PathBuf> {
    let p = dir.join("findings.xlsx");
    crate::excel::write::write_workbook(&p, &[("findings", &findings::frame(findings)?)])?;
    Ok(p)
}
