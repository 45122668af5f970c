//! The reports' own inconsistencies, each with FILE:LINE and the numbers involved.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::EvalRec;
use crate::dataset::decimal::fmt;
use crate::dataset::enrich::name_key;
use crate::dataset::grading::tier_of_grade_word;

pub use crate::dataset::contract::AuditRow;

fn row(
    file: &str,
    line: usize,
    eval: &str,
    check: &str,
    stated: String,
    computed: String,
    message: String,
) -> AuditRow {
    AuditRow {
        source: format!("{file}:{}", line + 1),
        eval_id: eval.to_string(),
        check: check.to_string(),
        stated,
        computed,
        message,
    }
}

/// The 0-based line of a `FILE:LINE` source.
fn line_of(source: &str) -> usize {
    source
        .rsplit(':')
        .next()
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(1)
        .saturating_sub(1)
}

fn tol() -> Decimal {
    Decimal::from_str("0.01").unwrap()
}

pub fn audit(
    file: &str,
    lines: &[String],
    evals: &[EvalRec],
    thresholds: &[(String, Decimal)],
) -> Vec<AuditRow> {
    let mut out = Vec::new();
    for e in evals {
        let inds: Vec<_> = e.indicators.iter().collect();
        // Blank cells and scores above their maximum.
        for ind in &inds {
            let name = ind
                .levels
                .iter()
                .flatten()
                .last()
                .cloned()
                .unwrap_or_default();
            match (ind.max_points, ind.score) {
                (None, None) => out.push(row(file, ind.line, &e.eval_id, "blank_points", String::new(), String::new(),
                    format!("indicator {name}: 分值 and 得分 are blank; the row is kept out of indicators.csv"))),
                // The contract needs 分值: a score without one is named here, not lost silently.
                (None, Some(s)) => out.push(row(file, ind.line, &e.eval_id, "blank_points", String::new(), fmt(s),
                    format!("indicator {name}: 分值 is blank (得分 {}); the row is kept out of indicators.csv", fmt(s)))),
                (Some(m), None) => out.push(row(file, ind.line, &e.eval_id, "blank_score", fmt(m), String::new(),
                    format!("indicator {name}: 得分 is blank (分值 {}); kept blank", fmt(m)))),
                (Some(m), Some(s)) if s > m => out.push(row(file, ind.line, &e.eval_id, "score_above_max", fmt(m), fmt(s),
                    format!("indicator {name}: 得分 {} is above its 分值 {}", fmt(s), fmt(m)))),
                _ => {}
            }
        }
        // Rows written without a 一级指标 of their own.
        let no_level1: Vec<_> = inds
            .iter()
            .filter(|i| i.max_points.is_some() && i.levels[0].is_none())
            .collect();
        if let Some(first) = no_level1.first() {
            out.push(row(
                file,
                first.line,
                &e.eval_id,
                "level1_missing",
                String::new(),
                String::new(),
                format!(
                    "{} indicator rows have no 一级指标 in the source; written under {}",
                    no_level1.len(),
                    super::forms::stream::FLAT_LEVEL1
                ),
            ));
        }
        // Indicator sums vs the stated total.
        let scored: Vec<_> = inds.iter().filter(|i| i.max_points.is_some()).collect();
        if !scored.is_empty() {
            let src_line = line_of(&e.source);
            let blanks = scored.iter().filter(|i| i.score.is_none()).count();
            let sum: Decimal = scored.iter().filter_map(|i| i.score).sum();
            let max_sum: Decimal = scored.iter().filter_map(|i| i.max_points).sum();
            match e.total_score {
                None => out.push(row(
                    file,
                    src_line,
                    &e.eval_id,
                    "blank_total",
                    String::new(),
                    fmt(sum),
                    format!(
                        "the total score is blank ({} of {} indicator scores blank)",
                        blanks,
                        scored.len()
                    ),
                )),
                Some(t) if blanks == 0 && (sum - t).abs() > tol() => out.push(row(
                    file,
                    src_line,
                    &e.eval_id,
                    "indicator_sum",
                    fmt(t),
                    fmt(sum),
                    format!(
                        "indicator scores add up to {}, the stated total is {}",
                        fmt(sum),
                        fmt(t)
                    ),
                )),
                _ => {}
            }
            if max_sum != e.max_score {
                out.push(row(
                    file,
                    src_line,
                    &e.eval_id,
                    "points_sum",
                    fmt(e.max_score),
                    fmt(max_sum),
                    format!(
                        "indicator 分值 add up to {}, not {}",
                        fmt(max_sum),
                        fmt(e.max_score)
                    ),
                ));
            }
        }
        // Stated subtotals (level-1 summary, "(14分)" annotations) vs their indicators.
        for (lvl, name, max, score, line) in &e.stated_subtotals {
            // A subtotal needs a name to find its indicators ("(1.5分)" alone has none).
            if name.chars().count() < 2 {
                continue;
            }
            let under: Vec<_> = scored
                .iter()
                .filter(|i| {
                    i.levels[*lvl]
                        .as_deref()
                        .map(|n| {
                            n.chars().count() >= 2
                                && (n == name || n.contains(name.as_str()) || name.contains(n))
                        })
                        .unwrap_or(false)
                })
                .collect();
            if under.is_empty() {
                continue;
            }
            let smax: Decimal = under.iter().filter_map(|i| i.max_points).sum();
            let sscore: Decimal = under.iter().filter_map(|i| i.score).sum();
            if let Some(m) = max {
                if *m != smax {
                    out.push(row(
                        file,
                        *line,
                        &e.eval_id,
                        "subtotal_points",
                        fmt(*m),
                        fmt(smax),
                        format!(
                            "{name}: stated 分值 {} but its indicators add up to {}",
                            fmt(*m),
                            fmt(smax)
                        ),
                    ));
                }
            }
            if let Some(s) = score {
                if under.iter().all(|i| i.score.is_some()) && (*s - sscore).abs() >= tol() {
                    out.push(row(
                        file,
                        *line,
                        &e.eval_id,
                        "subtotal_score",
                        fmt(*s),
                        fmt(sscore),
                        format!(
                            "{name}: stated 得分 {} but its indicators add up to {}",
                            fmt(*s),
                            fmt(sscore)
                        ),
                    ));
                }
            }
        }
        // The stated parts of the full-year budget (当年财政拨款 + 上年结转 + 其他) against it.
        if let (Some(b), false) = (e.budget_full_year, e.budget_parts.is_empty()) {
            let sum: Decimal = e.budget_parts.iter().map(|p| p.1).sum();
            if sum != b {
                let parts = e
                    .budget_parts
                    .iter()
                    .map(|p| format!("{} {}", p.0, fmt(p.1)))
                    .collect::<Vec<_>>()
                    .join(" + ");
                out.push(row(
                    file,
                    e.budget_parts[0].2,
                    &e.eval_id,
                    "budget_parts",
                    fmt(b),
                    fmt(sum),
                    format!(
                        "全年预算数 {} but its parts add up to {} ({parts})",
                        fmt(b),
                        fmt(sum)
                    ),
                ));
            }
        }
        // A 成本 (cost) target written as money should be the project's budget, up to rounding.
        if let Some(b) = e.budget_full_year {
            for ind in inds
                .iter()
                .filter(|i| i.levels.iter().flatten().any(|l| l.contains("成本")))
            {
                let Some(t) = ind.target_value.as_deref() else {
                    continue;
                };
                let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                if !(compact.ends_with("万元") || compact.ends_with('元')) {
                    continue; // a bare number or another unit: nothing to compare
                }
                let Some(cost) = super::text::money_wan(t, true) else {
                    continue;
                };
                if !same_up_to_rounding(cost, b) {
                    out.push(row(
                        file,
                        ind.line,
                        &e.eval_id,
                        "cost_vs_budget",
                        fmt(b),
                        fmt(cost),
                        format!(
                            "the 成本 target {t} is {} 万元, but the budget is {} 万元",
                            fmt(cost),
                            fmt(b)
                        ),
                    ));
                }
            }
        }
        // Deductions without a stated reason where the table has a reason column.
        let silent: Vec<_> = scored
            .iter()
            .filter(|i| {
                matches!((i.max_points, i.score), (Some(m), Some(s)) if m > s) && i.reason.is_none()
            })
            .collect();
        if !silent.is_empty() && e.scope == "department" {
            let lost: Decimal = silent
                .iter()
                .map(|i| i.max_points.unwrap() - i.score.unwrap())
                .sum();
            out.push(row(
                file,
                silent[0].line,
                &e.eval_id,
                "deduction_without_reason",
                String::new(),
                fmt(lost),
                format!(
                    "{} indicators lost {} points with no stated reason",
                    silent.len(),
                    fmt(lost)
                ),
            ));
        }
        // Stated execution rate vs amounts.
        if let (Some(b), Some(x), Some(r)) =
            (e.budget_full_year, e.executed, e.execution_rate_stated)
        {
            if b > Decimal::ZERO {
                let computed = (x / b * Decimal::from(100)).round_dp(2);
                if (computed - r).abs() > Decimal::from_str("0.1").unwrap() {
                    let line = line_of(&e.source);
                    out.push(row(
                        file,
                        line,
                        &e.eval_id,
                        "execution_rate",
                        fmt(r),
                        fmt(computed),
                        format!(
                            "stated 执行率 {}% but {} / {} = {}%",
                            fmt(r),
                            fmt(x),
                            fmt(b),
                            fmt(computed)
                        ),
                    ));
                }
            }
        }
        // The grade under the report's own thresholds.
        if let (Some(t), Some(g)) = (e.total_score, &e.grade) {
            if !thresholds.is_empty() {
                let expected = thresholds
                    .iter()
                    .find(|(_, min)| t >= *min)
                    .map(|x| x.0.clone())
                    .unwrap_or_else(|| thresholds.last().unwrap().0.clone());
                if tier_of_grade_word(&expected) != tier_of_grade_word(g) {
                    let line = line_of(&e.source);
                    out.push(row(file, line, &e.eval_id, "grade", g.clone(), expected.clone(),
                        format!("grade {g} does not follow from {} under the report's thresholds (expected {expected})", fmt(t))));
                }
            }
        }
    }
    // Narrative 得分率 vs score / max ("分值 3 分，得分 2.65 分…得分率 100%").
    static RATE: OnceLock<Regex> = OnceLock::new();
    let r = RATE.get_or_init(|| Regex::new(r"分值\s*([0-9.]+)\s*分\s*[，,]\s*得分\s*([0-9.]+)\s*分\s*[，,]?\s*(?:得分率\s*(?:为)?\s*([0-9.]+)\s*%)?").unwrap());
    for (i, l) in lines.iter().enumerate() {
        if !l.contains("分值") {
            continue;
        }
        for c in r.captures_iter(l) {
            let (Ok(m), Ok(s)) = (Decimal::from_str(&c[1]), Decimal::from_str(&c[2])) else {
                continue;
            };
            let stated = c
                .get(3)
                .and_then(|x| Decimal::from_str(x.as_str()).ok())
                .or_else(|| {
                    // the rate may continue on the next non-blank line
                    lines
                        .iter()
                        .skip(i + 1)
                        .find(|x| !x.trim().is_empty())
                        .and_then(|x| {
                            let t = x.trim_start();
                            let end = t.find('%')?;
                            Decimal::from_str(t[..end].trim()).ok()
                        })
                        .filter(|_| l.trim_end().ends_with("得分率"))
                });
            if let Some(rate) = stated {
                if m > Decimal::ZERO {
                    let computed = (s / m * Decimal::from(100)).round_dp(2);
                    if (computed - rate).abs() > Decimal::from_str("0.5").unwrap() {
                        out.push(row(
                            file,
                            i,
                            "",
                            "score_rate",
                            fmt(rate),
                            fmt(computed),
                            format!(
                                "得分 {} of 分值 {} is {}%, but the text says 得分率 {}%",
                                fmt(s),
                                fmt(m),
                                fmt(computed),
                                fmt(rate)
                            ),
                        ));
                    }
                }
            }
        }
    }
    out.extend(table_totals(file, lines));
    out.extend(narrative_arithmetic(file, lines));
    out.extend(narrative_weights(file, lines, evals));
    out.extend(breakdown_sums(file, lines));
    out.extend(funds_totals(file, lines, evals));
    out.extend(rate_signs(file, lines));
    out.extend(budget_sentences(file, lines, evals));
    // The same project twice with different numbers.
    let mut seen: HashMap<String, &EvalRec> = HashMap::new();
    for e in evals.iter().filter(|e| e.scope == "project") {
        let Some(n) = &e.project_name else { continue };
        let k = format!("{}|{}", e.evaluator_type, name_key(n));
        if let Some(prev) = seen.get(&k) {
            let a = (prev.budget_full_year, prev.executed, prev.total_score);
            let b = (e.budget_full_year, e.executed, e.total_score);
            if a != b {
                let line = line_of(&e.source);
                out.push(row(file, line, &e.eval_id, "duplicate_project", prev.eval_id.clone(), e.eval_id.clone(),
                    format!("project {n} appears again with different numbers (budget {} vs {}, total {} vs {})",
                        fmt_o(a.0), fmt_o(b.0), fmt_o(a.2), fmt_o(b.2))));
            }
        } else {
            seen.insert(k, e);
        }
    }
    out
}

