//! Inflation on a hand-made panel: pooled rows beside the per-year rows, the interval
//! clustered by unit against statsmodels, headlines that count each self score once, the
//! leniency-adjusted gaps, and distributions compared within one scope.

mod common;

use common::*;
use jixiao::bench::{self, BenchOptions};
use jixiao::dataset;

const UNITS: &str = "unit_id,unit_name,short_name,province,district\n\
a,甲街道办事处,甲街道,测试省,一区\nb,乙街道办事处,乙街道,测试省,一区\n\
c,丙街道办事处,丙街道,测试省,一区\nd,丁街道办事处,丁街道,测试省,一区\n";

// Third-party department gaps: a 2023 4, a 2024 5, b 2023 −1, b 2024 2, c 2023 5.
// a 2024's self score is also paired with the expert panel (gap 3): one self score, two pairs.
// d has project self scores and only a department independent score.
const EVALS: &str = "eval_id,unit_id,fiscal_year,scope,project_name,evaluator_type,evaluator,max_score,total_score\n\
a3s,a,2023,department,,self,甲街道,100,90\n\
a3t,a,2023,department,,third_party,甲公司,100,86\n\
a3ps,a,2023,project,P1,self,甲街道,100,88\n\
a3pe,a,2023,project,P1,expert_panel,专家组,100,85\n\
a4s,a,2024,department,,self,甲街道,100,92\n\
a4t,a,2024,department,,third_party,甲公司,100,87\n\
a4e,a,2024,department,,expert_panel,专家组,100,89\n\
b3s,b,2023,department,,self,乙街道,100,80\n\
b3t,b,2023,department,,third_party,乙公司,100,81\n\
b4s,b,2024,department,,self,乙街道,100,85\n\
b4t,b,2024,department,,third_party,乙公司,100,83\n\
c3s,c,2023,department,,self,丙街道,100,95\n\
c3t,c,2023,department,,third_party,甲公司,100,90\n\
c4ps,c,2024,project,P2,self,丙街道,100,70\n\
c4pe,c,2024,project,P2,expert_panel,专家组,100,66\n\
d3p1,d,2023,project,P3,self,丁街道,100,90\n\
d3p2,d,2023,project,P4,self,丁街道,100,88\n\
d3t,d,2023,department,,third_party,甲公司,100,85\n";

/// `name`: the tests run in parallel, each in its own folders.
fn bench_panel(name: &str) -> std::path::PathBuf {
    let d = tmpdir(&format!("stats-inflation-{name}"));
    write(&d, "units.csv", UNITS);
    write(&d, "evaluations.csv", EVALS);
    write(&d, "indicators.csv", "eval_id,level1,max_points,score\n");
    let (ds, _) = dataset::load(&d).unwrap();
    let t = bench::run(&ds, &BenchOptions::default()).unwrap();
    let out = tmpdir(&format!("stats-inflation-{name}-out"));
    t.write(&out, dataset::write::Format::Csv).unwrap();
    out
}

fn num(r: &std::collections::HashMap<String, String>, c: &str) -> f64 {
    r[c].parse().unwrap_or_else(|_| panic!("{c}: '{}'", r[c]))
}

#[test]
fn pooled_gap_and_clustered_interval() {
    let out = bench_panel("pooled");
    let s = read_csv(&out.join("inflation_summary.csv"));
    let pooled = s
        .iter()
        .find(|r| {
            r["reference_type"] == "third_party"
                && r["scope"] == "department"
                && r["fiscal_year"].is_empty()
        })
        .expect("a pooled row (fiscal_year blank)");
    // Mean of 4, 5, −1, 2, 5 = 3 over 5 pairs of 3 units.
    assert_eq!(pooled["n_pairs"], "5");
    assert_eq!(pooled["n_units"], "3");
    assert_eq!(num(pooled, "mean_gap"), 3.0);
    // Clustered by unit: residual sums a 1+2 = 3, b −4−1 = −5, c 2; Σ² = 38;
    // var = 3/2 · 38 / 25 = 2.28, se = 1.50997; t(0.975; 2) = 4.302653.
    // statsmodels 0.15.0 gives the same: sm.OLS(gap, ones).fit(cov_type="cluster",
    // cov_kwds={"groups": unit}, use_t=True) -> bse 1.50996689, conf_int
    // (-3.49686315, 9.49686315).
    assert!((num(pooled, "se_gap") - 1.50996689).abs() < 5e-4);
    assert!((num(pooled, "ci_low") + 3.49686315).abs() < 5e-4);
    assert!((num(pooled, "ci_high") - 9.49686315).abs() < 5e-4);
    // The per-year rows are still there: 2023 has a 4, b −1, c 5.
    let y23 = s
        .iter()
        .find(|r| {
            r["reference_type"] == "third_party"
                && r["scope"] == "department"
                && r["fiscal_year"] == "2023"
        })
        .unwrap();
    assert_eq!(num(y23, "mean_gap"), 2.6667);
    assert_eq!(y23["n_units"], "3");
}

