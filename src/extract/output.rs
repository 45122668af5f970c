//! Writing what was extracted: the three contract tables, audit.csv and manifest.csv.

use std::path::{Path, PathBuf};

use crate::dataset::decimal::fmt_opt;
use crate::dataset::write::{ensure_dir, write_atomic};
use crate::error::{JxError, Result};

use super::Extracted;

fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let e = |x: csv::Error| JxError::internal(x.to_string());
    w.write_record(header).map_err(e)?;
    for r in rows {
        w.write_record(&r).map_err(e)?;
    }
    w.into_inner().map_err(|x| JxError::internal(x.to_string()))
}

fn o(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

pub fn write(ex: &Extracted, dir: &Path) -> Result<Vec<PathBuf>> {
    ensure_dir(dir)?;
    let mut written = Vec::new();
    let mut put = |name: &str, bytes: Vec<u8>| -> Result<()> {
        let p = dir.join(name);
        write_atomic(&p, &bytes)?;
        written.push(p);
        Ok(())
    };
    put(
        "units.csv",
        csv_bytes(
            &crate::dataset::schema::UNITS.names(),
            ex.units
                .iter()
                .map(|u| {
                    vec![
                        u.unit_id.clone(),
                        u.unit_name.clone(),
                        u.short_name.clone(),
                        o(&u.province),
                        o(&u.city),
                        o(&u.district),
                        u.unit_type.clone(),
                    ]
                })
                .collect(),
        )?,
    )?;
    // Columns outside the contract (workbook imports) follow the contract's, in first-seen order.
    let mut extra_names: Vec<String> = Vec::new();
    for e in &ex.evaluations {
        for (k, _) in &e.extras {
            if !extra_names.contains(k) {
                extra_names.push(k.clone());
            }
        }
    }
    let mut eval_header: Vec<&str> = crate::dataset::schema::EVALUATIONS.names();
    eval_header.extend(extra_names.iter().map(|s| s.as_str()));
    put(
        "evaluations.csv",
        csv_bytes(
            &eval_header,
            ex.evaluations
                .iter()
                .map(|e| {
                    let mut row = vec![
                        e.eval_id.clone(),
                        e.unit_id.clone(),
                        e.fiscal_year.map(|y| y.to_string()).unwrap_or_default(),
                        e.scope.to_string(),
                        o(&e.project_name),
                        e.evaluator_type.to_string(),
                        o(&e.evaluator),
                        crate::dataset::decimal::fmt(e.max_score),
                        fmt_opt(e.total_score),
                        o(&e.grade),
                        fmt_opt(e.budget_initial),
                        fmt_opt(e.budget_full_year),
                        fmt_opt(e.executed),
                        fmt_opt(e.execution_rate_stated),
                        e.source.clone(),
                    ];
                    for name in &extra_names {
                        row.push(
                            e.extras
                                .iter()
                                .find(|(k, _)| k == name)
                                .map(|(_, v)| v.clone())
                                .unwrap_or_default(),
                        );
                    }
                    row
                })
                .collect(),
        )?,
    )?;
    let file_of = |src: &str| {
        src.rsplit_once(':')
            .map(|x| x.0.to_string())
            .unwrap_or_default()
    };
    put(
        "indicators.csv",
        csv_bytes(
            &crate::dataset::schema::INDICATORS.names(),
            ex.evaluations
                .iter()
                .flat_map(|e| {
                    let file = file_of(&e.source);
                    e.indicators
                        .iter()
                        .filter(|i| i.max_points.is_some())
                        .map(move |i| {
                            // The contract needs a 一级指标: where the source states none,
                            // the generic one (the audit says so), never a lower level's name.
                            let l1 = i.levels[0]
                                .clone()
                                .unwrap_or_else(|| super::forms::stream::FLAT_LEVEL1.to_string());
                            vec![
                                e.eval_id.clone(),
                                l1,
                                o(&i.levels[1]),
                                o(&i.levels[2]),
                                o(&i.levels[3]),
                                fmt_opt(i.max_points),
                                fmt_opt(i.score),
                                o(&i.target_value),
                                o(&i.actual_value),
                                o(&i.reason),
                                i.source
                                    .clone()
                                    .unwrap_or_else(|| format!("{file}:{}", i.line + 1)),
                            ]
                        })
                })
                .collect(),
        )?,
    )?;
    put(
        "audit.csv",
        csv_bytes(
            &[
                "source", "eval_id", "check", "stated", "computed", "message",
            ],
            ex.audit
                .iter()
                .map(|a| {
                    vec![
                        a.source.clone(),
                        a.eval_id.clone(),
                        a.check.clone(),
                        a.stated.clone(),
                        a.computed.clone(),
                        a.message.clone(),
                    ]
                })
                .collect(),
        )?,
    )?;
    put(
        "manifest.csv",
        csv_bytes(
            &[
                "file",
                "encoding",
                "bytes",
                "status",
                "evaluations",
                "indicators",
                "note",
                "reader",
                "pages",
                "tables",
            ],
            ex.manifest
                .iter()
                .map(|m| {
                    vec![
                        m.file.clone(),
                        m.encoding.clone(),
                        m.bytes.to_string(),
                        m.status.to_string(),
                        m.evaluations.to_string(),
                        m.indicators.to_string(),
                        m.note.clone(),
                        m.reader.to_string(),
                        m.pages.map(|p| p.to_string()).unwrap_or_default(),
                        m.tables.to_string(),
                    ]
                })
                .collect(),
        )?,
    )?;
    Ok(written)
}

/// Each file's text layer as the recognisers read it, for a user asking why a report was read
/// as it was: `NAME.layer.txt`, every line led by its place in the file.
pub fn write_text_layers(files: &[PathBuf], dir: &Path) -> Result<()> {
    ensure_dir(dir)?;
    for path in files {
        let name = path
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|b| super::readers::read(path, &name, &b).map_err(|r| r.reason))
        {
            Ok(doc) => {
                let layer = doc.text_layer();
                let mut s = String::new();
                for (i, l) in layer.lines.iter().enumerate() {
                    s.push_str(&layer.source(&name, i));
                    s.push('\t');
                    s.push_str(l);
                    s.push('\n');
                }
                s
            }
            Err(why) => format!("{name}: not read: {why}\n"),
        };
        write_atomic(&dir.join(format!("{name}.layer.txt")), text.as_bytes())?;
    }
    Ok(())
}
