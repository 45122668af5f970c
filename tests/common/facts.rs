//! Facts checked by eye (`file,eval,fact,value,note`) against an extraction: the hazard fixtures
//! (tests/fixtures/hazards/expected.csv) and the real-world corpus (tests/realworld/facts.csv).
//!
//! `eval` numbers the forms of a file in reading order; each is matched to the extracted
//! evaluation of that file that agrees with most of its facts (so an extra evaluation found in a
//! file does not shift the others). Facts: unit, fiscal_year, scope, project_name,
//! evaluator_type, evaluator, total_score, grade, budget_initial, budget_full_year, executed,
//! execution_rate, exec_points (`max|score` of the 执行率 row), `ind:NAME` (`max|score` of the
//! indicator whose deepest label is NAME; `NAME#2` for its second occurrence),
//! `level1_points:NAME` (a 一级指标 whose label stated its points: the bare name, and its points),
//! `target:NAME` / `actual:NAME` (the indicator's 年度指标值 / 实际完成值 as written) and status (the manifest's status and note contain the value).

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

use jixiao::extract::{EvalRec, Extracted};
use rust_decimal::Decimal;

pub struct Fact {
    pub file: String,
    pub eval: usize,
    pub fact: String,
    pub value: String,
}

pub fn read_facts(path: &Path) -> Vec<Fact> {
    super::read_csv(path)
        .into_iter()
        .map(|r| Fact {
            file: r["file"].clone(),
            eval: r["eval"].parse().unwrap_or(1),
            fact: r["fact"].clone(),
            value: r["value"].clone(),
        })
        .collect()
}

fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            '，' => ',',
            other => other,
        })
        .collect()
}

fn dec(s: &str) -> Option<Decimal> {
    let t = s.trim().trim_end_matches(['%', '％']);
    if t.is_empty() {
        None
    } else {
        Decimal::from_str(t).ok().map(|d| d.normalize())
    }
}

fn same_dec(got: Option<Decimal>, want: &str) -> bool {
    got.map(|d| d.normalize()) == dec(want)
}

fn points(got: (Option<Decimal>, Option<Decimal>), want: &str) -> bool {
    let (m, s) = want.split_once('|').unwrap_or((want, ""));
    same_dec(got.0, m) && same_dec(got.1, s)
}

fn deepest(levels: &[Option<String>; 4]) -> String {
    levels
        .iter()
        .rev()
        .flatten()
        .find(|l| !l.trim().is_empty())
        .map(|l| compact(l))
        .unwrap_or_default()
}

fn is_exec_row(i: &jixiao::extract::table::Indicator) -> bool {
    i.levels[0].as_deref() == Some("预算执行") && i.levels[2].as_deref() == Some("预算执行率")
}

/// Does one fact hold for one evaluation?
pub fn holds(ex: &Extracted, e: &EvalRec, f: &Fact) -> bool {
    let unit = ex.units.iter().find(|u| u.unit_id == e.unit_id);
    let v = f.value.as_str();
    match f.fact.as_str() {
        "unit" => unit
            .map(|u| compact(&u.unit_name) == compact(v) || compact(&u.short_name) == compact(v))
            .unwrap_or(false),
        "fiscal_year" => e.fiscal_year.map(|y| y.to_string()).unwrap_or_default() == v.trim(),
        "scope" => e.scope == v.trim(),
        "project_name" => e.project_name.as_deref().map(compact).unwrap_or_default() == compact(v),
        "evaluator_type" => e.evaluator_type == v.trim(),
        "evaluator" => e.evaluator.as_deref().map(compact).unwrap_or_default() == compact(v),
        "total_score" => same_dec(e.total_score, v),
        "grade" => e.grade.as_deref().unwrap_or("") == v.trim(),
        "budget_initial" => same_dec(e.budget_initial, v),
        "budget_full_year" => same_dec(e.budget_full_year, v),
        "executed" => same_dec(e.executed, v),
        "execution_rate" => same_dec(e.execution_rate_stated, v),
        "exec_points" => e
            .indicators
            .iter()
            .find(|i| is_exec_row(i))
            .map(|i| points((i.max_points, i.score), v))
            .unwrap_or(false),
        other => {
            if let Some(name) = other.strip_prefix("ind:") {
                let (name, nth) = match name.rsplit_once('#') {
                    Some((n, k)) if k.chars().all(|c| c.is_ascii_digit()) => {
                        (n, k.parse::<usize>().unwrap_or(1))
                    }
                    _ => (name, 1),
                };
                let key = compact(name);
                e.indicators
                    .iter()
                    .filter(|i| !is_exec_row(i) && deepest(&i.levels) == key)
                    .nth(nth - 1)
                    .map(|i| points((i.max_points, i.score), v))
                    .unwrap_or(false)
            } else if let Some((side, name)) = other
                .strip_prefix("target:")
                .map(|n| (0, n))
                .or_else(|| other.strip_prefix("actual:").map(|n| (1, n)))
            {
                let key = compact(name);
                e.indicators
                    .iter()
                    .find(|i| !is_exec_row(i) && deepest(&i.levels) == key)
                    .map(|i| {
                        let got = if side == 0 {
                            &i.target_value
                        } else {
                            &i.actual_value
                        };
                        compact(got.as_deref().unwrap_or("")) == compact(v)
                    })
                    .unwrap_or(false)
            } else if let Some(name) = other.strip_prefix("level1_points:") {
                let key = compact(name);
                let named = e
                    .indicators
                    .iter()
                    .any(|i| i.levels[0].as_deref().map(compact).as_deref() == Some(key.as_str()));
                let stated = e
                    .stated_subtotals
                    .iter()
                    .any(|(lvl, n, max, _, _)| *lvl == 0 && compact(n) == key && same_dec(*max, v));
                named && stated
            } else {
                false
            }
        }
    }
}

