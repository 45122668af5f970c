//! What the review writes: `review.csv` (the priority list), `review_targets.csv` (every
//! target / actual pair as compared), `review.xlsx` (for the bureau, in Chinese) and the
//! summary (`summary.json`'s `review` entry).

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet};
use serde_json::{json, Value};

use super::{Population, Review, ReviewRow};
use crate::dataset::decimal::fmt;
use crate::dataset::write::{ensure_dir, write_atomic};
use crate::error::{JxError, Result};

/// review.csv's columns: the fourteen, then who scored, where, and the re-check.
pub const REVIEW_COLUMNS: &[&str] = &[
    "rank",
    "eval_id",
    "unit_id",
    "short_name",
    "fiscal_year",
    "scope",
    "project_name",
    "total_score",
    "execution_rate",
    "risk_score",
    "reasons",
    "evidence",
    "in_sample",
    "stratum",
    "evaluator_type",
    "source",
    "rechecked_score",
    "inflated",
];

/// Chinese headers of the workbook, column by column with `REVIEW_COLUMNS`.
const REVIEW_HEADERS_ZH: &[&str] = &[
    "优先序",
    "评价编号",
    "单位编号",
    "单位",
    "年度",
    "评价范围",
    "项目名称",
    "自评总分",
    "预算执行率(%)",
    "风险分",
    "风险原因",
    "依据（报告原文位置）",
    "是否抽中",
    "抽样层",
    "评价类型",
    "总分来源",
    "复核得分",
    "自评偏高",
];

pub const TARGET_COLUMNS: &[&str] = &[
    "eval_id",
    "level1",
    "level2",
    "level3",
    "level4",
    "target_value",
    "actual_value",
    "max_points",
    "score",
    "outcome",
    "note",
    "source",
];

const TARGET_HEADERS_ZH: &[&str] = &[
    "评价编号",
    "一级指标",
    "二级指标",
    "三级指标",
    "四级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "比较结果",
    "说明",
    "来源",
];

fn opt(d: Option<Decimal>) -> String {
    d.map(fmt).unwrap_or_default()
}

fn review_record(r: &ReviewRow) -> Vec<String> {
    vec![
        r.rank.to_string(),
        r.eval_id.clone(),
        r.unit_id.clone(),
        r.short_name.clone(),
        r.fiscal_year.map(|y| y.to_string()).unwrap_or_default(),
        r.scope.clone(),
        r.project_name.clone().unwrap_or_default(),
        opt(r.total_score),
        opt(r.execution_rate),
        fmt(r.risk_score),
        r.reasons(),
        r.evidence(""),
        r.stratum.is_some().to_string(),
        r.stratum.map(|s| s.code().to_string()).unwrap_or_default(),
        r.evaluator_type.clone(),
        r.source.clone().unwrap_or_default(),
        opt(r.rechecked_score),
        r.inflated.map(|b| b.to_string()).unwrap_or_default(),
    ]
}

fn target_record(t: &super::TargetRow) -> Vec<String> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        t.eval_id.clone(),
        s(&t.level1),
        s(&t.level2),
        s(&t.level3),
        s(&t.level4),
        s(&t.target_value),
        s(&t.actual_value),
        opt(t.max_points),
        opt(t.score),
        t.outcome.code().to_string(),
        match &t.outcome {
            super::Outcome::Unreadable(why) => why.clone(),
            o => o.chinese().to_string(),
        },
        s(&t.source),
    ]
}

fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| JxError::internal(e.to_string());
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.write_record(&r).map_err(err)?;
    }
    w.into_inner().map_err(|e| JxError::internal(e.to_string()))
}

/// review.csv, review_targets.csv and summary.json in `dir` (and review.xlsx with `xlsx`).
pub fn write(review: &Review, dir: &Path, xlsx: bool) -> Result<Vec<PathBuf>> {
    ensure_dir(dir)?;
    let mut written = Vec::new();
    let p = dir.join("review.csv");
    write_atomic(
        &p,
        &csv_bytes(REVIEW_COLUMNS, review.rows.iter().map(review_record))?,
    )?;
    written.push(p);
    let p = dir.join("review_targets.csv");
    write_atomic(
        &p,
        &csv_bytes(TARGET_COLUMNS, review.targets.iter().map(target_record))?,
    )?;
    written.push(p);
    if xlsx {
        let p = dir.join("review.xlsx");
        write_atomic(&p, &workbook(review)?)?;
        written.push(p);
    }
    let p = dir.join("summary.json");
    let text = serde_json::to_string_pretty(&json!({
        "dataset": review.dataset,
        "review": summary(review),
    }))
    .unwrap_or_default()
        + "\n";
    write_atomic(&p, text.as_bytes())?;
    written.push(p);
    Ok(written)
}

