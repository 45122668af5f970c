//! Indicators read in batches (`bench --batch-rows`, how datasets larger than memory stream
//! through) give exactly the tables of a run that holds them whole, and bad cells in a later
//! batch are reported at their row in the file.

mod common;

use std::path::Path;
use std::process::Command;

use polars::prelude::SerReader;

use common::*;

fn bench(dataset: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "bench",
        dataset.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    Command::new(bin()).args(&args).output().unwrap()
}

/// `jixiao validate DATASET --out OUT --batch-rows ROWS -q`.
fn validate_in_batches(dataset: &Path, out: &Path, rows: &str) -> std::process::Output {
    Command::new(bin())
        .args(["validate", dataset.to_str().unwrap(), "--out"])
        .args([out.to_str().unwrap(), "--batch-rows", rows, "-q"])
        .output()
        .unwrap()
}

#[test]
fn batches_give_the_same_tables_as_one_pass() {
    let d = tmpdir("batches");
    let synthetic = repo().join("datasets/synthetic");
    for format in ["csv", "parquet"] {
        let whole = d.join(format!("whole-{format}"));
        let batched = d.join(format!("batched-{format}"));
        assert!(bench(&synthetic, &whole, &["--format", format])
            .status
            .success());
        // 5,880 indicator rows in batches of 997: seven batches, cut inside evaluations.
        let o = bench(
            &synthetic,
            &batched,
            &["--format", format, "--batch-rows", "997", "-v"],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let mut names: Vec<_> = std::fs::read_dir(&whole)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert!(names.len() >= 12, "{names:?}");
        for n in names {
            let (a, b) = (
                std::fs::read(whole.join(&n)).unwrap(),
                std::fs::read(batched.join(&n))
                    .unwrap_or_else(|_| panic!("{n:?} missing in the batched run")),
            );
            if n == "summary.json" {
                let strip = |b: &[u8]| {
                    String::from_utf8_lossy(b)
                        .lines()
                        .filter(|l| !l.contains("\"dataset\""))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                assert_eq!(strip(&a), strip(&b));
            } else if format == "csv" || !n.to_string_lossy().ends_with(".parquet") {
                assert!(a == b, "{n:?} differs when read in batches");
            } else {
                // Parquet files differ in row-group layout; compare their contents.
                let (x, y) = (
                    polars::prelude::ParquetReader::new(std::io::Cursor::new(a))
                        .finish()
                        .unwrap(),
                    polars::prelude::ParquetReader::new(std::io::Cursor::new(b))
                        .finish()
                        .unwrap(),
                );
                assert!(x.height() > 0 || !n.to_string_lossy().contains("detail"));
                assert!(x.equals_missing(&y), "{n:?} differs when read in batches");
            }
        }
    }
    // A CSV larger than one chunk is read a chunk at a time (here chunks of 40 kB: about
    // thirteen, each cut at a line break) with the same results.
    let chunked = d.join("chunked");
    let o = Command::new(bin())
        .env("JIXIAO_CSV_CHUNK_BYTES", "40000")
        .args([
            "bench",
            synthetic.to_str().unwrap(),
            "--out",
            chunked.to_str().unwrap(),
            "-q",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for n in [
        "deductions_detail.csv",
        "rankings_level1.csv",
        "deductions.csv",
        "findings.csv",
    ] {
        assert_eq!(
            std::fs::read(d.join("whole-csv").join(n)).unwrap(),
            std::fs::read(chunked.join(n)).unwrap(),
            "{n} differs when the CSV is read in chunks"
        );
    }
    // Partitioned output written batch by batch: a part file per batch in each year's folder,
    // together the same rows as the whole run's detail.
    let parted = d.join("parted");
    let o = bench(
        &synthetic,
        &parted,
        &[
            "--format",
            "parquet",
            "--partition-by",
            "fiscal_year",
            "--batch-rows",
            "997",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut parts = Vec::new();
    for year in std::fs::read_dir(parted.join("deductions_detail")).unwrap() {
        for f in std::fs::read_dir(year.unwrap().path()).unwrap() {
            let f = f.unwrap().path();
            parts.push(
                polars::prelude::ParquetReader::new(std::fs::File::open(&f).unwrap())
                    .finish()
                    .unwrap(),
            );
        }
    }
    assert!(parts.len() > 3, "{} part files", parts.len());
    let whole_detail = polars::prelude::ParquetReader::new(
        std::fs::File::open(d.join("whole-parquet/deductions_detail.parquet")).unwrap(),
    )
    .finish()
    .unwrap();
    let total = |dfs: &[polars::prelude::DataFrame]| -> (usize, String) {
        let rows = dfs.iter().map(|d| d.height()).sum();
        let mut sum = rust_decimal::Decimal::ZERO;
        for df in dfs {
            let c = df
                .column("points_lost")
                .unwrap()
                .cast(&polars::prelude::DataType::String)
                .unwrap();
            for v in c.str().unwrap().iter().flatten() {
                sum += v.parse::<rust_decimal::Decimal>().unwrap();
            }
        }
        (rows, sum.normalize().to_string())
    };
    assert_eq!(total(&parts), total(&[whole_detail]));
    // A batch of no rows is refused as a usage error, naming the flag.
    let o = bench(&synthetic, &d.join("zero"), &["--batch-rows", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--batch-rows"));
    // The detail really was streamed: as many rows as points were lost in the indicators.
    let det = read_csv(&d.join("batched-csv/deductions_detail.csv"));
    let (ds, _) = jixiao::dataset::load(&synthetic).unwrap();
    let lost = ds
        .indicators
        .column("max_points")
        .unwrap()
        .as_materialized_series()
        .cast(&polars::prelude::DataType::Float64)
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .zip(
            ds.indicators
                .column("score")
                .unwrap()
                .as_materialized_series()
                .cast(&polars::prelude::DataType::Float64)
                .unwrap()
                .f64()
                .unwrap()
                .iter(),
        )
        .filter(|(m, s)| matches!((m, s), (Some(m), Some(s)) if m > s))
        .count();
    assert_eq!(det.len(), lost);
    assert!(lost > 1000);
}

#[test]
fn a_bad_cell_in_a_later_batch_is_reported_at_its_row() {
    let d = tmpdir("batches-bad");
    for t in ["units.csv", "evaluations.csv"] {
        std::fs::copy(repo().join("datasets/synthetic").join(t), d.join(t)).unwrap();
    }
    let text = std::fs::read_to_string(repo().join("datasets/synthetic/indicators.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // Line 4,000 of the file (record row 4000): its score becomes text; its eval_id, unknown.
    let header: Vec<&str> = lines[0].split(',').collect();
    let score = header.iter().position(|h| *h == "score").unwrap();
    let mut cells: Vec<String> = lines[3999].split(',').map(String::from).collect();
    cells[score] = "九十八".into();
    lines[3999] = cells.join(",");
    let mut cells: Vec<String> = lines[5000].split(',').map(String::from).collect();
    cells[0] = "no-such-evaluation".into();
    lines[5000] = cells.join(",");
    write(&d, "indicators.csv", &(lines.join("\n") + "\n"));
    let out = d.join("out");
    let o = bench(&d, &out, &["--batch-rows", "600"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let f = read_csv(&out.join("findings.csv"));
    let at = |row: &str, check: &str| {
        f.iter()
            .any(|r| r["table"] == "indicators" && r["row"] == row && r["check"] == check)
    };
    assert!(at("4000", "type"), "{f:?}");
    assert!(at("5001", "dangling_key"), "{f:?}");
    // validate reads the indicators in batches too, and finds the same, wherever the cut.
    let findings_of = |batch: &str| {
        let out = d.join(format!("validate-{batch}"));
        let o = validate_in_batches(&d, &out, batch);
        assert_eq!(o.status.code(), Some(1));
        std::fs::read_to_string(out.join("findings.csv")).unwrap()
    };
    let one_batch = findings_of("100000");
    assert!(one_batch.contains("九十八"));
    assert_eq!(one_batch, findings_of("600"));
    assert_eq!(
        one_batch,
        std::fs::read_to_string(out.join("findings.csv")).unwrap()
    );
    // No partial detail is left behind when the data has errors.
    assert!(!out.join("deductions_detail.csv").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The sum check (indicator scores against total_score) adds each evaluation's rows across
/// batches: a score changed by one point in the second half of an evaluation cut by a batch
/// boundary is found, whole or in batches; one changed within the tolerance (0.01) is not,
/// nor one whose sum cannot be known (a blank score).
#[test]
fn indicator_sums_add_up_across_batches() {
    let d = tmpdir("batch_sums");
    let ds = d.join("ds");
    std::fs::create_dir_all(&ds).unwrap();
    let synthetic = repo().join("datasets/synthetic");
    for f in std::fs::read_dir(&synthetic).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, ds.join(f.file_name().unwrap())).unwrap();
    }
    let text = std::fs::read_to_string(ds.join("indicators.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let eval_of = |l: &str| l.split(',').next().unwrap().to_string();
    // Data row 997 ends the first batch of 997; the evaluation it belongs to goes on.
    let cut = eval_of(&lines[997]);
    assert_eq!(
        eval_of(&lines[998]),
        cut,
        "the fixture no longer cuts an evaluation"
    );
    let set_score = |line: &mut String, f: &dyn Fn(f64) -> f64| {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        let v: f64 = cells[6].parse().unwrap();
        cells[6] = format!("{}", (f(v) * 1000.0).round() / 1000.0);
        *line = cells.join(",");
    };
    set_score(&mut lines[999], &|v| v - 1.0);
    // Two other evaluations further on: one within the tolerance, one with a blank score.
    let near = eval_of(&lines[3000]);
    set_score(&mut lines[3000], &|v| v - 0.004);
    let b = (4000..lines.len() - 1)
        .find(|&i| eval_of(&lines[i]) == eval_of(&lines[i + 1]))
        .unwrap();
    let mut cells: Vec<String> = lines[b + 1].split(',').map(str::to_string).collect();
    cells[6] = String::new();
    lines[b + 1] = cells.join(",");
    set_score(&mut lines[b], &|v| v - 2.0);
    std::fs::write(ds.join("indicators.csv"), lines.join("\n") + "\n").unwrap();

    for batch in ["1000000", "997"] {
        let out = d.join(format!("out-{batch}"));
        let o = validate_in_batches(&ds, &out, batch);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let sums: Vec<_> = read_csv(&out.join("findings.csv"))
            .into_iter()
            .filter(|r| r["check"] == "indicator_sum")
            .collect();
        assert_eq!(sums.len(), 1, "batch {batch}: {sums:?}");
        assert_eq!(sums[0]["key"], cut);
        assert!(
            sums[0]["message"].contains("but total_score is"),
            "{:?}",
            sums[0]
        );
        assert_ne!(sums[0]["key"], near);
    }
}
