//! `jixiao review` end to end: planted cases found at the top with the right reasons and
//! consistent self-evaluations kept low; the random stratum reproducible and disjoint from
//! the risk stratum; re-checks fed back giving the hand-computed estimate; datasets without
//! targets or self-evaluations; bad input as bench reports it; the workbook; the bundled
//! reports.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use jixiao::synth::Rng;

/// What was planted, by eval_id.
struct Planted {
    dir: PathBuf,
    missed_full: Vec<String>,
    low_exec: Vec<String>,
    above_sum: Vec<String>,
    consistent: Vec<String>,
}

fn cents(v: i64) -> String {
    jixiao::synth::cents(v)
}

/// A panel of project self-evaluations in the form of the 项目支出绩效自评表: a 预算执行率 row
/// (分值 10, scored 分值 × rate), a count target, a yes/no quality target, a benefit row. Most
/// are consistent: targets met at full marks, or missed and docked with a 偏差原因, the
/// execution row scored by the rule, the total the sum. Planted: 4 missed targets kept at full
/// marks, 4 high totals on low execution with the execution row at full marks, 4 totals above
/// their sums.
fn planted(name: &str, seed: u64) -> Planted {
    let d = tmpdir(name);
    let mut rng = Rng(seed);
    let mut evals = String::from("eval_id,unit_id,fiscal_year,scope,project_name,evaluator_type,evaluator,max_score,total_score,grade,budget_full_year,executed,execution_rate_stated,source\n");
    let mut inds = String::from(
        "eval_id,level1,level2,level3,max_points,score,target_value,actual_value,reason,source\n",
    );
    let mut units = String::from("unit_id,unit_name,short_name,province,district\n");
    for u in 1..=6 {
        units.push_str(&format!("u{u},测试{u}街道办事处,测试{u}街道,测试省,一区\n"));
    }
    let mut p = Planted {
        dir: d.clone(),
        missed_full: vec![],
        low_exec: vec![],
        above_sum: vec![],
        consistent: vec![],
    };
    let mut line = 1;
    for k in 0..60 {
        let id = format!("p{k:03}");
        let unit = format!("u{}", k % 6 + 1);
        let kind = match k {
            7 | 19 | 33 | 51 => "missed_full",
            3 | 24 | 40 | 58 => "low_exec",
            11 | 28 | 45 | 55 => "above_sum",
            _ => "consistent",
        };
        // Execution rate in hundredths of a percent.
        let rate: i64 = if kind == "low_exec" {
            6000 + rng.below(1500) as i64
        } else {
            9000 + rng.below(1001) as i64
        };
        let budget: i64 = 10_000 + rng.below(90_000) as i64; // hundredths of 万元
        let executed = budget * rate / 10_000;
        let rate_exact = executed * 10_000 / budget; // as the loader will compute, truncated
                                                     // 预算执行率: 分值 10 scored 10 × rate (in hundredths of a point), or 10 when planted.
        let exec_score = if kind == "low_exec" {
            1000
        } else {
            (1000 * rate_exact / 10_000).min(1000)
        };
        // Count target 500 people: met (full 30) or missed and docked with a reason.
        let met = rng.below(2) == 0 || kind == "missed_full" || kind == "low_exec";
        let (actual, count_score, count_reason) = if kind == "missed_full" {
            (420 + rng.below(60) as i64, 3000, "")
        } else if met {
            (500 + rng.below(40) as i64, 3000, "")
        } else {
            let a = 400 + rng.below(90) as i64;
            (a, 3000 * a / 500, "实际申请人数不足")
        };
        // Benefit row: 40 points, docked a little with a reason (high for low_exec).
        let benefit = match kind {
            "low_exec" => 4000 - 100 * (1 + rng.below(3) as i64),
            // Low enough that the total stays within 100 with the 8 points added.
            "above_sum" => 4000 - 100 * (10 + rng.below(5) as i64),
            _ => 4000 - 100 * (1 + rng.below(12) as i64),
        };
        let quality = 2000;
        let sum = exec_score + count_score + quality + benefit;
        let total = if kind == "above_sum" { sum + 800 } else { sum };
        let first = line;
        evals.push_str(&format!(
            "{id},{unit},2024,project,测试项目{k},self,{unit},100,{},,{},{},{},t.txt:{first}\n",
            cents(total),
            cents(budget),
            cents(executed),
            cents(rate),
        ));
        let mut row =
            |l1: &str, l2: &str, l3: &str, max: i64, score: i64, t: &str, a: &str, r: &str| {
                line += 1;
                inds.push_str(&format!(
                    "{id},{l1},{l2},{l3},{},{},{t},{a},{r},t.txt:{line}\n",
                    cents(max),
                    cents(score)
                ));
            };
        row(
            "预算执行",
            "",
            "预算执行率",
            1000,
            exec_score,
            "",
            &format!("{}%", cents(rate)),
            "",
        );
        row(
            "产出指标",
            "数量指标",
            "服务人数",
            3000,
            count_score,
            "≥500人",
            &format!("{actual}人"),
            count_reason,
        );
        row(
            "产出指标",
            "质量指标",
            "服务符合标准",
            2000,
            quality,
            "是否",
            "是",
            "",
        );
        row(
            "效益指标",
            "社会效益指标",
            "居民获得感",
            4000,
            benefit,
            "优良中差",
            "优",
            "宣传覆盖不足",
        );
        line += 1;
        match kind {
            "missed_full" => p.missed_full.push(id),
            "low_exec" => p.low_exec.push(id),
            "above_sum" => p.above_sum.push(id),
            _ => p.consistent.push(id),
        }
    }
    write(&d, "units.csv", &units);
    write(&d, "evaluations.csv", &evals);
    write(&d, "indicators.csv", &inds);
    p
}

