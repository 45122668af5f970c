//! The briefing: five to eight findings, each one sentence of Chinese with full-width
//! punctuation, numbers with their units and the comparison that gives them meaning. What
//! should not be pooled stays apart: self-evaluations (自评) and independent scores, department
//! (部门整体) and project (项目) scope, and years (the latest year first, earlier years named).

use std::collections::BTreeMap;

use polars::prelude::*;

use super::context::{median, Ctx};
use super::model::Finding;
use super::zh;
use crate::bench::BenchTables;
use crate::dataset::decimal::{cell_f64 as f, cell_text as s};
use crate::dataset::Dataset;

/// The findings as plain sentences (for callers that hold no context).
pub fn sentences(ds: &Dataset, t: &BenchTables, threshold: f64) -> Vec<String> {
    let mut taken = Default::default();
    let ctx = Ctx::new(ds, t, None, threshold, 5, &mut taken);
    briefing(&ctx).iter().map(Finding::plain).collect()
}

/// The findings, most important first.
pub fn briefing(c: &Ctx) -> Vec<Finding> {
    // (priority, finding): when there are more than `MAX_FINDINGS`, the least important go
    // (a lower number is kept first); the rest keep their reading order.
    let mut all: Vec<(u8, Finding)> = vec![(0, coverage(c))];
    all.extend(scores(c).into_iter().map(|f| (1, f)));
    for f in execution(c) {
        all.push((if f.topic == "项目" { 5 } else { 2 }, f));
    }
    all.extend(inflation(c).into_iter().map(|f| (3, f)));
    all.extend(causes(c).into_iter().map(|f| (6, f)));
    all.extend(leniency(c).into_iter().map(|f| (4, f)));
    all.extend(rank_uncertainty(c).into_iter().map(|f| (8, f)));
    all.extend(review(c).into_iter().map(|f| (7, f)));
    while all.len() > MAX_FINDINGS {
        let worst = all
            .iter()
            .enumerate()
            .max_by_key(|(k, (p, _))| (*p, *k))
            .map(|(k, _)| k)
            .expect("not empty");
        all.remove(worst);
    }
    all.into_iter().map(|(_, f)| f).collect()
}

/// The briefing's length the issue asks for: five to eight findings.
pub const MAX_FINDINGS: usize = 8;

const INDEPENDENT: [&str; 3] = ["third_party", "expert_panel", "finance_bureau"];

fn coverage(c: &Ctx) -> Finding {
    let e = &c.ds.evaluations;
    let mut by_type: Vec<String> = Vec::new();
    for ty in ["self", "third_party", "expert_panel", "finance_bureau"] {
        let n = (0..e.height())
            .filter(|&i| s(e, "evaluator_type", i) == ty)
            .count();
        if n > 0 {
            by_type.push(format!("{} {n} 次", zh::evaluator(ty)));
        }
    }
    let districts = c.districts();
    let place = match districts.len() {
        0 => String::new(),
        1 => format!("{}的", districts[0]),
        n => format!(" {n} 个区（县）的"),
    };
    if e.height() == 0 {
        return Finding::new("数据").text(format!(
            "本数据集有{place} {} 个单位，但没有评价记录，无法比较。",
            c.units.len()
        ));
    }
    let years = if c.years.is_empty() {
        String::new()
    } else {
        format!("（{}）", zh::years(&c.years))
    };
    let of_which = if by_type.is_empty() {
        String::new()
    } else {
        format!("，其中{}", zh::list(&by_type))
    };
    Finding::new("数据").text(format!(
        "本数据集覆盖{place} {} 个单位、{} 次评价{years}{of_which}。",
        c.units.len(),
        e.height(),
    ))
}

