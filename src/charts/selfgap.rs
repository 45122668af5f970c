//! 自评与独立评分: the matched pairs as a scatter against y = x, and a Bland–Altman plot
//! (difference against mean, with the bias and 95% limits of agreement).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{evaluator_label, ChartData};
use super::draw::*;
use super::{Chart, DResult};

pub struct Scatter;
pub struct BlandAltman;

const NO_PAIRS: &str =
    "没有同一单位、年度、范围与项目的自评与独立评分配对(no matched self/independent pairs)";

fn legend_types(d: &ChartData) -> Vec<String> {
    let mut t: Vec<String> = d.pairs.iter().map(|p| p.reference_type.clone()).collect();
    t.sort();
    t.dedup();
    t
}

impl Chart for Scatter {
    fn name(&self) -> &'static str {
        "self_vs_independent"
    }
    fn title(&self) -> &'static str {
        "自评得分与独立评分对比"
    }
    fn size(&self, _: &ChartData) -> (u32, u32) {
        (900, 760)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult {
        if d.pairs.is_empty() {
            if d.distribution.is_empty() {
                return missing(root, self.title(), NO_PAIRS);
            }
            return distribution(root, d);
        }
        let above = d.pairs.iter().filter(|p| p.self_100 > p.ref_100).count();
        let area = titled(
            root,
            self.title(),
            &format!(
                "{} 对配对中 {} 对自评高于独立评分；对角线 y = x 以上即自评偏高",
                d.pairs.len(),
                above
            ),
        )?;
        let lo = d
            .pairs
            .iter()
            .flat_map(|p| [p.self_100, p.ref_100])
            .fold(100.0f64, f64::min);
        let lo = ((lo - 2.0) / 5.0).floor() * 5.0;
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(lo..100.5f64, lo..100.5f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("独立评分(第三方/专家/财政)")
            .y_desc("自评得分")
            .label_style(text(12))
            .axis_desc_style(text(14))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                vec![(lo, lo), (100.5, 100.5)],
                BLACK.stroke_width(1),
            ))
            .map_err(err)?;
        for t in legend_types(d) {
            let c = evaluator_color(&t);
            chart
                .draw_series(
                    d.pairs
                        .iter()
                        .filter(|p| p.reference_type == t)
                        .map(|p| Circle::new((p.ref_100, p.self_100), 3, c.mix(0.6).filled())),
                )
                .map_err(err)?
                .label(format!("对照：{}", evaluator_label(&t)))
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, c.filled()));
        }
        chart
            .configure_series_labels()
            .label_font(text(13))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .position(SeriesLabelPosition::LowerRight)
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

