//! Numbers stay exact (property test on random decimal data), blank scores never become 0,
//! and the extractor and CSV loader survive mutated input (a fuzz loop; set
//! JIXIAO_FUZZ_ITERS for a long session). Inputs that once broke them live in
//! tests/fuzz_regressions/ and are replayed here.

mod common;

use std::collections::HashMap;
use std::str::FromStr;

use common::*;
use jixiao::bench::{self, BenchOptions};
use rust_decimal::{Decimal, RoundingStrategy};

/// The synthetic generator's splitmix64, with the helpers these tests need.
struct Rng(jixiao::synth::Rng);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next()
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// A decimal with 0..=6 places, below `max_int`.
    fn dec(&mut self, max_int: u64) -> Decimal {
        let places = self.below(7) as u32;
        let units = self.below(max_int * 10u64.pow(places) + 1);
        Decimal::from_i128_with_scale(units as i128, places)
    }
}

fn dec(s: &str) -> Option<Decimal> {
    if s.is_empty() {
        None
    } else {
        Some(Decimal::from_str(s).unwrap())
    }
}

#[test]
fn printed_sums_and_rates_are_exact_and_blanks_stay_blank() {
    for seed in 1..=8u64 {
        let mut r = Rng(jixiao::synth::Rng(seed));
        let d = tmpdir(&format!("exact-{seed}"));
        let mut units = String::from("unit_id,unit_name,district\n");
        let mut evals = String::from("eval_id,unit_id,fiscal_year,scope,project_name,evaluator_type,max_score,total_score,budget_full_year,executed\n");
        let mut inds = String::from("eval_id,level1,level3,max_points,score,reason\n");
        let mut want_lost: HashMap<(String, String), Decimal> = HashMap::new();
        let mut want_rate: HashMap<String, Decimal> = HashMap::new();
        let mut blank_inds: Vec<(String, String)> = Vec::new();
        let reasons = [
            "预算测算依据不充分",
            "佐证资料不齐全",
            "满意度有待提高",
            "其他方面",
        ];
        for u in 0..12 {
            units.push_str(&format!("u{u},单位{u},区{}\n", u % 3));
            for (k, et) in ["self", "third_party"].iter().enumerate() {
                let id = format!("u{u}-{k}");
                let budget = r.dec(100_000) + Decimal::new(1, 2);
                let executed = r.dec(100_000);
                let blank_total = r.below(10) == 0;
                let mut total = Decimal::ZERO;
                for i in 0..5 {
                    let max = r.dec(30) + Decimal::ONE;
                    let blank = r.below(8) == 0;
                    let score = if blank {
                        None
                    } else {
                        Some((max - r.dec(1)).max(Decimal::ZERO))
                    };
                    let key = (id.clone(), format!("指标{i}"));
                    match score {
                        Some(s) => {
                            total += s;
                            if max > s {
                                want_lost.insert(key.clone(), max - s);
                            }
                        }
                        None => blank_inds.push(key.clone()),
                    }
                    inds.push_str(&format!(
                        "{id},一级{},{},{max},{},{}\n",
                        i % 2,
                        key.1,
                        score.map(|s| s.to_string()).unwrap_or_default(),
                        reasons[i % 4]
                    ));
                }
                evals.push_str(&format!(
                    "{id},u{u},2024,department,,{et},100,{},{budget},{executed}\n",
                    if blank_total {
                        String::new()
                    } else {
                        total.to_string()
                    }
                ));
                want_rate.insert(
                    id.clone(),
                    (executed * Decimal::from(100) / budget)
                        .round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven),
                );
            }
        }
        write(&d, "units.csv", &units);
        write(&d, "evaluations.csv", &evals);
        write(&d, "indicators.csv", &inds);
        let (ds, findings) = jixiao::dataset::load(&d).unwrap();
        assert!(findings.is_empty(), "{findings:?}");
        let t = bench::run(&ds, &BenchOptions::default()).unwrap();
        let out = d.join("out");
        t.write(&out, jixiao::dataset::write::Format::Csv).unwrap();

        let det = read_csv(&out.join("deductions_detail.csv"));
        assert_eq!(
            det.len(),
            want_lost.len(),
            "seed {seed}: one deduction per indicator that lost points"
        );
        let mut by_cause: HashMap<String, Decimal> = HashMap::new();
        for row in &det {
            let key = (row["eval_id"].clone(), row["level3"].clone());
            let got = dec(&row["points_lost"]).unwrap();
            assert_eq!(Some(&got), want_lost.get(&key), "seed {seed} {key:?}");
            assert!(
                !blank_inds.contains(&key),
                "a blank score became a deduction: {key:?}"
            );
            *by_cause.entry(row["cause"].clone()).or_default() += got;
        }
        for row in read_csv(&out.join("deductions.csv")) {
            assert_eq!(
                dec(&row["points_lost"]).unwrap(),
                by_cause[&row["cause"]],
                "seed {seed} cause {}",
                row["cause"]
            );
        }
        for row in read_csv(&out.join("execution.csv")) {
            assert_eq!(
                dec(&row["execution_rate"]).unwrap(),
                want_rate[&row["eval_id"]],
                "seed {seed} {}",
                row["eval_id"]
            );
        }
        // Blank totals are not scores: n counts only the filled ones.
        let n_filled = evals
            .lines()
            .skip(1)
            .filter(|l| l.split(',').nth(7).map(|s| !s.is_empty()).unwrap_or(false))
            .count();
        let n_scores: usize = read_csv(&out.join("scores.csv"))
            .iter()
            .filter(|r| r["district"].is_empty())
            .map(|r| r["n"].parse::<usize>().unwrap())
            .sum();
        assert_eq!(n_scores, n_filled, "seed {seed}");
        // A level-1 group with a blank score has a blank rate, never a rate computed as if 0.
        for row in read_csv(&out.join("rankings_level1.csv")) {
            let has_blank = blank_inds.iter().any(|(e, l3)| {
                *e == row["eval_id"] && inds.contains(&format!("{e},{},{l3},", row["level1"]))
            });
            assert_eq!(
                row["score_rate"].is_empty(),
                has_blank,
                "seed {seed} {row:?}"
            );
        }
    }
}

