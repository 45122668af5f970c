//! `review`: which self-evaluations (自评) a finance bureau (财政局) should re-check first
//! (自评抽查复核), and why.
//!
//! Every self-evaluation gets the reasons the forms themselves give for doubt (`checks`), each
//! with a Chinese evidence sentence that quotes the numbers and the FILE:LINE stating them, and
//! a risk score: the sum of the editable weights of its reasons (`weights`). The list is ordered
//! by risk; the re-check sample takes its top and a seeded random draw from the rest
//! (`sample`), and re-check results fed back estimate how common inflated self-evaluations are.
//! `target` reads 年度指标值 against 实际完成值. Output tables, the workbook and the summary are
//! in `output`.

mod checks;
pub mod output;
pub mod sample;
pub mod target;
pub mod weights;

use std::collections::{HashMap, HashSet};

use polars::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::dataset::decimal::decimal_at;
use crate::dataset::enrich::cols;
use crate::dataset::findings::{count, Finding, Severity};
use crate::dataset::Dataset;
use crate::error::{JxError, Result};
pub use sample::{Estimate, SampleInfo, Stratum};
pub use target::Outcome;
pub use weights::Weights;

/// Why a self-evaluation is worth re-checking. The code is the contract (review.csv's
/// `reasons`); the weights file gives each its points and Chinese label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    TargetMissedFullMarks,
    LowExecutionHighScore,
    SumMismatch,
    GradeMismatch,
    Ceiling,
    UnexplainedDeduction,
    History,
    LenientReference,
    TargetNotComparable,
}

impl Reason {
    pub const ALL: [Reason; 9] = [
        Reason::TargetMissedFullMarks,
        Reason::LowExecutionHighScore,
        Reason::SumMismatch,
        Reason::GradeMismatch,
        Reason::Ceiling,
        Reason::UnexplainedDeduction,
        Reason::History,
        Reason::LenientReference,
        Reason::TargetNotComparable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::TargetMissedFullMarks => "target_missed_full_marks",
            Reason::LowExecutionHighScore => "low_execution_high_score",
            Reason::SumMismatch => "sum_mismatch",
            Reason::GradeMismatch => "grade_mismatch",
            Reason::Ceiling => "ceiling",
            Reason::UnexplainedDeduction => "unexplained_deduction",
            Reason::History => "history",
            Reason::LenientReference => "lenient_reference",
            Reason::TargetNotComparable => "target_not_comparable",
        }
    }

    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.iter().copied().find(|r| r.code() == code)
    }

    /// The label when a weights file gives none.
    pub fn default_label(self) -> &'static str {
        match self {
            Reason::TargetMissedFullMarks => "未达目标仍得满分",
            Reason::LowExecutionHighScore => "低执行率高分",
            Reason::SumMismatch => "总分与指标得分合计不符",
            Reason::GradeMismatch => "等级与总分不符",
            Reason::Ceiling => "全部指标满分",
            Reason::UnexplainedDeduction => "扣分未写偏差原因",
            Reason::History => "往年自评高于独立评分",
            Reason::LenientReference => "往年独立评分来自偏宽的评价主体",
            Reason::TargetNotComparable => "指标值无法比较",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReviewOptions {
    /// N: the re-check sample size.
    pub sample: usize,
    /// F: the share of the sample drawn at random from outside the risk stratum.
    pub random_share: f64,
    pub seed: u64,
    pub weights: Weights,
    /// `low_execution_high_score`: a total at or above this (100-point scale) ...
    pub high_score: Decimal,
    /// ... on an execution rate below this (percent).
    pub low_execution: Decimal,
    /// `history`: the unit's earlier self-minus-independent gap at or above this (points out
    /// of 100).
    pub history_gap: f64,
    /// Leniency's threshold (points), as in `bench`.
    pub leniency_threshold: f64,
    /// Re-checks: a self score above the re-checked one by more than this (points out of 100)
    /// is inflated.
    pub inflated_above: Decimal,
}

pub const DEFAULT_SAMPLE: usize = 20;
pub const DEFAULT_RANDOM_SHARE: f64 = 0.2;
pub const DEFAULT_SEED: u64 = 1;

impl Default for ReviewOptions {
    fn default() -> Self {
        ReviewOptions {
            sample: DEFAULT_SAMPLE,
            random_share: DEFAULT_RANDOM_SHARE,
            seed: DEFAULT_SEED,
            weights: Weights::default(),
            high_score: Decimal::from(90),
            low_execution: Decimal::from(80),
            history_gap: 5.0,
            leniency_threshold: crate::bench::leniency::DEFAULT_THRESHOLD,
            inflated_above: Decimal::from(5),
        }
    }
}

/// One reason found in one evaluation.
#[derive(Debug, Clone)]
pub struct Hit {
    pub reason: Reason,
    /// Instances (indicators for the target checks; 1 otherwise).
    pub count: u32,
    /// What it adds to the risk score.
    pub points: Decimal,
    /// One Chinese sentence with the numbers and where the report states them.
    pub evidence: String,
}

/// One self-evaluation in the priority list.
#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub rank: usize,
    pub eval_id: String,
    pub unit_id: String,
    pub short_name: String,
    pub fiscal_year: Option<i32>,
    pub scope: String,
    pub project_name: Option<String>,
    pub evaluator_type: String,
    pub total_score: Option<Decimal>,
    pub max_score: Option<Decimal>,
    /// Executed / full-year budget × 100 (else the stated rate), 2 places.
    pub execution_rate: Option<Decimal>,
    pub risk_score: Decimal,
    pub hits: Vec<Hit>,
    pub stratum: Option<Stratum>,
    pub source: Option<String>,
    /// Fed back with `--rechecked`.
    pub rechecked_score: Option<Decimal>,
    pub inflated: Option<bool>,
}