/// Department scores in the latest year: the unit furthest below its peers' median, per
/// evaluator class (independent first; self-evaluations only when nothing else exists).
fn scores(c: &Ctx) -> Vec<Finding> {
    let Some(year) = c.dept.iter().map(|d| d.year).max() else {
        return vec![];
    };
    let of_year: Vec<_> = c.dept.iter().filter(|d| d.year == year).collect();
    let independent: Vec<_> = of_year
        .iter()
        .filter(|d| INDEPENDENT.contains(&d.evaluator_type.as_str()))
        .copied()
        .collect();
    let (rows, class) = if independent.is_empty() {
        (of_year, "self")
    } else {
        (independent, "independent")
    };
    // Only a comparison with at least one other unit says something.
    let compared: Vec<_> = rows.iter().filter(|d| d.peer_n > 1).copied().collect();
    let mut f = Finding::new("得分");
    if compared.is_empty() {
        let parts: Vec<String> = rows
            .iter()
            .map(|d| {
                format!(
                    "{}{} {}",
                    c.name(&d.unit_id),
                    zh::evaluator(&d.evaluator_type),
                    zh::points(d.score)
                )
            })
            .collect();
        f.push(format!(
            "{year} 年度{}的部门整体得分：{}；各单位没有同年度、同类评价主体的同类单位可比，得分不作排名比较。",
            zh::evaluator(class),
            zh::list(&parts)
        ));
        return vec![f];
    }
    let mut scores: Vec<f64> = compared.iter().map(|d| d.score).collect();
    let med = median(&mut scores).unwrap_or(f64::NAN);
    let low = compared
        .iter()
        .min_by(|a, b| (a.score - a.peer_median).total_cmp(&(b.score - b.peer_median)))
        .expect("not empty");
    let high = compared
        .iter()
        .max_by(|a, b| (a.score - a.peer_median).total_cmp(&(b.score - b.peer_median)))
        .expect("not empty");
    f.push(format!(
        "{year} 年度{}的部门整体得分中位数为 {}；相对同类单位最低的是",
        zh::evaluator(class),
        zh::points(med)
    ));
    f.unit(c.anchor(&low.unit_id), &c.name(&low.unit_id));
    f.push(format!(
        "（{} {}，{}{}），最高的是",
        zh::evaluator(&low.evaluator_type),
        zh::points(low.score),
        zh::versus(low.score - low.peer_median, "分", "同类单位中位数"),
        rank_text(low)
    ));
    f.unit(c.anchor(&high.unit_id), &c.name(&high.unit_id));
    f.push(format!(
        "（{} {}，{}）。",
        zh::evaluator(&high.evaluator_type),
        zh::points(high.score),
        zh::versus(high.score - high.peer_median, "分", "同类单位中位数"),
    ));
    vec![f]
}

fn rank_text(d: &super::context::DeptScore) -> String {
    match (d.rank, d.n_peers, d.rank_interval) {
        (Some(r), Some(n), Some((a, b))) if a != b => {
            format!("，{n} 个同类单位中排第 {r} 名，可能名次 {a} 至 {b}")
        }
        (Some(r), Some(n), _) => format!("，{n} 个同类单位中排第 {r} 名"),
        _ => String::new(),
    }
}

