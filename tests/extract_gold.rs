//! The extractor against the hand-checked gold sheet of the five bundled reports
//! (tests/gold, a copy of ../shared/gold). Counts every fact and requires at least 98% exact, for
//! the reports as text and as Word and PDF files (tests/fixtures/reports, made from them by
//! scripts/make_report_fixtures.sh).

mod common;

use std::collections::HashMap;
use std::str::FromStr;

use common::*;
use jixiao::extract::{self, EvalRec};
use rust_decimal::Decimal;

fn d(s: &str) -> Option<Decimal> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Decimal::from_str(t.trim_end_matches('%')).ok()
    }
}

struct Tally {
    ok: usize,
    misses: Vec<String>,
}
impl Tally {
    fn check(&mut self, what: String, good: bool) {
        if good {
            self.ok += 1
        } else {
            self.misses.push(what)
        }
    }
}

/// The extraction of a folder of the five reports, evaluations grouped by the report's text
/// name (`000_….txt`) whatever the format read.
fn extracted_from(dir: &std::path::Path) -> (extract::Extracted, HashMap<String, Vec<EvalRec>>) {
    let files = extract::collect_inputs(&[dir.to_path_buf()]).unwrap();
    let ex = extract::extract_files(&files, &|| {});
    let mut by_file: HashMap<String, Vec<EvalRec>> = HashMap::new();
    for e in &ex.evaluations {
        let f = e.source.split(':').next().unwrap();
        let stem = f.split('.').next().unwrap();
        by_file
            .entry(format!("{stem}.txt"))
            .or_default()
            .push(e.clone());
    }
    (ex, by_file)
}

