//! What the checks and benchmarks need from the indicator rows, gathered one batch at a time
//! so that a dataset larger than memory streams through: per-evaluation score sums (the sum
//! check), level-1 sums of department evaluations (rankings), and the deductions: detail rows
//! (handed back to be kept or written) and their per-cause partials. A dataset in memory is
//! one batch; every partial adds up, so the batching never changes a result.

use polars::prelude::*;

use super::causes::CauseRules;
use super::{deductions, rankings};
use crate::dataset::keys::EVAL;
use crate::dataset::validate;
use crate::error::Result;

pub struct IndicatorPass<'a> {
    facts: &'a DataFrame,
    rules: &'a CauseRules,
    /// By evaluation position: whether it is a department evaluation (ranked on level 1).
    is_department: Vec<bool>,
    sums: Vec<DataFrame>,
    level1: Vec<DataFrame>,
    cause_level1: Vec<DataFrame>,
    cause_evals: Vec<DataFrame>,
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
        Ok(IndicatorPass {
            facts,
            rules,
            is_department,
            sums: Vec::new(),
            level1: Vec::new(),
            cause_level1: Vec::new(),
            cause_evals: Vec::new(),
        })
    }

    /// One batch of typed indicators with `__row` and `__eval`: keeps its partials and
    /// returns its deduction detail rows.
    pub fn feed(&mut self, keyed: &DataFrame) -> Result<DataFrame> {
        let mut laps = crate::profile::Laps::start();
        self.sums.push(validate::indicator_sums(keyed)?);
        laps.lap("  pass: sums");
        let department: BooleanChunked = keyed
            .column(EVAL)?
            .u32()?
            .iter()
            .map(|e| e.is_some_and(|e| self.is_department[e as usize]))
            .collect();
        self.level1
            .push(rankings::level1_partial(keyed.filter(&department)?.lazy()).collect()?);
        laps.lap("  pass: level1");
        let (detail, keys) = deductions::deductions_detail(self.facts, keyed, self.rules)?;
        self.cause_level1
            .push(deductions::cause_level1_partial(&keys)?);
        laps.lap("  pass: cause by level1");
        self.cause_evals
            .push(deductions::cause_evals_partial(&keys)?);
        laps.lap("  pass: cause evaluations");
        Ok(detail)
    }

    /// Per evaluation: indicator score sum, blank scores, rows (for `validate::check_sums`).
    pub fn sums(&self) -> Result<DataFrame> {
        validate::combine_sums(self.sums.clone())
    }

    pub fn level1(&self) -> Result<LazyFrame> {
        stack(&self.level1)
    }

    pub fn deductions(&self) -> Result<LazyFrame> {
        deductions::deductions(
            self.facts,
            stack(&self.cause_level1)?,
            stack(&self.cause_evals)?,
            self.rules,
        )
    }
}

fn stack(parts: &[DataFrame]) -> Result<LazyFrame> {
    let parts: Vec<LazyFrame> = parts.iter().map(|d| d.clone().lazy()).collect();
    Ok(concat(parts, UnionArgs::default())?)
}