fn fmt_o(d: Option<Decimal>) -> String {
    d.map(fmt).unwrap_or_else(|| "blank".into())
}

/// Totals rows (合计/总计) of plain tables (budgets, 附件 sums) against the sum of the rows above
/// them, column by column. Scored indicator tables are checked through their indicators
/// instead; rows of another width, 其中 sub-rows and tables without a header are left out.
fn table_totals(file: &str, lines: &[String]) -> Vec<AuditRow> {
    use super::text::{cells, compact, number};
    let mut out = Vec::new();
    let mut header: Option<usize> = None;
    let mut rows: Vec<usize> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !l.contains('\t') {
            if !l.trim().is_empty() {
                header = None;
                rows.clear();
            }
            continue;
        }
        let c = cells(l);
        let Some(h) = header else {
            // A header names its columns: no numbers in it, and not a scored indicator table.
            if c.iter().all(|x| number(x).is_none()) && super::table::header(lines, i).is_none() {
                header = Some(i);
            }
            continue;
        };
        let hcells: Vec<String> = cells(&lines[h]).iter().map(|x| compact(x)).collect();
        let width = hcells.len();
        let first = compact(c.first().copied().unwrap_or(""));
        // A budget table's stated 执行率 against its own amounts, row by row.
        let find = |ws: &[&str]| hcells.iter().position(|x| ws.iter().any(|w| x.contains(w)));
        // …and its 收入合计 against 调整预算 + 上年结余 (the funds a unit had to spend).
        if let (Some(ij), Some(bj), Some(cj)) = (
            find(&["收入合计"]),
            find(&["调整预算", "全年预算"]),
            find(&["上年结余", "上年结转"]),
        ) {
            if c.len() == width {
                if let (Some(inc), Some(b), Some(carry)) =
                    (number(c[ij]), number(c[bj]), number(c[cj]))
                {
                    if inc != b + carry {
                        out.push(row(
                            file,
                            i,
                            "",
                            "table_income",
                            fmt(inc),
                            fmt(b + carry),
                            format!(
                                "{first}: 收入合计 {} but 调整预算 {} + 上年结余 {} = {}",
                                fmt(inc),
                                fmt(b),
                                fmt(carry),
                                fmt(b + carry)
                            ),
                        ));
                    }
                }
            }
        }
        if let (Some(rj), Some(bj), Some(ej)) = (
            find(&["执行率"]),
            find(&["调整预算", "全年预算"]),
            find(&["支出合计", "执行数", "决算数", "实际支出"]),
        ) {
            if c.len() == width {
                if let (Some(rate), Some(b), Some(e)) = (
                    super::text::percent(c[rj]).or_else(|| number(c[rj])),
                    number(c[bj]),
                    number(c[ej]),
                ) {
                    if b > Decimal::ZERO {
                        let computed = (e / b * Decimal::from(100)).round_dp(2);
                        if (computed - rate).abs() > Decimal::from_str("0.1").unwrap() {
                            out.push(row(
                                file,
                                i,
                                "",
                                "table_rate",
                                fmt(rate),
                                fmt(computed),
                                format!(
                                    "{first}: stated 执行率 {}% but {} / {} = {}%",
                                    fmt(rate),
                                    fmt(e),
                                    fmt(b),
                                    fmt(computed)
                                ),
                            ));
                        }
                    }
                }
            }
        }
        let is_total = ["合计", "总计", "本年支出合计", "本年收入合计"]
            .iter()
            .any(|w| first.starts_with(w));
        if !is_total {
            if c.len() == width && !first.starts_with("其中") {
                rows.push(i);
            }
            continue;
        }
        if c.len() != width || rows.len() < 2 {
            rows.clear();
            continue;
        }
        for j in 1..width {
            let Some(total) = number(c[j]) else { continue };
            let vals: Vec<Decimal> = rows
                .iter()
                .filter_map(|&r| number(cells(&lines[r])[j]))
                .collect();
            if vals.len() != rows.len() {
                continue; // a blank or text cell in the column: not a summable column
            }
            // Row numbers (行次, 序号) are not amounts.
            let head = compact(cells(&lines[h]).get(j).copied().unwrap_or(""));
            let counting = vals.windows(2).all(|w| w[1] - w[0] == Decimal::ONE);
            if counting
                || ["行次", "序号", "栏次", "编号"]
                    .iter()
                    .any(|w| head.contains(w))
            {
                continue;
            }
            let sum: Decimal = vals.iter().sum();
            if (sum - total).abs() >= Decimal::from_str("0.005").unwrap() {
                let col_name = compact(cells(&lines[h]).get(j).copied().unwrap_or(""));
                out.push(row(
                    file,
                    i,
                    "",
                    "table_total",
                    fmt(total),
                    fmt(sum),
                    format!(
                        "{first} {col_name}: the {} rows above add up to {}, the table states {}",
                        rows.len(),
                        fmt(sum),
                        fmt(total)
                    ),
                ));
            }
        }
        rows.clear();
    }
    out
}