fn extracted() -> (extract::Extracted, HashMap<String, Vec<EvalRec>>) {
    extracted_from(&repo().join("datasets/reports"))
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every gold fact checked against one extraction. Deductions are found by their line in the
/// text reports; in Word and PDF files (other lines) by their numbers and indicator name.
fn gold_tally(
    ex: &extract::Extracted,
    by_file: &HashMap<String, Vec<EvalRec>>,
    by_line: bool,
) -> Tally {
    let gold = repo().join("tests/gold");
    let mut t = Tally {
        ok: 0,
        misses: vec![],
    };

    // Department evaluations: total, fiscal year, evaluator type, grade.
    for g in read_csv(&gold.join("units.csv")) {
        let f = &g["seed_file"];
        let evs = by_file.get(f).cloned().unwrap_or_default();
        let dept = evs.iter().find(|e| e.scope == "department");
        let unit = dept.and_then(|e| ex.units.iter().find(|u| u.unit_id == e.unit_id));
        t.check(
            format!("{f} unit_name"),
            unit.map(|u| u.unit_name == g["unit_name"]).unwrap_or(false),
        );
        t.check(
            format!("{f} total"),
            dept.and_then(|e| e.total_score) == d(&g["total_score"]),
        );
        t.check(
            format!("{f} fiscal_year"),
            dept.and_then(|e| e.fiscal_year).map(|y| y.to_string())
                == Some(g["fiscal_year"].clone()),
        );
        t.check(
            format!("{f} evaluator_type"),
            dept.map(|e| e.evaluator_type) == Some(g["evaluator_type"].as_str()),
        );
        t.check(
            format!("{f} grade"),
            dept.and_then(|e| e.grade.clone()).unwrap_or_default() == g["grade"],
        );
        if !g["budget_total_wan"].is_empty() {
            t.check(
                format!("{f} budget"),
                dept.and_then(|e| e.budget_full_year) == d(&g["budget_total_wan"]),
            );
            t.check(
                format!("{f} executed"),
                dept.and_then(|e| e.executed) == d(&g["spent_total_wan"]),
            );
        }
    }

    // Level-1 breakdowns: matched in order within each evaluation; the stated subtotal or the
    // gold's own sum of the children is accepted (the report's rows and subtotals differ by 0.01).
    let level1 = read_csv(&gold.join("level1.csv"));
    let mut groups: Vec<(String, String, Vec<&HashMap<String, String>>)> = vec![];
    for r in &level1 {
        let key = (r["seed_file"].clone(), r["evaluation"].clone());
        match groups.iter_mut().find(|g| g.0 == key.0 && g.1 == key.1) {
            Some(g) => g.2.push(r),
            None => groups.push((key.0, key.1, vec![r])),
        }
    }
    for (f, evaluation, rows) in groups {
        let evs = by_file.get(&f).cloned().unwrap_or_default();
        let want_project = evaluation.contains("项目");
        let e = evs.iter().find(|e| {
            if want_project {
                e.scope == "project" && e.evaluator_type != "self"
            } else {
                e.scope == "department"
            }
        });
        let mut sums: Vec<(String, Decimal, Decimal)> = vec![];
        if let Some(e) = e {
            for i in e.indicators.iter().filter(|i| i.max_points.is_some()) {
                let l1 = i.levels[0].clone().unwrap_or_default();
                let (m, s) = (i.max_points.unwrap(), i.score.unwrap_or_default());
                match sums.iter_mut().find(|x| x.0 == l1) {
                    Some(x) => {
                        x.1 += m;
                        x.2 += s;
                    }
                    None => sums.push((l1, m, s)),
                }
            }
        }
        for (k, r) in rows.iter().enumerate() {
            let got = sums.get(k);
            t.check(
                format!("{f} {evaluation} level1 #{k} max"),
                got.map(|g| Some(g.1) == d(&r["max_points"]))
                    .unwrap_or(false),
            );
            t.check(
                format!(
                    "{f} {evaluation} level1 #{k} score (got {:?})",
                    got.map(|g| g.2)
                ),
                got.map(|g| Some(g.2) == d(&r["score"]) || Some(g.2) == d(&r["sum_of_children"]))
                    .unwrap_or(false),
            );
        }
    }

    // All 60 deductions: each gold deduction found with its max, score and points lost.
    for g in read_csv(&gold.join("deductions.csv")) {
        let evs = by_file.get(&g["seed_file"]).cloned().unwrap_or_default();
        let line: usize = g["line"].parse().unwrap_or(0);
        let found = evs.iter().flat_map(|e| e.indicators.iter()).any(|i| {
            let name = [&g["level4"], &g["level3"]]
                .into_iter()
                .map(|n| compact(n))
                .find(|n| !n.is_empty())
                .unwrap_or_default();
            let key: String = name.chars().take(4).collect();
            i.max_points == d(&g["max_points"])
                && i.score == d(&g["score"])
                && if by_line {
                    i.line + 1 == line || i.line + 2 == line || i.line == line
                } else {
                    i.levels.iter().flatten().any(|l| compact(l).contains(&key))
                }
        });
        t.check(
            format!(
                "{} l.{} deduction {}→{}",
                g["seed_file"], g["line"], g["max_points"], g["score"]
            ),
            found,
        );
    }

    // 139 project self-evaluation tables: budget, executed, total (blank where blank).
    let projects: Vec<EvalRec> = by_file
        .get("004_db61ce0a276f3835.txt")
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.scope == "project" && e.evaluator_type == "self")
        .collect();
    let gp = read_csv(&gold.join("projects_004.csv"));
    t.check(
        format!("139 project tables (got {})", projects.len()),
        projects.len() == gp.len(),
    );
    for (k, g) in gp.iter().enumerate() {
        let p = projects.get(k);
        let o = &g["ordinal"];
        t.check(
            format!("#{o} budget_full_year"),
            p.and_then(|p| p.budget_full_year) == d(&g["budget_full_year"]),
        );
        t.check(
            format!("#{o} executed"),
            p.and_then(|p| p.executed) == d(&g["executed"]),
        );
        t.check(
            format!("#{o} total"),
            p.and_then(|p| p.total_score) == d(&g["total_score"]),
        );
    }

    t
}

fn assert_gold(what: &str, t: &Tally) {
    let total = t.ok + t.misses.len();
    let share = t.ok as f64 / total as f64;
    eprintln!(
        "gold facts ({what}): {}/{} exact ({:.2}%)",
        t.ok,
        total,
        share * 100.0
    );
    for m in &t.misses {
        eprintln!("  miss: {m}");
    }
    assert!(total > 500, "too few facts checked: {total}");
    assert!(
        t.ok >= 551,
        "{what}: {} of {total} facts missed: {:?}",
        t.misses.len(),
        t.misses
    );
}

