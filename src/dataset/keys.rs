//! Integer keys for the big table: each indicator row's evaluation as its position in the
//! evaluations table. Found once at load, so checks and benchmarks group and gather on a
//! `u32` instead of hashing the eval_id text of millions of rows again in every join.

use polars::prelude::*;
use polars_arrow::array::Utf8ViewArray;
use rustc_hash::FxHashMap;

/// Hidden column holding an evaluation's position in `Dataset::evaluations` (0-based), on
/// evaluation facts and on indicators (`Dataset::indicators_keyed`).
pub const EVAL: &str = "__eval";

/// The rows whose id (not blank) appears more than once, every copy, in row order.
pub fn repeated_rows(ids: &StringChunked) -> Vec<IdxSize> {
    EvalIndex::new(ids).repeated_rows
}

/// Position in `eval_ids` of each of `indicator_ids` (the first when an id repeats; null when
/// it is missing or blank).
pub fn eval_positions(indicator_ids: &StringChunked, eval_ids: &StringChunked) -> UInt32Chunked {
    EvalIndex::new(eval_ids).positions(indicator_ids)
}

/// eval_id → position in the evaluations table, built once and used for every batch; the
/// same pass finds the ids that repeat (the duplicate check, cheaper here than a window count
/// over the text; README's Measured figures has the figure).
pub struct EvalIndex<'a> {
    index: FxHashMap<&'a str, u32>,
    /// The ids in evaluation order (when held in one array and none repeats), to try the
    /// evaluation after the last one found before hashing (`lookup`).
    in_order: Option<&'a Utf8ViewArray>,
    /// The rows whose id appears more than once, every copy, in row order.
    pub repeated_rows: Vec<IdxSize>,
}