/// Execution below 80%: department budgets by year (the latest with the gap to peers), then
/// projects, in separate sentences.
fn execution(c: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    let dept: Vec<_> = c.exec.iter().filter(|x| x.scope == "department").collect();
    if !dept.is_empty() {
        // One rate per unit-year: self and independent evaluations share the budget.
        let mut per: BTreeMap<(i32, &str), &super::context::Exec> = BTreeMap::new();
        for x in &dept {
            per.entry((x.year, x.unit_id.as_str())).or_insert(x);
        }
        let years: Vec<i32> = per
            .keys()
            .map(|k| k.0)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .rev()
            .collect();
        let latest = years[0];
        let mut f = Finding::new("执行");
        let below: Vec<_> = per
            .iter()
            .filter(|(k, x)| k.0 == latest && x.rate < 80.0)
            .map(|(_, x)| *x)
            .collect();
        let n_latest = per.keys().filter(|k| k.0 == latest).count();
        if below.is_empty() {
            let low = per
                .iter()
                .filter(|(k, _)| k.0 == latest)
                .map(|(_, x)| *x)
                .min_by(|a, b| a.rate.total_cmp(&b.rate))
                .expect("a latest year");
            f.push(format!(
                "{latest} 年度 {n_latest} 个单位的部门整体预算执行率都不低于 80%，最低的是"
            ));
            f.unit(c.anchor(&low.unit_id), &c.name(&low.unit_id));
            f.push(format!("（{}", zh::percent(low.rate)));
            if let Some(m) = low.peer_median.filter(|_| low.n_peers.unwrap_or(0) > 1) {
                f.push(format!(
                    "，{}",
                    zh::versus(low.rate - m, "个百分点", "同类单位中位数")
                ));
            }
            f.push("）");
        } else {
            f.push(format!(
                "{latest} 年度 {n_latest} 个单位中有 {} 个部门整体预算执行率低于 80%：",
                below.len()
            ));
            let mut sorted = below.clone();
            sorted.sort_by(|a, b| a.rate.total_cmp(&b.rate));
            for (k, x) in sorted.iter().take(5).enumerate() {
                if k > 0 {
                    f.push("；");
                }
                f.unit(c.anchor(&x.unit_id), &c.name(&x.unit_id));
                f.push(format!(" {}", zh::percent(x.rate)));
                if let Some(m) = x.peer_median.filter(|_| x.n_peers.unwrap_or(0) > 1) {
                    f.push(format!(
                        "，{}",
                        zh::versus(x.rate - m, "个百分点", "同类单位中位数")
                    ));
                }
            }
            if sorted.len() > 5 {
                f.push(format!("等 {} 个", sorted.len()));
            }
        }
        let earlier: Vec<(i32, usize)> = years[1..]
            .iter()
            .map(|y| {
                let n = per
                    .iter()
                    .filter(|(k, x)| k.0 == *y && x.rate < 80.0)
                    .count();
                (*y, n)
            })
            .collect();
        if earlier.iter().any(|(_, n)| *n > 0) {
            let parts: Vec<String> = earlier
                .iter()
                .map(|(y, n)| format!("{y} 年度 {n} 个"))
                .collect();
            f.push(format!("；此前低于 80% 的：{}", zh::list(&parts)));
        } else if !earlier.is_empty() {
            let ys: Vec<i32> = earlier.iter().map(|(y, _)| *y).collect();
            f.push(format!("；{}也没有低于 80% 的", zh::years(&ys)));
        }
        f.push("。");
        out.push(f);
    }
    let projects: Vec<_> = c.exec.iter().filter(|x| x.scope == "project").collect();
    if !projects.is_empty() {
        let latest = projects.iter().map(|x| x.year).max().expect("not empty");
        let of: Vec<_> = projects.iter().filter(|x| x.year == latest).collect();
        let below: Vec<_> = of.iter().filter(|x| x.rate < 80.0).collect();
        let units: std::collections::BTreeSet<&str> =
            below.iter().map(|x| x.unit_id.as_str()).collect();
        let mut rates: Vec<f64> = of.iter().map(|x| x.rate).collect();
        let med = median(&mut rates).unwrap_or(f64::NAN);
        let mut f = Finding::new("项目");
        if below.is_empty() {
            f.push(format!(
                "{latest} 年度有预算数据的 {} 个项目支出执行率都不低于 80%，中位数 {}。",
                of.len(),
                zh::percent(med)
            ));
        } else {
            f.push(format!(
                "{latest} 年度 {} 个项目支出中有 {} 个执行率低于 80%，分属 {} 个单位（项目执行率中位数 {}）。",
                of.len(),
                below.len(),
                units.len(),
                zh::percent(med)
            ));
        }
        out.push(f);
    }
    out
}

