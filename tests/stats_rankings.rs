//! Rankings on a hand-made panel: rank intervals from the measurement error, leniency-
//! adjusted scores and ranks, and percentiles withheld in small peer groups.

mod common;

use common::*;
use jixiao::bench::{self, BenchOptions};
use jixiao::dataset;

// Six units in 一区 (a district peer group), one in 二区 (alone in its province group).
const UNITS: &str = "unit_id,unit_name,short_name,province,district\n\
u1,一号,一号,测试省,一区\nu2,二号,二号,测试省,一区\nu3,三号,三号,测试省,一区\n\
u4,四号,四号,测试省,一区\nu5,五号,五号,测试省,一区\nu6,六号,六号,测试省,一区\n\
u7,七号,七号,测试省,二区\n";

// Firms A and B both score three projects of u1 (A 90, 80, 70; B 94, 83, 75: B is 4 higher,
// residual variance 1/2 on 2 degrees of freedom), and rank the departments: A scores u1-u3,
// B u4-u6 and u7.
const EVALS: &str = "eval_id,unit_id,fiscal_year,scope,project_name,evaluator_type,evaluator,max_score,total_score\n\
p1a,u1,2024,project,P1,third_party,A,100,90\np1b,u1,2024,project,P1,third_party,B,100,94\n\
p2a,u1,2024,project,P2,third_party,A,100,80\np2b,u1,2024,project,P2,third_party,B,100,83\n\
p3a,u1,2024,project,P3,third_party,A,100,70\np3b,u1,2024,project,P3,third_party,B,100,75\n\
d1,u1,2024,department,,third_party,A,100,95\nd2,u2,2024,department,,third_party,A,100,92\n\
d3,u3,2024,department,,third_party,A,100,91.5\nd4,u4,2024,department,,third_party,B,100,93\n\
d5,u5,2024,department,,third_party,B,100,90\nd6,u6,2024,department,,third_party,B,100,88\n\
d7,u7,2024,department,,third_party,B,100,99\n";

#[test]
fn rank_intervals_adjusted_ranks_and_withheld_percentiles() {
    let d = tmpdir("stats-rankings");
    write(&d, "units.csv", UNITS);
    write(&d, "evaluations.csv", EVALS);
    write(&d, "indicators.csv", "eval_id,level1,max_points,score\n");
    let (ds, _) = dataset::load(&d).unwrap();
    let t = bench::run(&ds, &BenchOptions::default()).unwrap();
    let out = tmpdir("stats-rankings-out");
    t.write(&out, dataset::write::Format::Csv).unwrap();
    let r = read_csv(&out.join("rankings.csv"));
    let get = |id: &str| r.iter().find(|x| x["eval_id"] == id).unwrap().clone();
    let cols = |id: &str, c: &[&str]| -> Vec<String> {
        let row = get(id);
        c.iter().map(|k| row[*k].clone()).collect()
    };
    // Measurement error: σ = √(1/2) = 0.7071; two scores differ clearly beyond
    // 1.6449 · √2 · σ = 1.6449 points.
    assert_eq!(get("d1")["measurement_sd"], "0.7071");
    // Raw: 95, 93, 92, 91.5, 90, 88. d2 (92): clearly below 95 only, clearly above 90 and
    // 88: ranks 2 to 4. d1 (95): clearly above everyone: rank 1 to 1.
    assert_eq!(
        cols("d2", &["rank", "rank_low", "rank_high"]),
        ["3", "2", "4"]
    );
    assert_eq!(
        cols("d1", &["rank", "rank_low", "rank_high"]),
        ["1", "1", "1"]
    );
    // d4 (93): clearly below 95, clearly above 90 and 88: ranks 2 to 4.
    assert_eq!(
        cols("d4", &["rank", "rank_low", "rank_high"]),
        ["2", "2", "4"]
    );
    // Adjusted: B reads 4 above A; on the common scale (median of two = mean) A is adjusted
    // by −2, B by +2: 97, 94, 93.5 | 91, 88, 86. d4 falls from 2nd to 4th.
    let f = |id: &str, c: &str| get(id)[c].parse::<f64>().unwrap();
    assert_eq!(f("d4", "evaluator_adjustment"), 2.0);
    assert_eq!(f("d1", "evaluator_adjustment"), -2.0);
    assert_eq!(f("d4", "score_100_adjusted"), 91.0);
    assert_eq!(get("d4")["rank_adjusted"], "4");
    assert_eq!(get("d3")["rank_adjusted"], "3");
    // Adjusted scores carry the adjustment's error too: variance 1/2 + 1/12 each, clear
    // beyond 1.6449 · √(7/6) = 1.7767: d2 (94) is clearly below 97 and above 91, 88, 86.
    assert_eq!(
        cols("d2", &["rank_adjusted_low", "rank_adjusted_high"]),
        ["2", "3"]
    );
    assert_eq!(
        cols("d4", &["rank_adjusted_low", "rank_adjusted_high"]),
        ["4", "4"]
    );
    // Percentiles: six peers in 一区, shown; u7 alone in its group: withheld, with why.
    assert_eq!(get("d1")["percentile"].parse::<f64>().unwrap(), 100.0);
    let u7 = get("d7");
    assert_eq!(u7["n_peers"], "1");
    assert_eq!(u7["percentile"], "");
    assert!(u7["percentile_note"].contains("fewer than 5"), "{u7:?}");
    assert_eq!(get("d1")["percentile_note"], "");
}
