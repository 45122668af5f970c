//! Hive-partitioned Parquet (for Spark, Trino, DuckDB): a partitioned dataset reads back to the
//! same tables and totals, bench outputs can be partitioned, and data never picks the path.

mod common;

use std::process::Command;

use common::*;

#[test]
fn partitioned_dataset_reads_back_to_the_same_totals() {
    let d = tmpdir("hive");
    let part = d.join("part");
    let st = Command::new(bin())
        .args([
            "synth",
            "--out",
            part.to_str().unwrap(),
            "--format",
            "parquet",
            "--partition-by",
            "province,fiscal_year",
            "--years",
            "3",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    assert!(part
        .join("evaluations/province=合成省/fiscal_year=2024/part-0.parquet")
        .is_file());
    assert!(part
        .join("indicators/province=合成省/fiscal_year=2022/part-0.parquet")
        .is_file());
    let flat = repo().join("datasets/synthetic");
    let (a, _) = jixiao::dataset::load(&flat).unwrap();
    let (b, fb) = jixiao::dataset::load(&part).unwrap();
    assert!(fb.is_empty(), "{fb:?}");
    assert_eq!(
        (
            a.units.height(),
            a.evaluations.height(),
            a.indicators.height()
        ),
        (
            b.units.height(),
            b.evaluations.height(),
            b.indicators.height()
        )
    );
    let sum = |df: &polars::prelude::DataFrame, c: &str| {
        df.column(c)
            .unwrap()
            .as_materialized_series()
            .sum::<f64>()
            .unwrap()
    };
    for c in ["total_score", "budget_full_year", "executed"] {
        assert_eq!(sum(&a.evaluations, c), sum(&b.evaluations, c), "{c}");
    }
    assert_eq!(sum(&a.indicators, "score"), sum(&b.indicators, "score"));
    // bench gives the same tables (findings differ only in row numbers: the rows moved)
    let (oa, ob) = (d.join("oa"), d.join("ob"));
    for (src, out) in [(&flat, &oa), (&part, &ob)] {
        assert!(Command::new(bin())
            .args([
                "bench",
                src.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "-q"
            ])
            .status()
            .unwrap()
            .success());
    }
    for t in [
        "execution.csv",
        "scores.csv",
        "rankings.csv",
        "deductions.csv",
        "deductions_detail.csv",
        "inflation.csv",
        "leniency.csv",
        "summary.json",
    ] {
        let x = std::fs::read_to_string(oa.join(t)).unwrap();
        let y = std::fs::read_to_string(ob.join(t)).unwrap();
        if t == "summary.json" {
            assert_eq!(
                x.lines()
                    .filter(|l| !l.contains("\"dataset\""))
                    .collect::<Vec<_>>(),
                y.lines()
                    .filter(|l| !l.contains("\"dataset\""))
                    .collect::<Vec<_>>()
            );
        } else if t == "deductions_detail.csv" {
            // Rows follow the input's order, and the parts list the rows in another order.
            let sorted = |s: &str| {
                let mut v: Vec<String> = s.lines().map(String::from).collect();
                v.sort();
                v
            };
            assert!(x.lines().count() > 1, "{t} has no rows");
            assert!(
                sorted(&x) == sorted(&y),
                "{t} differs between flat and partitioned input"
            );
        } else {
            assert!(x == y, "{t} differs between flat and partitioned input");
        }
    }
    // bench outputs partitioned by year
    let op = d.join("op");
    let st = Command::new(bin())
        .args([
            "bench",
            flat.to_str().unwrap(),
            "--out",
            op.to_str().unwrap(),
            "--format",
            "parquet",
            "--partition-by",
            "fiscal_year",
            "-q",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    assert!(op
        .join("execution/fiscal_year=2023/part-0.parquet")
        .is_file());
    assert!(op
        .join("deductions/fiscal_year=2024/part-0.parquet")
        .is_file());
}

#[test]
fn partition_values_never_leave_the_folder() {
    use jixiao::dataset::write::partition_value;
    assert_eq!(partition_value(Some("../../etc")), "..%2F..%2Fetc");
    assert_eq!(partition_value(Some("..")), "%2E%2E");
    assert_eq!(partition_value(Some("a/b")), "a%2Fb");
    assert_eq!(partition_value(Some("天津市")), "天津市");
    assert_eq!(partition_value(None), "__HIVE_DEFAULT_PARTITION__");
    assert!(!partition_value(Some("x\\y")).contains('\\'));
}

#[test]
fn sql_has_every_benchmark_and_the_rules_in_force() {
    let o = Command::new(bin()).arg("sql").output().unwrap();
    assert!(o.status.success());
    let s = String::from_utf8_lossy(&o.stdout);
    for view in [
        "facts",
        "execution",
        "scores",
        "deductions_detail",
        "deductions",
        "inflation",
        "inflation_summary",
        "leniency_cells",
    ] {
        assert!(
            s.contains(&format!("CREATE OR REPLACE TEMP VIEW {view} AS")),
            "{view}"
        );
    }
    assert!(!s.contains("{{CAUSE_CASE}}"));
    assert!(s.contains("THEN '预算编制'") && s.contains("ELSE '其他' END"));
    // edited rules flow into the SQL
    let d = tmpdir("sql-rules");
    write(&d, "causes.csv", "cause,keywords\n测试原因,某个'词\n");
    let o = Command::new(bin())
        .args(["sql", "--causes", d.join("causes.csv").to_str().unwrap()])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("RLIKE '某个''词' THEN '测试原因'"),
        "quotes doubled in SQL literals"
    );
}