/// Self-evaluation against independent scores, per scope: matched pairs pooled over the
/// years (named), else the distribution comparison of the same unit, year and scope.
fn inflation(c: &Ctx) -> Vec<Finding> {
    let sm = &c.t.inflation_summary;
    let mut out = Vec::new();
    let mut sentences: Vec<String> = Vec::new();
    for scope in ["department", "project"] {
        let pooled: Vec<usize> = (0..sm.height())
            .filter(|&i| {
                s(sm, "scope", i) == scope
                    && s(sm, "fiscal_year", i).is_empty()
                    && f(sm, "mean_gap", i).is_some()
            })
            .collect();
        if pooled.is_empty() {
            continue;
        }
        let pair_years: Vec<i32> = (0..sm.height())
            .filter(|&i| s(sm, "scope", i) == scope)
            .filter_map(|i| f(sm, "fiscal_year", i).map(|y| y as i32))
            .collect();
        let parts: Vec<String> = pooled
            .iter()
            .map(|&i| {
                let gap = f(sm, "mean_gap", i).unwrap_or(f64::NAN);
                let ci = match (f(sm, "ci_low", i), f(sm, "ci_high", i)) {
                    (Some(a), Some(b)) => {
                        format!("，95% 区间 {} 至 {} 分", zh::num(a, 1), zh::num(b, 1))
                    }
                    _ => String::new(),
                };
                format!(
                    "比{}{} {} 分（{} 对{ci}）",
                    zh::evaluator(&s(sm, "reference_type", i)),
                    if gap >= 0.0 { "高" } else { "低" },
                    zh::num(gap.abs(), 1),
                    s(sm, "n_pairs", i)
                )
            })
            .collect();
        sentences.push(format!(
            "{}自评与同一对象的独立评价相比（{}合计），平均{}",
            zh::scope(scope),
            zh::years(&pair_years),
            zh::list(&parts)
        ));
    }
    if !sentences.is_empty() {
        // Department and project scope apart, in one finding (two clauses).
        out.push(Finding::new("自评").text(sentences.join("；") + "。"));
        return out;
    }
    // No pairs: compare distributions, same unit, year and scope, and say what that means.
    let di = &c.t.inflation_distribution;
    let rows: Vec<usize> = (0..di.height())
        .filter(|&i| f(di, "mean_difference", i).is_some())
        .collect();
    if rows.is_empty() {
        if c.t.inflation.height() == 0 {
            out.push(
                Finding::new("自评")
                    .text("没有同一单位、同一年度同时具有自评和独立评价的，无法比较自评是否偏高。"),
            );
        }
        return out;
    }
    let mut g = Finding::new("自评");
    g.push("没有同一对象的自评与独立评价可以逐项配对；按同一单位、年度和范围比较分布：");
    for (k, &i) in rows.iter().take(3).enumerate() {
        if k > 0 {
            g.push("；");
        }
        let id = s(di, "unit_id", i);
        g.unit(c.anchor(&id), &s(di, "short_name", i));
        g.push(format!(
            " {} 年度 {} 个{}自评平均 {}，{} 个独立评价平均 {}，相差 {} 分",
            s(di, "fiscal_year", i),
            s(di, "n_self", i),
            zh::scope(&s(di, "scope", i)),
            zh::points(f(di, "mean_self", i).unwrap_or(f64::NAN)),
            s(di, "n_independent", i),
            zh::points(f(di, "mean_independent", i).unwrap_or(f64::NAN)),
            zh::num(f(di, "mean_difference", i).unwrap_or(f64::NAN), 1)
        ));
    }
    g.push("。这只说明分布的差异，不能证明某个项目被高估。");
    out.push(g);
    out
}

/// Deduction causes in the latest year with deductions, kept apart by evaluator class and
/// scope: the top cause of each, with its share of that class and scope's points lost.
fn causes(c: &Ctx) -> Vec<Finding> {
    let d = &c.t.deductions_detail;
    if d.height() == 0 {
        return vec![];
    }
    let Some(year) = (0..d.height())
        .filter_map(|i| f(d, "fiscal_year", i))
        .map(|y| y as i32)
        .max()
    else {
        return vec![];
    };
    // (class, scope) → cause → (n, points)
    let mut g: BTreeMap<(u8, String), BTreeMap<String, (usize, f64)>> = BTreeMap::new();
    for i in 0..d.height() {
        if f(d, "fiscal_year", i).map(|y| y as i32) != Some(year) {
            continue;
        }
        let class = if s(d, "evaluator_type", i) == "self" {
            1
        } else {
            0
        };
        let e = g
            .entry((class, s(d, "scope", i)))
            .or_default()
            .entry(s(d, "cause", i))
            .or_insert((0, 0.0));
        e.0 += 1;
        e.1 += f(d, "points_lost", i).unwrap_or(0.0);
    }
    let parts: Vec<String> = g
        .iter()
        .filter_map(|((class, scope), causes)| {
            let total: f64 = causes.values().map(|v| v.1).sum();
            let (cause, (n, p)) = causes
                .iter()
                .max_by(|a, b| a.1 .1.total_cmp(&b.1 .1).then(b.0.cmp(a.0)))?;
            if total <= 0.0 {
                return None;
            }
            Some(format!(
                "{}的{}评价中是“{}”（{n} 处，{}，占扣分的 {}%）",
                if *class == 0 {
                    "独立评价"
                } else {
                    "自评"
                },
                zh::scope(scope),
                cause,
                zh::points(*p),
                zh::num(p / total * 100.0, 0)
            ))
        })
        .collect();
    if parts.is_empty() {
        return vec![];
    }
    vec![Finding::new("扣分").text(format!("{year} 年度扣分最多的原因：{}。", parts.join("；")))]
}