#[test]
fn gold_facts_at_least_98_percent() {
    let (ex, by_file) = extracted();
    assert_gold("text", &gold_tally(&ex, &by_file, true));
}

#[test]
fn gold_facts_from_word_and_pdf() {
    for format in ["docx", "pdf", "pdf-type0"] {
        let dir = repo().join("tests/fixtures/reports").join(format);
        let (ex, by_file) = extracted_from(&dir);
        assert_eq!(ex.manifest.len(), 5, "{format}");
        assert!(
            ex.manifest
                .iter()
                .all(|m| m.reader == format.trim_end_matches("-type0")),
            "{format}: {:?}",
            ex.manifest
        );
        assert_gold(format, &gold_tally(&ex, &by_file, false));
    }
}

#[test]
fn audit_finds_the_listed_inconsistencies() {
    let (ex, _) = extracted();
    let has = |file: &str, check: &str| {
        ex.audit
            .iter()
            .any(|a| a.source.starts_with(file) && a.check == check)
    };
    // 001: 得分 2.65 of 3 with 得分率 100%.
    assert!(
        ex.audit.iter().any(|a| a.source.starts_with("001_")
            && a.check == "score_rate"
            && a.stated == "100"
            && a.computed == "88.33"),
        "{:?}",
        ex.audit
            .iter()
            .filter(|a| a.check == "score_rate")
            .collect::<Vec<_>>()
    );
    // 004: stated level-1 subtotals 7.83 and 34.86 vs rows 7.84 and 34.85.
    assert!(ex.audit.iter().any(|a| a.source.starts_with("004_")
        && a.check == "subtotal_score"
        && a.stated == "7.83"
        && a.computed == "7.84"));
    assert!(ex.audit.iter().any(|a| a.source.starts_with("004_")
        && a.check == "subtotal_score"
        && a.stated == "34.86"
        && a.computed == "34.85"));
    // 004 self tables: scores above 分值 (#11 28 > 20, #77 18 > 15) and the blank #58.
    assert!(ex
        .audit
        .iter()
        .any(|a| a.source == "004_db61ce0a276f3835.txt:1023" && a.check == "score_above_max"));
    assert!(ex
        .audit
        .iter()
        .any(|a| a.source == "004_db61ce0a276f3835.txt:2610" && a.check == "score_above_max"));
    assert!(has("004_", "blank_total"));
    // #97 and #122: 分值 add up to 90.
    assert!(
        ex.audit
            .iter()
            .filter(|a| a.source.starts_with("004_")
                && a.check == "points_sum"
                && a.computed == "90")
            .count()
            >= 2
    );
    // 000: blank 分值/得分 row l.548; 003: grade vs its own thresholds holds (98 优秀), no finding.
    assert!(ex
        .audit
        .iter()
        .any(|a| a.source == "000_56b7fdc5f543855c.txt:548" && a.check == "blank_points"));
    assert!(!ex
        .audit
        .iter()
        .any(|a| a.source.starts_with("003_") && a.check == "grade"));
    // Budget tables: 000's stated 执行率 do not follow from its own amounts (l.138-140); 001's
    // 1204.04 + 211.93 is not the stated 1415.96 (l.126).
    for l in [138, 139, 140] {
        assert!(
            ex.audit
                .iter()
                .any(|a| a.source == format!("000_56b7fdc5f543855c.txt:{l}")
                    && a.check == "table_rate"),
            "000 l.{l}"
        );
    }
    assert!(ex
        .audit
        .iter()
        .any(|a| a.source == "001_0f88fea1996877a0.txt:126"
            && a.check == "table_total"
            && a.stated == "1415.96"
            && a.computed == "1415.97"));
    // #39, #90, #95: 全年预算数 truncated in the 年度资金总额 row but whole in 当年财政拨款.
    let parts: Vec<&str> = ex
        .audit
        .iter()
        .filter(|a| a.check == "budget_parts")
        .map(|a| a.eval_id.as_str())
        .collect();
    assert_eq!(
        parts,
        [
            "004_db61ce0a276f3835-s039",
            "004_db61ce0a276f3835-s090",
            "004_db61ce0a276f3835-s095"
        ]
    );
    // 003: 满意度 docked 2 points with no reason given.
    assert!(ex.audit.iter().any(|a| a.source.starts_with("003_")
        && a.check == "deduction_without_reason"
        && a.computed == "2"));
    // Arithmetic in the prose: idle assets 1053.33 − 1009.09 ≠ 44.25 (000 l.397); 0.06 on 0.45
    // is 13.33%, not 13.39% (001 l.388); 875.39 − 728.8 ≠ 146.58 (003 l.49); 117.5 budget and
    // 107.43 spent is not 100% (003 l.53); weights 产出 30 / 效益 40 in the text vs 40 / 30 in
    // the table (004 l.107).
    let at = |src: &str, check: &str| ex.audit.iter().any(|a| a.source == src && a.check == check);
    assert!(at("000_56b7fdc5f543855c.txt:397", "idle_assets"));
    assert!(at("001_0f88fea1996877a0.txt:388", "change_rate"));
    assert!(at("003_42ea0c3de7c87117.txt:49", "net_assets"));
    assert!(at("003_42ea0c3de7c87117.txt:53", "budget_statement"));
    assert_eq!(
        ex.audit
            .iter()
            .filter(|a| a.check == "weight")
            .map(|a| a.source.as_str())
            .collect::<Vec<_>>(),
        ["004_db61ce0a276f3835.txt:107"; 2]
    );
    // 成本 targets that are not the budget: #80 (10.7577 copied from #79, budget 209.22) and
    // #99 (116.8341 vs 116.8431); and 17,416.47 written with 元 for 万元 (004 l.233).
    let cost: Vec<&str> = ex
        .audit
        .iter()
        .filter(|a| a.check == "cost_vs_budget")
        .map(|a| a.eval_id.as_str())
        .collect();
    assert!(
        cost.contains(&"004_db61ce0a276f3835-s080") && cost.contains(&"004_db61ce0a276f3835-s099"),
        "{cost:?}"
    );
    assert!(at("004_db61ce0a276f3835.txt:233", "unit"));
    // 000 table 1.4.1: 收入合计 3401.51 is not 调整预算 3397.72 + 上年结余 1.85; 002 l.353: the
    // spending parts after 其中 (4961.098592 + 31385.997668) exceed the 31385.997668 total.
    assert!(ex
        .audit
        .iter()
        .any(|a| a.source == "000_56b7fdc5f543855c.txt:138"
            && a.check == "table_income"
            && a.computed == "3399.57"));
    assert!(ex
        .audit
        .iter()
        .any(|a| a.source == "002_dc863bf3b79d51b8.txt:353"
            && a.check == "breakdown_sum"
            && a.stated == "31385.997668"));
    // Total funds stated beside the budget: 002's 182,637,354.64 元 (18263.74 万元) and 004's
    // 16,923.25 (its spending, l.378); 结转结余率 2.83% vs −2.83% (004 l.229 / l.481).
    assert!(at("002_dc863bf3b79d51b8.txt:21", "funds_total"));
    assert!(ex
        .audit
        .iter()
        .any(|a| a.source == "004_db61ce0a276f3835.txt:378"
            && a.check == "funds_total"
            && a.message.contains("spending")));
    assert!(at("004_db61ce0a276f3835.txt:481", "rate_sign"));
    assert_eq!(
        ex.audit.iter().filter(|a| a.check == "funds_total").count(),
        2,
        "project fund rows are not department totals"
    );
    // Repeated project names with different numbers.
    assert!(has("004_", "duplicate_project"));
    // Every input file is in the manifest: the five gold reports and the Word and PDF
    // reports of other provinces beside them.
    let n_files = extract::collect_inputs(&[repo().join("datasets/reports")])
        .unwrap()
        .len();
    assert!(n_files >= 7, "{n_files}");
    assert_eq!(ex.manifest.len(), n_files);
    assert!(
        ex.manifest
            .iter()
            .all(|m| m.status == "extracted" || m.status == "partial"),
        "{:?}",
        ex.manifest
    );
}