#[test]
fn headline_counts_each_self_score_once() {
    let out = bench_panel("headline");
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let inf = &j["inflation"];
    // 8 pairs, 7 self scores: a 2024's is paired with the firm (5) and the panel (3) and
    // counts once, as 4. Gaps 4, 3, 4, −1, 2, 5, 4: mean 3 (pairs counted twice: 25/8).
    assert_eq!(inf["n_pairs"], 8);
    assert_eq!(inf["n_self_scores"], 7);
    assert_eq!(inf["mean_gap"], 3.0);
    let tp = &inf["by_reference_type"]["third_party"];
    assert_eq!(tp["n_self_scores"], 5);
    assert_eq!(tp["mean_gap"], 3.0);
    let ep = &inf["by_reference_type"]["expert_panel"];
    // a 2023 P1 3, a 2024 3, c 2024 P2 4.
    assert_eq!(ep["n_self_scores"], 3);
    assert_eq!(ep["mean_gap"], 3.3333);
}

#[test]
fn gaps_adjusted_for_the_references_leniency() {
    let out = bench_panel("adjusted");
    // One shared object (a 2024: firm 87, panel 89): the two read ∓2 against each other; on
    // the common scale (the median of two is their mean) the firm is adjusted by −1, the
    // panel by +1. 乙公司 shares nothing: no adjustment.
    let pairs = read_csv(&out.join("inflation.csv"));
    let a3 = pairs
        .iter()
        .find(|r| r["reference_eval_id"] == "a3t")
        .unwrap();
    assert_eq!(num(a3, "reference_adjustment"), -1.0);
    assert_eq!(num(a3, "gap_adjusted"), 3.0);
    let a4e = pairs
        .iter()
        .find(|r| r["reference_eval_id"] == "a4e")
        .unwrap();
    assert_eq!(num(a4e, "gap_adjusted"), 4.0);
    let b3 = pairs
        .iter()
        .find(|r| r["reference_eval_id"] == "b3t")
        .unwrap();
    assert_eq!(b3["gap_adjusted"], "");
    let ev = read_csv(&out.join("inflation_evaluators.csv"));
    let firm = ev
        .iter()
        .find(|r| {
            r["reference_evaluator"] == "甲公司"
                && r["scope"] == "department"
                && r["fiscal_year"].is_empty()
        })
        .unwrap();
    // 甲公司: gaps 4, 5, 5 -> 4.6667; adjusted 3, 4, 4 -> 3.6667.
    assert_eq!(num(firm, "mean_gap"), 4.6667);
    assert_eq!(num(firm, "mean_gap_adjusted"), 3.6667);
    let s = read_csv(&out.join("inflation_summary.csv"));
    let pooled = s
        .iter()
        .find(|r| {
            r["reference_type"] == "third_party"
                && r["scope"] == "department"
                && r["fiscal_year"].is_empty()
        })
        .unwrap();
    assert_eq!(pooled["n_pairs_adjusted"], "3");
    assert_eq!(num(pooled, "mean_gap_adjusted"), 3.6667);
}

#[test]
fn distributions_compare_like_scopes() {
    let out = bench_panel("distribution");
    let d = read_csv(&out.join("inflation_distribution.csv"));
    // c 2024: one project self score (70) against one project expert score (66).
    let c = d
        .iter()
        .find(|r| r["unit_id"] == "c" && r["fiscal_year"] == "2024")
        .unwrap();
    assert_eq!(
        (c["scope"].as_str(), c["n_independent"].as_str()),
        ("project", "1")
    );
    assert_eq!(num(c, "mean_difference"), 4.0);
    // d 2023: project self scores, a department independent score only: said so, no figures.
    let dd = d.iter().find(|r| r["unit_id"] == "d").unwrap();
    assert_eq!(dd["scope"], "project");
    assert_eq!(dd["n_independent"], "");
    assert_eq!(dd["mean_difference"], "");
    assert!(
        dd["note"].contains("no independent project scores"),
        "{dd:?}"
    );
    // a 2023: department against department, project against project (never mixed).
    let a: Vec<_> = d
        .iter()
        .filter(|r| r["unit_id"] == "a" && r["fiscal_year"] == "2023")
        .collect();
    assert_eq!(a.len(), 2);
    let ap = a.iter().find(|r| r["scope"] == "project").unwrap();
    assert_eq!(
        (num(ap, "mean_self"), num(ap, "mean_independent")),
        (88.0, 85.0)
    );
}