impl ReviewRow {
    pub fn reasons(&self) -> String {
        self.hits
            .iter()
            .map(|h| h.reason.code())
            .collect::<Vec<_>>()
            .join(";")
    }

    pub fn evidence(&self, sep: &str) -> String {
        self.hits
            .iter()
            .map(|h| h.evidence.as_str())
            .collect::<Vec<_>>()
            .join(sep)
    }

    pub fn has(&self, r: Reason) -> bool {
        self.hits.iter().any(|h| h.reason == r)
    }

    /// Total on the 100-point scale, exact.
    pub fn score_100(&self) -> Option<Decimal> {
        match (self.total_score, self.max_score) {
            (Some(t), Some(m)) if m > Decimal::ZERO => Some(t * Decimal::from(100) / m),
            _ => None,
        }
    }
}

/// One indicator with a target or an actual, as compared (review_targets.csv).
#[derive(Debug, Clone)]
pub struct TargetRow {
    pub eval_id: String,
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub level3: Option<String>,
    pub level4: Option<String>,
    pub target_value: Option<String>,
    pub actual_value: Option<String>,
    pub max_points: Option<Decimal>,
    pub score: Option<Decimal>,
    pub outcome: Outcome,
    pub source: Option<String>,
}

/// Something the review could not do or did differently, in both languages (the CLI speaks
/// English, the report and summary Chinese).
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub en: String,
    pub zh: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Population {
    /// The self-evaluations (自评), as the re-check is meant.
    SelfEvaluations,
    /// A dataset with no self-evaluation: every evaluation, with the checks that apply.
    AllEvaluations,
}

#[derive(Debug, Clone)]
pub struct Review {
    pub dataset: String,
    pub population: Population,
    /// In priority order (rank 1 first).
    pub rows: Vec<ReviewRow>,
    pub targets: Vec<TargetRow>,
    pub sample: SampleInfo,
    pub notes: Vec<Note>,
    pub weights: Weights,
    pub options: ReviewOptions,
    pub estimate: Option<Estimate>,
}

/// Load-free entry for callers that hold a dataset (the report): validate it as bench does
/// (errors stop it), then review.
pub fn from_dataset(ds: &Dataset, opts: &ReviewOptions) -> Result<Review> {
    let mut findings = Vec::new();
    crate::dataset::validate::validate(ds, &mut findings)?;
    let errors = count(&findings, Severity::Error);
    if errors > 0 {
        return Err(JxError::data(format!(
            "{errors} errors in {}; run `jixiao validate {}` for the full list",
            ds.dir.display(),
            ds.dir.display()
        )));
    }
    run(ds, &findings, opts)
}

/// Column helpers: a frame column as plain vectors (the review walks evaluations one by one).
fn texts(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    let c = df.column(name)?;
    Ok(match c.dtype() {
        DataType::String => c.str()?.iter().map(|v| v.map(str::to_string)).collect(),
        _ => (0..c.len())
            .map(|i| crate::dataset::decimal::text_at(c, i))
            .collect(),
    })
}

