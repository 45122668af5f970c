//! A bad row is not a bad file (issue #23): each kind of structural damage to one row of the
//! committed synthetic panel is reported with its line (or row group) and what was expected,
//! the row is set aside and counted, and every other row is benched: the tables equal those of
//! the same panel with the damaged row deleted by hand (the planted truth). `--strict` refuses
//! the dataset instead, naming the same line. A short mutation run ends the file.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn synthetic() -> PathBuf {
    repo().join("datasets/synthetic")
}

/// A copy of the synthetic panel named `name`, with `table`.csv replaced by `bytes`.
fn panel_with(name: &str, table: &str, bytes: &[u8]) -> PathBuf {
    let d = tmpdir(name);
    for t in ["units.csv", "evaluations.csv", "indicators.csv"] {
        std::fs::copy(synthetic().join(t), d.join(t)).unwrap();
    }
    std::fs::write(d.join(format!("{table}.csv")), bytes).unwrap();
    d
}

fn lines(table: &str) -> Vec<Vec<u8>> {
    let b = std::fs::read(synthetic().join(format!("{table}.csv"))).unwrap();
    let mut v: Vec<Vec<u8>> = b.split(|c| *c == b'\n').map(|l| l.to_vec()).collect();
    if v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    out
}

/// The table without these lines (1-based line numbers): the truth a damaged copy is
/// benched against.
fn without(table: &str, drop: &[usize]) -> Vec<u8> {
    let kept: Vec<Vec<u8>> = lines(table)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !drop.contains(&(i + 1)))
        .map(|(_, l)| l)
        .collect();
    join(&kept)
}

fn run(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().unwrap()
}

