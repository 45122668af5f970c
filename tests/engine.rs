//! The engine end to end: hand-computed small data, planted truth in a synthetic panel,
//! and bad input.

mod common;

use std::process::Command;

use common::*;
use jixiao::bench::{self, BenchOptions};
use jixiao::dataset::{self, findings::Severity};

const UNITS: &str = "unit_id,unit_name,short_name,province,district\n\
a,甲街道办事处,甲街道,测试省,一区\nb,乙街道办事处,乙街道,测试省,一区\nc,丙街道办事处,丙街道,测试省,二区\n";

const EVALS: &str = "eval_id,unit_id,fiscal_year,scope,project_name,evaluator_type,evaluator,max_score,total_score,grade,budget_initial,budget_full_year,executed,execution_rate_stated\n\
a-s,a,2023,department,,self,甲街道,100,98,优,,5601.15,5587.42,99.75\n\
a-t,a,2023,department,,third_party,某公司,100,92.5,优,,,,\n\
b-s,b,2023,department,,self,乙街道,100,95,优,,200,150,75\n\
b-t,b,2023,department,,third_party,某公司,100,90,优,,,,\n\
c-s,c,2023,project,（第二批） 资金,self,丙街道,100,,,,10.6029,10.6029,100\n\
c-e,c,2023,project,(第二批)资金,expert_panel,专家组,100,86.36,良,,,,\n";

const INDS: &str = "eval_id,level1,level2,level3,level4,max_points,score,reason\n\
a-t,决策,,预算编制,,10,9.2,预算测算依据不充分\n\
a-t,决策,,目标,,10,10,\n\
a-t,管理,,资产,,80,73.3,固定资产管理不规范\n\
b-t,决策,,预算编制,,10,10,\n\
b-t,管理,,资产,,90,80,部分合同要素填写不完整\n\
c-s,产出,,数量,,100,,\n";

fn small() -> std::path::PathBuf {
    let d = tmpdir("small");
    write(&d, "units.csv", UNITS);
    write(&d, "evaluations.csv", EVALS);
    write(&d, "indicators.csv", INDS);
    d
}