/// Mutations a converted report suffers: lines lost, doubled or cut, tabs and digits moved.
fn mutate(r: &mut Rng, lines: &[String]) -> Vec<String> {
    let mut v: Vec<String> = lines.to_vec();
    for _ in 0..(1 + r.below(20)) {
        if v.is_empty() {
            break;
        }
        let i = r.below(v.len() as u64) as usize;
        match r.below(8) {
            0 => {
                v.remove(i);
            }
            1 => {
                let l = v[i].clone();
                v.insert(i, l);
            }
            2 => {
                let cut = r.below(v[i].chars().count() as u64 + 1) as usize;
                v[i] = v[i].chars().take(cut).collect();
            }
            3 => v[i] = v[i].replace('\t', ""),
            4 => v[i] = format!("\t\t{}", v[i]),
            5 => {
                v[i] = v[i]
                    .chars()
                    .map(|c| {
                        if c.is_ascii_digit() {
                            char::from(b'0' + (r.below(10) as u8))
                        } else {
                            c
                        }
                    })
                    .collect()
            }
            6 => v[i] = v[i].replace('分', "分\t"),
            _ => v.truncate(i),
        }
    }
    v
}

fn fuzz_iters() -> u64 {
    std::env::var("JIXIAO_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60)
}

#[test]
fn extractor_survives_mutated_reports() {
    let files: Vec<(String, Vec<String>)> = std::fs::read_dir(repo().join("datasets/reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        // The text reports (the Word and PDF ones are mutated by tests/extract_formats.rs).
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            let t = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                t.split('\n')
                    .map(jixiao::extract::text::clean_line)
                    .collect(),
            )
        })
        .collect();
    let mut r = Rng(jixiao::synth::Rng(0xF0_22));
    let n = fuzz_iters();
    for k in 0..n {
        let (name, lines) = &files[(k % files.len() as u64) as usize];
        let m = mutate(&mut r, lines);
        let res = jixiao::extract::extract_text(name, &m);
        // Never invented: every indicator score stays within what the text can say.
        for e in &res.evaluations {
            assert!(e.source.starts_with(name.as_str()));
        }
    }
    // Replay kept regressions.
    let dir = repo().join("tests/fuzz_regressions");
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let t = std::fs::read_to_string(e.path()).unwrap();
        let lines: Vec<String> = t
            .split('\n')
            .map(jixiao::extract::text::clean_line)
            .collect();
        let _ = jixiao::extract::extract_text("regression.txt", &lines);
    }
}

#[test]
fn csv_loader_survives_mutated_tables() {
    let base = std::fs::read(repo().join("datasets/synthetic/evaluations.csv")).unwrap();
    let base = &base[..base.len().min(20_000)];
    let mut r = Rng(jixiao::synth::Rng(0xC5_F0));
    let d = tmpdir("fuzz-csv");
    std::fs::copy(
        repo().join("datasets/synthetic/units.csv"),
        d.join("units.csv"),
    )
    .unwrap();
    write(&d, "indicators.csv", "eval_id,level1,max_points,score\n");
    for _ in 0..fuzz_iters() {
        let mut b = base.to_vec();
        for _ in 0..(1 + r.below(30)) {
            let i = r.below(b.len() as u64) as usize;
            match r.below(5) {
                0 => b[i] = b',',
                1 => b[i] = b'"',
                2 => b[i] = b'\n',
                3 => b[i] = (r.next() & 0xFF) as u8,
                _ => {
                    b.remove(i);
                }
            }
        }
        std::fs::write(d.join("evaluations.csv"), &b).unwrap();
        match jixiao::dataset::load(&d) {
            Ok((ds, mut f)) => {
                let _ = jixiao::dataset::validate::validate(&ds, &mut f).unwrap();
            }
            Err(e) => assert!(
                e.to_string().contains("evaluations.csv"),
                "error names the file: {}",
                e.to_string()
            ),
        }
    }
}
