//! The detail tables: bench outputs with Chinese headers (the contract's column name as the
//! header's tooltip), Chinese values for codes, and the filter attributes on every row.

use polars::prelude::*;

use super::context::Ctx;
use super::model::{Attrs, Cell, Column, Row, Table};
use super::zh;
use crate::dataset::decimal::{cell_text as s, text_at};
use crate::dataset::write::for_csv;
use crate::error::Result;

fn label(col: &str) -> String {
    let l = match col {
        "unit_id" => "单位编号",
        "short_name" => "单位",
        "district" => "区（县）",
        "fiscal_year" => "年度",
        "scope" => "范围",
        "project_name" => "项目名称",
        "evaluator_type" => "评价主体",
        "evaluator" => "评价机构",
        "budget_full_year" => "全年预算（万元）",
        "executed" => "执行数（万元）",
        "execution_rate" => "执行率（%）",
        "peer_median" => "同类中位数",
        "peer_p25" => "同类 25% 分位",
        "peer_p75" => "同类 75% 分位",
        "flag" => "标记",
        "n_peers" => "同类数",
        "score_100" => "得分（百分制）",
        "rank" => "名次",
        "rank_low" => "可能名次（高）",
        "rank_high" => "可能名次（低）",
        "percentile" => "百分位",
        "measurement_sd" => "测量误差（分）",
        "score_100_adjusted" => "扣除宽严后得分",
        "rank_adjusted" => "扣除宽严后名次",
        "cause" => "扣分原因",
        "n_deductions" => "扣分处数",
        "n_evaluations" => "评价数",
        "points_lost" => "扣分（分）",
        "share_of_points_lost" => "占扣分比例",
        "top_level1" => "扣分最多的一级指标",
        "reference_type" => "对照评价主体",
        "n_pairs" => "配对数",
        "mean_gap" => "自评平均高出（分）",
        "ci_low" => "95% 区间下限",
        "ci_high" => "95% 区间上限",
        "flag_low" => "单侧 95% 下限",
        "loa_low" => "一致性界限下限",
        "loa_high" => "一致性界限上限",
        "share_self_higher" => "自评更高的比例",
        "n_units" => "单位数",
        "mean_gap_adjusted" => "扣除宽严后高出（分）",
        "n_self" => "自评数",
        "mean_self" => "自评平均",
        "n_independent" => "独立评价数",
        "mean_independent" => "独立评价平均",
        "mean_difference" => "平均差值",
        "note" => "说明",
        "n_shared_objects" => "共同评价对象数",
        "effect" => "宽严效应（分）",
        "lenient" => "系统性偏宽",
        "share_at_100" => "满分比例",
        "effect_tobit" => "截尾模型效应（分）",
        c if c.starts_with("rate_") => return format!("得分率：{}", &c[5..]),
        c => c,
    };
    l.to_string()
}

fn value(col: &str, v: String) -> String {
    match col {
        "evaluator_type" | "reference_type" => zh::evaluator(&v).to_string(),
        "scope" => zh::scope(&v).to_string(),
        "flag" => match v.as_str() {
            "below_80" => "低于 80%",
            "below_90" => "低于 90%",
            "above_100" => "高于 100%",
            "ok" => "正常",
            _ => return v,
        }
        .to_string(),
        "lenient" => match v.as_str() {
            "true" => "是",
            "false" => "否",
            _ => "不作判断",
        }
        .to_string(),
        _ => {
            // Statistics print with two decimals; exact amounts and ids stay as written.
            match (v.split_once('.'), v.parse::<f64>()) {
                (Some((_, frac)), Ok(x)) if frac.len() > 2 => zh::num(x, 2),
                _ => v,
            }
        }
    }
}