/// The review's entry in summary.json: the population, reasons, target pairs, the sample,
/// the top of the list and, with re-checks, the estimate.
pub fn summary(review: &Review) -> Value {
    let by_reason: serde_json::Map<String, Value> = review
        .reason_counts()
        .into_iter()
        .map(|(r, all, in_sample)| {
            let w = review.weights.get(r);
            (
                r.code().to_string(),
                json!({"label": w.label, "weight": fmt(w.weight), "max_count": w.max_count,
                       "evaluations": all, "in_sample": in_sample}),
            )
        })
        .collect();
    let top: Vec<Value> = review
        .rows
        .iter()
        .take(10)
        .map(|r| {
            json!({
                "rank": r.rank,
                "eval_id": r.eval_id,
                "short_name": r.short_name,
                "fiscal_year": r.fiscal_year,
                "project_name": r.project_name,
                "total_score": r.total_score.map(fmt),
                "risk_score": fmt(r.risk_score),
                "reasons": r.reasons(),
                "stratum": r.stratum.map(|s| s.code()),
            })
        })
        .collect();
    let o = &review.options;
    json!({
        "population": match review.population {
            Population::SelfEvaluations => "self",
            Population::AllEvaluations => "all (no self-evaluations)",
        },
        "evaluations": review.rows.len(),
        "with_risk": review.rows.iter().filter(|r| r.risk_score > Decimal::ZERO).count(),
        "by_reason": by_reason,
        "target_pairs": review.target_counts(),
        "sample": review.sample,
        "settings": {
            "high_score": fmt(o.high_score),
            "low_execution": fmt(o.low_execution),
            "history_gap": o.history_gap,
            "leniency_threshold": o.leniency_threshold,
            "inflated_above": fmt(o.inflated_above),
            "weights": review.weights.origin,
        },
        "top": top,
        "estimate": review.estimate,
        "notes": review.notes.iter().map(|n| n.zh.clone()).collect::<Vec<_>>(),
    })
}

fn xerr(e: rust_xlsxwriter::XlsxError) -> JxError {
    JxError::internal(format!("xlsx: {e}"))
}

/// One sheet: a bold Chinese header row (frozen, with filters), then the rows as text, or as
/// numbers in the columns `numeric` names; widths per column.
fn sheet(
    ws: &mut Worksheet,
    name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    numeric: &[usize],
    widths: &[(usize, f64)],
    wrap: &[usize],
) -> Result<()> {
    ws.set_name(name).map_err(xerr)?;
    let head = Format::new()
        .set_bold()
        .set_background_color(0xDDE7F3)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (j, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, *h, &head)
            .map_err(xerr)?;
        let w = widths
            .iter()
            .find(|(c, _)| *c == j)
            .map(|(_, w)| *w)
            .unwrap_or_else(|| (h.chars().count() as f64 * 2.2).clamp(8.0, 30.0));
        ws.set_column_width(j as u16, w).map_err(xerr)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = (i + 1) as u32;
        for (j, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let f = if wrap.contains(&j) { &wrapped } else { &top };
            match v.parse::<f64>().ok().filter(|_| numeric.contains(&j)) {
                Some(n) => ws.write_number_with_format(r, j as u16, n, f),
                None => ws.write_string_with_format(r, j as u16, v, f),
            }
            .map_err(xerr)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    if !headers.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, (headers.len() - 1) as u16)
            .map_err(xerr)?;
    }
    Ok(())
}

