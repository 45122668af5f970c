//! What the benchmarks need from the indicator rows, gathered one batch at a time so that a
//! dataset larger than memory streams through: level-1 sums of department evaluations
//! (rankings) and the deductions: detail rows (handed back to be kept or written) and their
//! per-cause partials (the sum check's partials are `validate::validate_streamed`'s). A dataset in memory is
//! one batch; every partial adds up, so the batching never changes a result.

use polars::prelude::*;

use super::causes::CauseRules;
use super::{deductions, rankings};
use crate::dataset::keys::EVAL;
use crate::error::Result;

pub struct IndicatorPass<'a> {
    facts: &'a DataFrame,
    rules: &'a CauseRules,
    /// By evaluation position: whether it is a department evaluation (ranked on level 1).
    is_department: Vec<bool>,
    level1: Vec<DataFrame>,
    cause_level1: Vec<DataFrame>,
    /// Which causes each evaluation lost points for: bit `eval × causes + cause` (an
    /// evaluation's rows may span batches, so this is kept whole: 20 bits an evaluation).
    cause_seen: Vec<u64>,
    n_causes: usize,
}

impl<'a> IndicatorPass<'a> {
    /// `facts`: one row per evaluation in the evaluations' order (`Dataset::facts`).
    pub fn new(facts: &'a DataFrame, rules: &'a CauseRules) -> Result<IndicatorPass<'a>> {
        let is_department = facts
            .column("scope")?
            .str()?
            .iter()
            .map(|s| s == Some("department"))
            .collect();
        let n_causes = rules.cause_names().len();
        Ok(IndicatorPass {
            facts,
            rules,
            is_department,
            level1: Vec::new(),
            cause_level1: Vec::new(),
            cause_seen: vec![0; (facts.height() * n_causes).div_ceil(64)],
            n_causes,
        })
    }

    /// One batch of typed indicators with `__row` and `__eval`: keeps its partials and
    /// returns its deduction detail rows.
    pub fn feed(&mut self, keyed: &DataFrame) -> Result<DataFrame> {
        let mut laps = crate::profile::Laps::start();
        let department: BooleanChunked = keyed
            .column(EVAL)?
            .u32()?
            .iter()
            .map(|e| e.is_some_and(|e| self.is_department[e as usize]))
            .collect();
        // Only the columns the sums need are filtered, not the whole batch.
        let department_rows = keyed
            .select([EVAL, "level1", "max_points", "score"])?
            .filter(&department)?;
        self.level1
            .push(rankings::level1_partial(department_rows.lazy()).collect()?);
        laps.lap("  pass: level1");
        let (detail, keys) = deductions::deductions_detail(self.facts, keyed, self.rules)?;
        laps.lap("  pass: detail");
        self.cause_level1
            .push(deductions::cause_level1_partial(&keys)?);
        laps.lap("  pass: cause by level1");
        let evals = keys.column(EVAL)?.u32()?;
        let causes = keys.column(deductions::CAUSE)?.idx()?;
        for (e, c) in evals.iter().zip(causes.iter()) {
            if let (Some(e), Some(c)) = (e, c) {
                let bit = e as usize * self.n_causes + c as usize;
                self.cause_seen[bit / 64] |= 1 << (bit % 64);
            }
        }
        laps.lap("  pass: cause evaluations");
        Ok(detail)
    }

    pub fn level1(&self) -> Result<LazyFrame> {
        stack(&self.level1)
    }

    pub fn deductions(&self) -> Result<LazyFrame> {
        deductions::deductions(
            stack(&self.cause_level1)?,
            self.evaluations_per_cause()?,
            self.rules,
        )
    }

    /// Evaluations that lost points for each cause, per fiscal year.
    fn evaluations_per_cause(&self) -> Result<LazyFrame> {
        let years = self.facts.column("fiscal_year")?.i32()?;
        let mut counts: std::collections::BTreeMap<(Option<i32>, IdxSize), IdxSize> =
            Default::default();
        for (e, year) in years.iter().enumerate() {
            for c in 0..self.n_causes {
                let bit = e * self.n_causes + c;
                if self.cause_seen[bit / 64] & (1 << (bit % 64)) != 0 {
                    *counts.entry((year, c as IdxSize)).or_default() += 1;
                }
            }
        }
        let (keys, n): (Vec<_>, Vec<_>) = counts.into_iter().unzip();
        let (years, causes): (Vec<_>, Vec<_>) = keys.into_iter().unzip();
        Ok(DataFrame::new_infer_height(vec![
            Column::new("fiscal_year".into(), years),
            Column::new(deductions::CAUSE.into(), causes),
            Column::new("n_evaluations".into(), n),
        ])?
        .lazy())
    }
}

fn stack(parts: &[DataFrame]) -> Result<LazyFrame> {
    let parts: Vec<LazyFrame> = parts.iter().map(|d| d.clone().lazy()).collect();
    Ok(concat(parts, UnionArgs::default())?)
}
