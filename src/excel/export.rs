//! A dataset as one workbook sheet (评分表): one row per indicator with its evaluation and
//! unit repeated, Chinese headers over the contract names; `import-xlsx` reads it back.

use std::path::Path;

use polars::prelude::*;

use super::write::write_workbook;
use crate::dataset::schema::ROW;
use crate::dataset::Dataset;
use crate::error::Result;

pub const SHEET: &str = "评分表";

/// The export layout as a frame (also the round-trip reference in tests).
pub fn score_sheet(ds: &Dataset) -> Result<DataFrame> {
    let units = ds.units.clone().lazy().drop(by_name([ROW], true, false));
    let inds = ds
        .indicators
        .clone()
        .lazy()
        .drop(by_name([ROW], true, false))
        .rename(["source"], ["indicator_source"], true);
    let label = |c: &str, pairs: &[(&str, &str)]| {
        let mut e: Expr = col(c);
        for (en, zh) in pairs.iter().rev() {
            e = when(col(c).eq(lit(*en))).then(lit(*zh)).otherwise(e);
        }
        e.alias(c)
    };
    let df = ds
        .evaluations
        .clone()
        .lazy()
        .drop(by_name([ROW], true, false))
        .join(
            units,
            [col("unit_id")],
            [col("unit_id")],
            JoinArgs {
                maintain_order: MaintainOrderJoin::Left,
                ..JoinArgs::new(JoinType::Left)
            },
        )
        .join(
            inds,
            [col("eval_id")],
            [col("eval_id")],
            JoinArgs {
                maintain_order: MaintainOrderJoin::Left,
                ..JoinArgs::new(JoinType::Left)
            },
        )
        .with_columns([
            label(
                "evaluator_type",
                &[
                    ("self", "自评"),
                    ("third_party", "第三方"),
                    ("expert_panel", "专家评分"),
                    ("finance_bureau", "财政部门"),
                ],
            ),
            label("scope", &[("department", "部门整体"), ("project", "项目")]),
        ])
        .collect()?;
    // Units, then evaluations, then indicators, in the contract's order; the indicator's own
    // source is renamed so it survives beside the evaluation's.
    use crate::dataset::schema::{EVALUATIONS, INDICATORS, UNITS};
    let mut order: Vec<String> = UNITS.names().iter().map(|s| s.to_string()).collect();
    order.extend(
        EVALUATIONS
            .names()
            .iter()
            .filter(|n| **n != "unit_id")
            .map(|s| s.to_string()),
    );
    order.extend(
        INDICATORS
            .names()
            .iter()
            .filter(|n| **n != "eval_id")
            .map(|n| {
                if *n == "source" {
                    "indicator_source".to_string()
                } else {
                    n.to_string()
                }
            }),
    );
    for c in df.get_column_names() {
        if !order.iter().any(|o| o == c.as_str()) {
            order.push(c.to_string());
        }
    }
    Ok(df.select(order)?)
}

pub fn export(ds: &Dataset, path: &Path) -> Result<()> {
    let df = score_sheet(ds)?;
    write_workbook(path, &[(SHEET, &df)])
}