fn decimals(df: &DataFrame, name: &str) -> Result<Vec<Option<Decimal>>> {
    let c = df.column(name)?;
    Ok(match c.dtype() {
        DataType::Decimal(_, scale) => {
            let scale = *scale as u32;
            c.decimal()?
                .physical()
                .iter()
                .map(|v| v.map(|v| Decimal::from_i128_with_scale(v, scale)))
                .collect()
        }
        _ => (0..c.len()).map(|i| decimal_at(c, i)).collect(),
    })
}

fn ints(df: &DataFrame, name: &str) -> Result<Vec<Option<i32>>> {
    let c = df.column(name)?.cast(&DataType::Int32)?;
    Ok(c.i32()?.iter().collect())
}

/// The evaluations' facts the checks read, one entry per evaluation (by position).
pub(crate) struct Facts {
    pub eval_id: Vec<Option<String>>,
    pub unit_id: Vec<Option<String>>,
    pub short_name: Vec<Option<String>>,
    pub fiscal_year: Vec<Option<i32>>,
    pub scope: Vec<Option<String>>,
    pub project_name: Vec<Option<String>>,
    pub evaluator_type: Vec<Option<String>>,
    pub evaluator: Vec<Option<String>>,
    pub max_score: Vec<Option<Decimal>>,
    pub total_score: Vec<Option<Decimal>>,
    pub grade: Vec<Option<String>>,
    pub budget_full_year: Vec<Option<Decimal>>,
    pub executed: Vec<Option<Decimal>>,
    pub rate_stated: Vec<Option<Decimal>>,
    pub rate: Vec<Option<Decimal>>,
    pub source: Vec<Option<String>>,
    pub province: Vec<Option<String>>,
    pub tier: Vec<Option<i32>>,
    pub stated_tier: Vec<Option<i32>>,
}

impl Facts {
    fn read(f: &DataFrame) -> Result<Facts> {
        Ok(Facts {
            eval_id: texts(f, "eval_id")?,
            unit_id: texts(f, "unit_id")?,
            short_name: texts(f, cols::DISPLAY_NAME)?,
            fiscal_year: ints(f, "fiscal_year")?,
            scope: texts(f, "scope")?,
            project_name: texts(f, "project_name")?,
            evaluator_type: texts(f, "evaluator_type")?,
            evaluator: texts(f, "evaluator")?,
            max_score: decimals(f, "max_score")?,
            total_score: decimals(f, "total_score")?,
            grade: texts(f, "grade")?,
            budget_full_year: decimals(f, "budget_full_year")?,
            executed: decimals(f, "executed")?,
            rate_stated: decimals(f, "execution_rate_stated")?,
            rate: decimals(f, cols::EXECUTION_RATE)?,
            source: texts(f, "source")?,
            province: texts(f, "province")?,
            tier: ints(f, cols::TIER)?,
            stated_tier: ints(f, cols::STATED_TIER)?,
        })
    }
}

/// The indicator rows, as vectors, with each row's evaluation position.
pub(crate) struct Indicators {
    pub eval: Vec<Option<u32>>,
    pub level: [Vec<Option<String>>; 4],
    pub max_points: Vec<Option<Decimal>>,
    pub score: Vec<Option<Decimal>>,
    pub target: Vec<Option<String>>,
    pub actual: Vec<Option<String>>,
    pub reason: Vec<Option<String>>,
    pub source: Vec<Option<String>>,
}

impl Indicators {
    fn read(ds: &Dataset) -> Result<Indicators> {
        let i = &ds.indicators;
        if i.height() == 0 || i.width() == 0 {
            return Ok(Indicators {
                eval: vec![],
                level: Default::default(),
                max_points: vec![],
                score: vec![],
                target: vec![],
                actual: vec![],
                reason: vec![],
                source: vec![],
            });
        }
        Ok(Indicators {
            eval: ds.indicator_eval.iter().collect(),
            level: [
                texts(i, "level1")?,
                texts(i, "level2")?,
                texts(i, "level3")?,
                texts(i, "level4")?,
            ],
            max_points: decimals(i, "max_points")?,
            score: decimals(i, "score")?,
            target: texts(i, "target_value")?,
            actual: texts(i, "actual_value")?,
            reason: texts(i, "reason")?,
            source: texts(i, "source")?,
        })
    }
}

