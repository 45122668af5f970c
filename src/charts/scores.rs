//! 得分分布与天花板效应: for each evaluator type and scope in the latest year, the p10–p90
//! whiskers, the p25–p75 box and the median, with the share at the maximum and at 95 or more.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{evaluator_label, ChartData, ScoreRow};
use super::draw::*;
use super::{Chart, DResult};

pub struct Distribution;

/// Per evaluator type and scope, its latest year's distribution. Returns (years, rows).
fn rows(d: &ChartData) -> (Vec<i32>, Vec<&ScoreRow>) {
    let mut latest: std::collections::BTreeMap<(&str, &str), &ScoreRow> =
        std::collections::BTreeMap::new();
    for r in d.scores.iter().filter(|r| r.n > 0.0) {
        let e = latest
            .entry((r.evaluator_type.as_str(), r.scope.as_str()))
            .or_insert(r);
        if r.fiscal_year > e.fiscal_year {
            *e = r;
        }
    }
    let mut v: Vec<&ScoreRow> = latest.into_values().collect();
    let order = |t: &str| EVALUATOR_ORDER.iter().position(|x| *x == t).unwrap_or(9);
    v.sort_by(|a, b| {
        (order(&a.evaluator_type), &a.scope).cmp(&(order(&b.evaluator_type), &b.scope))
    });
    let mut years: Vec<i32> = v.iter().map(|r| r.fiscal_year).collect();
    years.sort();
    years.dedup();
    (years, v)
}

fn scope_label(s: &str) -> &'static str {
    if s == "department" {
        "部门整体"
    } else {
        "项目"
    }
}

impl Chart for Distribution {
    fn name(&self) -> &'static str {
        "score_distribution"
    }
    fn title(&self) -> &'static str {
        "得分分布与天花板效应"
    }
    fn size(&self, d: &ChartData) -> (u32, u32) {
        (((rows(d).1.len() as u32) * 170).max(900), 620)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult {
        let (years, v) = rows(d);
        if v.is_empty() {
            return missing(root, self.title(), "暂无得分(No scores)");
        }
        let mixed = years.len() > 1;
        let when = match years.as_slice() {
            [y] => format!("{y}年"),
            ys => format!(
                "{}–{}年各自最近一年",
                ys.first().unwrap_or(&0),
                ys.last().unwrap_or(&0)
            ),
        };
        let area = titled(
            root,
            &format!("{when} 得分分布: 按评价主体与范围"),
            "箱体 p25–p75，须线 p10–p90，横线为中位数；下方注明满分占比与95分以上占比",
        )?;
        let lo = v.iter().map(|r| r.q[1]).fold(100.0f64, f64::min);
        let lo = ((lo - 5.0) / 5.0).floor().max(0.0) * 5.0;
        let n = v.len();
        let labels: Vec<String> = v
            .iter()
            .map(|r| {
                let y = if mixed {
                    format!(" {}", r.fiscal_year)
                } else {
                    String::new()
                };
                format!(
                    "{}·{}{y} (n={})",
                    evaluator_label(&r.evaluator_type),
                    scope_label(&r.scope),
                    r.n
                )
            })
            .collect();
        let mut chart = ChartBuilder::on(&area)
            .margin(10)
            .x_label_area_size(70)
            .y_label_area_size(50)
            .build_cartesian_2d(categories(n).into_segmented(), lo..101.0f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc("得分(百分制)")
            .label_style(text(12))
            .axis_desc_style(text(13))
            .draw()
            .map_err(err)?;
        for (i, r) in v.iter().enumerate() {
            let c = evaluator_color(&r.evaluator_type);
            // Boxes are drawn in a per-category inner coordinate: segment i spans [i, i+1).
            chart
                .draw_series(
                    std::iter::once(Rectangle::new(
                        [
                            (SegmentValue::Exact(i), r.q[2]),
                            (SegmentValue::Exact(i + 1), r.q[4]),
                        ],
                        c.mix(0.35).filled(),
                    ))
                    .map(|mut b| {
                        b.set_margin(0, 0, 30, 30);
                        b
                    }),
                )
                .map_err(err)?;
            for (a, b) in [(r.q[1], r.q[2]), (r.q[4], r.q[5])] {
                chart
                    .draw_series(LineSeries::new(
                        vec![
                            (SegmentValue::CenterOf(i), a),
                            (SegmentValue::CenterOf(i), b),
                        ],
                        c.stroke_width(2),
                    ))
                    .map_err(err)?;
            }
            chart
                .draw_series(
                    std::iter::once(Rectangle::new(
                        [
                            (SegmentValue::Exact(i), r.q[3] - 0.08),
                            (SegmentValue::Exact(i + 1), r.q[3] + 0.08),
                        ],
                        c.filled(),
                    ))
                    .map(|mut b| {
                        b.set_margin(0, 0, 30, 30);
                        b
                    }),
                )
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("满分{} ≥95:{}", pct(r.share_eq_max), pct(r.share_ge_95)),
                    (SegmentValue::Exact(i), lo + 1.0),
                    text(11),
                )))
                .map_err(err)?;
        }
        Ok(())
    }
}