/// review.xlsx: the list in Chinese (reasons as their labels, evidence a sentence a line, wide
/// and wrapped), the target comparisons, the weights, and a 说明 sheet.
pub fn workbook(review: &Review) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let labels = |r: &ReviewRow| {
        r.hits
            .iter()
            .map(|h| review.weights.get(h.reason).label.clone())
            .collect::<Vec<_>>()
            .join("；")
    };
    let rows: Vec<Vec<String>> = review
        .rows
        .iter()
        .map(|r| {
            let mut rec = review_record(r);
            rec[5] = match r.scope.as_str() {
                "project" => "项目支出".into(),
                "department" => "部门整体支出".into(),
                s => s.into(),
            };
            rec[10] = labels(r);
            rec[11] = r.evidence("\n");
            rec[12] = if r.stratum.is_some() { "是" } else { "否" }.into();
            rec[13] = r
                .stratum
                .map(|s| s.chinese().to_string())
                .unwrap_or_default();
            rec[14] = match r.evaluator_type.as_str() {
                "self" => "自评".into(),
                "third_party" => "第三方机构".into(),
                "expert_panel" => "专家评分".into(),
                "finance_bureau" => "财政部门".into(),
                t => t.into(),
            };
            rec[17] = match r.inflated {
                Some(true) => "是".into(),
                Some(false) => "否".into(),
                None => String::new(),
            };
            rec
        })
        .collect();
    sheet(
        wb.add_worksheet(),
        "复核优先清单",
        REVIEW_HEADERS_ZH,
        &rows,
        &[0, 4, 7, 8, 9, 16],
        &[
            (0, 7.0),
            (1, 22.0),
            (3, 16.0),
            (6, 30.0),
            (10, 24.0),
            (11, 90.0),
            (15, 24.0),
        ],
        &[6, 10, 11],
    )?;
    let targets: Vec<Vec<String>> = review.targets.iter().map(target_record).collect();
    let mut targets = targets;
    for (t, rec) in review.targets.iter().zip(targets.iter_mut()) {
        rec[9] = t.outcome.chinese().to_string();
    }
    sheet(
        wb.add_worksheet(),
        "指标目标比较",
        TARGET_HEADERS_ZH,
        &targets,
        &[7, 8],
        &[
            (0, 22.0),
            (3, 30.0),
            (5, 18.0),
            (6, 18.0),
            (10, 36.0),
            (11, 26.0),
        ],
        &[3, 10],
    )?;
    let weights: Vec<Vec<String>> = review
        .weights
        .rows
        .iter()
        .map(|w| {
            vec![
                w.reason.code().to_string(),
                w.label.clone(),
                fmt(w.weight),
                w.max_count.to_string(),
                w.description.clone(),
            ]
        })
        .collect();
    sheet(
        wb.add_worksheet(),
        "权重",
        &["原因代码", "原因", "权重（分）", "最多计次", "说明"],
        &weights,
        &[2, 3],
        &[(0, 26.0), (1, 26.0), (4, 80.0)],
        &[4],
    )?;
    let legend = wb.add_worksheet();
    let s = &review.sample;
    let mut lines: Vec<Vec<String>> = vec![
        vec![
            "风险分".into(),
            "各风险原因权重之和（权重 × 次数，次数以“最多计次”为限），见“权重”表；可编辑权重文件后重新运行。".into(),
        ],
        vec![
            "抽样".into(),
            format!(
                "共抽取 {} 次评价：风险层 {} 次（风险分大于 0 的评价按优先序取前若干），随机层 {} 次（从其余 {} 次评价中以种子 {} 随机抽取）。",
                s.size, s.risk, s.random, s.rest, s.seed
            ),
        ],
        vec![
            "随机层的用途".into(),
            "只有随机层是概率样本：复核结果回填后，用随机层估计风险层以外自评偏高的比例，再与风险层的实际结果按规模加权，得出全体自评偏高比例的估计。".into(),
        ],
        vec![
            "复核回填".into(),
            "在 review.csv 的 rechecked_score 列填写复核得分，以 --rechecked 重新运行（同一种子）即得估计。".into(),
        ],
    ];
    for n in &review.notes {
        lines.push(vec!["提示".into(), n.zh.clone()]);
    }
    for (en, zh) in super::output::REVIEW_COLUMNS.iter().zip(REVIEW_HEADERS_ZH) {
        lines.push(vec![zh.to_string(), format!("review.csv 列 {en}")]);
    }
    sheet(
        legend,
        "说明",
        &["项目", "说明"],
        &lines,
        &[],
        &[(0, 22.0), (1, 100.0)],
        &[1],
    )?;
    wb.save_to_buffer().map_err(xerr)
}
