//! Bad input, faults and data safety: a test per case of the robustness corpus. Each case gets
//! a correct result or a clear error naming the file (row and column where they exist) with
//! its documented exit code; never a panic.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

const UNITS: &str = "unit_id,unit_name,short_name,province,district\nu1,甲街道办事处,甲街道,测试省,一区\nu2,乙街道办事处,乙街道,测试省,一区\n";
const EVALS: &str = "eval_id,unit_id,fiscal_year,scope,project_name,evaluator_type,evaluator,max_score,total_score,grade,budget_full_year,executed\n\
e1,u1,2023,department,,self,甲街道,100,96,优,100,95\n\
e2,u1,2023,department,,third_party,某公司,100,90,优,,\n\
e3,u2,2023,department,,self,乙街道,100,92,优,200,150\n";
const INDS: &str = "eval_id,level1,level2,level3,level4,max_points,score,reason\ne2,决策,,预算,,50,45,预算测算依据不充分\ne2,产出,,数量,,50,45,\n";

fn dataset(name: &str, units: &[u8], evals: &[u8], inds: &[u8]) -> PathBuf {
    let d = tmpdir(name);
    std::fs::write(d.join("units.csv"), units).unwrap();
    std::fs::write(d.join("evaluations.csv"), evals).unwrap();
    std::fs::write(d.join("indicators.csv"), inds).unwrap();
    d
}

fn jixiao(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().unwrap()
}