/// The file name an evaluation came from (its source before the first ':').
fn file_of(e: &EvalRec) -> String {
    e.source.split(':').next().unwrap_or("").to_string()
}

/// Checks every fact; returns (facts that hold, every miss described).
pub fn check(ex: &Extracted, facts: &[Fact]) -> (usize, Vec<String>) {
    let mut by_file: HashMap<String, Vec<&EvalRec>> = HashMap::new();
    for e in &ex.evaluations {
        by_file.entry(file_of(e)).or_default().push(e);
    }
    let mut groups: Vec<((String, usize), Vec<&Fact>)> = Vec::new();
    for f in facts {
        let k = (f.file.clone(), f.eval);
        match groups.iter_mut().find(|g| g.0 == k) {
            Some(g) => g.1.push(f),
            None => groups.push((k, vec![f])),
        }
    }
    let mut ok = 0;
    let mut misses = Vec::new();
    let mut taken: Vec<*const EvalRec> = Vec::new();
    for ((file, eval), fs) in groups {
        if fs.iter().all(|f| f.fact == "status") {
            let m = ex.manifest.iter().find(|m| m.file.ends_with(&file));
            for f in fs {
                let good = m
                    .map(|m| format!("{} {}", m.status, m.note).contains(f.value.as_str()))
                    .unwrap_or(false);
                if good {
                    ok += 1;
                } else {
                    misses.push(format!(
                        "{file}: status {:?}, wanted {:?}",
                        m.map(|m| (m.status, m.note.clone())),
                        f.value
                    ));
                }
            }
            continue;
        }
        let candidates: Vec<&EvalRec> = by_file
            .get(&file)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|e| !taken.contains(&(*e as *const EvalRec)))
                    .collect()
            })
            .unwrap_or_default();
        // The first evaluation (in reading order) agreeing with most facts.
        let mut best: Option<(&EvalRec, usize)> = None;
        for e in candidates {
            let n = fs.iter().filter(|f| holds(ex, e, f)).count();
            if best.map(|b| n > b.1).unwrap_or(true) {
                best = Some((e, n));
            }
        }
        let best = best.map(|b| b.0);
        if let Some(e) = best {
            taken.push(e as *const EvalRec);
        }
        for f in fs {
            if best.map(|e| holds(ex, e, f)).unwrap_or(false) {
                ok += 1;
            } else {
                misses.push(format!(
                    "{file} #{eval} {} = {:?}{}",
                    f.fact,
                    f.value,
                    if best.is_none() {
                        " (no evaluation found)"
                    } else {
                        ""
                    }
                ));
            }
        }
    }
    (ok, misses)
}

/// A corpus of published forms (`dir` with its .txt files, sources.csv and facts.csv) read and
/// checked: (facts found, facts in all). Every form is read and in the manifest; each miss is
/// printed.
pub fn measure_corpus(dir: &Path, label: &str) -> (usize, usize) {
    let files = jixiao::extract::collect_inputs(&[dir.to_path_buf()]).unwrap();
    let ex = jixiao::extract::extract_files(&files, &|| {});
    let facts = read_facts(&dir.join("facts.csv"));
    let sources = super::read_csv(&dir.join("sources.csv"));
    assert_eq!(files.len(), sources.len(), "a .txt per source");
    assert_eq!(ex.manifest.len(), sources.len());
    let (ok, misses) = check(&ex, &facts);
    eprintln!(
        "{label}: {ok}/{} ({:.1}%) in {} forms",
        facts.len(),
        ok as f64 / facts.len() as f64 * 100.0,
        sources.len()
    );
    for m in &misses {
        eprintln!("  miss: {m}");
    }
    (ok, facts.len())
}
