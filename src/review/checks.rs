//! The checks behind the reasons, one function each. Each returns the reason, how many times it
//! applies and one Chinese evidence sentence quoting the numbers and the FILE:LINE stating them.

use std::collections::HashMap;

use polars::prelude::*;
use rust_decimal::Decimal;

use super::target::{self, Context, Outcome, Role};
use super::{Facts, Indicators, Reason, ReviewOptions, TargetRow};
use crate::dataset::decimal::fmt;
use crate::dataset::grading::Grading;
use crate::error::Result;

type Found = (Reason, u32, String);

/// One evaluation and what the checks read about it.
pub(super) struct EvalCtx<'a> {
    pub e: usize,
    pub facts: &'a Facts,
    pub inds: &'a Indicators,
    /// Its indicator rows.
    pub rows: &'a [usize],
    pub opts: &'a ReviewOptions,
    pub grading: &'a Grading,
}

impl EvalCtx<'_> {
    fn text<'b>(&self, v: &'b [Option<String>], r: usize) -> Option<&'b str> {
        v[r].as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    /// An indicator's most specific name (四级, else 三级, 二级, 一级指标).
    fn name(&self, r: usize) -> &str {
        (0..4)
            .rev()
            .find_map(|k| self.text(&self.inds.level[k], r))
            .unwrap_or("（未命名指标）")
    }
    fn src(&self, r: usize) -> &str {
        self.text(&self.inds.source, r).unwrap_or("来源未注明")
    }
    fn eval_src(&self) -> &str {
        self.text(&self.facts.source, self.e)
            .unwrap_or("来源未注明")
    }
    fn total(&self) -> String {
        self.facts.total_score[self.e]
            .map(fmt)
            .unwrap_or_else(|| "（空白）".into())
    }
}

/// Several items in one sentence: the first five, then how many more.
fn items(list: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s = list
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("；");
    if list.len() > SHOWN {
        s.push_str(&format!("；另有{}项", list.len() - SHOWN));
    }
    s
}

