//! Peer groups: units compare with the same scope and fiscal year in their district, or in
//! their province when the district has fewer than `MIN_DISTRICT_UNITS` units.

use polars::prelude::*;

use crate::error::Result;

pub const MIN_DISTRICT_UNITS: u32 = 5;
pub const PEER_GROUP: &str = "peer_group";
/// Hidden: a peer group's number, in the sort order of the columns that define it.
pub const PEER: &str = "__peer";

/// Adds `PEER`: one integer for each distinct combination of `keys`, numbered in their sort
/// order. Windows over it group on one integer, and sorting on it orders the rows as sorting
/// on `keys` would, without comparing their strings row by row.
pub fn numbered(lf: LazyFrame, keys: &[&str]) -> LazyFrame {
    let on: Vec<Expr> = keys.iter().map(|k| col(*k)).collect();
    let groups = lf
        .clone()
        .select(on.clone())
        .unique(None, UniqueKeepStrategy::Any)
        .sort(
            keys.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            Default::default(),
        )
        .with_row_index(PEER, None);
    // Nulls match nulls, so a blank key forms its own group as it would in a group_by.
    let mut args = JoinArgs::new(JoinType::Left);
    args.nulls_equal = true;
    lf.join(groups, on.clone(), on, args)
}

/// Share of the peers whose value is at or below this one, in percent (100 = best).
pub fn percentile_within(value: Expr, peers: &[Expr]) -> Result<Expr> {
    let at_or_below = value
        .rank(
            RankOptions {
                method: RankMethod::Max,
                descending: false,
            },
            None,
        )
        .over(peers)?
        .cast(DataType::Float64);
    Ok(at_or_below * lit(100.0) / len().over(peers)?.cast(DataType::Float64))
}

/// Adds `peer_group` ("district:和平区", "province:天津市" or "all") to a frame that has
/// unit_id, scope, fiscal_year, district and province. `extra` partitions
/// further (e.g. by evaluator_type for rankings).
pub fn with_peer_group(
    lf: LazyFrame,
    extra: &[&str],
    min_district_units: u32,
) -> Result<LazyFrame> {
    let mut part: Vec<Expr> = vec![col("scope"), col("fiscal_year"), col("district")];
    part.extend(extra.iter().map(|c| col(*c)));
    let n_in_district = col("unit_id").n_unique().over(part)?;
    let province = col("province").fill_null(lit(""));
    Ok(lf.with_column(
        when(
            col("district")
                .is_not_null()
                .and(n_in_district.gt_eq(lit(min_district_units))),
        )
        .then(lit("district:") + col("district"))
        .when(province.clone().neq(lit("")))
        .then(lit("province:") + province)
        .otherwise(lit("all"))
        .alias(PEER_GROUP),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal keys share a number, blank keys group like any value, and the numbers follow
    /// the keys' sort order (nulls first).
    #[test]
    fn numbered_groups_follow_the_key_order() {
        let df = df!(
            "fiscal_year" => [Some(2023), None, None, Some(2023), Some(2022)],
            "scope" => ["b", "a", "b", "b", "a"],
        )
        .unwrap();
        let out = numbered(
            df.lazy().with_row_index("i", None),
            &["fiscal_year", "scope"],
        )
        .sort(["i"], Default::default())
        .collect()
        .unwrap();
        let got: Vec<Option<IdxSize>> = out.column(PEER).unwrap().idx().unwrap().iter().collect();
        assert_eq!(got, [Some(3), Some(0), Some(1), Some(3), Some(2)]);
    }
}