fn bench(d: &Path, extra: &[&str]) -> Output {
    let out = d.join("out");
    let mut args = vec!["bench", d.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Every table the two runs wrote is the same (summary.json: but for `rows_set_aside`).
fn same_tables(damaged: &Path, truth: &Path) {
    let mut names: Vec<_> = std::fs::read_dir(truth)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != "findings.csv")
        .collect();
    names.sort();
    assert!(names.len() >= 11, "{names:?}");
    for n in names {
        let (a, b) = (
            std::fs::read(damaged.join(&n)).unwrap(),
            std::fs::read(truth.join(&n)).unwrap(),
        );
        if n == "summary.json" {
            let mut a: serde_json::Value = serde_json::from_slice(&a).unwrap();
            let mut b: serde_json::Value = serde_json::from_slice(&b).unwrap();
            assert!(a.get("rows_set_aside").is_some(), "summary.json says so");
            let (a, b) = (a.as_object_mut().unwrap(), b.as_object_mut().unwrap());
            a.remove("rows_set_aside");
            b.remove("rows_set_aside");
            // The dataset's folder differs.
            a.remove("dataset");
            b.remove("dataset");
            for (k, v) in a.iter() {
                assert!(
                    b.get(k) == Some(v),
                    "summary.json, {k}: {v} vs {:?}",
                    b.get(k)
                );
            }
            assert_eq!(a.len(), b.len(), "summary.json");
        } else {
            assert!(a == b, "{n} differs from the truth");
        }
    }
}

/// Bench the damaged panel and the truth; the damaged run writes its tables and exits 1
/// (rows set aside), the truth runs clean of errors; the tables agree; returns the damaged
/// run's findings that set rows aside, and its stderr.
fn set_aside_and_benched(
    name: &str,
    table: &str,
    damaged: &[u8],
    truth_tables: &[(&str, Vec<u8>)],
) -> (Vec<std::collections::HashMap<String, String>>, String) {
    let d = panel_with(name, table, damaged);
    let o = bench(&d, &[]);
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(o.status.code(), Some(1), "{err}");
    let t = panel_with(
        &format!("{name}-truth"),
        table,
        &std::fs::read(synthetic().join(format!("{table}.csv"))).unwrap(),
    );
    for (tab, bytes) in truth_tables {
        std::fs::write(t.join(format!("{tab}.csv")), bytes).unwrap();
    }
    let ot = bench(&t, &[]);
    assert_eq!(ot.status.code(), Some(0), "truth: {}", stderr(&ot));
    same_tables(&d.join("out"), &t.join("out"));
    let f: Vec<_> = read_csv(&d.join("out/findings.csv"))
        .into_iter()
        .filter(|r| r["severity"] == "error")
        .collect();
    // No error but the rows set aside (else bench would have refused).
    assert!(!f.is_empty());
    (f, err)
}

/// The row counts validate reports add up, and say how many rows were set aside.
fn counts_add_up(d: &Path, table: &str, set_aside: Option<usize>) {
    let o = run(&[
        "validate",
        d.to_str().unwrap(),
        "--out",
        d.join("v").to_str().unwrap(),
        "--json",
        "-q",
    ]);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for t in j["tables"].as_array().unwrap() {
        let n = |k: &str| t[k].as_u64().unwrap();
        assert_eq!(
            n("rows"),
            n("rows_clean")
                + n("rows_with_warnings_only")
                + n("rows_with_errors")
                + n("rows_set_aside"),
            "{t}"
        );
        if let Some(set_aside) = set_aside.filter(|_| t["table"] == table) {
            assert_eq!(n("rows_set_aside") as usize, set_aside, "{t}");
        }
    }
}

/// --strict refuses, exit 3, naming the file and the same line.
fn strict_refuses(d: &Path, says: &[&str]) {
    let o = bench(d, &["--strict"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{e}");
    for s in says {
        assert!(e.contains(s), "{s:?} not in {e}");
    }
    assert!(e.contains("--strict"), "{e}");
}

#[test]
fn ragged_row() {
    let mut l = lines("indicators");
    l[40].extend_from_slice(b",x,y"); // line 41
    let (f, err) = set_aside_and_benched(
        "br-ragged",
        "indicators",
        &join(&l),
        &[("indicators", without("indicators", &[41]))],
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0]["check"].as_str(), f[0]["row"].as_str()),
        ("ragged_row", "41")
    );
    assert!(
        f[0]["message"].contains("line 41: 13 fields where the header (line 1) has 11"),
        "{}",
        f[0]["message"]
    );
    // The key names the evaluation; the one-line error at the end names the line too.
    assert!(f[0]["key"].starts_with("syn-"), "{f:?}");
    assert!(err.lines().last().unwrap().contains("line 41"), "{err}");
    assert!(!err.contains("truncate_ragged_lines"), "{err}");
    let d = panel_with("br-ragged-strict", "indicators", &join(&l));
    strict_refuses(&d, &["indicators.csv: line 41", "13 fields"]);
    counts_add_up(&d, "indicators", Some(1));
}

#[test]
fn short_row_is_not_padded() {
    // A row cut short used to be read with its missing cells blank.
    let mut l = lines("indicators");
    let cut = l[99].iter().rposition(|c| *c == b',').unwrap();
    let cut = l[99][..cut].iter().rposition(|c| *c == b',').unwrap();
    l[99].truncate(cut); // line 100 loses its last two cells
    let (f, _) = set_aside_and_benched(
        "br-short",
        "indicators",
        &join(&l),
        &[("indicators", without("indicators", &[100]))],
    );
    assert_eq!(f[0]["row"], "100");
    assert!(
        f[0]["message"].contains("9 fields where the header (line 1) has 11"),
        "{f:?}"
    );
}

#[test]
fn extra_quote_sets_aside_the_line_it_opened_on() {
    let mut l = lines("indicators");
    // Line 301: a quote opens its level3 cell and never closes; before, it swallowed every
    // line to the end of the file into one cell (or refused the file).
    let at = l[300]
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == b',')
        .nth(2)
        .unwrap()
        .0
        + 1;
    l[300].insert(at, b'"');
    let (f, _) = set_aside_and_benched(
        "br-quote",
        "indicators",
        &join(&l),
        &[("indicators", without("indicators", &[301]))],
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["check"], "unclosed_quote");
    assert_eq!(f[0]["row"], "301");
    let m = &f[0]["message"];
    assert!(m.contains("line 301, column level3"), "{m}");
    assert!(m.contains("from line 302"), "{m}");
    strict_refuses(
        &panel_with("br-quote-strict", "indicators", &join(&l)),
        &["indicators.csv: line 301", "never closes"],
    );
}