#[test]
fn hand_computed_small_dataset() {
    let d = small();
    let (ds, mut findings) = dataset::load(&d).unwrap();
    assert!(findings.is_empty(), "{findings:?}");
    dataset::validate::validate(&ds, &mut findings).unwrap();
    assert_eq!(
        dataset::findings::count(&findings, Severity::Error),
        0,
        "{findings:?}"
    );
    // b-s states 75% but 150/200 = 75 -> fine; a-s states 99.75 vs 99.7549… -> within 0.1.
    assert!(
        !findings.iter().any(|f| f.check == "execution_rate_stated"),
        "{findings:?}"
    );
    // the blank self total is reported, never zero
    assert!(findings
        .iter()
        .any(|f| f.check == "blank_total" && f.key == "c-s"));

    let t = bench::run(&ds, &BenchOptions::default()).unwrap();
    let out = tmpdir("small-out");
    t.write(&out, dataset::write::Format::Csv).unwrap();

    let ex = read_csv(&out.join("execution.csv"));
    let a = ex.iter().find(|r| r["eval_id"] == "a-s").unwrap();
    // 5587.42 * 100 / 5601.15 = 99.7548717…, exact to 6 places (half to even)
    assert_eq!(a["execution_rate"], "99.754872");
    assert_eq!(a["budget_full_year"], "5601.15");
    let b = ex.iter().find(|r| r["eval_id"] == "b-s").unwrap();
    assert_eq!(b["flag"], "below_80");
    // department peers in 一区 have 2 units (< 5) -> province group, with a and b: median 87.37745
    assert_eq!(b["peer_group"], "province:测试省");
    assert_eq!(b["peer_median"], "87.3774");
    assert_eq!(b["percentile"].parse::<f64>().unwrap(), 50.0);

    // Deductions: exact decimal points lost.
    let det = read_csv(&out.join("deductions_detail.csv"));
    let lost: Vec<(&str, &str, &str)> = det
        .iter()
        .map(|r| {
            (
                r["eval_id"].as_str(),
                r["points_lost"].as_str(),
                r["cause"].as_str(),
            )
        })
        .collect();
    assert!(lost.contains(&("a-t", "0.8", "预算编制")));
    assert!(lost.contains(&("a-t", "6.7", "资产管理")));
    assert!(lost.contains(&("b-t", "10", "合同与采购")));
    assert_eq!(det.len(), 3, "blank scores are not deductions: {det:?}");
    let ded = read_csv(&out.join("deductions.csv"));
    let asset = ded.iter().find(|r| r["cause"] == "资产管理").unwrap();
    assert_eq!(asset["points_lost"], "6.7");
    // 6.7 / (0.8 + 6.7 + 10) = 0.382857…
    assert_eq!(asset["share_of_points_lost"], "0.3829");

    // Inflation: two department pairs, gaps 5.5 and 5; the blank self project is no pair.
    let inf = read_csv(&out.join("inflation.csv"));
    assert_eq!(inf.len(), 2);
    let gaps: Vec<&str> = inf.iter().map(|r| r["gap"].as_str()).collect();
    assert_eq!(gaps, ["5.5", "5"]);
    let s = read_csv(&out.join("inflation_summary.csv"));
    assert_eq!(s[0]["mean_gap"], "5.25");
    assert_eq!(s[0]["share_self_higher"].parse::<f64>().unwrap(), 1.0);
    // Distribution level: c has a self project (blank) and an expert project: no self score.
    let dist = read_csv(&out.join("inflation_distribution.csv"));
    assert!(dist.iter().all(|r| r["unit_id"] != "c"));

    let sc = read_csv(&out.join("scores.csv"));
    let selfs = sc
        .iter()
        .find(|r| {
            r["evaluator_type"] == "self" && r["scope"] == "department" && r["district"].is_empty()
        })
        .unwrap();
    assert_eq!(selfs["n"], "2");
    assert_eq!(selfs["mean"].parse::<f64>().unwrap(), 96.5);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["inflation"]["n_pairs"], 2);
    assert_eq!(summary["below_80_execution"][0]["unit_id"], "b");
}

#[test]
fn name_matching_pairs_tolerant_names() {
    // The project named with full-width brackets and a space pairs when both are scored.
    let d = tmpdir("names");
    write(&d, "units.csv", UNITS);
    write(
        &d,
        "evaluations.csv",
        &EVALS.replace(
            "c-s,c,2023,project,（第二批） 资金,self,丙街道,100,,",
            "c-s,c,2023,project,（第二批） 资金,self,丙街道,100,97,",
        ),
    );
    write(&d, "indicators.csv", INDS);
    let (ds, _) = dataset::load(&d).unwrap();
    let t = bench::run(&ds, &BenchOptions::default()).unwrap();
    assert_eq!(t.inflation.height(), 3);
}

