//! Excel in and out, the settings file and the finished CLI (completions, version, hints).

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use calamine::{open_workbook_auto, Data, Reader};
use common::*;

fn round_trip(dataset: &str) {
    let out = tmpdir(&format!("xlsx-rt-{}", dataset.replace('/', "-")));
    let book = out.join("book.xlsx");
    let st = Command::new(bin())
        .current_dir(repo())
        .args(["export-xlsx", dataset, "--out", book.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(st.success());
    let back = out.join("back");
    let o = Command::new(bin())
        .args([
            "import-xlsx",
            book.to_str().unwrap(),
            "--out",
            back.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for t in ["units.csv", "evaluations.csv", "indicators.csv"] {
        let a = std::fs::read_to_string(repo().join(dataset).join(t)).unwrap();
        let b = std::fs::read_to_string(back.join(t)).unwrap();
        assert!(a == b, "{dataset}/{t} differs after the round trip");
    }
}

#[test]
fn export_then_import_gives_the_same_tables() {
    round_trip("datasets/extracted");
    round_trip("datasets/synthetic");
}

#[test]
fn messy_workbook_imports_correctly() {
    let out = tmpdir("xlsx-messy");
    let o = Command::new(bin())
        .args([
            "import-xlsx",
            repo()
                .join("datasets/samples/messy_scores.xlsx")
                .to_str()
                .unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--sheet",
            "2023年评价结果",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("1 sheet(s) read; 12 rows became 3 evaluations"),
        "{err}"
    );
    assert!(err.contains("header in row 2-3"), "{err}");
    assert!(err.contains("totals rows skipped: [16]"), "{err}");
    assert!(
        err.contains("联系人") && err.contains("kept as an extra column"),
        "{err}"
    );
    assert!(err.contains("note below the table: 注：1."), "{err}");
    let units = read_csv(&out.join("units.csv"));
    assert_eq!(units.len(), 2);
    let ev = read_csv(&out.join("evaluations.csv"));
    let got: Vec<(&str, &str, &str, &str, &str, &str, &str)> = ev
        .iter()
        .map(|r| {
            (
                r["evaluator_type"].as_str(),
                r["evaluator"].as_str(),
                r["total_score"].as_str(),
                r["budget_full_year"].as_str(),
                r["executed"].as_str(),
                r["execution_rate_stated"].as_str(),
                r["联系人"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "self",
                "甲街道办事处",
                "96.5",
                "1350.25",
                "1320.5",
                "97.8",
                "张三"
            ),
            (
                "third_party",
                "示例评估咨询有限公司",
                "88.75",
                "1350.25",
                "1320.5",
                "97.8",
                "李四"
            ),
            (
                "self",
                "乙街道办事处",
                "98",
                "812.4",
                "650",
                "80.01",
                "王五"
            ),
        ]
    );
    assert!(ev
        .iter()
        .all(|r| r["fiscal_year"] == "2023" && r["scope"] == "department"));
    let ind = read_csv(&out.join("indicators.csv"));
    assert_eq!(
        ind.len(),
        12,
        "4 indicator rows for each of 3 evaluations; the totals row is not one"
    );
    let third: Vec<(&str, &str, &str)> = ind
        .iter()
        .filter(|r| r["eval_id"] == ev[1]["eval_id"])
        .map(|r| {
            (
                r["level1"].as_str(),
                r["score"].as_str(),
                r["reason"].as_str(),
            )
        })
        .collect();
    assert_eq!(third[1], ("过程", "26.25", "部分合同要素填写不完整"));
    // indicator scores add up to the stated totals: the merged cells were read right
    let (ds, mut f) = jixiao::dataset::load(&out).unwrap();
    jixiao::dataset::validate::validate(&ds, &mut f).unwrap();
    assert!(!f.iter().any(|x| x.check == "indicator_sum"), "{f:?}");
}

/// The README's example: both sheets of the sample, the 抽查复核 sheet giving a self and a
/// re-check evaluation per sampled project, and bench pairing them.
#[test]
fn sample_workbook_all_sheets_and_the_inflation_pairs() {
    let d = tmpdir("xlsx-sample-all");
    let out = d.join("imported");
    let o = Command::new(bin())
        .args([
            "import-xlsx",
            repo()
                .join("datasets/samples/messy_scores.xlsx")
                .to_str()
                .unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("2 sheet(s) read; 16 rows became 10 evaluations (4 units, 12 indicator rows)"),
        "{err}"
    );
    assert!(err.contains("sheet '抽查复核': header in row 3-4; fiscal year 2023 (title row 1); 4 rows -> 7 evaluations"), "{err}");
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
    let ev = read_csv(&out.join("evaluations.csv"));
    let got: Vec<(&str, &str, &str, &str, &str, &str, &str)> = ev[3..]
        .iter()
        .map(|r| {
            (
                r["project_name"].as_str(),
                r["evaluator_type"].as_str(),
                r["evaluator"].as_str(),
                r["total_score"].as_str(),
                r["grade"].as_str(),
                r["budget_full_year"].as_str(),
                r["executed"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("老旧小区微改造", "self", "", "97", "优", "320", "305"),
            (
                "老旧小区微改造",
                "finance_bureau",
                "示例区财政局",
                "86",
                "良",
                "320",
                "305"
            ),
            (
                "社区养老服务补贴",
                "self",
                "",
                "95.5",
                "优",
                "85.64005",
                "85.64005"
            ),
            (
                "社区养老服务补贴",
                "third_party",
                "示例会计师事务所",
                "91",
                "优",
                "85.64005",
                "85.64005"
            ),
            ("背街小巷环境整治", "self", "", "92", "优", "150", "112"),
            (
                "背街小巷环境整治",
                "expert_panel",
                "示例区绩效评价专家组",
                "78.5",
                "中",
                "150",
                "112"
            ),
            ("垃圾分类宣传", "self", "", "98", "优", "12", "11.88"),
        ]
    );
    assert!(ev[3..]
        .iter()
        .all(|r| r["fiscal_year"] == "2023" && r["scope"] == "project"));
    let bench = d.join("bench");
    let st = Command::new(bin())
        .args([
            "bench",
            out.to_str().unwrap(),
            "--out",
            bench.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let pairs: Vec<(String, String, String)> = read_csv(&bench.join("inflation.csv"))
        .iter()
        .filter(|r| r["scope"] == "project")
        .map(|r| {
            (
                r["project_name"].clone(),
                r["reference_type"].clone(),
                r["gap"].clone(),
            )
        })
        .collect();
    let mut pairs = pairs;
    pairs.sort();
    assert_eq!(
        pairs,
        [
            (
                "社区养老服务补贴".to_string(),
                "third_party".to_string(),
                "4.5".to_string()
            ),
            (
                "老旧小区微改造".into(),
                "finance_bureau".into(),
                "11".into()
            ),
            (
                "背街小巷环境整治".into(),
                "expert_panel".into(),
                "13.5".into()
            ),
        ]
    );
}

fn cell(range: &calamine::Range<Data>, r: usize, c: usize) -> String {
    match range.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        _ => String::new(),
    }
}

#[test]
fn bench_and_validate_write_workbooks() {
    let out = tmpdir("xlsx-bench");
    let st = Command::new(bin())
        .current_dir(repo())
        .args([
            "bench",
            "datasets/synthetic",
            "--out",
            out.to_str().unwrap(),
            "--format",
            "xlsx",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let mut wb = open_workbook_auto(out.join("bench.xlsx")).unwrap();
    let names = wb.sheet_names();
    for s in [
        "execution",
        "scores",
        "rankings",
        "deductions",
        "deductions_detail",
        "inflation",
        "inflation_summary",
        "leniency",
        "说明",
    ] {
        assert!(names.iter().any(|n| n == s), "sheet {s} in {names:?}");
    }
    let ex = wb.worksheet_range("execution").unwrap();
    assert_eq!(cell(&ex, 0, 0), "单位编号");
    assert_eq!(cell(&ex, 1, 0), "unit_id");
    assert!(cell(&ex, 2, 0).starts_with("syn-"));
    let len = wb.worksheet_range("leniency").unwrap();
    assert!((2..len.height()).any(|r| cell(&len, r, 2) == "合成第三方甲公司"));
    let vout = tmpdir("xlsx-validate");
    let st = Command::new(bin())
        .current_dir(repo())
        .args([
            "validate",
            "datasets/extracted",
            "--out",
            vout.to_str().unwrap(),
            "--format",
            "xlsx",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let mut wb = open_workbook_auto(vout.join("findings.xlsx")).unwrap();
    let f = wb.worksheet_range("findings").unwrap();
    assert_eq!(cell(&f, 0, 0), "严重程度");
    assert_eq!(f.height() - 2, read_csv(&vout.join("findings.csv")).len());
}

#[test]
fn settings_file_changes_the_defaults() {
    let d = tmpdir("config");
    std::fs::write(d.join("jixiao.toml"), "leniency_threshold = 50.0\n").unwrap();
    let data = repo().join("datasets/synthetic");
    let out = d.join("out");
    let st = Command::new(bin())
        .current_dir(&d)
        .args([
            "bench",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let len = read_csv(&out.join("leniency.csv"));
    assert!(
        // Per-year rows are descriptive (lenient blank): none says true.
        len.iter()
            .all(|r| r["lenient"] != "true" && r["threshold"] == "50.0"),
        "{len:?}"
    );
    // the flag wins over the file
    let st = Command::new(bin())
        .current_dir(&d)
        .args([
            "bench",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--leniency-threshold",
            "2",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    assert!(read_csv(&out.join("leniency.csv"))
        .iter()
        .any(|r| r["lenient"] == "true"));
    // a misspelt setting is an error naming the file and the key
    std::fs::write(d.join("jixiao.toml"), "lenency_threshold = 3\n").unwrap();
    let o = Command::new(bin())
        .current_dir(&d)
        .args([
            "bench",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("jixiao.toml") && e.contains("lenency_threshold"),
        "{e}"
    );
}

#[test]
fn finished_cli() {
    let v = Command::new(bin()).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&v.stdout).starts_with("jixiao "));
    for shell in ["bash", "zsh", "fish"] {
        let o = Command::new(bin())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(o.status.success());
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("import-xlsx"),
            "{shell}"
        );
    }
    let o = Command::new(bin()).arg("bnech").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("similar subcommand exists: 'bench'"));
    let h = Command::new(bin())
        .args(["bench", "--help"])
        .output()
        .unwrap();
    let h = String::from_utf8_lossy(&h.stdout);
    assert!(h.contains("预算执行率") && h.contains("Example"), "{h}");
}

/// Issue 19: `leniency_reference` in jixiao.toml reads leniency against that evaluator, as the
/// flag does; the flag wins over the file.
#[test]
fn leniency_reference_from_the_settings_file() {
    let d = tmpdir("config-reference");
    let data = repo().join("datasets/synthetic");
    let bench = |dir: &Path, out: &str, extra: &[&str]| -> Vec<HashMap<String, String>> {
        let out = dir.join(out);
        let st = Command::new(bin())
            .current_dir(dir)
            .args([
                "bench",
                data.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .args(extra)
            .status()
            .unwrap();
        assert!(st.success());
        read_csv(&out.join("leniency.csv"))
    };
    let plain = bench(&d, "plain", &[]);
    let flag = bench(&d, "flag", &["--leniency-reference", "合成专家组"]);
    std::fs::write(
        d.join("jixiao.toml"),
        "leniency_reference = \"合成专家组\"\n",
    )
    .unwrap();
    let file = bench(&d, "file", &[]);
    assert!(!plain.is_empty());
    assert_ne!(plain, flag, "the reference changes the effects");
    assert_eq!(file, flag);
    // The flag wins: another reference than the file's.
    let other = bench(&d, "other", &["--leniency-reference", "合成省财政局"]);
    assert_ne!(other, file);
}