#[test]
fn invalid_byte_in_utf8() {
    let mut l = lines("indicators");
    let at = l[2000].len() - 3;
    l[2000].insert(at, 0xFF); // line 2001, in its last cell
    let (f, err) = set_aside_and_benched(
        "br-byte",
        "indicators",
        &join(&l),
        &[("indicators", without("indicators", &[2001]))],
    );
    assert_eq!(f.len(), 1, "{f:?}");
    let m = &f[0]["message"];
    assert_eq!(f[0]["check"], "invalid_bytes");
    assert!(m.contains("line 2001, column source"), "{m}");
    assert!(
        m.contains(
            "the bytes FF are not valid UTF-8, the encoding the rest of the file is read in"
        ),
        "{m}"
    );
    assert!(!err.contains("GB18030"), "the file is UTF-8: {err}");
    let d = panel_with("br-byte-strict", "indicators", &join(&l));
    strict_refuses(&d, &["line 2001", "FF"]);
    let o = run(&[
        "validate",
        d.to_str().unwrap(),
        "--out",
        d.join("v").to_str().unwrap(),
        "--json",
        "-q",
    ]);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["tables"][2]["encoding"], "UTF-8");
}

#[test]
fn truncated_file() {
    let mut l = lines("indicators");
    let n = l.len();
    let last = l.pop().unwrap();
    let mut bytes = join(&l);
    bytes.extend_from_slice(&last[..last.len() / 2]); // cut mid-row, no line break
    let (f, _) = set_aside_and_benched(
        "br-trunc",
        "indicators",
        &bytes,
        &[("indicators", without("indicators", &[n]))],
    );
    assert_eq!(f[0]["row"], n.to_string());
    assert!(f[0]["message"].contains(&format!("line {n}:")), "{f:?}");
    assert!(f[0]["message"].contains("truncated"), "{f:?}");
}

#[test]
fn bom_in_the_middle() {
    let mut l = lines("indicators");
    l[777].splice(5..5, [0xEF, 0xBB, 0xBF]); // line 778, inside its eval_id
    let (f, _) = set_aside_and_benched(
        "br-bom",
        "indicators",
        &join(&l),
        &[("indicators", without("indicators", &[778]))],
    );
    assert_eq!(f[0]["check"], "byte_order_mark");
    assert!(
        f[0]["message"].contains("line 778, column eval_id (character 6)"),
        "{f:?}"
    );
    // The key still names the evaluation (the mark is left out of it).
    assert!(lines("indicators")[777].starts_with(f[0]["key"].as_bytes()));
}

#[test]
fn nul_bytes() {
    let mut l = lines("indicators");
    let n = l[1499].len();
    l[1499][n - 6..].fill(0); // line 1500 ends in a hole of zeros
                              // And a hole across a line break: lines 3001 and 3002 become one broken record.
    let mut bytes = join(&l);
    let start: usize = l[..3000].iter().map(|x| x.len() + 1).sum();
    let hole = start + l[3000].len() - 4;
    bytes[hole..hole + 10].fill(0);
    let (f, _) = set_aside_and_benched(
        "br-nul",
        "indicators",
        &bytes,
        &[("indicators", without("indicators", &[1500, 3001, 3002]))],
    );
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(
        (f[0]["check"].as_str(), f[0]["row"].as_str()),
        ("nul_bytes", "1500")
    );
    assert!(f[0]["message"].contains("line 1500"), "{f:?}");
    assert!(f[1]["message"].contains("line 3001"), "{f:?}");
}

/// An evaluation whose row is broken is set aside, and its indicator rows with it (instead
/// of each becoming a dangling-key error that stops bench).
#[test]
fn broken_evaluation_takes_its_indicators_along() {
    let mut ev = lines("evaluations");
    let eval_id = String::from_utf8(ev[9].split(|c| *c == b',').next().unwrap().to_vec()).unwrap();
    ev[9].insert(3, 0xFE); // line 10, inside its eval_id
    let ind = lines("indicators");
    let orphans: Vec<usize> = ind
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with(format!("{eval_id},").as_bytes()))
        .map(|(i, _)| i + 1)
        .collect();
    assert!(!orphans.is_empty());
    let (f, _) = set_aside_and_benched(
        "br-cascade",
        "evaluations",
        &join(&ev),
        &[
            ("evaluations", without("evaluations", &[10])),
            ("indicators", without("indicators", &orphans)),
        ],
    );
    assert_eq!(f.len(), 1 + orphans.len(), "{f:?}");
    assert!(f
        .iter()
        .any(|r| r["check"] == "invalid_bytes" && r["key"] == eval_id));
    let cascaded: Vec<_> = f
        .iter()
        .filter(|r| r["check"] == "parent_set_aside")
        .collect();
    assert_eq!(cascaded.len(), orphans.len());
    assert_eq!(cascaded[0]["row"], orphans[0].to_string());
    assert!(
        cascaded[0]["message"].contains("evaluations row 10"),
        "{:?}",
        cascaded[0]
    );
    counts_add_up(
        &panel_with("br-cascade-counts", "evaluations", &join(&ev)),
        "indicators",
        Some(orphans.len()),
    );
}

