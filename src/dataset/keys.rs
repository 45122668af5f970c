//! Integer keys for the big table: each indicator row's evaluation as its position in the
//! evaluations table. Found once at load, so checks and benchmarks group and gather on a
//! `u32` instead of hashing the eval_id text of millions of rows again in every join.

use polars::prelude::*;
use rustc_hash::FxHashMap;

/// Hidden column holding an evaluation's position in `Dataset::evaluations` (0-based), on
/// evaluation facts and on indicators (`Dataset::indicators_keyed`).
pub const EVAL: &str = "__eval";

/// Position in `eval_ids` of each of `indicator_ids` (the first when an id repeats; null when
/// it is missing or blank).
pub fn eval_positions(indicator_ids: &StringChunked, eval_ids: &StringChunked) -> UInt32Chunked {
    EvalIndex::new(eval_ids).positions(indicator_ids)
}

/// eval_id → position in the evaluations table, built once and used for every batch.
pub struct EvalIndex<'a> {
    index: FxHashMap<&'a str, u32>,
}

impl<'a> EvalIndex<'a> {
    pub fn new(eval_ids: &'a StringChunked) -> EvalIndex<'a> {
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        index.reserve(eval_ids.len());
        for (i, id) in eval_ids.iter().enumerate() {
            if let Some(id) = id {
                index.entry(id).or_insert(i as u32);
            }
        }
        EvalIndex { index }
    }

    /// Indicator rows come grouped by evaluation (reports list an evaluation's indicators
    /// together; extract and synth write them so), so the hash lookup is done once per run of
    /// equal ids; any order still gives the right answer, only slower.
    pub fn positions(&self, indicator_ids: &StringChunked) -> UInt32Chunked {
        let mut last: Option<(&str, Option<u32>)> = None;
        let out = indicator_ids
            .iter()
            .map(|id| {
                let id = id?;
                match last {
                    Some((prev, pos)) if prev == id => pos,
                    _ => {
                        let pos = self.index.get(id).copied();
                        last = Some((id, pos));
                        pos
                    }
                }
            })
            .collect::<UInt32Chunked>()
            .with_name(EVAL.into());
        // Usually the indicators follow the evaluations' order: polars groups sorted keys
        // by slicing instead of hashing, so say so when it is true (and only then).
        let mut out = out;
        if out.null_count() == 0 && out.iter().flatten().is_sorted() {
            out.set_sorted_flag(polars::series::IsSorted::Ascending);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_any_order_with_missing_and_repeated_ids() {
        let evals = StringChunked::from_iter([Some("a"), Some("b"), Some("c"), Some("b")]);
        let inds = StringChunked::from_iter([
            Some("b"),
            Some("b"),
            Some("a"),
            None,
            Some("zz"),
            Some("zz"),
            Some("c"),
            Some("b"),
        ]);
        let got: Vec<Option<u32>> = eval_positions(&inds, &evals).iter().collect();
        assert_eq!(
            got,
            [
                Some(1),
                Some(1),
                Some(0),
                None,
                None,
                None,
                Some(2),
                Some(1)
            ]
        );
    }
}
