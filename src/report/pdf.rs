//! The PDF: the page printed by a headless Chromium-family browser (`--print-to-pdf`), the one
//! the tests already install (scripts/test.sh: Debian's chromium). Printing the page itself
//! keeps one layout (the print style sheet: A4, a page per unit, charts as vector SVG) and
//! needs no PDF layout engine of jixiao's own; a pure-Rust PDF writer would have to lay out
//! Chinese text, tables and SVG again.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{JxError, Result};

/// The browser: `JIXIAO_BROWSER`, else the first of chromium, chromium-browser,
/// google-chrome, google-chrome-stable, chrome on the PATH.
pub fn browser() -> Option<PathBuf> {
    if let Some(b) = std::env::var_os("JIXIAO_BROWSER").filter(|b| !b.is_empty()) {
        return Some(PathBuf::from(b));
    }
    let path = std::env::var_os("PATH")?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
        "chrome",
    ] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The flags every headless run takes: no sandbox (root in CI), no GPU, nothing from the
/// network, a profile of its own so that runs do not share state.
pub fn headless_flags(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

/// Print `html` to `pdf` (A4, from the page's print style sheet, no header or footer lines).
pub fn print(html: &Path, pdf: &Path) -> Result<()> {
    let Some(b) = browser() else {
        return Err(JxError::output(format!(
            "{}: --format pdf prints the report with a headless Chromium-family browser and none \
was found (chromium, chromium-browser, google-chrome on the PATH, or JIXIAO_BROWSER=/path/to/it); \
scripts/test.sh installs Debian's chromium. {} was written: open it in any browser and print \
it on A4 (its print style sheet starts each unit on a new page) to get the same PDF.",
            pdf.display(),
            html.display()
        )));
    };
    let html = std::fs::canonicalize(html)
        .map_err(|e| JxError::output(format!("{}: {e}", html.display())))?;
    let profile = std::env::temp_dir().join(format!("jixiao-print-{}", std::process::id()));
    // Written beside the target and renamed, so a failed print leaves no half file.
    let tmp = pdf.with_extension("pdf.part");
    let out = Command::new(&b)
        .args(headless_flags(&profile))
        .args([
            "--no-pdf-header-footer",
            "--virtual-time-budget=10000",
            &format!("--print-to-pdf={}", tmp.display()),
            &format!("file://{}", html.display()),
        ])
        .output()
        .map_err(|e| {
            JxError::output(format!(
                "{}: cannot run {}: {e}",
                pdf.display(),
                b.display()
            ))
        });
    let _ = std::fs::remove_dir_all(&profile);
    let out = out?;
    let ok = tmp.metadata().map(|m| m.len() > 0).unwrap_or(false);
    if !out.status.success() || !ok {
        let _ = std::fs::remove_file(&tmp);
        return Err(JxError::output(format!(
            "{}: {} could not print the report: {}",
            pdf.display(),
            b.display(),
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .filter(|l| !l.contains("dbus"))
                .last()
                .unwrap_or("no message")
        )));
    }
    std::fs::rename(&tmp, pdf).map_err(|e| JxError::output(format!("{}: {e}", pdf.display())))
}