/// Amounts in prose that must agree with each other: a change stated with its percentage
/// ("0.51 万元，比 2023 年增加 0.06 万元，增加 13.39%"; "875.39 万元，较上年 1081.87 万元，减少
/// 19.09%"), and the identities 资产 − 负债 = 净资产 and 固定资产总额 − 在用 = 闲置.
fn narrative_arithmetic(file: &str, lines: &[String]) -> Vec<AuditRow> {
    static DELTA: OnceLock<Regex> = OnceLock::new();
    static PRIOR: OnceLock<Regex> = OnceLock::new();
    static NET: OnceLock<Regex> = OnceLock::new();
    static IDLE: OnceLock<Regex> = OnceLock::new();
    let num = r"([0-9][0-9,]*(?:\.[0-9]+)?)";
    let delta = DELTA.get_or_init(|| Regex::new(&format!(r"{num}\s*万元[，,]\s*比[^，,。]{{0,12}}?(增加|减少|增长|下降)\s*{num}\s*万元[，,]\s*(?:增加|减少|增长|下降|增幅|降幅)?\s*{num}\s*%")).unwrap());
    let prior = PRIOR.get_or_init(|| {
        Regex::new(&format!(
            r"{num}\s*万元[，,]\s*较上年\s*{num}\s*万元[，,]\s*(增加|减少|增长|下降)\s*{num}\s*%"
        ))
        .unwrap()
    });
    let net = NET.get_or_init(|| Regex::new(&format!(r"资产总额[^0-9。]{{0,20}}{num}\s*万元.{{0,80}}?负债总[额计][^0-9。]{{0,20}}{num}\s*万元.{{0,80}}?净资产[^0-9。]{{0,12}}{num}\s*万元")).unwrap());
    let idle = IDLE.get_or_init(|| Regex::new(&format!(r"所有固定资产总额为?\s*{num}\s*万元[，,]\s*在用固定资产总额为?\s*{num}\s*万元[，,]\s*闲置资产\s*{num}\s*万元")).unwrap());
    let d = |s: &str| Decimal::from_str(&s.replace(',', "")).ok();
    let pct_tol = Decimal::from_str("0.05").unwrap();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !l.contains("万元") {
            continue;
        }
        // Both phrasings give a base and a change; the stated percentage must be change / base.
        let mut check_rate = |before: Decimal, change: Decimal, p: Decimal, what: String| {
            if before > Decimal::ZERO {
                let computed = (change / before * Decimal::from(100)).round_dp(2);
                if (computed - p).abs() > pct_tol {
                    out.push(row(
                        file,
                        i,
                        "",
                        "change_rate",
                        fmt(p),
                        fmt(computed),
                        format!("{what}: {}% stated, {}% computed", fmt(p), fmt(computed)),
                    ));
                }
            }
        };
        for c in delta.captures_iter(l) {
            let (Some(now), Some(change), Some(p)) = (d(&c[1]), d(&c[3]), d(&c[4])) else {
                continue;
            };
            let up = matches!(&c[2], "增加" | "增长");
            let before = if up { now - change } else { now + change };
            check_rate(
                before,
                change,
                p,
                format!(
                    "{} 万元 after a change of {} 万元 from {}",
                    fmt(now),
                    fmt(change),
                    fmt(before)
                ),
            );
        }
        for c in prior.captures_iter(l) {
            let (Some(now), Some(before), Some(p)) = (d(&c[1]), d(&c[2]), d(&c[4])) else {
                continue;
            };
            check_rate(
                before,
                (now - before).abs(),
                p,
                format!(
                    "{} 万元 against {} 万元 the year before",
                    fmt(now),
                    fmt(before)
                ),
            );
        }
        for (re, check, what) in [
            (net, "net_assets", "资产 − 负债 = 净资产"),
            (idle, "idle_assets", "固定资产总额 − 在用 = 闲置"),
        ] {
            for c in re.captures_iter(l) {
                let (Some(a), Some(b), Some(stated)) = (d(&c[1]), d(&c[2]), d(&c[3])) else {
                    continue;
                };
                if a - b != stated {
                    out.push(row(
                        file,
                        i,
                        "",
                        check,
                        fmt(stated),
                        fmt(a - b),
                        format!(
                            "{what}: {} − {} = {}, the text states {}",
                            fmt(a),
                            fmt(b),
                            fmt(a - b),
                            fmt(stated)
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// Level-1 weights stated in prose ("三是产出指标（30 分）") against the department table.
fn narrative_weights(file: &str, lines: &[String], evals: &[EvalRec]) -> Vec<AuditRow> {
    static W: OnceLock<Regex> = OnceLock::new();
    let re = W.get_or_init(|| {
        Regex::new(r"([\p{Han}]{2,4}?)指标\s*[（(]\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]").unwrap()
    });
    // The evaluation a sentence belongs to: the nearest one stated above it (a report may
    // evaluate the department and then a project, each with its own weights).
    let scored: Vec<&EvalRec> = evals
        .iter()
        .filter(|e| e.evaluator_type != "self" || e.scope == "department")
        .filter(|e| !e.indicators.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !l.contains("满分") {
            continue;
        }
        let Some(dept) = scored
            .iter()
            .filter(|e| line_of(&e.source) <= i)
            .max_by_key(|e| line_of(&e.source))
            .or(scored.first())
        else {
            continue;
        };
        for c in re.captures_iter(l) {
            let stem = c[1]
                .trim_start_matches(['一', '二', '三', '四', '五', '是'])
                .to_string();
            let Ok(stated) = Decimal::from_str(&c[2]) else {
                continue;
            };
            if stem.chars().count() < 2 {
                continue;
            }
            let under: Vec<_> = dept
                .indicators
                .iter()
                .filter(|x| {
                    x.levels[0]
                        .as_deref()
                        .map(|n| n.contains(stem.as_str()))
                        .unwrap_or(false)
                })
                .collect();
            if under.is_empty() {
                continue;
            }
            let table: Decimal = under.iter().filter_map(|x| x.max_points).sum();
            if table != stated {
                out.push(row(
                    file,
                    i,
                    &dept.eval_id,
                    "weight",
                    fmt(stated),
                    fmt(table),
                    format!(
                        "the text gives {stem} {} 分, the indicator table {} 分",
                        fmt(stated),
                        fmt(table)
                    ),
                ));
            }
        }
    }
    out
}

/// A sentence stating a budget and its actual spending ("预算收支 117.5 万元，实际收支 107.43
/// 万元") whose ratio is not the execution rate the evaluation states.
fn budget_sentences(file: &str, lines: &[String], evals: &[EvalRec]) -> Vec<AuditRow> {
    static B: OnceLock<Regex> = OnceLock::new();
    let re = B.get_or_init(|| Regex::new(r"预算[^，,。0-9]{0,8}([0-9][0-9,]*(?:\.[0-9]+)?)\s*万元[，,]\s*实际[^，,。0-9]{0,6}([0-9][0-9,]*(?:\.[0-9]+)?)\s*万元").unwrap());
    static YUAN: OnceLock<Regex> = OnceLock::new();
    let yuan = YUAN.get_or_init(|| Regex::new(r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*元").unwrap());
    let Some(dept) = evals.iter().find(|e| e.scope == "department") else {
        return vec![];
    };
    let mut out = Vec::new();
    // The department's amount in 万元 written with 元: a unit slip (17,416.47 元).
    let known: Vec<Decimal> = [dept.budget_full_year, dept.executed]
        .into_iter()
        .flatten()
        .filter(|v| *v >= Decimal::from(100))
        .collect();
    for (i, l) in lines.iter().enumerate().filter(|(_, l)| l.contains('元')) {
        for c in yuan.captures_iter(l) {
            let Ok(v) = Decimal::from_str(&c[1].replace(',', "")) else {
                continue;
            };
            if known.contains(&v) {
                out.push(row(
                    file,
                    i,
                    &dept.eval_id,
                    "unit",
                    format!("{} 元", fmt(v)),
                    format!("{} 万元", fmt(v)),
                    format!(
                        "{} is the evaluation's amount in 万元 but is written with 元",
                        fmt(v)
                    ),
                ));
            }
        }
    }
    let Some(stated) = dept.execution_rate_stated else {
        return out;
    };
    for (i, l) in lines.iter().enumerate() {
        if !l.contains("实际") {
            continue;
        }
        for c in re.captures_iter(l) {
            let (Ok(b), Ok(a)) = (
                Decimal::from_str(&c[1].replace(',', "")),
                Decimal::from_str(&c[2].replace(',', "")),
            ) else {
                continue;
            };
            // Only sentences about the evaluation's own money (its budget or its spending).
            let same_money = dept.executed == Some(a) || dept.budget_full_year == Some(b);
            if b > Decimal::ZERO && same_money {
                let computed = (a / b * Decimal::from(100)).round_dp(2);
                if (computed - stated).abs() > Decimal::from_str("0.1").unwrap() {
                    out.push(row(file, i, &dept.eval_id, "budget_statement", fmt(stated), fmt(computed),
                        format!("budget {} 万元 and actual {} 万元 give {}%, but the evaluation states an execution rate of {}%", fmt(b), fmt(a), fmt(computed), fmt(stated))));
                }
            }
        }
    }
    out
}

/// Two amounts written to different precision agree when the more precise one, rounded or
/// cut to the other's decimal places, equals it (949.82 vs 949.821024; 16.539 vs 16.53958).
fn same_up_to_rounding(a: Decimal, b: Decimal) -> bool {
    let (a, b) = (a.normalize(), b.normalize());
    let dp = a.scale().min(b.scale());
    let fit = |x: Decimal| [x.round_dp(dp), x.trunc_with_scale(dp)];
    fit(a).iter().any(|x| fit(b).contains(x))
}

/// "X 万元，其中，甲 A 万元，乙 B 万元" in one sentence: the parts after 其中 must add up to X
/// (002: spending 31385.997668 with parts 4961.098592 + 31385.997668).
fn breakdown_sums(file: &str, lines: &[String]) -> Vec<AuditRow> {
    static HEAD: OnceLock<Regex> = OnceLock::new();
    static AMOUNT: OnceLock<Regex> = OnceLock::new();
    let head = HEAD.get_or_init(|| {
        Regex::new(r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*万元\s*[，,]\s*其中\s*[，,：:]?").unwrap()
    });
    let amount = AMOUNT.get_or_init(|| Regex::new(r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*万元").unwrap());
    let d = |s: &str| Decimal::from_str(&s.replace(',', "")).ok();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate().filter(|(_, l)| l.contains("其中")) {
        for sentence in l.split('。') {
            let Some(h) = head.captures(sentence) else {
                continue;
            };
            let Some(total) = d(&h[1]) else { continue };
            let rest = &sentence[h.get(0).unwrap().end()..];
            let parts: Vec<Decimal> = amount
                .captures_iter(rest)
                .filter_map(|c| d(&c[1]))
                .collect();
            if parts.len() < 2 {
                continue;
            }
            let sum: Decimal = parts.iter().sum();
            if (sum - total).abs() >= Decimal::from_str("0.005").unwrap() {
                out.push(row(
                    file,
                    i,
                    "",
                    "breakdown_sum",
                    fmt(total),
                    fmt(sum),
                    format!(
                        "{} 万元 but the parts after 其中 add up to {} ({})",
                        fmt(total),
                        fmt(sum),
                        parts
                            .iter()
                            .map(|p| fmt(*p))
                            .collect::<Vec<_>>()
                            .join(" + ")
                    ),
                ));
            }
        }
    }
    out
}

/// A goal table's total funds (总体资金 / 资金总额) against the department budget: 002 states
/// 182,637,354.64 元 beside a 31,385.997668 万元 budget; 004's 16,923.25 is its spending.
fn funds_totals(file: &str, lines: &[String], evals: &[EvalRec]) -> Vec<AuditRow> {
    let Some(dept) = evals.iter().find(|e| e.scope == "department") else {
        return vec![];
    };
    let Some(budget) = dept.budget_full_year else {
        return vec![];
    };
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let bare: String = l.chars().filter(|c| !c.is_whitespace()).collect();
        // A project table's 年度资金总额 row is the project's money, not the department's.
        if bare.contains("年度资金总额") {
            continue;
        }
        let Some(pos) = ["资金总额", "总体资金"].iter().find_map(|w| bare.find(w)) else {
            continue;
        };
        let in_yuan = bare.contains("(元)") || bare.contains("（元）");
        // The amount: on the same line after the label, else the first number on the lines below.
        let after = &l[l.find(['资', '总']).unwrap_or(0)..];
        let first_number = |t: &str| {
            t.split(['\t', ':', '：', ' '])
                .find_map(super::text::number)
        };
        let value = first_number(after)
            .filter(|_| pos < bare.len())
            .or_else(|| {
                lines
                    .iter()
                    .skip(i + 1)
                    .take(12)
                    .find_map(|x| first_number(x))
            });
        let Some(v) = value else { continue };
        let wan = if in_yuan { v / Decimal::from(10000) } else { v };
        if !same_up_to_rounding(wan, budget) {
            let note = if dept
                .executed
                .map(|e| same_up_to_rounding(wan, e))
                .unwrap_or(false)
            {
                "it is the spending, not the budget"
            } else {
                "neither the budget nor the spending"
            };
            out.push(row(
                file,
                i,
                &dept.eval_id,
                "funds_total",
                fmt(budget),
                fmt(wan),
                format!(
                    "the stated total funds {} 万元 differ from the budget {} 万元: {note}",
                    fmt(wan),
                    fmt(budget)
                ),
            ));
        }
    }
    out
}

/// The same named rate stated with both signs (004: 结转结余率 2.83% and −2.83%).
fn rate_signs(file: &str, lines: &[String]) -> Vec<AuditRow> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"([\p{Han}]{2,6}率)\s*为?\s*(-?[0-9]+(?:\.[0-9]+)?)\s*%").unwrap()
    });
    let mut seen: Vec<(String, Decimal, usize)> = Vec::new();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate().filter(|(_, l)| l.contains('率')) {
        for c in re.captures_iter(l) {
            let Ok(v) = Decimal::from_str(&c[2]) else {
                continue;
            };
            // The last four characters before 率 name the rate ("年结转结余率" = "结转结余率").
            let chars: Vec<char> = c[1].chars().collect();
            let name: String = chars[chars.len().saturating_sub(5)..].iter().collect();
            if v != Decimal::ZERO {
                if let Some((_, w, line)) = seen.iter().find(|(n, w, _)| *n == name && *w == -v) {
                    out.push(row(
                        file,
                        i,
                        "",
                        "rate_sign",
                        format!("{}%", fmt(*w)),
                        format!("{}%", fmt(v)),
                        format!(
                            "{name} is {}% at line {} but {}% here",
                            fmt(*w),
                            line + 1,
                            fmt(v)
                        ),
                    ));
                }
            }
            seen.push((name, v, i));
        }
    }
    out
}