#[test]
fn synthetic_panel_recovers_planted_truth() {
    let d = tmpdir("synth");
    let o = jixiao::synth::SynthOptions {
        districts: 4,
        units: 10,
        years: 3,
        projects: 6,
        seed: 7,
        last_year: 2024,
    };
    jixiao::synth::generate(&d, &o).unwrap();
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("truth.json")).unwrap()).unwrap();
    let (ds, mut findings) = dataset::load(&d).unwrap();
    dataset::validate::validate(&ds, &mut findings).unwrap();
    assert_eq!(dataset::findings::count(&findings, Severity::Error), 0);
    let t = bench::run(&ds, &BenchOptions::default()).unwrap();
    let out = tmpdir("synth-out");
    t.write(&out, dataset::write::Format::Csv).unwrap();

    // Leniency: the planted firm is flagged with an effect near its expected value; no other is.
    let all_rows = read_csv(&out.join("leniency.csv"));
    assert!(
        all_rows.iter().any(|r| r["fiscal_year"] == "2024"),
        "per-year fits are kept"
    );
    let len: Vec<_> = all_rows
        .into_iter()
        .filter(|r| r["fiscal_year"].is_empty())
        .collect();
    assert_eq!(len.len(), 5, "one pooled row per evaluator");
    let lenient_name = truth["lenient_evaluator"]["evaluator"].as_str().unwrap();
    // Read against the other evaluators: the planted +5 firm reads +5 (not 4, as centring
    // on a mean that includes it would give), the unbiased ones 0 − 5/4.
    let expected = truth["lenient_evaluator"]["expected_effect"]
        .as_f64()
        .unwrap();
    assert_eq!(expected, 5.0);
    let unbiased = truth["unbiased_evaluators"][0]["expected_effect"]
        .as_f64()
        .unwrap();
    assert_eq!(unbiased, -1.25);
    for r in &len {
        let eff: f64 = r["effect"].parse().unwrap();
        assert_eq!(r["reference"], "others");
        if r["evaluator"] == lenient_name {
            assert_eq!(r["lenient"], "true", "{r:?}");
            assert!(
                (eff - expected).abs() < 0.6,
                "effect {eff} vs planted {expected}"
            );
        } else {
            assert_eq!(r["lenient"], "false", "unbiased evaluator flagged: {r:?}");
            assert!((eff - unbiased).abs() < 0.6, "{r:?}");
        }
    }
    // Per-year rows are descriptive here (fewer than 30 shared objects a year): no flag.
    let per_year = read_csv(&out.join("leniency.csv"));
    for r in per_year.iter().filter(|r| !r["fiscal_year"].is_empty()) {
        assert_eq!(r["lenient"], "", "{r:?}");
        assert!(r["note"].contains("per_year_descriptive"), "{r:?}");
        let df: f64 = r["df"].parse().unwrap();
        // t interval on the fit's residual degrees of freedom
        let (e, se, hi): (f64, f64, f64) = (
            r["effect"].parse().unwrap(),
            r["se"].parse().unwrap(),
            r["ci_high"].parse().unwrap(),
        );
        let t = (hi - e) / se;
        assert!(t > 1.97 && df > 0.0, "t {t} on {df} df");
    }
    // Self inflation against unbiased evaluators is the planted 4 points.
    let inf = read_csv(&out.join("inflation.csv"));
    let gaps: Vec<f64> = inf
        .iter()
        .filter(|r| r["reference_evaluator"] != lenient_name)
        .map(|r| r["gap_100"].parse().unwrap())
        .collect();
    let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
    assert!(
        gaps.len() > 100 && (mean - truth["self_inflation"].as_f64().unwrap()).abs() < 0.4,
        "mean gap {mean} over {}",
        gaps.len()
    );
    // Low execution: every planted unit-year is flagged below_80 at department level, no other.
    let ex = read_csv(&out.join("execution.csv"));
    let flagged: std::collections::BTreeSet<(String, String)> = ex
        .iter()
        .filter(|r| r["scope"] == "department" && r["flag"] == "below_80")
        .map(|r| (r["unit_id"].clone(), r["fiscal_year"].clone()))
        .collect();
    let planted: std::collections::BTreeSet<(String, String)> = truth["low_execution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["unit_id"].as_str().unwrap().to_string(),
                v["fiscal_year"].to_string(),
            )
        })
        .collect();
    assert!(!planted.is_empty());
    assert_eq!(flagged, planted);
    // Causes: counts equal what was generated, exactly.
    let det = read_csv(&out.join("deductions_detail.csv"));
    for (cause, n) in truth["cause_counts"].as_object().unwrap() {
        let got = det.iter().filter(|r| &r["cause"] == cause).count() as u64;
        assert_eq!(got, n.as_u64().unwrap(), "cause {cause}");
    }
    // Blank self scores stay blank: they are neither in scores nor in pairs.
    let n_blank = truth["blank_self_evaluations"].as_u64().unwrap() as usize;
    let blank_findings = findings.iter().filter(|f| f.check == "blank_total").count();
    assert_eq!(blank_findings, n_blank);
}