/// Texts as quoted in evidence: runs of white space (stray in the sources) as one space.
fn quote(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn full_marks(max: Option<Decimal>, score: Option<Decimal>) -> bool {
    matches!((max, score), (Some(m), Some(s)) if m > Decimal::ZERO && s == m)
}

/// `target_missed_full_marks` and `target_not_comparable`; every compared row goes to `out`.
pub(super) fn targets(ctx: &EvalCtx, out: &mut Vec<TargetRow>) -> (Option<Found>, Option<Found>) {
    let inds = ctx.inds;
    let mut missed = Vec::new();
    let mut unreadable = Vec::new();
    for &r in ctx.rows {
        let (t, a) = (ctx.text(&inds.target, r), ctx.text(&inds.actual, r));
        if t.is_none() && a.is_none() {
            continue;
        }
        let level2 = ctx.text(&inds.level[1], r).unwrap_or("");
        let outcome = target::compare(
            t,
            a,
            Context {
                level2,
                name: ctx.name(r),
            },
        );
        let (max, score) = (inds.max_points[r], inds.score[r]);
        // The values as compared: white space (stray in the sources: `949.8 2 万元`) and
        // thousands commas removed; the FILE:LINE shows them as printed.
        let value = |v: Option<&str>| {
            v.map(target::normalize)
                .unwrap_or_else(|| "（空白）".into())
        };
        let quoted = || {
            format!(
                "“{}”年度指标值“{}”、实际完成值“{}”",
                quote(ctx.name(r)),
                value(t),
                value(a)
            )
        };
        match &outcome {
            o if o.short_of_target() && full_marks(max, score) => missed.push(format!(
                "{}{}，得满分{}分（{}）",
                quoted(),
                if *o == Outcome::Partly {
                    "（仅部分达成）"
                } else {
                    ""
                },
                fmt(max.unwrap_or_default()),
                ctx.src(r)
            )),
            Outcome::Unreadable(why) => {
                unreadable.push(format!("{}（{}，{}）", quoted(), why, ctx.src(r)))
            }
            _ => {}
        }
        out.push(TargetRow {
            eval_id: ctx.facts.eval_id[ctx.e].clone().unwrap_or_default(),
            level1: inds.level[0][r].clone(),
            level2: inds.level[1][r].clone(),
            level3: inds.level[2][r].clone(),
            level4: inds.level[3][r].clone(),
            target_value: inds.target[r].clone(),
            actual_value: inds.actual[r].clone(),
            max_points: max,
            score,
            outcome,
            source: inds.source[r].clone(),
        });
    }
    let missed = (!missed.is_empty()).then(|| {
        (
            Reason::TargetMissedFullMarks,
            missed.len() as u32,
            format!(
                "{}项指标的实际完成值未达年度指标值却得满分：{}。",
                missed.len(),
                items(&missed)
            ),
        )
    });
    let unreadable = (!unreadable.is_empty()).then(|| {
        (
            Reason::TargetNotComparable,
            unreadable.len() as u32,
            format!(
                "{}项指标的实际完成值无法与年度指标值比较，需人工核对：{}。",
                unreadable.len(),
                items(&unreadable)
            ),
        )
    });
    (missed, unreadable)
}

fn percent(d: Decimal) -> String {
    fmt(d.round_dp(2))
}

/// `low_execution_high_score`: a high total on a low execution rate, and an execution-rate
/// indicator scored above 分值 × the rate it states (the 项目支出绩效自评表 rule, at most 分值).
pub(super) fn low_execution(ctx: &EvalCtx) -> Option<Found> {
    let (f, e) = (ctx.facts, ctx.e);
    let hundred = Decimal::from(100);
    let mut parts = Vec::new();
    let score_100 = match (f.total_score[e], f.max_score[e]) {
        (Some(t), Some(m)) if m > Decimal::ZERO => Some(t * hundred / m),
        _ => None,
    };
    let rate = f.rate[e].or(f.rate_stated[e]);
    if let (Some(s), Some(rate)) = (score_100, rate) {
        if s >= ctx.opts.high_score && rate < ctx.opts.low_execution {
            let how = match (f.rate[e], f.executed[e], f.budget_full_year[e]) {
                (Some(_), Some(x), Some(b)) => {
                    format!("全年执行数{}万元÷全年预算数{}万元", fmt(x), fmt(b))
                }
                _ => "报告所述执行率".to_string(),
            };
            parts.push(format!(
                "总分{}分（不低于{}分），但预算执行率仅{}%（低于{}%；{}，{}）",
                ctx.total(),
                fmt(ctx.opts.high_score),
                percent(rate),
                fmt(ctx.opts.low_execution),
                how,
                ctx.eval_src()
            ));
        }
    }
    for &r in ctx.rows.iter().filter(|&&r| is_rate_row(ctx, r)) {
        let (Some(max), Some(score)) = (ctx.inds.max_points[r], ctx.inds.score[r]) else {
            continue;
        };
        // The rate the form states on that row, else the evaluation's stated or computed one.
        let on_row = ctx
            .text(&ctx.inds.actual, r)
            .and_then(|a| target::read(a, Role::Actual, Context::default()).amount)
            .filter(|a| a.unit == "%" || a.unit.is_empty())
            .and_then(|a| match (a.lo, a.hi) {
                (Some(lo), Some(hi)) if lo.value == hi.value => Some(lo.value),
                _ => None,
            });
        let Some(stated) = on_row.or(f.rate_stated[e]).or(f.rate[e]) else {
            continue;
        };
        let earned = max * stated.clamp(Decimal::ZERO, hundred) / hundred;
        if score > earned {
            parts.push(format!(
                "预算执行率指标得{}分，按所述执行率{}%最多应得{}分（分值{}分×{}%，{}）",
                fmt(score),
                percent(stated),
                fmt(earned.round_dp(2)),
                fmt(max),
                percent(stated),
                ctx.src(r)
            ));
            break;
        }
    }
    (!parts.is_empty()).then(|| {
        (
            Reason::LowExecutionHighScore,
            1,
            format!("{}。", parts.join("；")),
        )
    })
}

/// `sum_mismatch`, for an evaluation validate flagged: the sum and the total, with where.
pub(super) fn sum_mismatch(ctx: &EvalCtx) -> Option<Found> {
    let scores: Option<Vec<Decimal>> = ctx.rows.iter().map(|&r| ctx.inds.score[r]).collect();
    let sum: Decimal = scores?.into_iter().sum();
    let total = ctx.facts.total_score[ctx.e]?;
    let (first, last) = (*ctx.rows.first()?, *ctx.rows.last()?);
    let diff = total - sum;
    Some((
        Reason::SumMismatch,
        1,
        format!(
            "{}项指标得分合计{}分，总分却为{}分，{}{}分（总分见{}；指标见{}至{}）。",
            ctx.rows.len(),
            fmt(sum),
            fmt(total),
            if diff > Decimal::ZERO {
                "比合计高出"
            } else {
                "比合计少"
            },
            fmt(diff.abs()),
            ctx.eval_src(),
            ctx.src(first),
            ctx.src(last)
        ),
    ))
}

/// `grade_mismatch`, for an evaluation validate flagged: the grade stated and the one its
/// total earns under the grading scheme.
pub(super) fn grade_mismatch(ctx: &EvalCtx) -> Option<Found> {
    let (f, e) = (ctx.facts, ctx.e);
    let grade = f.grade[e].as_deref()?;
    f.stated_tier[e]?;
    let tier = f.tier[e]? as usize;
    let year = f.fiscal_year[e]?;
    let province = f.province[e].as_deref();
    // As the facts look the scheme up: the unit's province, `*` when blank.
    let scheme = ctx
        .grading
        .scheme_for(Some(province.unwrap_or("*")), year)?;
    let expected = &scheme.bands.get(tier.checked_sub(1)?)?.grade;
    Some((
        Reason::GradeMismatch,
        1,
        format!(
            "总分{}分按{}{}年度的评分标准应评为“{}”，报告写为“{}”（{}）。",
            ctx.total(),
            province.unwrap_or(""),
            year,
            expected,
            grade,
            ctx.eval_src()
        ),
    ))
}

/// `ceiling`: every indicator at full marks.
pub(super) fn ceiling(ctx: &EvalCtx) -> Option<Found> {
    if ctx.rows.is_empty()
        || !ctx
            .rows
            .iter()
            .all(|&r| full_marks(ctx.inds.max_points[r], ctx.inds.score[r]))
    {
        return None;
    }
    Some((
        Reason::Ceiling,
        1,
        format!(
            "全部{}项指标均得满分，总分{}分（{}）。",
            ctx.rows.len(),
            ctx.total(),
            ctx.eval_src()
        ),
    ))
}

/// An execution-rate row (预算执行率): its points follow from the rate it states.
fn is_rate_row(ctx: &EvalCtx, r: usize) -> bool {
    (0..4).any(|k| {
        ctx.text(&ctx.inds.level[k], r)
            .is_some_and(|t| t.contains("执行率"))
    })
}

/// `unexplained_deduction`: points lost with no 偏差原因 / 扣分原因 written. The execution-rate
/// row is left out: the form scores it from the stated rate, which explains its points.
pub(super) fn unexplained(ctx: &EvalCtx) -> Option<Found> {
    let list: Vec<String> = ctx
        .rows
        .iter()
        .filter(|&&r| {
            matches!((ctx.inds.max_points[r], ctx.inds.score[r]), (Some(m), Some(s)) if m > s)
                && ctx.text(&ctx.inds.reason, r).is_none()
                && !is_rate_row(ctx, r)
        })
        .map(|&r| {
            format!(
                "“{}”分值{}分、得{}分（{}）",
                quote(ctx.name(r)),
                fmt(ctx.inds.max_points[r].unwrap_or_default()),
                fmt(ctx.inds.score[r].unwrap_or_default()),
                ctx.src(r)
            )
        })
        .collect();
    (!list.is_empty()).then(|| {
        (
            Reason::UnexplainedDeduction,
            list.len() as u32,
            format!("{}项指标扣分但未写偏差原因：{}。", list.len(), items(&list)),
        )
    })
}

fn evaluator_type_zh(t: &str) -> &str {
    match t {
        "third_party" => "第三方机构",
        "expert_panel" => "专家评分",
        "finance_bureau" => "财政部门",
        "self" => "自评",
        t => t,
    }
}

struct Pair {
    year: i32,
    gap_100: f64,
    self_score: Option<Decimal>,
    reference_score: Option<Decimal>,
    reference_type: String,
    reference_evaluator: Option<String>,
    self_eval_id: String,
    reference_eval_id: String,
}

struct Dist {
    year: i32,
    n_self: u32,
    mean_self: f64,
    n_independent: u32,
    mean_independent: f64,
    mean_difference: f64,
}

struct Independent {
    year: i32,
    evaluator_type: String,
    evaluator: Option<String>,
    source: Option<String>,
}

/// What the earlier years say about a unit: bench's inflation tables (pairs, else the
/// distribution comparison) and leniency's lenient evaluators.
pub(super) struct History {
    pairs: HashMap<String, Vec<Pair>>,
    dist: HashMap<String, Vec<Dist>>,
    independent: HashMap<String, Vec<Independent>>,
    lenient: HashMap<(String, Option<String>), (f64, f64, f64, f64)>,
    source_of: HashMap<String, String>,
}

impl History {
    pub fn build(facts: &DataFrame, f: &Facts, leniency_threshold: f64) -> Result<History> {
        use crate::bench::{inflation, leniency};
        use crate::dataset::decimal::{cell_f64, cell_text};
        let pairs_df = inflation::pairs(facts.clone().lazy()).collect()?;
        let dist_df = inflation::distribution(facts.clone().lazy()).collect()?;
        let len_df = leniency::leniency(
            facts.clone().lazy(),
            &leniency::LeniencyOptions {
                threshold: leniency_threshold,
                reference: None,
            },
        )?
        .table;
        let text =
            |df: &DataFrame, c: &str, i: usize| Some(cell_text(df, c, i)).filter(|s| !s.is_empty());
        let mut pairs: HashMap<String, Vec<Pair>> = HashMap::new();
        let self_scores = super::decimals(&pairs_df, "self_score")?;
        let ref_scores = super::decimals(&pairs_df, "reference_score")?;
        for i in 0..pairs_df.height() {
            let (Some(unit), Some(year), Some(gap)) = (
                text(&pairs_df, "unit_id", i),
                cell_f64(&pairs_df, "fiscal_year", i),
                cell_f64(&pairs_df, "gap_100", i),
            ) else {
                continue;
            };
            pairs.entry(unit).or_default().push(Pair {
                year: year as i32,
                gap_100: gap,
                self_score: self_scores[i],
                reference_score: ref_scores[i],
                reference_type: cell_text(&pairs_df, "reference_type", i),
                reference_evaluator: text(&pairs_df, "reference_evaluator", i),
                self_eval_id: cell_text(&pairs_df, "self_eval_id", i),
                reference_eval_id: cell_text(&pairs_df, "reference_eval_id", i),
            });
        }
        let mut dist: HashMap<String, Vec<Dist>> = HashMap::new();
        for i in 0..dist_df.height() {
            let (Some(unit), Some(year), Some(d)) = (
                text(&dist_df, "unit_id", i),
                cell_f64(&dist_df, "fiscal_year", i),
                cell_f64(&dist_df, "mean_difference", i),
            ) else {
                continue;
            };
            dist.entry(unit).or_default().push(Dist {
                year: year as i32,
                n_self: cell_f64(&dist_df, "n_self", i).unwrap_or(0.0) as u32,
                mean_self: cell_f64(&dist_df, "mean_self", i).unwrap_or(f64::NAN),
                n_independent: cell_f64(&dist_df, "n_independent", i).unwrap_or(0.0) as u32,
                mean_independent: cell_f64(&dist_df, "mean_independent", i).unwrap_or(f64::NAN),
                mean_difference: d,
            });
        }
        let mut lenient = HashMap::new();
        for i in 0..len_df.height() {
            // The fit pooled over all years (fiscal_year blank) decides, as in summary.json.
            let pooled = cell_f64(&len_df, "fiscal_year", i).is_none();
            let is_lenient = cell_text(&len_df, "lenient", i) == "true";
            if pooled && is_lenient {
                lenient.insert(
                    (
                        cell_text(&len_df, "evaluator_type", i),
                        text(&len_df, "evaluator", i),
                    ),
                    (
                        cell_f64(&len_df, "effect", i).unwrap_or(f64::NAN),
                        cell_f64(&len_df, "flag_low", i).unwrap_or(f64::NAN),
                        cell_f64(&len_df, "ci_low", i).unwrap_or(f64::NAN),
                        cell_f64(&len_df, "ci_high", i).unwrap_or(f64::NAN),
                    ),
                );
            }
        }
        let mut independent: HashMap<String, Vec<Independent>> = HashMap::new();
        let mut source_of = HashMap::new();
        for e in 0..f.eval_id.len() {
            if let (Some(id), Some(src)) = (&f.eval_id[e], &f.source[e]) {
                source_of.insert(id.clone(), src.clone());
            }
            let t = f.evaluator_type[e].as_deref().unwrap_or("self");
            if t == "self" || f.total_score[e].is_none() {
                continue;
            }
            if let (Some(unit), Some(year)) = (&f.unit_id[e], f.fiscal_year[e]) {
                independent
                    .entry(unit.clone())
                    .or_default()
                    .push(Independent {
                        year,
                        evaluator_type: t.to_string(),
                        evaluator: f.evaluator[e].clone(),
                        source: f.source[e].clone(),
                    });
            }
        }
        Ok(History {
            pairs,
            dist,
            independent,
            lenient,
            source_of,
        })
    }

    /// No unit with both self and independent scores.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.dist.is_empty()
    }

    fn src(&self, eval_id: &str) -> &str {
        self.source_of
            .get(eval_id)
            .map(String::as_str)
            .unwrap_or("来源未注明")
    }

    /// `history`: the unit's self scores above its independent scores in earlier years, by at
    /// least the threshold on average: matched pairs when there are any, else the comparison
    /// of the distributions.
    pub fn history(&self, ctx: &EvalCtx) -> Option<Found> {
        let unit = ctx.facts.unit_id[ctx.e].as_deref()?;
        let year = ctx.facts.fiscal_year[ctx.e]?;
        let threshold = ctx.opts.history_gap;
        let years = |ys: &mut Vec<i32>| {
            ys.sort();
            ys.dedup();
            match (ys.first(), ys.last()) {
                (Some(a), Some(b)) if a != b => format!("{a}至{b}年"),
                (Some(a), _) => format!("{a}年"),
                _ => String::new(),
            }
        };
        let earlier: Vec<&Pair> = self
            .pairs
            .get(unit)
            .map(|v| v.iter().filter(|p| p.year < year).collect())
            .unwrap_or_default();
        if !earlier.is_empty() {
            let mean = earlier.iter().map(|p| p.gap_100).sum::<f64>() / earlier.len() as f64;
            if mean < threshold {
                return None;
            }
            let top = earlier
                .iter()
                .max_by(|a, b| a.gap_100.total_cmp(&b.gap_100))?;
            let mut ys: Vec<i32> = earlier.iter().map(|p| p.year).collect();
            return Some((
                Reason::History,
                1,
                format!(
                    "该单位{}共{}对同一项目的自评与独立评分中，自评平均高出{:.2}分（百分制，阈值{}分）；差距最大的一对为{}年自评{}分（{}）对{}{}{}分（{}）。",
                    years(&mut ys),
                    earlier.len(),
                    mean,
                    threshold,
                    top.year,
                    top.self_score.map(fmt).unwrap_or_default(),
                    self.src(&top.self_eval_id),
                    evaluator_type_zh(&top.reference_type),
                    top.reference_evaluator
                        .as_deref()
                        .map(|e| format!("“{e}”"))
                        .unwrap_or_default(),
                    top.reference_score.map(fmt).unwrap_or_default(),
                    self.src(&top.reference_eval_id)
                ),
            ));
        }
        let earlier: Vec<&Dist> = self
            .dist
            .get(unit)
            .map(|v| v.iter().filter(|d| d.year < year).collect())
            .unwrap_or_default();
        if earlier.is_empty() {
            return None;
        }
        let mean = earlier.iter().map(|d| d.mean_difference).sum::<f64>() / earlier.len() as f64;
        if mean < threshold {
            return None;
        }
        let last = earlier.iter().max_by_key(|d| d.year)?;
        let cite = self
            .independent
            .get(unit)
            .and_then(|v| v.iter().find(|i| i.year == last.year))
            .and_then(|i| i.source.as_deref())
            .unwrap_or("来源未注明");
        let mut ys: Vec<i32> = earlier.iter().map(|d| d.year).collect();
        Some((
            Reason::History,
            1,
            format!(
                "该单位{}自评均值比独立评分均值平均高出{:.2}分（百分制，阈值{}分；分布比较，并非同一项目逐项配对），其中{}年{}次自评均值{:.2}分、{}次独立评分均值{:.2}分（独立评分见{}）。",
                years(&mut ys),
                mean,
                threshold,
                last.year,
                last.n_self,
                last.mean_self,
                last.n_independent,
                last.mean_independent,
                cite
            ),
        ))
    }

    /// `lenient_reference`: an earlier independent score of the unit came from an evaluator
    /// leniency finds lenient, so the gap it shows may understate the inflation.
    pub fn lenient(&self, ctx: &EvalCtx) -> Option<Found> {
        let unit = ctx.facts.unit_id[ctx.e].as_deref()?;
        let year = ctx.facts.fiscal_year[ctx.e]?;
        let hit = self
            .independent
            .get(unit)?
            .iter()
            .filter(|i| i.year < year)
            .filter_map(|i| {
                self.lenient
                    .get(&(i.evaluator_type.clone(), i.evaluator.clone()))
                    .map(|l| (i, l))
            })
            .max_by_key(|(i, _)| i.year)?;
        let (i, (effect, bound, lo, hi)) = hit;
        // Every score that evaluator gave the unit that year, as the report states them.
        let cited: Vec<&str> = self.independent[unit]
            .iter()
            .filter(|j| {
                j.year == i.year
                    && j.evaluator_type == i.evaluator_type
                    && j.evaluator == i.evaluator
            })
            .map(|j| j.source.as_deref().unwrap_or("来源未注明"))
            .collect();
        let mut cite = cited.iter().take(3).copied().collect::<Vec<_>>().join("、");
        if cited.len() > 3 {
            cite.push_str("等");
        }
        Some((
            Reason::LenientReference,
            1,
            format!(
                "该单位{}年的独立评分来自{}{}，评价主体宽严分析认定其偏宽（效应{:+.2}分，单侧95%下限{:.2}分，95%区间{:.2}至{:.2}分），往年自评与独立评分的差距可能被低估（{}）。",
                i.year,
                evaluator_type_zh(&i.evaluator_type),
                i.evaluator
                    .as_deref()
                    .map(|e| format!("“{e}”"))
                    .unwrap_or_default(),
                effect,
                bound,
                lo,
                hi,
                cite
            ),
        ))
    }
}
