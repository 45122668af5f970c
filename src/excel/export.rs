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
    let first = [
        "unit_id",
        "unit_name",
        "short_name",
        "province",
        "city",
        "district",
        "unit_type",
        "eval_id",
        "fiscal_year",
        "scope",
        "project_name",
        "evaluator_type",
        "evaluator",
        "max_score",
        "total_score",
        "grade",
        "budget_initial",
        "budget_full_year",
        "executed",
        "execution_rate_stated",
        "source",
        "level1",
        "level2",
        "level3",
        "level4",
        "max_points",
        "score",
        "target_value",
        "actual_value",
        "reason",
        "indicator_source",
    ];
    let mut order: Vec<String> = first.iter().map(|s| s.to_string()).collect();
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