/// A GBK file with one damaged byte is still read as GB18030 (its Chinese text is not
/// thrown away as invalid UTF-8) and the byte is reported; --encoding overrides the choice.
#[test]
fn gbk_with_a_damaged_byte_and_forced_encoding() {
    let gbk = |b: &[u8]| {
        encoding_rs::GBK
            .encode(std::str::from_utf8(b).unwrap())
            .0
            .into_owned()
    };
    let mut ind = gbk(&std::fs::read(synthetic().join("indicators.csv")).unwrap());
    // Line 51's first cell gets a byte no GB18030 character starts with.
    let start = ind
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == b'\n')
        .nth(49)
        .unwrap()
        .0
        + 1;
    ind.insert(start + 4, 0xFF);
    let d = panel_with("br-gbk", "indicators", &ind);
    let t = panel_with(
        "br-gbk-truth",
        "indicators",
        &gbk(&without("indicators", &[51])),
    );
    for dir in [&d, &t] {
        for tab in ["units", "evaluations"] {
            let p = dir.join(format!("{tab}.csv"));
            std::fs::write(&p, gbk(&std::fs::read(&p).unwrap())).unwrap();
        }
    }
    let o = bench(&d, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(bench(&t, &[]).status.code(), Some(0));
    same_tables(&d.join("out"), &t.join("out"));
    let f: Vec<_> = read_csv(&d.join("out/findings.csv"))
        .into_iter()
        .filter(|r| r["severity"] == "error")
        .collect();
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0]["message"]
            .contains("line 51, column eval_id (character 5): the bytes FF are not valid GB18030"),
        "{f:?}"
    );
    let validate = |enc: &[&str]| -> serde_json::Value {
        let v = d.join("v");
        let mut args = vec![
            "validate",
            d.to_str().unwrap(),
            "--out",
            v.to_str().unwrap(),
        ];
        args.extend_from_slice(enc);
        args.extend_from_slice(&["--json", "-q"]);
        serde_json::from_slice(&run(&args).stdout).unwrap()
    };
    let j = validate(&[]);
    assert_eq!(j["tables"][2]["encoding"], "GB18030");
    assert_eq!(j["tables"][2]["rows_set_aside"], 1);
    // Forced to UTF-8, every row with Chinese text is invalid: set aside, each named.
    let j = validate(&["--encoding", "utf-8"]);
    assert_eq!(j["tables"][0]["encoding"], "UTF-8");
    assert_eq!(j["tables"][0]["rows_set_aside"], 24);
    let j = validate(&["--encoding", "gbk"]);
    assert_eq!(j["tables"][2]["encoding"], "GB18030");
    assert_eq!(j["tables"][2]["rows_set_aside"], 1);
}

/// A CSV read in chunks (as files over 64 MB are) reports the same rows at the same lines,
/// and benches the same rows, as one read whole.
#[test]
fn chunks_report_the_same_lines() {
    let mut l = lines("indicators");
    l[10].extend_from_slice(b",x");
    l[2500].insert(0, b'"');
    l[4000].insert(7, 0xFF);
    let n = l.len();
    l[n - 1].truncate(8);
    let d = panel_with("br-chunks", "indicators", &join(&l));
    let whole = bench(&d, &["-q"]);
    assert_eq!(whole.status.code(), Some(1), "{}", stderr(&whole));
    let out = d.join("out-chunks");
    let chunked = Command::new(bin())
        .args([
            "bench",
            d.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
            "--batch-rows",
            "700",
        ])
        .env("JIXIAO_CSV_CHUNK_BYTES", "40000")
        .output()
        .unwrap();
    assert_eq!(chunked.status.code(), Some(1), "{}", stderr(&chunked));
    let f = std::fs::read(d.join("out/findings.csv")).unwrap();
    assert_eq!(f, std::fs::read(out.join("findings.csv")).unwrap());
    let rows: Vec<_> = read_csv(&d.join("out/findings.csv"))
        .into_iter()
        .filter(|r| r["severity"] == "error")
        .map(|r| r["row"].clone())
        .collect();
    assert_eq!(rows, ["11", "2501", "4001", n.to_string().as_str()]);
    same_tables(&out, &d.join("out"));
}