fn leniency(c: &Ctx) -> Vec<Finding> {
    let pooled =
        c.t.leniency
            .clone()
            .lazy()
            .filter(col("fiscal_year").is_null())
            .collect()
            .unwrap_or_default();
    let l = &pooled;
    if l.height() == 0 {
        return vec![];
    }
    let lenient: Vec<String> = (0..l.height())
        .filter(|&i| s(l, "lenient", i) == "true")
        .map(|i| {
            format!(
                "{}“{}”比其他评价主体对同一对象的评分高 {} 分（单侧 95% 下限 {} 分；95% 区间 {} 至 {} 分）",
                zh::evaluator(&s(l, "evaluator_type", i)),
                s(l, "evaluator", i),
                zh::num(f(l, "effect", i).unwrap_or(f64::NAN), 1),
                zh::num(f(l, "flag_low", i).unwrap_or(f64::NAN), 1),
                zh::num(f(l, "ci_low", i).unwrap_or(f64::NAN), 1),
                zh::num(f(l, "ci_high", i).unwrap_or(f64::NAN), 1)
            )
        })
        .collect();
    let comparable = (0..l.height())
        .filter(|&i| f(l, "effect", i).is_some())
        .count();
    let unjudged = (0..l.height())
        .filter(|&i| f(l, "effect", i).is_some() && s(l, "lenient", i).is_empty())
        .count();
    let unjudged = if unjudged > 0 {
        format!("另有 {unjudged} 个评价主体共同评价的对象不足，不作判断。")
    } else {
        String::new()
    };
    let th = zh::num(c.threshold, 1);
    let text = if !lenient.is_empty() {
        format!(
            "各年度合并看，系统性偏宽（单侧 95% 下限超过 {th} 分）的评价主体：{}；这说明其评分高于其他评价主体对同一对象的评分，不说明哪一份报告评错。{unjudged}",
            lenient.join("；")
        )
    } else if comparable > 0 {
        format!(
            "各年度合并看，{comparable} 个可比较的独立评价主体中没有系统性偏宽的（阈值 {th} 分）。{unjudged}"
        )
    } else {
        format!(
            "{} 个独立评价主体从未与其他评价主体评价同一对象，无法判断宽严。",
            l.height()
        )
    };
    vec![Finding::new("宽严").text(text)]
}

fn rank_uncertainty(c: &Ctx) -> Vec<Finding> {
    let mut spans: Vec<f64> = c
        .dept
        .iter()
        .filter(|d| d.peer_n > 1)
        .filter_map(|d| d.rank_interval.map(|(a, b)| (b - a + 1) as f64))
        .collect();
    if spans.len() < 2 {
        return vec![];
    }
    let med = median(&mut spans).unwrap_or(f64::NAN);
    let single = spans.iter().filter(|x| **x <= 1.0).count();
    vec![Finding::new("排名").text(format!(
        "考虑评分的测量误差，{} 个部门整体排名中只有 {single} 个名次确定，可能名次区间的中位数跨 {} 个名次；相邻名次多数不能区分，请看区间而非单一名次。",
        spans.len(),
        zh::num(med, 0)
    ))]
}

fn review(c: &Ctx) -> Vec<Finding> {
    let Some(r) = c.review else {
        return vec![];
    };
    let flagged = r
        .rows
        .iter()
        .filter(|x| x.risk_score > rust_decimal::Decimal::ZERO)
        .count();
    if r.rows.is_empty() {
        return vec![];
    }
    let mut f = Finding::new("复核");
    f.push(format!(
        "{} 次自评中有 {flagged} 次至少有一项值得复核的原因，建议抽查 {} 次（风险层 {} 次、随机层 {} 次）",
        r.rows.len(),
        r.sample.size,
        r.sample.risk,
        r.sample.random
    ));
    if let Some(top) = r
        .rows
        .first()
        .filter(|x| x.risk_score > rust_decimal::Decimal::ZERO)
    {
        let labels: Vec<&str> = top
            .hits
            .iter()
            .map(|h| r.weights.get(h.reason).label.as_str())
            .collect();
        f.push("；排在首位的是");
        f.unit(c.anchor(&top.unit_id), &top.short_name);
        f.push(format!(
            "{}“{}”，原因是{}",
            top.fiscal_year
                .map(|y| format!(" {y} 年度"))
                .unwrap_or_default(),
            top.project_name.as_deref().unwrap_or("部门整体支出"),
            zh::list(&labels)
        ));
    }
    f.push("。");
    vec![f]
}
