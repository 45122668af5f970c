//! 评价机构宽严程度: each independent evaluator's effect (points above the other evaluators on
//! the same objects, or above the reference evaluator) with its 95% t interval; the leniency
//! threshold is marked; evaluators with too few shared objects to judge are grey.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::ChartData;
use super::draw::*;
use super::{Chart, DResult};

pub struct Leniency;

impl Chart for Leniency {
    fn name(&self) -> &'static str {
        "evaluator_leniency"
    }
    fn title(&self) -> &'static str {
        "评价机构宽严程度"
    }
    fn size(&self, d: &ChartData) -> (u32, u32) {
        (
            1000,
            170 + 34
                * d.leniency
                    .iter()
                    .filter(|l| l.effect.is_some())
                    .count()
                    .max(3) as u32,
        )
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult {
        let rows: Vec<_> = d.leniency.iter().filter(|l| l.effect.is_some()).collect();
        if rows.is_empty() {
            let n = d.leniency.len();
            let msg = if n == 0 {
                "没有独立评价(no independent evaluations)".to_string()
            } else {
                format!("{n} 个评价主体都没有与其他主体共同评价过同一对象，无法比较宽严(no shared objects)")
            };
            return missing(root, self.title(), &msg);
        }
        let flagged = rows.iter().filter(|r| r.lenient).count();
        let unjudged = rows.iter().filter(|r| !r.judged).count();
        let grey = if unjudged > 0 {
            format!("；灰色 {unjudged} 个共同评价对象不足，不作判断")
        } else {
            String::new()
        };
        let area = titled(root, self.title(), &format!("效应 = 比其他评价主体对同一对象的评分高出的分数(95% 区间)；区间下限超过 {:.1} 分(虚线)判为偏宽({flagged} 个){grey}", d.threshold))?;
        let lo = rows
            .iter()
            .map(|r| r.ci.map(|c| c.0).unwrap_or(r.effect.unwrap()))
            .fold(-d.threshold, f64::min)
            - 0.5;
        let hi = rows
            .iter()
            .map(|r| r.ci.map(|c| c.1).unwrap_or(r.effect.unwrap()))
            .fold(d.threshold, f64::max)
            + 0.5;
        let n = rows.len();
        let names: Vec<String> = rows.iter().map(|r| short(&r.label, 18)).collect();
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(220)
            .build_cartesian_2d(lo..hi, categories(n).into_segmented())
            .map_err(err)?;
        category_rows_mesh(&mut chart, &names, "效应(分)")?;
        chart
            .draw_series(LineSeries::new(
                vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(n))],
                BLACK.stroke_width(1),
            ))
            .map_err(err)?;
        chart
            .draw_series(DashedLineSeries::new(
                vec![
                    (d.threshold, SegmentValue::Exact(0)),
                    (d.threshold, SegmentValue::Exact(n)),
                ],
                6,
                4,
                RGBColor(200, 40, 40).stroke_width(2),
            ))
            .map_err(err)?;
        for (i, r) in rows.iter().enumerate() {
            let c = if r.lenient {
                RGBColor(200, 40, 40)
            } else if !r.judged {
                RGBColor(150, 150, 150)
            } else {
                RGBColor(40, 110, 190)
            };
            if let Some((a, b)) = r.ci {
                chart
                    .draw_series(LineSeries::new(
                        vec![
                            (a, SegmentValue::CenterOf(i)),
                            (b, SegmentValue::CenterOf(i)),
                        ],
                        c.stroke_width(3),
                    ))
                    .map_err(err)?;
            }
            chart
                .draw_series(std::iter::once(Circle::new(
                    (r.effect.unwrap(), SegmentValue::CenterOf(i)),
                    6,
                    c.filled(),
                )))
                .map_err(err)?;
        }
        Ok(())
    }
}