/// A Parquet file with a damaged row group: the group is named with its records and set
/// aside; the other groups are benched.
#[test]
fn corrupt_parquet_row_group() {
    use polars::prelude::*;
    let d = tmpdir("br-parquet");
    for t in ["units.csv", "evaluations.csv"] {
        std::fs::copy(synthetic().join(t), d.join(t)).unwrap();
    }
    let mut df = CsvReadOptions::default()
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(synthetic().join("indicators.csv")))
        .unwrap()
        .finish()
        .unwrap();
    let path = d.join("indicators.parquet");
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .with_row_group_size(Some(1000))
        .finish(&mut df)
        .unwrap();
    let meta = ParquetReader::new(std::fs::File::open(&path).unwrap())
        .get_metadata()
        .unwrap()
        .clone();
    let groups = meta.row_groups.len();
    assert!(groups >= 5);
    // Group 3 (polars balances the groups' sizes): its bytes overwritten from the start of
    // its first page.
    let first = meta.row_groups[0].num_rows() + meta.row_groups[1].num_rows();
    let n = meta.row_groups[2].num_rows();
    let range = meta.row_groups[2].full_byte_range();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[range.start as usize..range.start as usize + 24].fill(0xFF);
    std::fs::write(&path, &bytes).unwrap();
    // The truth: the same table without those records.
    let t = tmpdir("br-parquet-truth");
    for f in ["units.csv", "evaluations.csv"] {
        std::fs::copy(synthetic().join(f), t.join(f)).unwrap();
    }
    let mut kept = df.slice(0, first);
    kept.vstack_mut(&df.slice((first + n) as i64, df.height() - first - n))
        .unwrap();
    ParquetWriter::new(std::fs::File::create(t.join("indicators.parquet")).unwrap())
        .finish(&mut kept)
        .unwrap();
    let o = bench(&d, &[]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    assert_eq!(bench(&t, &[]).status.code(), Some(0));
    same_tables(&d.join("out"), &t.join("out"));
    let f = read_csv(&d.join("out/findings.csv"));
    let g: Vec<_> = f
        .iter()
        .filter(|r| r["check"] == "corrupt_row_group")
        .collect();
    assert_eq!(g.len(), 1, "{f:?}");
    let m = &g[0]["message"];
    let names = format!(
        "indicators.parquet: row group 3 of {groups}, records {}-{}",
        first + 1,
        first + n
    );
    assert!(m.contains(&names), "{m}");
    assert!(m.contains(&format!("Its {n} rows are set aside")), "{m}");
    assert_eq!(g[0]["row"], (first + 2).to_string());
    counts_add_up(&d, "indicators", Some(n));
    strict_refuses(&d, &["indicators.parquet: row group 3 of"]);
}