/// Rank the self-evaluations of a validated dataset (`findings`: validate's, whose sum and
/// grade checks the review reuses) and draw the re-check sample.
pub fn run(ds: &Dataset, findings: &[Finding], opts: &ReviewOptions) -> Result<Review> {
    let facts_df = ds.facts()?;
    let facts = Facts::read(&facts_df)?;
    let inds = Indicators::read(ds)?;
    let n_evals = facts.eval_id.len();
    let mut notes = Vec::new();

    let is_self: Vec<bool> = facts
        .evaluator_type
        .iter()
        .map(|t| t.as_deref() == Some("self"))
        .collect();
    let population = if is_self.iter().any(|s| *s) {
        Population::SelfEvaluations
    } else {
        notes.push(Note {
            en: format!(
                "{} has no self-evaluations (自评, evaluator_type self): nothing to re-check as intended; the list ranks all {n_evals} evaluations with the checks that apply to any scored form (the history checks need self-evaluations and were not made).",
                ds.dir.display()
            ),
            zh: format!("数据集没有自评（evaluator_type 为 self 的评价）；清单按适用于任何评分表的检查列出全部 {n_evals} 次评价，往年自评差距两项检查无法进行。"),
        });
        Population::AllEvaluations
    };
    let members: Vec<usize> = (0..n_evals)
        .filter(|&e| population == Population::AllEvaluations || is_self[e])
        .collect();

    // Each member's indicator rows, in file order.
    let mut rows_of: Vec<Vec<usize>> = vec![Vec::new(); n_evals];
    for (r, e) in inds.eval.iter().enumerate() {
        if let Some(e) = e {
            rows_of[*e as usize].push(r);
        }
    }
    let member_has_indicators = members.iter().any(|&e| !rows_of[e].is_empty());
    let member_has_targets = members.iter().any(|&e| {
        rows_of[e]
            .iter()
            .any(|&r| inds.target[r].is_some() || inds.actual[r].is_some())
    });
    if !member_has_indicators {
        notes.push(Note {
            en: "no indicator rows (indicators.csv) for these evaluations: the indicator checks (targets, sums, ceiling, deductions, the execution-rate indicator) were not made.".into(),
            zh: "这些评价没有指标行，指标层面的检查（目标完成、得分合计、满分、扣分原因、预算执行率指标）无法进行。".into(),
        });
    } else if !member_has_targets {
        notes.push(Note {
            en: "no 年度指标值 / 实际完成值 (target_value / actual_value) in the indicators: target_missed_full_marks was not checked; the other checks were made.".into(),
            zh: "指标表没有年度指标值和实际完成值，未检查“未达目标仍得满分”；其余检查照常进行。".into(),
        });
    }

    // validate's own arithmetic: the evaluations whose sum or grade it flagged.
    let flagged = |check: &str| -> HashSet<&str> {
        findings
            .iter()
            .filter(|f| f.check == check && f.table == "evaluations")
            .map(|f| f.key.as_str())
            .collect()
    };
    let sum_flagged = flagged("indicator_sum");
    let grade_flagged = flagged("grade");

    let history = if population == Population::SelfEvaluations {
        Some(checks::History::build(
            &facts_df,
            &facts,
            opts.leniency_threshold,
        )?)
    } else {
        None
    };
    if let Some(h) = &history {
        if h.is_empty() {
            notes.push(Note {
                en: "no unit has both self and independent scores (inflation tables): the history and lenient_reference checks found nothing to use.".into(),
                zh: "没有单位同时有自评和独立评分，往年自评差距与偏宽评价主体两项检查没有可用数据。".into(),
            });
        }
    }

    let mut target_rows = Vec::new();
    let mut rows: Vec<ReviewRow> = Vec::with_capacity(members.len());
    for &e in &members {
        let ctx = checks::EvalCtx {
            e,
            facts: &facts,
            inds: &inds,
            rows: &rows_of[e],
            opts,
            grading: &ds.grading,
        };
        let mut found: Vec<(Reason, u32, String)> = Vec::new();
        let (missed, unreadable) = checks::targets(&ctx, &mut target_rows);
        found.extend(missed);
        found.extend(checks::low_execution(&ctx));
        if facts.eval_id[e]
            .as_deref()
            .is_some_and(|id| sum_flagged.contains(id))
        {
            found.extend(checks::sum_mismatch(&ctx));
        }
        if facts.eval_id[e]
            .as_deref()
            .is_some_and(|id| grade_flagged.contains(id))
        {
            found.extend(checks::grade_mismatch(&ctx));
        }
        found.extend(checks::ceiling(&ctx));
        found.extend(checks::unexplained(&ctx));
        if let Some(h) = &history {
            found.extend(h.history(&ctx));
            found.extend(h.lenient(&ctx));
        }
        found.extend(unreadable);
        found.sort_by_key(|(r, _, _)| *r);
        let hits: Vec<Hit> = found
            .into_iter()
            .map(|(reason, count, evidence)| Hit {
                reason,
                count,
                points: opts.weights.points(reason, count),
                evidence,
            })
            .collect();
        let risk_score = hits.iter().map(|h| h.points).sum();
        let text = |v: &[Option<String>]| v[e].clone().unwrap_or_default();
        rows.push(ReviewRow {
            rank: 0,
            eval_id: text(&facts.eval_id),
            unit_id: text(&facts.unit_id),
            short_name: text(&facts.short_name),
            fiscal_year: facts.fiscal_year[e],
            scope: text(&facts.scope),
            project_name: facts.project_name[e].clone(),
            evaluator_type: text(&facts.evaluator_type),
            total_score: facts.total_score[e],
            max_score: facts.max_score[e],
            execution_rate: facts.rate[e]
                .or(facts.rate_stated[e])
                .map(|r| r.round_dp(2).normalize()),
            risk_score,
            hits,
            stratum: None,
            source: facts.source[e].clone(),
            rechecked_score: None,
            inflated: None,
        });
    }
    // Priority: risk first; on equal risk the higher self score (more to lose on a re-check),
    // then eval_id, so the order never depends on the input's row order.
    rows.sort_by(|a, b| {
        b.risk_score
            .cmp(&a.risk_score)
            .then_with(|| b.score_100().cmp(&a.score_100()))
            .then_with(|| a.eval_id.cmp(&b.eval_id))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    let order: Vec<usize> = (0..rows.len()).collect();
    let positive: Vec<bool> = rows.iter().map(|r| r.risk_score > Decimal::ZERO).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.eval_id.as_str()).collect();
    let (strata, info) = sample::draw(
        &order,
        &positive,
        &ids,
        opts.sample,
        opts.random_share,
        opts.seed,
    );
    for (r, s) in rows.iter_mut().zip(strata) {
        r.stratum = s;
    }
    Ok(Review {
        dataset: ds.dir.display().to_string(),
        population,
        rows,
        targets: target_rows,
        sample: info,
        notes,
        weights: opts.weights.clone(),
        options: opts.clone(),
        estimate: None,
    })
}

impl Review {
    /// Feed back re-check results: each sampled evaluation's re-checked score, whether its self
    /// score was inflated, and the estimate (`sample::estimate`).
    pub fn apply_rechecks(&mut self, rechecked: &[sample::Rechecked]) {
        let by_id: HashMap<&str, &sample::Rechecked> =
            rechecked.iter().map(|r| (r.eval_id.as_str(), r)).collect();
        let known: HashSet<&str> = self.rows.iter().map(|r| r.eval_id.as_str()).collect();
        let unknown: Vec<String> = rechecked
            .iter()
            .filter(|r| !known.contains(r.eval_id.as_str()))
            .map(|r| r.eval_id.clone())
            .collect();
        let hundred = Decimal::from(100);
        for row in &mut self.rows {
            if let Some(rc) = by_id.get(row.eval_id.as_str()) {
                row.rechecked_score = Some(rc.score);
                row.inflated = match (row.total_score, row.max_score) {
                    (Some(t), Some(m)) if m > Decimal::ZERO => {
                        Some((t - rc.score) * hundred / m > self.options.inflated_above)
                    }
                    _ => None,
                };
            }
        }
        let fed: HashMap<String, Option<String>> = rechecked
            .iter()
            .map(|r| (r.eval_id.clone(), r.stratum.clone()))
            .collect();
        let units: Vec<sample::Unit> = self
            .rows
            .iter()
            .map(|r| sample::Unit {
                eval_id: &r.eval_id,
                stratum: r.stratum,
                gap_100: match (r.total_score, r.max_score, r.rechecked_score) {
                    (Some(t), Some(m), Some(c)) if m > Decimal::ZERO => Some((t - c) * hundred / m),
                    _ => None,
                },
            })
            .collect();
        self.estimate = Some(sample::estimate(
            &units,
            &fed,
            unknown,
            &self.sample,
            self.options.inflated_above,
        ));
    }

    /// Evaluations per reason (each counted once), in `Reason::ALL` order.
    pub fn reason_counts(&self) -> Vec<(Reason, usize, usize)> {
        Reason::ALL
            .iter()
            .map(|&r| {
                let all = self.rows.iter().filter(|row| row.has(r)).count();
                let in_sample = self
                    .rows
                    .iter()
                    .filter(|row| row.has(r) && row.stratum.is_some())
                    .count();
                (r, all, in_sample)
            })
            .collect()
    }

    /// Target / actual pairs compared, by outcome (rows without a target are not pairs).
    pub fn target_counts(&self) -> TargetCounts {
        let mut c = TargetCounts::default();
        for t in &self.targets {
            match t.outcome {
                Outcome::Met => c.met += 1,
                Outcome::Partly => c.partly += 1,
                Outcome::Missed => c.missed += 1,
                Outcome::Unreadable(_) => c.not_comparable += 1,
                Outcome::NoTarget => {
                    c.no_target += 1;
                    continue;
                }
            }
            c.pairs += 1;
        }
        c
    }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TargetCounts {
    pub pairs: usize,
    pub met: usize,
    pub partly: usize,
    pub missed: usize,
    pub not_comparable: usize,
    /// Rows with an actual but no target (the 预算执行率 row): not pairs.
    pub no_target: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::decimal::fmt;

    const UNITS: &str = "unit_id,unit_name,short_name,province,district
u1,甲街道办事处,甲街道,北京市,丰台区
u2,乙街道办事处,乙街道,北京市,丰台区
u3,丙街道办事处,丙街道,北京市,丰台区
";

    /// One self-evaluation per check, each built to trip that check alone, and one consistent
    /// evaluation (a target missed and docked, with its reason) that trips none.
    const EVALUATIONS: &str = "eval_id,unit_id,fiscal_year,scope,project_name,evaluator_type,evaluator,max_score,total_score,grade,budget_full_year,executed,execution_rate_stated,source
t1,u1,2024,project,发放项目,self,甲街道,100,98,,50,50,100,r.txt:10
e1,u1,2024,project,执行项目,self,甲街道,100,95,,100,62,62,r.txt:20
s1,u1,2024,project,合计项目,self,甲街道,100,97,,10,10,100,r.txt:30
g1,u1,2024,project,等级项目,self,甲街道,100,84,优,10,10,100,r.txt:40
c1,u1,2024,project,满分项目,self,甲街道,100,100,,10,10,100,r.txt:50
d1,u1,2024,project,扣分项目,self,甲街道,100,96,,10,10,100,r.txt:60
ok1,u1,2024,project,一致项目,self,甲街道,100,92,,10,10,100,r.txt:80
n1,u1,2024,project,比较项目,self,甲街道,100,95,,10,10,100,r.txt:90
h0s,u2,2022,project,项目A,self,乙街道,100,95,,,,,r.txt:100
h0r,u2,2022,project,项目A,third_party,某公司,100,85,,,,,r.txt:101
h1,u2,2023,project,项目B,self,乙街道,100,90,,,,,r.txt:102
la,u3,2022,project,项目A,third_party,宽公司,100,95,,,,,r.txt:110
ma,u3,2022,project,项目A,third_party,严公司,100,85,,,,,r.txt:111
lb,u3,2022,project,项目B,third_party,宽公司,100,93,,,,,r.txt:112
mb,u3,2022,project,项目B,third_party,严公司,100,84,,,,,r.txt:113
lc,u3,2022,project,项目C,third_party,宽公司,100,90,,,,,r.txt:114
mc,u3,2022,project,项目C,third_party,严公司,100,81,,,,,r.txt:115
l1,u3,2023,project,项目D,self,丙街道,100,90,,,,,r.txt:116
";

    const INDICATORS: &str =
        "eval_id,level1,level2,level3,max_points,score,target_value,actual_value,reason,source
t1,预算执行,,预算执行率,10,10,,100%,,r.txt:11
t1,产出指标,数量指标,发放人数,40,40,498人,494人,,r.txt:12
t1,效益指标,社会效益指标,群众满意,50,48,优良中差,优,宣传不足,r.txt:13
e1,预算执行,,预算执行率,10,10,,62%,,r.txt:21
e1,产出指标,数量指标,产出数量,50,48,,,进度慢,r.txt:22
e1,效益指标,社会效益指标,社会效益,40,37,,,宣传不足,r.txt:23
s1,预算执行,,预算执行率,10,10,,100%,,r.txt:31
s1,产出指标,数量指标,产出数量,50,40,,,未完成,r.txt:32
s1,效益指标,社会效益指标,社会效益,40,37,,,宣传不足,r.txt:33
g1,预算执行,,预算执行率,10,10,,100%,,r.txt:41
g1,产出指标,数量指标,产出数量,50,40,,,进度慢,r.txt:42
g1,效益指标,社会效益指标,社会效益,40,34,,,宣传不足,r.txt:43
c1,预算执行,,预算执行率,10,10,,100%,,r.txt:51
c1,产出指标,数量指标,产出数量,50,50,,,,r.txt:52
c1,效益指标,社会效益指标,社会效益,40,40,,,,r.txt:53
d1,预算执行,,预算执行率,10,10,,100%,,r.txt:61
d1,产出指标,数量指标,产出数量,50,48,,,,r.txt:62
d1,效益指标,社会效益指标,社会效益,40,38,,,宣传不足,r.txt:63
ok1,预算执行,,预算执行率,10,10,,100%,,r.txt:81
ok1,产出指标,数量指标,发放人数,40,36,500人,450人,申请人数不足,r.txt:82
ok1,效益指标,社会效益指标,社会效益,50,46,,,宣传不足,r.txt:83
n1,预算执行,,预算执行率,10,10,,100%,,r.txt:91
n1,产出指标,数量指标,活动覆盖面,40,40,400人次,497人,,r.txt:92
n1,效益指标,社会效益指标,社会效益,50,45,,,宣传不足,r.txt:93
";

    fn review_of(evaluations: &str, indicators: &str) -> Review {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let d = std::env::temp_dir().join(format!(
            "jixiao-review-unit-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("units.csv"), UNITS).unwrap();
        std::fs::write(d.join("evaluations.csv"), evaluations).unwrap();
        std::fs::write(d.join("indicators.csv"), indicators).unwrap();
        let (ds, mut findings) = crate::dataset::load(&d).unwrap();
        crate::dataset::validate::validate(&ds, &mut findings).unwrap();
        assert_eq!(count(&findings, Severity::Error), 0, "{findings:?}");
        run(&ds, &findings, &ReviewOptions::default()).unwrap()
    }

    fn row<'a>(r: &'a Review, id: &str) -> &'a ReviewRow {
        r.rows.iter().find(|x| x.eval_id == id).unwrap()
    }

    fn evidence(r: &Review, id: &str, reason: Reason) -> String {
        row(r, id)
            .hits
            .iter()
            .find(|h| h.reason == reason)
            .map(|h| h.evidence.clone())
            .unwrap_or_else(|| panic!("{id}: no {}; {:?}", reason.code(), row(r, id).hits))
    }

    #[test]
    fn each_check_trips_on_its_own_case_only() {
        let r = review_of(EVALUATIONS, INDICATORS);
        assert_eq!(r.population, Population::SelfEvaluations);
        // Independent evaluations are not in the list.
        assert_eq!(r.rows.len(), 11);
        assert!(r.rows.iter().all(|x| x.evaluator_type == "self"));
        let reasons = |id: &str| row(&r, id).reasons();
        assert_eq!(reasons("t1"), "target_missed_full_marks");
        assert_eq!(reasons("e1"), "low_execution_high_score");
        assert_eq!(reasons("s1"), "sum_mismatch");
        assert_eq!(reasons("g1"), "grade_mismatch");
        assert_eq!(reasons("c1"), "ceiling");
        assert_eq!(reasons("d1"), "unexplained_deduction");
        assert_eq!(reasons("h1"), "history");
        assert_eq!(reasons("l1"), "lenient_reference");
        assert_eq!(reasons("n1"), "target_not_comparable");
        assert_eq!(reasons("ok1"), "");
        assert_eq!(reasons("h0s"), "");
        // Risk: the sum of the weights (built in: 4, 3, 3, 3, 2, 2, 1, 1, 0).
        let risk = |id: &str| fmt(row(&r, id).risk_score);
        assert_eq!(
            ["e1", "t1", "s1", "h1", "g1", "c1", "d1", "l1", "n1", "ok1"].map(risk),
            ["4", "3", "3", "3", "2", "2", "1", "1", "0", "0"]
        );
        // Priority: risk, then the higher self score (t1 98 before s1 97 before h1 90).
        let order: Vec<&str> = r.rows.iter().map(|x| x.eval_id.as_str()).collect();
        assert_eq!(&order[..4], ["e1", "t1", "s1", "h1"]);
        assert_eq!(r.rows[0].rank, 1);
    }

    #[test]
    fn evidence_quotes_the_numbers_and_where() {
        let r = review_of(EVALUATIONS, INDICATORS);
        let e = evidence(&r, "t1", Reason::TargetMissedFullMarks);
        assert_eq!(
            e,
            "1项指标的实际完成值未达年度指标值却得满分：“发放人数”年度指标值“498人”、实际完成值“494人”，得满分40分（r.txt:12）。"
        );
        let e = evidence(&r, "e1", Reason::LowExecutionHighScore);
        assert!(
            e.contains("总分95分（不低于90分），但预算执行率仅62%（低于80%；全年执行数62万元÷全年预算数100万元，r.txt:20）"),
            "{e}"
        );
        // 分值 10 × 62% = 6.2 points at most.
        assert!(
            e.contains(
                "预算执行率指标得10分，按所述执行率62%最多应得6.2分（分值10分×62%，r.txt:21）"
            ),
            "{e}"
        );
        assert_eq!(
            evidence(&r, "s1", Reason::SumMismatch),
            "3项指标得分合计87分，总分却为97分，比合计高出10分（总分见r.txt:30；指标见r.txt:31至r.txt:33）。"
        );
        assert_eq!(
            evidence(&r, "g1", Reason::GradeMismatch),
            "总分84分按北京市2024年度的评分标准应评为“良”，报告写为“优”（r.txt:40）。"
        );
        assert_eq!(
            evidence(&r, "c1", Reason::Ceiling),
            "全部3项指标均得满分，总分100分（r.txt:50）。"
        );
        assert_eq!(
            evidence(&r, "d1", Reason::UnexplainedDeduction),
            "1项指标扣分但未写偏差原因：“产出数量”分值50分、得48分（r.txt:62）。"
        );
        let e = evidence(&r, "h1", Reason::History);
        assert!(
            e.contains("该单位2022年共1对同一项目的自评与独立评分中，自评平均高出10.00分")
                && e.contains("2022年自评95分（r.txt:100）对第三方机构“某公司”85分（r.txt:101）"),
            "{e}"
        );
        let e = evidence(&r, "l1", Reason::LenientReference);
        assert!(
            e.contains("2022年的独立评分来自第三方机构“宽公司”")
                && e.contains("（r.txt:110、r.txt:112、r.txt:114）"),
            "{e}"
        );
        let e = evidence(&r, "n1", Reason::TargetNotComparable);
        assert!(
            e.contains("单位不同：人次与人") && e.contains("r.txt:92"),
            "{e}"
        );
        // Full-width punctuation in every sentence, ending with 。
        for x in &r.rows {
            for h in &x.hits {
                assert!(h.evidence.ends_with('。'), "{}", h.evidence);
                assert!(!h.evidence.contains(", ") && !h.evidence.contains("; "));
            }
        }
    }

    #[test]
    fn target_pairs_are_counted_by_outcome() {
        let r = review_of(EVALUATIONS, INDICATORS);
        let c = r.target_counts();
        // t1: 498人/494人 missed, 优良中差/优 met; ok1: 500人/450人 missed (docked);
        // n1: 400人次/497人 not comparable. The 预算执行率 rows have no target.
        assert_eq!(
            (c.pairs, c.met, c.missed, c.partly, c.not_comparable),
            (4, 1, 2, 0, 1)
        );
        assert_eq!(c.no_target, 8);
    }

    #[test]
    fn without_targets_or_self_evaluations_it_says_so() {
        let strip = |s: &str| -> String {
            s.lines()
                .map(|l| {
                    let mut f: Vec<&str> = l.split(',').collect();
                    if f[0] != "eval_id" {
                        f[6] = "";
                        f[7] = "";
                    }
                    f.join(",")
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        };
        let r = review_of(EVALUATIONS, &strip(INDICATORS));
        assert!(r
            .notes
            .iter()
            .any(|n| n.en.contains("target_missed_full_marks was not checked")));
        assert_eq!(r.target_counts().pairs, 0);
        // The other checks still run.
        assert_eq!(row(&r, "e1").reasons(), "low_execution_high_score");
        assert_eq!(row(&r, "s1").reasons(), "sum_mismatch");
        // No self-evaluations: every evaluation, with the checks that apply.
        let independent = EVALUATIONS.replace(",self,", ",third_party,");
        let r = review_of(&independent, INDICATORS);
        assert_eq!(r.population, Population::AllEvaluations);
        assert_eq!(r.rows.len(), 18);
        assert!(r.notes.iter().any(|n| n.en.contains("no self-evaluations")));
        assert_eq!(row(&r, "s1").reasons(), "sum_mismatch");
        assert!(r.rows.iter().all(|x| !x.has(Reason::History)));
    }
}
