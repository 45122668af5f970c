//! The headline findings, as plain Chinese sentences generated from the benchmark numbers.

use polars::prelude::*;

use crate::bench::BenchTables;
use crate::charts::data::evaluator_label;
use crate::dataset::decimal::{cell_f64 as f, cell_text as s};
use crate::dataset::Dataset;

/// One sentence per finding, most important first.
pub fn sentences(ds: &Dataset, t: &BenchTables, threshold: f64) -> Vec<String> {
    let mut out = Vec::new();
    // What the data covers.
    let e = &ds.evaluations;
    let count = |ty: &str| {
        e.column("evaluator_type")
            .ok()
            .and_then(|c| {
                c.str()
                    .ok()
                    .map(|c| c.iter().filter(|v| *v == Some(ty)).count())
            })
            .unwrap_or(0)
    };
    let years: Vec<i64> = t.summary["counts"]["fiscal_years"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_i64()).collect())
        .unwrap_or_default();
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b} 年度"),
        (Some(a), _) => format!("{a} 年度"),
        _ => String::new(),
    };
    out.push(format!(
        "数据覆盖 {} 个单位、{} 次评价({span}): 自评 {} 次, 第三方 {} 次, 专家评分 {} 次, 财政部门 {} 次.",
        ds.units.height(),
        e.height(),
        count("self"),
        count("third_party"),
        count("expert_panel"),
        count("finance_bureau")
    ));
    // Self-evaluation inflation: the headline counts each self score once (against the mean
    // of its references), with an interval clustered by unit, per reference type.
    let inf = &t.summary["inflation"];
    let p = &t.inflation;
    if p.height() > 0 {
        let num = |v: &serde_json::Value| v.as_f64();
        let mean = num(&inf["mean_gap"]).unwrap_or(f64::NAN);
        let gaps: Vec<f64> = (0..p.height()).filter_map(|i| f(p, "gap_100", i)).collect();
        let n = gaps.len() as f64;
        let pmean = gaps.iter().sum::<f64>() / n;
        let higher = gaps.iter().filter(|g| **g > 0.0).count() as f64 / n * 100.0;
        let sd = if n > 1.0 {
            (gaps.iter().map(|g| (g - pmean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        let ci = match (num(&inf["ci_low"]), num(&inf["ci_high"])) {
            (Some(a), Some(b)) => format!(", 95% 区间 {a:.2} 至 {b:.2} 分(按单位聚类)"),
            _ => String::new(),
        };
        let by_type: Vec<String> = inf["by_reference_type"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(ty, v)| {
                        let adj = match num(&v["mean_gap_adjusted"]) {
                            Some(a) => format!(", 扣除该类评价主体宽严后 {a:.2} 分"),
                            None => String::new(),
                        };
                        format!(
                            "对照{} {:.2} 分({} 个自评{adj})",
                            evaluator_label(ty),
                            num(&v["mean_gap"]).unwrap_or(f64::NAN),
                            v["n_self_scores"]
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(format!(
            "在 {} 个有独立评分可对照的自评({} 对配对, 同一单位、年度、项目)中, 自评平均{} {:.2} 分{ci}; 分对照类型: {}. 单对配对的 95% 一致性界限 {:.2} 至 {:.2} 分, {:.0}% 的配对自评更高.",
            inf["n_self_scores"],
            gaps.len(),
            if mean >= 0.0 { "高出" } else { "低于" },
            mean.abs(),
            by_type.join("; "),
            pmean - 1.96 * sd,
            pmean + 1.96 * sd,
            higher
        ));
    } else if t.inflation_distribution.height() > 0 {
        let di = &t.inflation_distribution;
        let rows: Vec<usize> = (0..di.height())
            .filter(|&i| f(di, "mean_difference", i).is_some())
            .collect();
        let parts: Vec<String> = rows
            .iter()
            .take(3)
            .map(|&i| {
                format!(
                    "{} {} 年 {} 个{}自评均值 {:.2} 分, {} 个同类独立评分均值 {:.2} 分, 相差 {:.2} 分",
                    s(di, "short_name", i),
                    s(di, "fiscal_year", i),
                    s(di, "n_self", i),
                    if s(di, "scope", i) == "project" { "项目" } else { "部门" },
                    f(di, "mean_self", i).unwrap_or(f64::NAN),
                    s(di, "n_independent", i),
                    f(di, "mean_independent", i).unwrap_or(f64::NAN),
                    f(di, "mean_difference", i).unwrap_or(f64::NAN)
                )
            })
            .collect();
        if parts.is_empty() {
            out.push("没有同一对象的自评与独立评分可以逐项配对, 也没有同一范围(部门或项目)的独立评分可比较分布.".to_string());
        } else {
            out.push(format!("没有同一对象的自评与独立评分可以逐项配对; 按单位、年度和同一范围比较分布: {}. 这只说明分布差异, 不能证明同一项目被高估.", parts.join("; ")));
        }
    } else {
        out.push("没有同一单位年度同时具有自评和独立评分, 无法比较自评是否偏高.".to_string());
    }
    // Execution below 80%: units first (department budgets, by year), then how many projects.
    let below = t
        .execution
        .clone()
        .lazy()
        .filter(col("flag").eq(lit("below_80")))
        .collect()
        .unwrap_or_default();
    let mut units: Vec<(String, Vec<String>)> = Vec::new();
    let mut projects: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for i in 0..below.height() {
        let name = s(&below, "short_name", i);
        if s(&below, "scope", i) == "department" {
            let year_rate = format!(
                "{} 年 {:.1}%",
                s(&below, "fiscal_year", i),
                f(&below, "execution_rate", i).unwrap_or(f64::NAN)
            );
            match units.iter_mut().find(|u| u.0 == name) {
                Some(u) => u.1.push(year_rate),
                None => units.push((name, vec![year_rate])),
            }
        } else {
            *projects.entry(name).or_default() += 1;
        }
    }
    if below.height() == 0 {
        out.push(format!(
            "有预算数据的 {} 次评价中, 没有预算执行率低于 80% 的.",
            t.execution.height()
        ));
    } else {
        let mut parts = Vec::new();
        if !units.is_empty() {
            let shown: Vec<String> = units
                .iter()
                .take(10)
                .map(|(n, ys)| format!("{n}({})", ys.join(", ")))
                .collect();
            let more = if units.len() > 10 {
                format!(" 等 {} 个单位", units.len())
            } else {
                String::new()
            };
            parts.push(format!(
                "{} 个单位的部门整体预算执行率低于 80%: {}{more}",
                units.len(),
                shown.join("; ")
            ));
        }
        if !projects.is_empty() {
            let n: usize = projects.values().sum();
            parts.push(format!(
                "另有 {n} 个项目低于 80%, 分属 {} 个单位",
                projects.len()
            ));
        }
        out.push(parts.join("; ") + ".");
    }
    // Deduction causes.
    if let Some(causes) = t.summary["top_causes"].as_array() {
        let total: f64 = t
            .deductions_detail
            .column("points_lost")
            .ok()
            .and_then(|c| c.cast(&DataType::Float64).ok())
            .and_then(|c| c.f64().ok().and_then(|c| c.sum()))
            .unwrap_or(0.0);
        let parts: Vec<String> = causes
            .iter()
            .take(3)
            .map(|c| {
                let pts: f64 = c["points_lost"]
                    .as_str()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(0.0);
                format!(
                    "{}({} 处, {} 分, 占 {:.0}%)",
                    c["cause"].as_str().unwrap_or(""),
                    c["n_deductions"],
                    c["points_lost"].as_str().unwrap_or(""),
                    if total > 0.0 {
                        pts / total * 100.0
                    } else {
                        0.0
                    }
                )
            })
            .collect();
        if !parts.is_empty() {
            out.push(format!("扣分最多的三类原因: {}.", parts.join("、")));
        }
    }
    // Leniency.
    let pooled = t
        .leniency
        .clone()
        .lazy()
        .filter(col("fiscal_year").is_null())
        .collect()
        .unwrap_or_default();
    let l = &pooled;
    let lenient: Vec<String> = (0..l.height())
        .filter(|&i| s(l, "lenient", i) == "true")
        .map(|i| {
            format!(
                "{}「{}」比其他评价主体对同一对象的评分高 {:.2} 分(95% 区间 {:.2} 至 {:.2})",
                evaluator_label(&s(l, "evaluator_type", i)),
                s(l, "evaluator", i),
                f(l, "effect", i).unwrap_or(f64::NAN),
                f(l, "ci_low", i).unwrap_or(f64::NAN),
                f(l, "ci_high", i).unwrap_or(f64::NAN)
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
        format!(" 另有 {unjudged} 个评价主体共同评价对象不足, 不作判断.")
    } else {
        String::new()
    };
    if !lenient.is_empty() {
        out.push(format!(
            "系统性偏宽(区间下限超过 {threshold:.1} 分): {}. 这说明其评分高于其他评价主体对同一对象的评分, 不说明具体哪一份报告评错.{unjudged}",
            lenient.join("; ")
        ));
    } else if comparable > 0 {
        out.push(format!(
            "{comparable} 个可比较的独立评价主体中, 没有发现系统性偏宽的(阈值 {threshold:.1} 分).{unjudged}"
        ));
    } else if l.height() > 0 {
        out.push(format!(
            "{} 个独立评价主体从未与其他主体评价同一对象, 无法判断宽严.",
            l.height()
        ));
    }
    // Rankings: how many places the measurement error leaves open.
    let r = &t.rankings;
    let mut spans: Vec<f64> = (0..r.height())
        .filter_map(|i| Some(f(r, "rank_high", i)? - f(r, "rank_low", i)? + 1.0))
        .collect();
    if !spans.is_empty() {
        spans.sort_by(f64::total_cmp);
        let median = spans[spans.len() / 2];
        let single = spans.iter().filter(|x| **x <= 1.0).count();
        out.push(format!(
            "考虑评分的测量误差, 部门排名的可能名次区间中位数跨 {median:.0} 个名次, {} 个排名中只有 {single} 个名次确定; 相邻名次多数不能区分, 请看区间而非单一名次.",
            spans.len()
        ));
    }
    out
}