fn bench(d: &Path) -> Output {
    let out = d.join("out");
    jixiao(&["bench", d.to_str().unwrap(), "--out", out.to_str().unwrap()])
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn assert_no_panic(o: &Output) {
    let e = stderr(o);
    assert!(
        !e.contains("panicked") && !e.contains("RUST_BACKTRACE"),
        "panic: {e}"
    );
}

#[test]
fn empty_file() {
    let d = dataset("rb-empty", UNITS.as_bytes(), b"", INDS.as_bytes());
    let o = bench(&d);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("evaluations.csv") && stderr(&o).contains("empty"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn header_only_gives_empty_results() {
    let d = dataset(
        "rb-header",
        UNITS.as_bytes(),
        EVALS.as_bytes(),
        b"eval_id,level1,max_points,score\n",
    );
    let o = bench(&d);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let det = read_csv(&d.join("out/deductions_detail.csv"));
    assert!(det.is_empty());
    assert_eq!(read_csv(&d.join("out/execution.csv")).len(), 2);
}

#[test]
fn missing_required_column() {
    let d = dataset(
        "rb-missing",
        UNITS.as_bytes(),
        EVALS.replace(",max_score", ",maxscore").as_bytes(),
        INDS.as_bytes(),
    );
    let o = bench(&d);
    assert_eq!(o.status.code(), Some(3));
    let e = stderr(&o);
    assert!(
        e.contains("evaluations.csv") && e.contains("max_score") && e.contains("header row 1"),
        "{e}"
    );
}

#[test]
fn unknown_column_is_kept() {
    let d = dataset(
        "rb-unknown",
        UNITS
            .replace("district\n", "district,备注\n")
            .replace("一区\n", "一区,x\n")
            .as_bytes(),
        EVALS.as_bytes(),
        INDS.as_bytes(),
    );
    let (ds, f) = jixiao::dataset::load(&d).unwrap();
    assert!(f.is_empty(), "{f:?}");
    assert!(ds.units.column("备注").is_ok());
    assert_eq!(bench(&d).status.code(), Some(0));
}

#[test]
fn wrong_type_names_row_and_column() {
    let d = dataset(
        "rb-type",
        UNITS.as_bytes(),
        EVALS.replace(",90,", ",九十八,").as_bytes(),
        INDS.as_bytes(),
    );
    let o = bench(&d);
    assert_eq!(o.status.code(), Some(1));
    let f = read_csv(&d.join("out/findings.csv"));
    let t = f.iter().find(|r| r["check"] == "type").unwrap();
    assert_eq!(t["row"], "3");
    assert!(t["message"].contains("column total_score") && t["message"].contains("九十八"));
}

#[test]
fn score_above_max_and_negative_are_warnings() {
    let d = dataset(
        "rb-range",
        UNITS.as_bytes(),
        EVALS.replace(",96,", ",101,").as_bytes(),
        format!("{INDS}e2,效益,,满意,,10,-1,\n").as_bytes(),
    );
    let o = jixiao(&[
        "validate",
        d.to_str().unwrap(),
        "--out",
        d.join("v").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let f = read_csv(&d.join("v/findings.csv"));
    assert!(f.iter().any(|r| r["check"] == "score_out_of_range"
        && r["table"] == "evaluations"
        && r["key"] == "e1"));
    assert!(f.iter().any(|r| r["check"] == "score_out_of_range"
        && r["table"] == "indicators"
        && r["row"] == "4"));
}

#[test]
fn dangling_and_duplicate_ids_are_errors() {
    let d = dataset(
        "rb-keys",
        UNITS.as_bytes(),
        format!("{EVALS}e1,u9,2023,department,,self,,100,90,,,\n").as_bytes(),
        format!("{INDS}e7,决策,,x,,1,1,\n").as_bytes(),
    );
    let o = bench(&d);
    assert_eq!(o.status.code(), Some(1));
    let f = read_csv(&d.join("out/findings.csv"));
    assert!(f
        .iter()
        .any(|r| r["check"] == "duplicate_id" && r["key"] == "e1"));
    assert!(f
        .iter()
        .any(|r| r["check"] == "dangling_key" && r["message"].contains("u9")));
    assert!(f
        .iter()
        .any(|r| r["check"] == "dangling_key" && r["table"] == "indicators" && r["row"] == "4"));
}

fn same_as_utf8(name: &str, encode: impl Fn(&str) -> Vec<u8>, expect: &str) {
    let d = dataset(name, &encode(UNITS), &encode(EVALS), &encode(INDS));
    let (ds, f) = jixiao::dataset::load(&d).unwrap();
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(ds.inputs[0].encoding, expect);
    assert_eq!(
        ds.units.column("short_name").unwrap().str().unwrap().get(1),
        Some("乙街道")
    );
    assert_eq!(ds.evaluations.height(), 3);
}

#[test]
fn gbk_gb18030_utf16_and_bom() {
    same_as_utf8(
        "rb-gbk",
        |s| encoding_rs::GBK.encode(s).0.into_owned(),
        "GB18030",
    );
    same_as_utf8(
        "rb-gb18030",
        |s| encoding_rs::GB18030.encode(s).0.into_owned(),
        "GB18030",
    );
    same_as_utf8(
        "rb-utf16",
        |s| {
            let mut v = vec![0xFF, 0xFE];
            s.encode_utf16()
                .for_each(|u| v.extend_from_slice(&u.to_le_bytes()));
            v
        },
        "UTF-16LE",
    );
    same_as_utf8(
        "rb-bom",
        |s| [&[0xEF, 0xBB, 0xBF][..], s.as_bytes()].concat(),
        "UTF-8 (BOM)",
    );
}

#[test]
fn windows_line_endings() {
    let crlf = |s: &str| s.replace('\n', "\r\n").into_bytes();
    let d = dataset("rb-crlf", &crlf(UNITS), &crlf(EVALS), &crlf(INDS));
    let (ds, f) = jixiao::dataset::load(&d).unwrap();
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(
        ds.units.column("district").unwrap().str().unwrap().get(0),
        Some("一区")
    );
    assert_eq!(bench(&d).status.code(), Some(0));
}

#[test]
fn quoted_field_with_newline() {
    let inds = "eval_id,level1,max_points,score,reason\ne2,决策,50,45,\"第一行\n第二行\"\ne2,产出,50,45,\n";
    let d = dataset(
        "rb-quoted",
        UNITS.as_bytes(),
        EVALS.as_bytes(),
        inds.as_bytes(),
    );
    let (ds, f) = jixiao::dataset::load(&d).unwrap();
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(ds.indicators.height(), 2);
    assert_eq!(
        ds.indicators
            .column("reason")
            .unwrap()
            .str()
            .unwrap()
            .get(0),
        Some("第一行\n第二行")
    );
}

#[test]
fn ten_megabyte_single_line() {
    let long = "很长的原因".repeat(700_000); // about 10 MB on one line
    let inds =
        format!("eval_id,level1,max_points,score,reason\ne2,决策,50,45,{long}\ne2,产出,50,45,\n");
    let d = dataset(
        "rb-long",
        UNITS.as_bytes(),
        EVALS.as_bytes(),
        inds.as_bytes(),
    );
    let o = bench(&d);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(0));
    let det = std::fs::read_to_string(d.join("out/deductions_detail.csv")).unwrap();
    assert!(det.len() > 10_000_000);
}

#[test]
fn random_binary() {
    let junk: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let d = dataset("rb-binary", UNITS.as_bytes(), &junk, INDS.as_bytes());
    let o = bench(&d);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("evaluations.csv") && stderr(&o).contains("binary"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn truncated_report_keeps_what_was_read() {
    let text =
        std::fs::read_to_string(repo().join("datasets/reports/004_db61ce0a276f3835.txt")).unwrap();
    let cut: String = text.lines().take(2150).collect::<Vec<_>>().join("\n"); // inside table #58
    let d = tmpdir("rb-trunc");
    std::fs::write(d.join("cut.txt"), &cut).unwrap();
    let out = d.join("out");
    let o = jixiao(&[
        "extract",
        d.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m = read_csv(&out.join("manifest.csv"));
    assert_eq!(m.len(), 1);
    assert_eq!(m[0]["status"], "partial", "{m:?}");
    let ev = read_csv(&out.join("evaluations.csv"));
    assert!(
        ev.iter().filter(|r| r["evaluator_type"] == "self").count() >= 57,
        "the tables before the cut are kept"
    );
    let last = ev
        .iter()
        .filter(|r| r["evaluator_type"] == "self")
        .last()
        .unwrap();
    assert_eq!(
        last["total_score"], "",
        "the cut table has no total: blank, not 0"
    );
}

#[test]
fn report_without_scores_and_folder_without_datasets() {
    let d = tmpdir("rb-noscores");
    std::fs::write(
        d.join("a.txt"),
        "某街道办事处\n\n2023年度工作总结：全年完成各项任务。\n",
    )
    .unwrap();
    let out = d.join("out");
    let o = jixiao(&[
        "extract",
        d.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let m = read_csv(&out.join("manifest.csv"));
    assert_eq!(m[0]["status"], "nothing found");
    assert!(!m[0]["note"].is_empty());
    // a folder with no dataset tables
    let empty = tmpdir("rb-nodata");
    let o = jixiao(&[
        "validate",
        empty.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("no units.csv or units.parquet"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn path_that_does_not_exist() {
    for args in [
        vec!["bench", "/no/such/dataset"],
        vec!["extract", "/no/such/report.txt", "--out", "/tmp/x"],
        vec!["charts", "/no/such/dataset"],
    ] {
        let o = jixiao(&args);
        assert_eq!(o.status.code(), Some(3), "{args:?}");
        assert!(stderr(&o).contains("/no/such/"), "{}", stderr(&o));
    }
}

#[test]
fn output_directory_not_writable() {
    let d = dataset(
        "rb-unwritable",
        UNITS.as_bytes(),
        EVALS.as_bytes(),
        INDS.as_bytes(),
    );
    // A regular file where a folder should be: refused even for root.
    let blocker = d.join("blocker");
    std::fs::write(&blocker, "x").unwrap();
    let out = blocker.join("out");
    let o = jixiao(&["bench", d.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("blocker/out"), "{}", stderr(&o));
}

#[test]
fn reruns_are_byte_identical() {
    let d = dataset(
        "rb-determinism",
        UNITS.as_bytes(),
        EVALS.as_bytes(),
        INDS.as_bytes(),
    );
    let runs: Vec<PathBuf> = (0..2)
        .map(|k| {
            let out = d.join(format!("out{k}"));
            assert!(
                jixiao(&["bench", d.to_str().unwrap(), "--out", out.to_str().unwrap()])
                    .status
                    .success()
            );
            out
        })
        .collect();
    let mut names: Vec<_> = std::fs::read_dir(&runs[0])
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(names.len() >= 11);
    for n in names {
        assert_eq!(
            std::fs::read(runs[0].join(&n)).unwrap(),
            std::fs::read(runs[1].join(&n)).unwrap(),
            "{n:?}"
        );
    }
}

#[test]
fn strings_in_the_data_never_become_paths() {
    let evil_units =
        "unit_id,unit_name,short_name\n../../../jxevil7q,../../jxevil7q/x,<script>alert(1)</script>\n";
    let evil_evals = "eval_id,unit_id,fiscal_year,scope,evaluator_type,max_score,total_score,budget_full_year,executed\n../e1,../../../jxevil7q,2024,department,self,100,90,10,9\n";
    let d = dataset(
        "rb-paths",
        evil_units.as_bytes(),
        evil_evals.as_bytes(),
        b"eval_id,level1,max_points,score\n",
    );
    let out = d.join("deep/out");
    for cmd in ["bench", "charts"] {
        let o = jixiao(&[cmd, d.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "{cmd}: {}", stderr(&o));
    }
    let o = jixiao(&[
        "report",
        d.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Nothing named after the data exists anywhere under the dataset's parent.
    fn walk(p: &Path, found: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(p).into_iter().flatten().flatten() {
            let p = e.path();
            if p.file_name()
                .map(|n| n.to_string_lossy().contains("jxevil7q"))
                .unwrap_or(false)
            {
                found.push(p.clone());
            }
            if p.is_dir() {
                walk(&p, found);
            }
        }
    }
    let mut found = vec![];
    walk(
        d.parent().unwrap().join(d.file_name().unwrap()).as_path(),
        &mut found,
    );
    walk(&std::env::temp_dir(), &mut found);
    assert!(found.is_empty(), "{found:?}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<script>alert(1)"));
}

/// A grading.csv whose schemes start after some of the data's years: those evaluations get
/// no grade tier, and one warning per province and year says so, at the first such row; the
/// run still succeeds. A province with its own scheme is covered.
#[test]
fn years_no_grading_scheme_covers_are_named() {
    let evals = format!(
        "{}e4,u2,2021,department,,self,乙街道,100,88,良,,\ne5,u1,2022,department,,self,甲街道,100,70,中,,\ne6,u1,2021,department,,third_party,某公司,100,,,,\n",
        EVALS
    );
    let d = dataset(
        "no_scheme",
        UNITS.as_bytes(),
        evals.as_bytes(),
        INDS.as_bytes(),
    );
    write(
        &d,
        "grading.csv",
        "province,from_year,grade,min_score\n*,2023,优,90\n*,2023,良,80\n*,2023,中,60\n*,2023,差,0\n测试省,2022,合格,60\n测试省,2022,不合格,0\n",
    );
    let o = bench(&d);
    assert_no_panic(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    let f: Vec<_> = read_csv(&d.join("out/findings.csv"))
        .into_iter()
        .filter(|r| r["check"] == "grading_scheme")
        .collect();
    // 2021: e4 (row 5) is scored, e6 is not; 2022 has the province's own scheme.
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["key"], "测试省/2021");
    assert_eq!(f[0]["row"], "5");
    assert_eq!(f[0]["severity"], "warning");
    assert!(
        f[0]["message"].contains("its 1 scored evaluations"),
        "{:?}",
        f[0]
    );
}

/// Blank lines (empty or only spaces) are not rows: skipped, in the middle and at the end,
/// but they keep their row number (as a spreadsheet shows them), so later rows are named
/// where the file has them. A row cut short is set aside, never read with blank cells.
#[test]
fn blank_lines_are_skipped_and_short_rows_set_aside() {
    let inds = "eval_id,level1,level2,level3,level4,max_points,score,reason\n\
                e2,决策,,预算,,50,45,预算测算依据不充分\n\
                \n   \n\
                e2,产出,,数量,,50,45,\n\
                e2,效益,,满意\n\n\n";
    let d = dataset(
        "rb-blank",
        UNITS.as_bytes(),
        EVALS.as_bytes(),
        inds.as_bytes(),
    );
    let o = bench(&d);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let f = read_csv(&d.join("out/findings.csv"));
    let errors: Vec<_> = f.iter().filter(|r| r["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{f:?}");
    assert_eq!(errors[0]["check"], "ragged_row");
    assert_eq!(errors[0]["row"], "6");
    assert!(errors[0]["message"].contains("line 6: 4 fields where the header (line 1) has 8"));
    // The two rows read are benched: e2's 90 points against its total of 90, no sum warning
    // (the evaluation lost a row, so its sum is not checked).
    assert!(!f.iter().any(|r| r["check"] == "indicator_sum"), "{f:?}");
    assert_eq!(read_csv(&d.join("out/rankings_level1.csv")).len(), 2);
}

/// Damage in the header cannot be set aside (every row is read by it): the file is refused,
/// exit 3, naming line 1 and what is wrong, with or without --strict.
#[test]
fn damaged_header_refuses_naming_line_1() {
    let mut inds = INDS.as_bytes().to_vec();
    inds.insert(9, 0xFF); // inside "level1"
    let d = dataset("rb-header-bytes", UNITS.as_bytes(), EVALS.as_bytes(), &inds);
    let o = bench(&d);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains(
            "indicators.csv: line 1, the header: the bytes FF at character 10 are not valid UTF-8"
        ),
        "{e}"
    );
    let d = dataset(
        "rb-header-quote",
        UNITS.as_bytes(),
        EVALS.replacen("eval_id", "\"eval_id", 1).as_bytes(),
        INDS.as_bytes(),
    );
    let o = bench(&d);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("evaluations.csv: line 1, the header: the quote at character 1 never closes"),
        "{}",
        stderr(&o)
    );
}

/// Old Mac Excel ended lines with CR alone: read as line breaks.
#[test]
fn carriage_return_line_endings() {
    let cr = |s: &str| s.replace('\n', "\r").into_bytes();
    let d = dataset("rb-cr", &cr(UNITS), &cr(EVALS), &cr(INDS));
    let (ds, f) = jixiao::dataset::load(&d).unwrap();
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(ds.evaluations.height(), 3);
    assert_eq!(ds.indicators.height(), 2);
    assert_eq!(bench(&d).status.code(), Some(0));
}

/// The issue's two messages: polars' 'truncate_ragged_lines' advice and "not valid GB18030"
/// for a UTF-8 file never reach the user; the library's strict default names the line.
#[test]
fn no_library_message_reaches_the_user() {
    let ragged = format!("{INDS}e2,效益,,满意,,10,9,,x,y\n");
    let d = dataset(
        "rb-ragged-lib",
        UNITS.as_bytes(),
        EVALS.as_bytes(),
        ragged.as_bytes(),
    );
    let e = jixiao::dataset::load(&d).err().unwrap();
    assert!(matches!(e, jixiao::error::JxError::Input { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("indicators.csv: line 4: 10 fields where the header (line 1) has 8"),
        "{}",
        e.to_string()
    );
    assert!(!e.to_string().contains("truncate_ragged_lines") && !e.to_string().contains("Schema"));
    let mut bytes = INDS.as_bytes().to_vec();
    let at = bytes.len() - 3;
    bytes.insert(at, 0xC3);
    let d = dataset("rb-byte-lib", UNITS.as_bytes(), EVALS.as_bytes(), &bytes);
    let e = jixiao::dataset::load(&d).err().unwrap();
    assert!(
        e.to_string()
            .contains("indicators.csv: line 3, column score (character 16)"),
        "{}",
        e.to_string()
    );
    assert!(
        e.to_string().contains("not valid UTF-8") && !e.to_string().contains("GB18030"),
        "{}",
        e.to_string()
    );
}

/// A budget of 0 leaves the execution rate blank (it stopped the run with polars' "division by
/// zero"), and a number too long for exact decimals is a bad cell named by row and column (a
/// Parquet file with such a value in a typed decimal column made rust_decimal panic).
#[test]
fn zero_budget_and_overlong_numbers() {
    let evals = EVALS.replace(",100,95\n", ",0,95\n");
    let d = dataset(
        "rb-zero",
        UNITS.as_bytes(),
        evals.as_bytes(),
        INDS.as_bytes(),
    );
    let o = bench(&d);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // e1 has no rate (so no row in execution.csv); e3's is computed as before.
    let ex = read_csv(&d.join("out/execution.csv"));
    assert!(!ex.iter().any(|r| r["eval_id"] == "e1"), "{ex:?}");
    assert_eq!(
        ex.iter().find(|r| r["eval_id"] == "e3").unwrap()["execution_rate"],
        "75"
    );

    let long = "1".repeat(30);
    let evals = EVALS.replace(",200,150\n", &format!(",{long},150\n"));
    let d = dataset(
        "rb-long-number",
        UNITS.as_bytes(),
        evals.as_bytes(),
        INDS.as_bytes(),
    );
    let o = bench(&d);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let f = read_csv(&d.join("out/findings.csv"));
    let t = f.iter().find(|r| r["check"] == "type").unwrap();
    assert_eq!(t["row"], "4");
    assert!(t["message"].contains("column budget_full_year"), "{t:?}");

    // The same value in a typed Decimal(38,6) Parquet column.
    use polars::prelude::*;
    let (ds, _) = jixiao::dataset::load(&dataset(
        "rb-long-ok",
        UNITS.as_bytes(),
        EVALS.as_bytes(),
        INDS.as_bytes(),
    ))
    .unwrap();
    let mut ev = ds.evaluations.drop("__row").unwrap();
    let big = Series::new(
        "budget_full_year".into(),
        [Some(1i128), None, Some(10i128.pow(35))],
    )
    .cast(&DataType::Int128)
    .unwrap()
    .i128()
    .unwrap()
    .clone()
    .into_decimal_unchecked(38, 6)
    .into_series();
    ev.with_column(big.into_column()).unwrap();
    let d = dataset("rb-long-parquet", UNITS.as_bytes(), b"", INDS.as_bytes());
    std::fs::remove_file(d.join("evaluations.csv")).unwrap();
    ParquetWriter::new(std::fs::File::create(d.join("evaluations.parquet")).unwrap())
        .finish(&mut ev)
        .unwrap();
    let o = bench(&d);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let f = read_csv(&d.join("out/findings.csv"));
    let t = f.iter().find(|r| r["check"] == "type").unwrap();
    assert_eq!((t["row"].as_str(), t["key"].as_str()), ("4", "e3"));
}