/// A bench table shown with `cols` (those it has), at most `max_rows` rows.
pub fn from_frame(
    c: &Ctx,
    id: String,
    caption: &str,
    df: &DataFrame,
    cols: &[&str],
    max_rows: usize,
    flagged: impl Fn(&DataFrame, usize) -> bool,
) -> Result<Table> {
    let df = for_csv(df)?;
    let mut names: Vec<String> = cols
        .iter()
        .filter(|c| df.column(c).is_ok())
        .map(|c| c.to_string())
        .collect();
    // The level-1 score rates of rankings.csv follow its named columns.
    if cols.contains(&"rate_*") {
        names.extend(
            df.get_column_names()
                .iter()
                .filter(|n| n.starts_with("rate_"))
                .map(|n| n.to_string()),
        );
    }
    let has = |n: &str| df.column(n).is_ok();
    let rows = (0..df.height().min(max_rows))
        .map(|i| {
            let get = |n: &str| {
                let v = s(&df, n, i);
                (!v.is_empty()).then_some(v)
            };
            let unit = get("unit_id");
            let district = get("district").or_else(|| {
                unit.as_deref()
                    .map(|u| c.district(u))
                    .filter(|d| !d.is_empty())
            });
            Row {
                cells: names
                    .iter()
                    .map(|n| {
                        let raw = df
                            .column(n)
                            .ok()
                            .and_then(|col| text_at(col, i))
                            .unwrap_or_default();
                        let link = (n == "short_name")
                            .then(|| unit.as_deref().and_then(|u| c.anchor(u)))
                            .flatten()
                            .map(str::to_string);
                        Cell {
                            wrap: n == "project_name" || n == "note" || n == "evaluator",
                            link,
                            ..Cell::text(value(n, raw))
                        }
                    })
                    .collect(),
                attrs: Attrs {
                    district,
                    year: get("fiscal_year"),
                    evaluator: get("evaluator_type").or_else(|| {
                        has("reference_type")
                            .then(|| get("reference_type"))
                            .flatten()
                    }),
                    scope: get("scope"),
                },
                flagged: flagged(&df, i),
            }
        })
        .collect();
    Ok(Table {
        id,
        caption: caption.to_string(),
        note: None,
        columns: names
            .iter()
            .map(|n| Column {
                label: label(n),
                key: n.clone(),
            })
            .collect(),
        rows,
        total_rows: df.height(),
    })
}

/// The detail tables of a part.
pub fn details(c: &Ctx, key: &str) -> Result<Vec<Table>> {
    let t = c.t;
    let flagged_first = t
        .execution
        .clone()
        .lazy()
        .with_column(
            when(col("flag").eq(lit("ok")))
                .then(lit(1))
                .otherwise(lit(0))
                .alias("__ok"),
        )
        .sort(["__ok", "execution_rate"], Default::default())
        .drop(by_name(["__ok"], true, false))
        .collect()?;
    let none = |_: &DataFrame, _: usize| false;
    let mut out = vec![
        from_frame(
            c,
            format!("{key}-t-execution"),
            "预算执行率与同类单位（execution.csv，低于 80% 的在前）",
            &flagged_first,
            &[
                "short_name",
                "district",
                "fiscal_year",
                "scope",
                "project_name",
                "evaluator_type",
                "budget_full_year",
                "executed",
                "execution_rate",
                "peer_median",
                "peer_p25",
                "peer_p75",
                "n_peers",
                "flag",
            ],
            200,
            |df, i| s(df, "flag", i) == "below_80",
        )?,
        from_frame(
            c,
            format!("{key}-t-rankings"),
            "部门整体排名（rankings.csv）",
            &t.rankings,
            &[
                "short_name",
                "district",
                "fiscal_year",
                "evaluator_type",
                "evaluator",
                "score_100",
                "rank",
                "n_peers",
                "rank_low",
                "rank_high",
                "percentile",
                "score_100_adjusted",
                "rank_adjusted",
                "rate_*",
            ],
            200,
            none,
        )?,
        from_frame(
            c,
            format!("{key}-t-deductions"),
            "扣分原因（deductions.csv，各年度分列）",
            &t.deductions,
            &[
                "fiscal_year",
                "cause",
                "n_deductions",
                "n_evaluations",
                "points_lost",
                "share_of_points_lost",
                "top_level1",
            ],
            100,
            none,
        )?,
        from_frame(
            c,
            format!("{key}-t-inflation"),
            "自评与独立评价（inflation_summary.csv，年度空白为各年合并）",
            &t.inflation_summary,
            &[
                "reference_type",
                "scope",
                "fiscal_year",
                "n_pairs",
                "n_units",
                "mean_gap",
                "ci_low",
                "ci_high",
                "loa_low",
                "loa_high",
                "share_self_higher",
                "mean_gap_adjusted",
            ],
            100,
            none,
        )?,
        from_frame(
            c,
            format!("{key}-t-distribution"),
            "自评与独立评价的分布比较（inflation_distribution.csv）",
            &t.inflation_distribution,
            &[
                "short_name",
                "fiscal_year",
                "scope",
                "n_self",
                "mean_self",
                "n_independent",
                "mean_independent",
                "mean_difference",
                "note",
            ],
            100,
            none,
        )?,
        from_frame(
            c,
            format!("{key}-t-leniency"),
            "评价主体宽严（leniency.csv，年度空白为各年合并）",
            &t.leniency,
            &[
                "fiscal_year",
                "evaluator_type",
                "evaluator",
                "n_evaluations",
                "n_shared_objects",
                "effect",
                "ci_low",
                "ci_high",
                "flag_low",
                "lenient",
                "share_at_100",
                "effect_tobit",
                "note",
            ],
            100,
            |df, i| s(df, "lenient", i) == "true",
        )?,
    ];
    out.retain(|t| !t.columns.is_empty());
    Ok(out)
}