/// An evaluations row group damaged outside its eval_id column: the group is set aside, and
/// the indicator rows of its evaluations with it (their keys are read from the intact column),
/// so bench still makes its tables from the rest.
#[test]
fn corrupt_evaluations_row_group_takes_its_indicators_along() {
    use polars::prelude::*;
    let read = |t: &str| {
        CsvReadOptions::default()
            .with_infer_schema_length(Some(0))
            .try_into_reader_with_file_path(Some(synthetic().join(t)))
            .unwrap()
            .finish()
            .unwrap()
    };
    let d = tmpdir("br-parquet-evals");
    for t in ["units.csv", "indicators.csv"] {
        std::fs::copy(synthetic().join(t), d.join(t)).unwrap();
    }
    let mut ev = read("evaluations.csv");
    let path = d.join("evaluations.parquet");
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .with_row_group_size(Some(100))
        .finish(&mut ev)
        .unwrap();
    let meta = ParquetReader::new(std::fs::File::open(&path).unwrap())
        .get_metadata()
        .unwrap()
        .clone();
    let first = meta.row_groups[0].num_rows();
    let n = meta.row_groups[1].num_rows();
    // The group's last column (source), not its eval_id.
    let range = meta.row_groups[1]
        .parquet_columns()
        .last()
        .unwrap()
        .byte_range();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[range.start as usize..range.start as usize + 16].fill(0xFF);
    std::fs::write(&path, &bytes).unwrap();
    let lost: Vec<String> = ev
        .column("eval_id")
        .unwrap()
        .str()
        .unwrap()
        .slice(first as i64, n)
        .iter()
        .map(|v| v.unwrap().to_string())
        .collect();
    // The truth: those evaluations and their indicators deleted.
    let t = tmpdir("br-parquet-evals-truth");
    std::fs::copy(synthetic().join("units.csv"), t.join("units.csv")).unwrap();
    let mut kept = ev.slice(0, first);
    kept.vstack_mut(&ev.slice((first + n) as i64, ev.height() - first - n))
        .unwrap();
    ParquetWriter::new(std::fs::File::create(t.join("evaluations.parquet")).unwrap())
        .finish(&mut kept)
        .unwrap();
    let ind = lines("indicators");
    let orphans: Vec<usize> = ind
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let id = String::from_utf8_lossy(l.split(|c| *c == b',').next().unwrap()).to_string();
            lost.contains(&id)
        })
        .map(|(i, _)| i + 1)
        .collect();
    assert!(orphans.len() >= n, "{}", orphans.len());
    std::fs::write(t.join("indicators.csv"), without("indicators", &orphans)).unwrap();
    let o = bench(&d, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(bench(&t, &[]).status.code(), Some(0));
    same_tables(&d.join("out"), &t.join("out"));
    let f = read_csv(&d.join("out/findings.csv"));
    assert_eq!(
        f.iter()
            .filter(|r| r["check"] == "corrupt_row_group")
            .count(),
        1
    );
    assert_eq!(
        f.iter()
            .filter(|r| r["check"] == "parent_set_aside")
            .count(),
        orphans.len()
    );
}

/// Single-file mutations of a small panel (scripts/mutate_panel.py runs hundreds): no run
/// panics, every run that does not succeed says in its last line where the problem is, and
/// the row counts add up. JIXIAO_MUTATIONS sets how many (default 40).
#[test]
fn mutations_never_panic_and_refusals_name_a_line() {
    let n: u64 = std::env::var("JIXIAO_MUTATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let base = tmpdir("br-mutate-base");
    let o = run(&[
        "synth",
        "--out",
        base.to_str().unwrap(),
        "--districts",
        "1",
        "--units",
        "3",
        "-q",
    ]);
    assert!(o.status.success());
    let names_a_line = regex::Regex::new(r"\b(line|lines|row|row group) \d+").unwrap();
    let mut r = jixiao::synth::Rng(0x23);
    let mut outcomes = std::collections::BTreeMap::new();
    for k in 0..n {
        let table = ["units", "evaluations", "indicators", "indicators"][(r.next() % 4) as usize];
        let mut b = std::fs::read(base.join(format!("{table}.csv"))).unwrap();
        let first_break = b.iter().position(|c| *c == b'\n').unwrap() + 1;
        let at = first_break + (r.next() as usize) % (b.len() - first_break);
        match r.next() % 7 {
            0 => b.insert(at, b','),
            1 => b.insert(at, b'"'),
            2 => b.insert(at, 0x80 + (r.next() % 128) as u8),
            3 => b.truncate(at),
            4 => b.splice(at..at, [0xEF, 0xBB, 0xBF]).for_each(drop),
            5 => b.splice(at..at, [0u8; 5]).for_each(drop),
            _ => {
                b.remove(at);
            }
        }
        let d = tmpdir("br-mutate");
        for t in ["units", "evaluations", "indicators"] {
            std::fs::copy(base.join(format!("{t}.csv")), d.join(format!("{t}.csv"))).unwrap();
        }
        std::fs::write(d.join(format!("{table}.csv")), &b).unwrap();
        let o = bench(&d, &["-q"]);
        let e = stderr(&o);
        assert!(!e.contains("panicked"), "mutation {k}: {e}");
        let code = o.status.code().unwrap();
        assert!([0, 1, 3].contains(&code), "mutation {k}: exit {code}: {e}");
        if code != 0 {
            let last = e.lines().last().unwrap_or_default();
            assert!(
                names_a_line.is_match(last),
                "mutation {k} ({table}): {last}"
            );
        }
        *outcomes.entry(code).or_insert(0) += 1;
        if code != 3 {
            counts_add_up(&d, table, None);
        }
    }
    // Most damage is set aside, not refused.
    assert!(
        outcomes.get(&3).copied().unwrap_or(0) * 4 < n,
        "{outcomes:?}"
    );
}
