//! 扣分原因帕累托图: points lost by cause (bars, most first) and their cumulative share (line).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::ChartData;
use super::draw::*;
use super::{Chart, DResult};

pub struct Pareto;

impl Chart for Pareto {
    fn name(&self) -> &'static str {
        "deduction_pareto"
    }
    fn title(&self) -> &'static str {
        "扣分原因帕累托图"
    }
    fn size(&self, d: &ChartData) -> (u32, u32) {
        ((d.causes.len() as u32 * 90 + 200).max(900), 620)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult {
        let total: f64 = d.causes.iter().map(|c| c.1).sum();
        if d.causes.is_empty() || total <= 0.0 {
            return missing(root, self.title(), "没有扣分记录(no deductions)");
        }
        let n_ded: f64 = d.causes.iter().map(|c| c.2).sum();
        let area = titled(
            root,
            "扣分原因帕累托图(各年合计)",
            &format!("共 {n_ded:.0} 处扣分、{total:.2} 分；柱为扣分分值，折线为累计占比"),
        )?;
        let n = d.causes.len();
        let names: Vec<String> = d.causes.iter().map(|c| short(&c.0, 8)).collect();
        let top = d.causes[0].1 * 1.12;
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .right_y_label_area_size(60)
            .build_cartesian_2d(categories(n).into_segmented(), 0.0..top)
            .map_err(err)?
            .set_secondary_coord(0.0..n as f64, 0.0..1.05f64);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc("扣分(分)")
            .label_style(text(12))
            .axis_desc_style(text(13))
            .draw()
            .map_err(err)?;
        chart
            .configure_secondary_axes()
            .y_desc("累计占比")
            .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .label_style(text(12))
            .axis_desc_style(text(13))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(d.causes.iter().enumerate().map(|(i, c)| {
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0),
                        (SegmentValue::Exact(i + 1), c.1),
                    ],
                    RGBColor(40, 110, 190).filled(),
                );
                r.set_margin(0, 0, 8, 8);
                r
            }))
            .map_err(err)?;
        let mut cum = 0.0;
        let pts: Vec<(f64, f64)> = d
            .causes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                cum += c.1;
                (i as f64 + 0.5, cum / total)
            })
            .collect();
        chart
            .draw_secondary_series(LineSeries::new(
                pts.clone(),
                RGBColor(200, 40, 40).stroke_width(2),
            ))
            .map_err(err)?;
        chart
            .draw_secondary_series(
                pts.iter()
                    .map(|p| Circle::new(*p, 4, RGBColor(200, 40, 40).filled())),
            )
            .map_err(err)?;
        chart
            .draw_secondary_series(pts.iter().map(|p| {
                Text::new(
                    format!("{:.0}%", p.1 * 100.0),
                    (p.0 + 0.08, p.1 - 0.04),
                    text(11),
                )
            }))
            .map_err(err)?;
        Ok(())
    }
}