impl<'a> EvalIndex<'a> {
    pub fn new(eval_ids: &'a StringChunked) -> EvalIndex<'a> {
        // The top bit of a position marks an id already found repeated (positions stay below
        // 2^31: two thousand million evaluations).
        const REPEATED: u32 = 1 << 31;
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        index.reserve(eval_ids.len());
        let mut repeated_rows = Vec::new();
        for (i, id) in eval_ids.iter().enumerate() {
            if let Some(id) = id {
                let first = index.entry(id).or_insert(i as u32);
                if *first & !REPEATED != i as u32 {
                    if *first & REPEATED == 0 {
                        repeated_rows.push(*first as IdxSize);
                        *first |= REPEATED;
                    }
                    repeated_rows.push(i as IdxSize);
                }
            }
        }
        if !repeated_rows.is_empty() {
            repeated_rows.sort_unstable();
            for first in index.values_mut() {
                *first &= !REPEATED;
            }
        }
        let in_order = match eval_ids.chunks().as_slice() {
            [one] if repeated_rows.is_empty() => one.as_any().downcast_ref::<Utf8ViewArray>(),
            _ => None,
        };
        EvalIndex {
            index,
            in_order,
            repeated_rows,
        }
    }

    /// The position of `id`, trying first the evaluation after the last one found (`next`):
    /// indicators mostly come in the evaluations' order, and a hash lookup in an index of a
    /// million ids misses the cache where comparing the neighbouring id does not (README's
    /// Measured figures has the figure).
    fn lookup(&self, id: &str, next: &mut usize) -> Option<u32> {
        if let Some(ids) = self.in_order {
            if *next < ids.len() && ids.value(*next) == id {
                *next += 1;
                return Some(*next as u32 - 1);
            }
        }
        let position = self.index.get(id).copied()?;
        *next = position as usize + 1;
        Some(position)
    }

    /// Indicator rows come grouped by evaluation (reports list an evaluation's indicators
    /// together; extract and synth write them so), so the hash lookup is done once per run of
    /// equal ids; any order still gives the right answer, only slower.
    pub fn positions(&self, indicator_ids: &StringChunked) -> UInt32Chunked {
        let mut out = match self.positions_all_known(indicator_ids) {
            Some(out) => out,
            None => self.positions_with_nulls(indicator_ids),
        };
        // Usually the indicators follow the evaluations' order: polars groups sorted keys
        // by slicing instead of hashing, so say so when it is true (and only then).
        if out.null_count() == 0 && out.iter().flatten().is_sorted() {
            out.set_sorted_flag(polars::series::IsSorted::Ascending);
        }
        out
    }

    /// The common case: no id blank and every one known (else None).
    fn positions_all_known(&self, indicator_ids: &StringChunked) -> Option<UInt32Chunked> {
        let mut next = 0;
        let out = per_run(indicator_ids, |id| self.lookup(id, &mut next))?;
        Some(UInt32Chunked::from_vec(EVAL.into(), out))
    }

    fn positions_with_nulls(&self, indicator_ids: &StringChunked) -> UInt32Chunked {
        let mut next = 0;
        per_run_nullable(indicator_ids, |id| self.lookup(id, &mut next))
            .into_iter()
            .collect::<UInt32Chunked>()
            .with_name(EVAL.into())
    }
}

/// `f` of every cell of a column with no null, called once per run of equal neighbours
/// (indicator tables list an evaluation's rows together): a cell whose 16-byte string view
/// equals the previous one's is the same text without reading its bytes (Parquet's
/// dictionary pages decode to shared views), else the text is compared. None when the column
/// has a null or `f` gives None for a cell.
fn per_run<T: Copy>(texts: &StringChunked, mut f: impl FnMut(&str) -> Option<T>) -> Option<Vec<T>> {
    if texts.null_count() > 0 {
        return None;
    }
    let mut out = Vec::with_capacity(texts.len());
    for arr in texts.downcast_iter() {
        let mut last: Option<(u128, &str, T)> = None;
        for (i, view) in arr.views().iter().enumerate() {
            let view = view.as_u128();
            let value = match last {
                Some((v, _, value)) if v == view => value,
                _ => {
                    let text = arr.value(i);
                    let value = match last {
                        Some((_, prev, value)) if prev == text => value,
                        _ => f(text)?,
                    };
                    last = Some((view, text, value));
                    value
                }
            };
            out.push(value);
        }
    }
    Some(out)
}

/// `f` of every cell, once per run of equal texts; null cells, and cells `f` gives None
/// for, are None.
fn per_run_nullable<T: Copy>(
    texts: &StringChunked,
    mut f: impl FnMut(&str) -> Option<T>,
) -> Vec<Option<T>> {
    let mut last: Option<(&str, Option<T>)> = None;
    texts
        .iter()
        .map(|text| {
            let text = text?;
            match last {
                Some((prev, value)) if prev == text => value,
                _ => {
                    let value = f(text);
                    last = Some((text, value));
                    value
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn repeated_rows_are_every_copy_in_row_order() {
        let ids = polars::prelude::StringChunked::from_iter_options(
            "id".into(),
            [
                Some("a"),
                Some("b"),
                None,
                Some("a"),
                Some("c"),
                None,
                Some("b"),
                Some("a"),
            ]
            .into_iter(),
        );
        assert_eq!(super::repeated_rows(&ids), [0, 1, 3, 6, 7]);
        let unique = polars::prelude::StringChunked::from_iter_options(
            "id".into(),
            [Some("a"), None, Some("b"), None].into_iter(),
        );
        assert!(super::repeated_rows(&unique).is_empty());
    }

    use super::*;

    #[test]
    fn positions_of_known_ids_across_chunks() {
        let evals = StringChunked::from_iter([Some("e-long-identifier-1"), Some("b"), Some("c")]);
        let mut inds = StringChunked::from_iter([
            Some("b"),
            Some("b"),
            Some("e-long-identifier-1"),
            Some("e-long-identifier-1"),
        ]);
        inds.append(&StringChunked::from_iter([
            Some("e-long-identifier-1"),
            Some("c"),
        ]))
        .unwrap();
        let got = eval_positions(&inds, &evals);
        assert_eq!(got.null_count(), 0);
        assert_eq!(got.iter().flatten().collect::<Vec<_>>(), [1, 1, 0, 0, 0, 2]);
        // One unknown id: the slower path marks it null and keeps the rest.
        let mut inds = inds.clone();
        inds.append(&StringChunked::from_iter([Some("zz")]))
            .unwrap();
        let got: Vec<Option<u32>> = eval_positions(&inds, &evals).iter().collect();
        assert_eq!(
            got,
            [Some(1), Some(1), Some(0), Some(0), Some(0), Some(2), None]
        );
    }

    /// Indicators mostly in the evaluations' order (the neighbour is tried before the hash):
    /// jumps back and forward, an unknown id and a blank in between still give each row its
    /// own evaluation.
    #[test]
    fn positions_in_evaluation_order_with_jumps() {
        let ids: Vec<String> = (0..10)
            .map(|i| format!("eval-with-a-long-id-{i}"))
            .collect();
        let evals = StringChunked::from_iter(ids.iter().map(|s| Some(s.as_str())));
        let order = [0, 0, 1, 2, 5, 6, 3, 4, 9, 7, 99, 8, 8];
        let inds = StringChunked::from_iter(order.iter().map(|&i| {
            Some(if i == 99 {
                "no-such-id"
            } else {
                ids[i].as_str()
            })
        }));
        let expected: Vec<Option<u32>> = order
            .iter()
            .map(|&i| (i != 99).then_some(i as u32))
            .collect();
        let got: Vec<Option<u32>> = eval_positions(&inds, &evals).iter().collect();
        assert_eq!(got, expected);
        let known = StringChunked::from_iter(
            order
                .iter()
                .filter(|&&i| i != 99)
                .map(|&i| Some(ids[i].as_str())),
        );
        let got: Vec<Option<u32>> = eval_positions(&known, &evals).iter().collect();
        let want: Vec<Option<u32>> = expected.into_iter().filter(|e| e.is_some()).collect();
        assert_eq!(got, want);
    }

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