#[test]
fn bad_input_names_file_row_and_column() {
    // wrong type
    let d = tmpdir("badtype");
    write(&d, "units.csv", UNITS);
    write(
        &d,
        "evaluations.csv",
        &EVALS.replace(
            "a-t,a,2023,department,,third_party,某公司,100,92.5",
            "a-t,a,2023,department,,third_party,某公司,100,九十八",
        ),
    );
    write(&d, "indicators.csv", INDS);
    let (_, f) = dataset::load(&d).unwrap();
    let e = f.iter().find(|f| f.check == "type").expect("type finding");
    assert_eq!(e.row, 3);
    assert!(
        e.message
            .contains("evaluations.csv: row 3, column total_score: '九十八'"),
        "{}",
        e.message
    );

    // missing required column
    let d = tmpdir("missing");
    write(&d, "units.csv", "unit_id,short_name\na,甲\n");
    write(&d, "evaluations.csv", EVALS);
    write(&d, "indicators.csv", INDS);
    let err = dataset::load(&d).err().expect("error");
    assert!(
        matches!(err, jixiao::error::JxError::Input { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("units.csv") && err.to_string().contains("unit_name"),
        "{}",
        err.to_string()
    );

    // empty file
    let d = tmpdir("empty");
    write(&d, "units.csv", "");
    write(&d, "evaluations.csv", EVALS);
    write(&d, "indicators.csv", INDS);
    let err = dataset::load(&d).err().expect("error");
    assert!(
        err.to_string().contains("units.csv") && err.to_string().contains("empty"),
        "{}",
        err.to_string()
    );

    // dangling key and duplicate id
    let d = tmpdir("dangling");
    write(&d, "units.csv", UNITS);
    write(&d, "evaluations.csv", &format!("{EVALS}x-1,zzz,2023,department,,self,,100,90,,,,,\na-s,a,2023,department,,self,,100,90,,,,,\n"));
    write(&d, "indicators.csv", INDS);
    let (ds, mut f) = dataset::load(&d).unwrap();
    dataset::validate::validate(&ds, &mut f).unwrap();
    assert!(f
        .iter()
        .any(|x| x.check == "dangling_key" && x.row == 8 && x.message.contains("zzz")));
    assert!(f
        .iter()
        .any(|x| x.check == "duplicate_id" && x.key == "a-s"));

    // GBK-encoded CSV reads the same as UTF-8
    let d = tmpdir("gbk");
    let (gbk, _, _) = encoding_rs::GB18030.encode(UNITS);
    std::fs::write(d.join("units.csv"), &gbk).unwrap();
    write(&d, "evaluations.csv", EVALS);
    write(&d, "indicators.csv", INDS);
    let (ds, f) = dataset::load(&d).unwrap();
    assert!(f.is_empty());
    assert_eq!(
        ds.units.column("short_name").unwrap().str().unwrap().get(0),
        Some("甲街道")
    );
    assert_eq!(ds.inputs[0].encoding, "GB18030");
    // A library caller forces the encoding of every table as --encoding does: on a dataset
    // saved all in GBK, GB18030 reads it as UTF-8 would read it; UTF-8 finds every row with
    // Chinese text broken (set aside, each a finding).
    let d = tmpdir("gbk-all");
    for (name, text) in [
        ("units", UNITS),
        ("evaluations", EVALS),
        ("indicators", INDS),
    ] {
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        std::fs::write(d.join(format!("{name}.csv")), &gbk).unwrap();
    }
    let forced = |e| dataset::load::ReadOptions {
        encoding: Some(e),
        ..dataset::load::ReadOptions::lenient()
    };
    let (ds, f) = dataset::load::load_with(&d, &forced(dataset::Encoding::Gb18030)).unwrap();
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(
        ds.units.column("short_name").unwrap().str().unwrap().get(0),
        Some("甲街道")
    );
    let (ds, f) = dataset::load::load_with(&d, &forced(dataset::Encoding::Utf8)).unwrap();
    assert_eq!(ds.inputs[0].encoding, "UTF-8");
    assert_eq!(ds.units.height(), 0);
    assert_eq!(f.iter().filter(|x| x.table == "units").count(), 3, "{f:?}");
}

#[test]
fn cli_exit_codes_and_outputs() {
    let d = small();
    let out = tmpdir("cli-out");
    let st = Command::new(bin())
        .args(["bench", d.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    for f in [
        "execution.csv",
        "scores.csv",
        "rankings.csv",
        "deductions.csv",
        "deductions_detail.csv",
        "inflation.csv",
        "inflation_summary.csv",
        "leniency.csv",
        "summary.json",
        "findings.csv",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let st = Command::new(bin())
        .args([
            "bench",
            d.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--format",
            "parquet",
        ])
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    assert!(out.join("execution.parquet").is_file());

    let bad = tmpdir("cli-bad");
    write(&bad, "units.csv", UNITS);
    write(&bad, "evaluations.csv", &EVALS.replace("92.5", "九十八"));
    write(&bad, "indicators.csv", INDS);
    let o = Command::new(bin())
        .args([
            "bench",
            bad.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("九十八"));
    let o = Command::new(bin())
        .args(["validate", "/no/such/dir"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/no/such/dir"));
}

#[test]
fn rankings_hand_computed() {
    let d = tmpdir("rankings");
    write(&d, "units.csv", "unit_id,unit_name,province,district\nr1,一号,测试省,一区\nr2,二号,测试省,一区\nr3,三号,测试省,一区\n");
    write(
        &d,
        "evaluations.csv",
        "eval_id,unit_id,fiscal_year,scope,evaluator_type,evaluator,max_score,total_score\n\
         a,r1,2024,department,third_party,某公司,100,90\nb,r2,2024,department,third_party,某公司,100,85\nc,r3,2024,department,third_party,某公司,100,85\n",
    );
    write(
        &d,
        "indicators.csv",
        "eval_id,level1,max_points,score\na,决策,20,18\na,产出,80,72\nb,决策,20,17\nb,产出,80,68\nc,决策,20,\nc,产出,80,68\n",
    );
    let (ds, _) = dataset::load(&d).unwrap();
    let t = bench::run(&ds, &BenchOptions::default()).unwrap();
    let out = tmpdir("rankings-out");
    t.write(&out, dataset::write::Format::Csv).unwrap();
    let r = read_csv(&out.join("rankings.csv"));
    let get = |id: &str| r.iter().find(|x| x["eval_id"] == id).unwrap().clone();
    let (a, b, c) = (get("a"), get("b"), get("c"));
    // ranks 1, 2, 2 (ties share the best rank); percentile = share of peers at or below
    assert_eq!(
        (a["rank"].as_str(), b["rank"].as_str(), c["rank"].as_str()),
        ("1", "2", "2")
    );
    assert_eq!(a["n_peers"], "3");
    // Three peers: too few for a percentile (withheld, with the reason).
    assert_eq!(
        (a["percentile"].as_str(), b["percentile"].as_str()),
        ("", "")
    );
    assert!(a["percentile_note"].contains("peer group of 3"));
    assert_eq!(a["peer_group"], "province:测试省");
    // level-1 score rates: 18/20 = 0.9, 17/20 = 0.85, blank when a score is blank
    assert_eq!(a["rate_决策"].parse::<f64>().unwrap(), 0.9);
    assert_eq!(b["rate_决策"].parse::<f64>().unwrap(), 0.85);
    assert_eq!(c["rate_决策"], "");
    assert_eq!(c["rate_产出"].parse::<f64>().unwrap(), 0.85);
    let long = read_csv(&out.join("rankings_level1.csv"));
    let cj = long
        .iter()
        .find(|x| x["eval_id"] == "c" && x["level1"] == "决策")
        .unwrap();
    assert_eq!(
        (
            cj["max_points"].as_str(),
            cj["score"].as_str(),
            cj["score_rate"].as_str()
        ),
        ("20", "", "")
    );
}