fn review(dataset: &Path, out: &Path, extra: &[&str]) -> Output {
    let o = Command::new(bin())
        .args([
            "review",
            dataset.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "review failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

type Row = HashMap<String, String>;

fn rows(out: &Path) -> Vec<Row> {
    let r = read_csv(&out.join("review.csv"));
    assert!(!r.is_empty(), "review.csv has no rows");
    r
}

#[test]
fn planted_cases_come_first_with_their_reasons() {
    let p = planted("review-planted", 20);
    let out = tmpdir("review-planted-out");
    review(&p.dir, &out, &["--sample", "16", "--seed", "5"]);
    let r = rows(&out);
    assert_eq!(r.len(), 60);
    let planted: HashSet<&str> = p
        .missed_full
        .iter()
        .chain(&p.low_exec)
        .chain(&p.above_sum)
        .map(|s| s.as_str())
        .collect();
    // The twelve planted evaluations are the first twelve, in some order.
    let top: HashSet<&str> = r[..12].iter().map(|x| x["eval_id"].as_str()).collect();
    assert_eq!(top, planted, "top of the list");
    let by_id: HashMap<&str, &Row> = r.iter().map(|x| (x["eval_id"].as_str(), x)).collect();
    let reasons = |id: &str| {
        by_id[id]["reasons"]
            .split(';')
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    for id in &p.missed_full {
        assert_eq!(reasons(id), ["target_missed_full_marks"], "{id}");
        let e = &by_id[id.as_str()]["evidence"];
        assert!(
            e.contains("“服务人数”年度指标值“≥500人”") && e.contains("得满分30分"),
            "{e}"
        );
    }
    for id in &p.low_exec {
        assert_eq!(reasons(id), ["low_execution_high_score"], "{id}");
        let e = &by_id[id.as_str()]["evidence"];
        assert!(
            e.contains("但预算执行率仅") && e.contains("预算执行率指标得10分"),
            "{e}"
        );
    }
    for id in &p.above_sum {
        assert_eq!(reasons(id), ["sum_mismatch"], "{id}");
        assert!(by_id[id.as_str()]["evidence"].contains("比合计高出8分"));
    }
    // Consistent evaluations (targets met, or missed and docked with a reason) carry no risk.
    for id in &p.consistent {
        let x = by_id[id.as_str()];
        assert_eq!(x["risk_score"], "0", "{id}: {}", x["evidence"]);
        assert_eq!(x["reasons"], "", "{id}");
    }
    // The targets file holds every pair: the misses kept at full marks are the planted
    // ones; every other miss was docked (and its evaluation carries no risk).
    let t = read_csv(&out.join("review_targets.csv"));
    assert_eq!(t.len(), 60 * 4);
    let missed: Vec<&Row> = t.iter().filter(|x| x["outcome"] == "missed").collect();
    let full: HashSet<&str> = missed
        .iter()
        .filter(|x| x["score"] == x["max_points"])
        .map(|x| x["eval_id"].as_str())
        .collect();
    let want: HashSet<&str> = p.missed_full.iter().map(|s| s.as_str()).collect();
    assert_eq!(full, want);
    assert!(
        missed.len() > want.len() + 10,
        "the panel has docked misses too: {}",
        missed.len()
    );
}

#[test]
fn random_stratum_is_seeded_and_disjoint_from_the_risk_stratum() {
    let p = planted("review-strata", 21);
    let (a, b, c) = (
        tmpdir("review-strata-a"),
        tmpdir("review-strata-b"),
        tmpdir("review-strata-c"),
    );
    let args = ["--sample", "20", "--random-share", "0.4", "--seed", "99"];
    review(&p.dir, &a, &args);
    review(&p.dir, &b, &args);
    review(
        &p.dir,
        &c,
        &["--sample", "20", "--random-share", "0.4", "--seed", "100"],
    );
    let read = |d: &Path| std::fs::read(d.join("review.csv")).unwrap();
    assert_eq!(read(&a), read(&b), "same seed, same list and sample");
    let strata = |d: &Path| -> (Vec<String>, Vec<String>) {
        let r = rows(d);
        let pick = |s: &str| {
            r.iter()
                .filter(|x| x["stratum"] == s)
                .map(|x| x["eval_id"].clone())
                .collect::<Vec<_>>()
        };
        for x in &r {
            assert_eq!(x["in_sample"] == "true", !x["stratum"].is_empty());
        }
        (pick("risk"), pick("random"))
    };
    let (risk, random) = strata(&a);
    // N = 20, F = 0.4: 12 by risk, but only the 12 planted carry risk; 8 at random.
    assert_eq!((risk.len(), random.len()), (12, 8));
    assert!(risk.iter().all(|id| !random.contains(id)), "disjoint");
    let r = rows(&a);
    assert!(r[..12].iter().all(|x| x["stratum"] == "risk"));
    assert!(random.iter().all(|id| r
        .iter()
        .any(|x| &x["eval_id"] == id && x["risk_score"] == "0")));
    let (risk_c, random_c) = strata(&c);
    assert_eq!(risk, risk_c, "the risk stratum does not depend on the seed");
    assert_ne!(
        random, random_c,
        "another seed draws another random stratum"
    );
    // The draw does not depend on the input's row order.
    let shuffled = tmpdir("review-strata-shuffled");
    for t in ["units.csv", "indicators.csv"] {
        std::fs::copy(p.dir.join(t), shuffled.join(t)).unwrap();
    }
    let text = std::fs::read_to_string(p.dir.join("evaluations.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    write(&shuffled, "evaluations.csv", &(lines.join("\n") + "\n"));
    let d = tmpdir("review-strata-d");
    review(&shuffled, &d, &args);
    assert_eq!(strata(&d).1, random);
}

#[test]
fn rechecks_fed_back_give_the_estimate() {
    let p = planted("review-recheck", 22);
    let out = tmpdir("review-recheck-out");
    review(
        &p.dir,
        &out,
        &["--sample", "20", "--random-share", "0.4", "--seed", "3"],
    );
    // The bureau fills in rechecked_score: every risk evaluation 10 points lower; of the 8
    // random ones, the first 2 (by rank) 10 lower, the others 2 lower.
    let text = std::fs::read_to_string(out.join("review.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    let mut random_seen = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let mut v: Vec<String> = rec.iter().map(str::to_string).collect();
        let total: f64 = v[col("total_score")].parse().unwrap();
        let drop = match v[col("stratum")].as_str() {
            "risk" => Some(10.0),
            "random" => {
                random_seen += 1;
                Some(if random_seen <= 2 { 10.0 } else { 2.0 })
            }
            _ => None,
        };
        if let Some(dp) = drop {
            v[col("rechecked_score")] = format!("{}", total - dp);
        }
        w.write_record(&v).unwrap();
    }
    let filled = out.join("filled.csv");
    std::fs::write(&filled, w.into_inner().unwrap()).unwrap();
    let out2 = tmpdir("review-recheck-out2");
    let o = review(
        &p.dir,
        &out2,
        &[
            "--sample",
            "20",
            "--random-share",
            "0.4",
            "--seed",
            "3",
            "--rechecked",
            filled.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("random stratum: 8 of 8 re-checked, 2 inflated"),
        "{stderr}"
    );
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out2.join("summary.json")).unwrap()).unwrap();
    let e = &s["review"]["estimate"];
    assert_eq!(e["random"]["inflated"], 2);
    assert_eq!(e["risk"]["inflated"], 12);
    // Random: 2 of 8 = 0.25, Wilson 95% 0.0715 .. 0.5907 (hand-computed).
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    assert!((f(&e["random"]["share"]["share"]) - 0.25).abs() < 1e-12);
    assert!(
        (f(&e["random"]["share"]["ci_low"]) - 0.07146).abs() < 1e-4,
        "{e}"
    );
    assert!(
        (f(&e["random"]["share"]["ci_high"]) - 0.59067).abs() < 1e-4,
        "{e}"
    );
    // Population of 60: 12 in the risk stratum (all inflated), 48 outside: (12 + 48 × 0.25) / 60.
    let pop = &e["population"]["estimate"];
    assert!((f(&pop["share"]) - 24.0 / 60.0).abs() < 1e-12, "{e}");
    assert!((f(&pop["ci_low"]) - (12.0 + 48.0 * 0.07146) / 60.0).abs() < 1e-4);
    // The rows say so too.
    let r = rows(&out2);
    let inflated = r.iter().filter(|x| x["inflated"] == "true").count();
    assert_eq!(inflated, 14);
    assert!(r
        .iter()
        .filter(|x| x["stratum"].is_empty())
        .all(|x| x["rechecked_score"].is_empty()));
}

#[test]
fn without_targets_or_self_evaluations_it_says_so_and_still_writes() {
    // The bundled synthetic panel has no 年度指标值 / 实际完成值.
    let out = tmpdir("review-no-targets");
    let o = review(&repo().join("datasets/synthetic"), &out, &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("target_missed_full_marks was not checked"),
        "{stderr}"
    );
    let r = rows(&out);
    assert!(r.iter().all(|x| x["evaluator_type"] == "self"));
    // Its planted low executors are found; its lenient firm is named.
    assert!(r
        .iter()
        .any(|x| x["reasons"].contains("low_execution_high_score")));
    assert!(r.iter().any(|x| x["reasons"].contains("lenient_reference")
        && x["evidence"].contains("合成第三方甲公司")));
    assert!(r
        .iter()
        .all(|x| !x["reasons"].contains("target_missed_full_marks")));
    // No self-evaluations: said, and the evaluations there are listed with the checks that apply.
    let p = planted("review-no-self", 23);
    let text = std::fs::read_to_string(p.dir.join("evaluations.csv"))
        .unwrap()
        .replace(",self,", ",finance_bureau,");
    write(&p.dir, "evaluations.csv", &text);
    let out = tmpdir("review-no-self-out");
    let o = review(&p.dir, &out, &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("has no self-evaluations"), "{stderr}");
    let r = rows(&out);
    assert_eq!(r.len(), 60);
    assert!(r
        .iter()
        .any(|x| x["reasons"] == "sum_mismatch" && p.above_sum.contains(&x["eval_id"])));
}

#[test]
fn bad_input_gets_the_same_errors_as_bench() {
    let run = |cmd: &str, d: &Path| {
        let out = tmpdir(&format!("review-bad-{cmd}"));
        Command::new(bin())
            .args([cmd, d.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let same = |d: &Path, code: i32| {
        let (b, r) = (run("bench", d), run("review", d));
        assert_eq!(b.status.code(), Some(code));
        assert_eq!(r.status.code(), Some(code));
        let last = |o: &Output| {
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .rfind(|l| l.starts_with("error:"))
                // The findings file is in each command's own scratch folder.
                .map(|l| l.split("; see ").next().unwrap_or(l).to_string())
                .unwrap_or_default()
        };
        assert_eq!(last(&b), last(&r));
        assert!(!last(&r).is_empty());
    };
    same(&PathBuf::from("/nonexistent/dataset"), 3);
    // A missing required column.
    let d = tmpdir("review-bad-column");
    write(&d, "units.csv", "unit_id,unit_name\nu1,甲\n");
    write(
        &d,
        "evaluations.csv",
        "eval_id,unit_id,fiscal_year,scope,evaluator_type\ne1,u1,2024,project,self\n",
    );
    write(
        &d,
        "indicators.csv",
        "eval_id,level1,max_points,score\ne1,产出,10,9\n",
    );
    same(&d, 3);
    // Errors in the data: a dangling unit and a bad cell stop both, findings.csv written.
    let d = tmpdir("review-bad-data");
    write(&d, "units.csv", "unit_id,unit_name\nu1,甲\n");
    write(&d, "evaluations.csv", "eval_id,unit_id,fiscal_year,scope,evaluator_type,max_score,total_score\ne1,u9,2024,project,self,100,九十\n");
    write(
        &d,
        "indicators.csv",
        "eval_id,level1,max_points,score\ne1,产出,10,9\n",
    );
    same(&d, 1);
    let out = tmpdir("review-bad-data-out");
    let o = Command::new(bin())
        .args([
            "review",
            d.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let f = read_csv(&out.join("findings.csv"));
    assert!(f.iter().any(|x| x["check"] == "dangling_key"), "{f:?}");
    assert!(!out.join("review.csv").exists());
    // Bad flags and files of the review's own.
    let p = planted("review-bad-flags", 24);
    let o = Command::new(bin())
        .args(["review", p.dir.to_str().unwrap(), "--random-share", "1.5"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("between 0 and 1"));
    let w = p.dir.join("w.csv");
    std::fs::write(&w, "reason,weight\nceiling,x\n").unwrap();
    let out = tmpdir("review-bad-weights");
    let o = Command::new(bin())
        .args([
            "review",
            p.dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--weights",
            w.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("w.csv: row 2, column weight"));
    let rc = p.dir.join("rc.csv");
    std::fs::write(&rc, "eval_id,rechecked_score\np001,八十\n").unwrap();
    let o = Command::new(bin())
        .args([
            "review",
            p.dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--rechecked",
            rc.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("rc.csv: row 2, column rechecked_score"));
}

#[test]
fn weights_and_settings_change_the_ranking() {
    let p = planted("review-weights", 25);
    // Sum mismatches weigh 10: they lead.
    let mut w = String::from("reason,weight,max_count\n");
    for (code, weight) in [
        ("target_missed_full_marks", 1),
        ("low_execution_high_score", 1),
        ("sum_mismatch", 10),
        ("grade_mismatch", 1),
        ("ceiling", 1),
        ("unexplained_deduction", 1),
        ("history", 1),
        ("lenient_reference", 1),
        ("target_not_comparable", 0),
    ] {
        w.push_str(&format!("{code},{weight},1\n"));
    }
    write(&p.dir, "weights.csv", &w);
    write(
        &p.dir,
        "jixiao.toml",
        "[review]\nsample = 6\nrandom_share = 0.5\nweights = \"weights.csv\"\n",
    );
    let out = tmpdir("review-weights-out");
    let o = Command::new(bin())
        .args([
            "--config",
            p.dir.join("jixiao.toml").to_str().unwrap(),
            "review",
            p.dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = rows(&out);
    let top: HashSet<&str> = r[..4].iter().map(|x| x["eval_id"].as_str()).collect();
    let want: HashSet<&str> = p.above_sum.iter().map(|s| s.as_str()).collect();
    assert_eq!(top, want);
    assert!(r[..4].iter().all(|x| x["risk_score"] == "10"));
    // N = 6, F = 0.5: 3 and 3.
    let n = |s: &str| r.iter().filter(|x| x["stratum"] == s).count();
    assert_eq!((n("risk"), n("random")), (3, 3));
}

fn sheet_xml(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn workbook_in_chinese_with_frozen_header_filters_and_wide_evidence() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let p = planted("review-xlsx", 26);
    let out = tmpdir("review-xlsx-out");
    review(&p.dir, &out, &["--format", "xlsx"]);
    let path = out.join("review.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["复核优先清单", "指标目标比较", "权重", "说明"]
    );
    let range = wb.worksheet_range("复核优先清单").unwrap();
    let cell = |r: usize, c: usize| match range.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    assert_eq!(cell(0, 0), "优先序");
    assert_eq!(cell(0, 11), "依据（报告原文位置）");
    assert_eq!(cell(1, 0), "1");
    assert!(
        cell(1, 10).contains("未达目标仍得满分")
            || cell(1, 10).contains("低执行率高分")
            || cell(1, 10).contains("总分与指标得分合计不符"),
        "{}",
        cell(1, 10)
    );
    assert!(cell(1, 11).ends_with('。'));
    assert_eq!(range.height(), 61);
    let xml = sheet_xml(&path, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("ySplit=\"1\""), "frozen header");
    assert!(xml.contains("<autoFilter ref=\"A1:R61\""), "filters");
    // The evidence column (L, the 12th) is 90 characters wide and wraps.
    assert!(
        xml.contains("<col min=\"12\" max=\"12\" width=\"90.7"),
        "{}",
        &xml[..xml.len().min(1500)]
    );
}

#[test]
fn bundled_reports_top_of_the_list() {
    let out = tmpdir("review-bundled");
    let o = review(&repo().join("datasets/extracted"), &out, &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let r = rows(&out);
    let by_id: HashMap<&str, &Row> = r.iter().map(|x| (x["eval_id"].as_str(), x)).collect();
    let s108 = by_id["004_db61ce0a276f3835-s108"];
    // 发放人数 498人 planned, 494人 reached, 10 of 10 points; indicators add up to 87, total 97.
    assert!(
        s108["reasons"].contains("target_missed_full_marks")
            && s108["reasons"].contains("sum_mismatch")
    );
    assert!(s108["evidence"].contains("“发放人数”年度指标值“498人”、实际完成值“494人”，得满分10分（004_db61ce0a276f3835.txt:3357）"));
    assert!(s108["evidence"].contains("9项指标得分合计87分，总分却为97分，比合计高出10分"));
    assert!(s108["rank"].parse::<usize>().unwrap() <= 3);
    // 发放人次 480 planned, 270 paid out, at full marks.
    let s009 = by_id["004_db61ce0a276f3835-s009"];
    assert!(s009["evidence"]
        .contains("年度指标值“480”、实际完成值“270”，得满分10分（004_db61ce0a276f3835.txt:973）"));
    // 43 / 已完成: listed as not comparable, never guessed.
    let t = read_csv(&out.join("review_targets.csv"));
    assert!(t.iter().any(|x| x["target_value"] == "43"
        && x["actual_value"] == "已完成"
        && x["outcome"] == "not_comparable"));
    assert!(stderr.contains("target / actual pairs"), "{stderr}");
    // Every self-evaluation of the bundled reports is listed (141 in the five text reports, one
    // each in the Word and PDF ones); the expert and third-party ones are not.
    let evals = read_csv(&repo().join("datasets/extracted/evaluations.csv"));
    let selfs = evals
        .iter()
        .filter(|e| e["evaluator_type"] == "self")
        .count();
    assert_eq!(selfs, 143);
    assert_eq!(r.len(), selfs);
    assert!(r.iter().all(|x| x["evaluator_type"] == "self"));
}

#[test]
fn help_names_the_chinese_terms() {
    let o = Command::new(bin())
        .args(["review", "--help"])
        .output()
        .unwrap();
    let h = String::from_utf8_lossy(&o.stdout);
    for w in [
        "自评抽查复核",
        "年度指标值",
        "实际完成值",
        "--random-share",
        "--rechecked",
        "--seed",
    ] {
        assert!(h.contains(w), "{w} missing from help");
    }
}
