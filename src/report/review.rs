//! The report's re-check part (自评抽查复核): what the list holds in a few sentences, the
//! reasons as a bar chart (inline SVG drawn here, in the page's embedded font) and the top of
//! the list with its evidence.

use rust_decimal::Decimal;

use super::html::escape;
use super::model::{fit_svg, Attrs, Cell, ReviewPart, Row, Table};
use crate::dataset::decimal::fmt;
use crate::review::{Population, Review};

/// Sentences about the list, in Chinese.
pub fn sentences(r: &Review) -> Vec<String> {
    let mut out = Vec::new();
    let flagged = r
        .rows
        .iter()
        .filter(|x| x.risk_score > Decimal::ZERO)
        .count();
    let what = match r.population {
        Population::SelfEvaluations => "自评",
        Population::AllEvaluations => "评价（数据集没有自评）",
    };
    let s = &r.sample;
    out.push(format!(
        "共 {} 次{}，其中 {} 次至少有一项值得复核的原因。建议抽查 {} 次：风险层 {} 次（按风险分取前若干），随机层 {} 次（从其余 {} 次中以种子 {} 随机抽取，用于估计自评偏高的普遍程度）。",
        r.rows.len(),
        what,
        flagged,
        s.size,
        s.risk,
        s.random,
        s.rest,
        s.seed
    ));
    let t = r.target_counts();
    if t.pairs > 0 {
        out.push(format!(
            "比较了 {} 对年度指标值与实际完成值：达成 {} 对，未达成 {} 对，部分达成 {} 对，无法比较 {} 对（列出待人工核对，不作猜测）。",
            t.pairs, t.met, t.missed, t.partly, t.not_comparable
        ));
    }
    if let Some(top) = r.rows.first().filter(|x| x.risk_score > Decimal::ZERO) {
        let labels: Vec<&str> = top
            .hits
            .iter()
            .map(|h| r.weights.get(h.reason).label.as_str())
            .collect();
        out.push(format!(
            "排在首位的是{}{}“{}”（自评 {}，风险分 {}）：{}。",
            top.short_name,
            top.fiscal_year
                .map(|y| format!(" {y} 年度"))
                .unwrap_or_default(),
            top.project_name.as_deref().unwrap_or("部门整体支出"),
            top.total_score
                .map(|v| format!("{} 分", fmt(v)))
                .unwrap_or_else(|| "空白".into()),
            fmt(top.risk_score),
            labels.join("、")
        ));
    }
    if let Some(e) = &r.estimate {
        if let Some(p) = e.population.as_ref().and_then(|p| p.estimate) {
            out.push(format!(
                "按复核结果估计，自评偏高（比复核得分高出 {} 分以上）的比例约为 {}%（95% 区间 {}% 至 {}%），随机层 {} 次复核中 {} 次偏高。",
                fmt(e.inflated_above),
                super::zh::num(p.share * 100.0, 1),
                super::zh::num(p.ci_low * 100.0, 1),
                super::zh::num(p.ci_high * 100.0, 1),
                e.random.rechecked,
                e.random.inflated
            ));
        }
    }
    out.extend(r.notes.iter().map(|n| n.zh.clone()));
    out
}

/// Evaluations per reason as horizontal bars: all of them, and those in the sample.
pub fn chart(r: &Review) -> String {
    let counts = r.reason_counts();
    let max = counts.iter().map(|c| c.1).max().unwrap_or(0).max(1) as f64;
    let (label_w, bar_w, row_h, top) = (300.0, 460.0, 30.0, 56.0);
    let width = label_w + bar_w + 120.0;
    let height = top + row_h * counts.len() as f64 + 20.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"各风险原因涉及的评价数\">"
    );
    s.push_str(
        "<text x=\"10\" y=\"22\" font-size=\"18\">各风险原因涉及的评价数</text>\
         <rect x=\"10\" y=\"32\" width=\"12\" height=\"12\" fill=\"#9ab8e0\"/><text x=\"28\" y=\"43\" font-size=\"12\">全部</text>\
         <rect x=\"70\" y=\"32\" width=\"12\" height=\"12\" fill=\"#2a6ebe\"/><text x=\"88\" y=\"43\" font-size=\"12\">其中抽中</text>",
    );
    for (i, (reason, all, in_sample)) in counts.iter().enumerate() {
        let w = r.weights.get(*reason);
        let y = top + row_h * i as f64;
        let len = |n: usize| bar_w * n as f64 / max;
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"end\">{}（权重{}）</text>",
            label_w - 8.0,
            y + 17.0,
            escape(&w.label),
            escape(&fmt(w.weight))
        ));
        s.push_str(&format!(
            "<rect x=\"{label_w}\" y=\"{}\" width=\"{:.1}\" height=\"20\" fill=\"#9ab8e0\"/>",
            y + 3.0,
            len(*all)
        ));
        s.push_str(&format!(
            "<rect x=\"{label_w}\" y=\"{}\" width=\"{:.1}\" height=\"20\" fill=\"#2a6ebe\"/>",
            y + 3.0,
            len(*in_sample)
        ));
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{all}（抽中{in_sample}）</text>",
            label_w + len(*all) + 6.0,
            y + 17.0
        ));
    }
    s.push_str("</svg>");
    s
}

/// The whole part: sentences, chart, and the first `top` rows with their evidence.
pub fn part(r: &Review, top: usize, key: &str) -> ReviewPart {
    let columns = super::units::columns(&[
        "优先序",
        "单位",
        "年度",
        "项目名称",
        "自评总分",
        "预算执行率（%）",
        "风险分",
        "风险原因",
        "依据（报告原文位置）",
        "抽样层",
    ]);
    let rows: Vec<Row> = r
        .rows
        .iter()
        .take(top)
        .map(|row| {
            let labels: Vec<&str> = row
                .hits
                .iter()
                .map(|x| r.weights.get(x.reason).label.as_str())
                .collect();
            let wrap = |t: String| Cell {
                text: t,
                wrap: true,
                ..Cell::default()
            };
            Row {
                cells: vec![
                    Cell::text(row.rank.to_string()),
                    Cell::text(row.short_name.clone()),
                    Cell::text(row.fiscal_year.map(|y| y.to_string()).unwrap_or_default()),
                    wrap(row.project_name.clone().unwrap_or_default()),
                    Cell::text(row.total_score.map(fmt).unwrap_or_default()),
                    Cell::text(row.execution_rate.map(fmt).unwrap_or_default()),
                    Cell::text(fmt(row.risk_score)),
                    wrap(labels.join("；")),
                    wrap(
                        row.hits
                            .iter()
                            .map(|x| x.evidence.as_str())
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ),
                    Cell::text(row.stratum.map(|s| s.chinese()).unwrap_or("")),
                ],
                attrs: Attrs {
                    district: None,
                    year: row.fiscal_year.map(|y| y.to_string()),
                    evaluator: Some(row.evaluator_type.clone()),
                    scope: Some(row.scope.clone()),
                },
                flagged: row.stratum.is_some(),
            }
        })
        .collect();
    ReviewPart {
        sentences: sentences(r),
        chart_svg: fit_svg(&chart(r)),
        table: Table {
            id: format!("{key}-review"),
            caption: "复核清单（前若干行）".into(),
            note: Some("加粗底色的已抽入样本；原因是值得复核的理由，不是评分有误的结论。".into()),
            columns,
            rows,
            total_rows: r.rows.len(),
        },
    }
}