impl Chart for BlandAltman {
    fn name(&self) -> &'static str {
        "bland_altman"
    }
    fn title(&self) -> &'static str {
        "自评偏差 Bland–Altman 图"
    }
    fn size(&self, _: &ChartData) -> (u32, u32) {
        (900, 640)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult {
        if d.pairs.len() < 2 {
            return missing(
                root,
                self.title(),
                if d.pairs.is_empty() {
                    NO_PAIRS
                } else {
                    "只有1对配对，无法估计一致性界限(one pair only)"
                },
            );
        }
        // The bias, its interval and the limits are bench's (each self score once); the
        // points are the pairs.
        let Some(ag) = &d.agreement else {
            return missing(
                root,
                self.title(),
                "只有1份自评有配对，无法估计一致性界限(one self score paired only)",
            );
        };
        let pts: Vec<(f64, f64)> = d
            .pairs
            .iter()
            .map(|p| ((p.self_100 + p.ref_100) / 2.0, p.self_100 - p.ref_100))
            .collect();
        let (bias, ci, (lo_a, hi_a)) = (ag.bias, ag.ci, ag.loa);
        let ci_text = ci
            .map(|(a, b)| format!("（均值 95% 区间 {a:.2} 至 {b:.2}，按单位聚类）"))
            .unwrap_or_default();
        let area = titled(
            root,
            self.title(),
            &format!(
                "平均偏差 {bias:.2} 分{ci_text}，95% 一致性界限 {lo_a:.2} 至 {hi_a:.2} 分（自评 {} 份，配对 {} 对）",
                ag.n_self,
                pts.len()
            ),
        )?;
        let xl = pts.iter().map(|p| p.0).fold(100.0f64, f64::min) - 2.0;
        let ymin = pts.iter().map(|p| p.1).fold(lo_a, f64::min) - 1.0;
        let ymax = pts.iter().map(|p| p.1).fold(hi_a, f64::max) + 1.0;
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(xl..100.5f64, ymin..ymax)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("两者均值")
            .y_desc("差值(自评 − 独立评分)")
            .label_style(text(12))
            .axis_desc_style(text(14))
            .draw()
            .map_err(err)?;
        if let Some((a, b)) = ci {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(xl, a), (100.5, b)],
                    RGBColor(200, 40, 40).mix(0.15).filled(),
                )))
                .map_err(err)?;
        }
        chart
            .draw_series(
                pts.iter()
                    .map(|p| Circle::new(*p, 3, RGBColor(40, 110, 190).mix(0.6).filled())),
            )
            .map_err(err)?;
        for (y, label, c) in [
            (bias, "平均偏差", RGBColor(200, 40, 40)),
            (lo_a, "下限", RGBColor(120, 120, 120)),
            (hi_a, "上限", RGBColor(120, 120, 120)),
        ] {
            chart
                .draw_series(LineSeries::new(
                    vec![(xl, y), (100.5, y)],
                    c.stroke_width(2),
                ))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{label} {y:.2}"),
                    (xl + 0.3, y + 0.15),
                    text(12),
                )))
                .map_err(err)?;
        }
        chart
            .draw_series(LineSeries::new(
                vec![(xl, 0.0), (100.5, 0.0)],
                BLACK.mix(0.4).stroke_width(1),
            ))
            .map_err(err)?;
        Ok(())
    }
}

/// Where no pair exists: each unit-year's self scores (range and mean) beside its independent
/// scores, so the gap between the two distributions is still visible.
fn distribution<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult {
    // Two rows per unit-year: its self scores and its independent scores.
    let (cs, ci) = (evaluator_color("self"), evaluator_color("third_party"));
    let mut rows: Vec<(String, (f64, f64, f64), f64, RGBColor)> = Vec::new();
    for r in &d.distribution {
        let who = format!("{} {}", short(&r.name, 10), r.fiscal_year);
        rows.push((
            format!("{who} 独立评分"),
            r.independent_range,
            r.n_independent,
            ci,
        ));
        rows.push((format!("{who} 自评"), r.self_range, r.n_self, cs));
    }
    let gaps: Vec<String> = d
        .distribution
        .iter()
        .map(|r| {
            format!(
                "{} 自评均值高出 {:.2} 分",
                short(&r.name, 10),
                r.self_range.1 - r.independent_range.1
            )
        })
        .collect();
    let area = titled(
        root,
        "自评得分与独立评分对比(分布比较, 无逐项配对)",
        &format!("线段为最低至最高分, 圆点为均值. {}", gaps.join("; ")),
    )?;
    let lo = rows.iter().map(|r| r.1 .0).fold(100.0f64, f64::min);
    let lo = ((lo - 3.0) / 5.0).floor() * 5.0;
    let n = rows.len();
    let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut chart = ChartBuilder::on(&area)
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(190)
        .build_cartesian_2d(lo..100.5f64, categories(n).into_segmented())
        .map_err(err)?;
    category_rows_mesh(&mut chart, &names, "得分(百分制)")?;
    for (i, (_, range, count, c)) in rows.iter().enumerate() {
        chart
            .draw_series(LineSeries::new(
                vec![
                    (range.0, SegmentValue::CenterOf(i)),
                    (range.2, SegmentValue::CenterOf(i)),
                ],
                c.stroke_width(4),
            ))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Circle::new(
                (range.1, SegmentValue::CenterOf(i)),
                7,
                c.filled(),
            )))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("均值 {:.2} (n={count:.0})", range.1),
                (range.1 + 0.3, SegmentValue::Exact(i)),
                text(12),
            )))
            .map_err(err)?;
    }
    Ok(())
}
