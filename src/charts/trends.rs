//! 历年得分趋势: small multiples, one panel per unit (selected with --units, else the first
//! twelve by name), department scores by evaluator type across fiscal years.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{evaluator_label, ChartData};
use super::draw::*;
use super::{Chart, DResult};

pub struct Trends;

const MAX_PANELS: usize = 12;
const COLS: usize = 4;

type Series = BTreeMap<String, Vec<(i32, f64)>>;

fn units(d: &ChartData) -> Vec<(String, Series)> {
    let mut by: BTreeMap<String, (String, BTreeMap<(String, i32), (f64, f64)>)> = BTreeMap::new();
    for r in d
        .rankings
        .iter()
        .filter(|r| d.unit_selected(&r.unit_id, &r.name))
    {
        let e = by
            .entry(r.unit_id.clone())
            .or_insert((r.name.clone(), BTreeMap::new()));
        let s =
            e.1.entry((r.evaluator_type.clone(), r.fiscal_year))
                .or_insert((0.0, 0.0));
        s.0 += r.score_100;
        s.1 += 1.0;
    }
    by.into_values()
        .take(MAX_PANELS)
        .map(|(name, cells)| {
            let mut series: Series = BTreeMap::new();
            for ((et, y), (s, n)) in cells {
                series.entry(et).or_default().push((y, s / n));
            }
            (name, series)
        })
        .collect()
}

impl Chart for Trends {
    fn name(&self) -> &'static str {
        "score_trends"
    }
    fn title(&self) -> &'static str {
        "历年得分趋势"
    }
    fn size(&self, d: &ChartData) -> (u32, u32) {
        let n = units(d).len().max(1);
        let rows = n.div_ceil(COLS) as u32;
        (1200, 110 + 260 * rows)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult {
        let u = units(d);
        if u.is_empty() {
            return missing(root, self.title(), "暂无部门整体得分(no department scores)");
        }
        let years: Vec<i32> = d.rankings.iter().map(|r| r.fiscal_year).collect();
        let (y0, y1) = (*years.iter().min().unwrap(), *years.iter().max().unwrap());
        let note = if y0 == y1 {
            format!("只有 {y0} 一个年度：每个单位只有一个点(one fiscal year only)")
        } else {
            format!("{y0}–{y1} 年，部门整体得分；颜色为评价主体")
        };
        let area = titled(root, "历年得分趋势(部门整体，按单位分面)", &note)?;
        let lo = d
            .rankings
            .iter()
            .map(|r| r.score_100)
            .fold(100.0f64, f64::min);
        let lo = ((lo - 3.0) / 5.0).floor() * 5.0;
        let rows = u.len().div_ceil(COLS);
        let panels = area.split_evenly((rows, COLS));
        for ((name, series), panel) in u.iter().zip(panels.iter()) {
            let mut chart = ChartBuilder::on(panel)
                .caption(short(name, 14), text(15))
                .margin(8)
                .x_label_area_size(25)
                .y_label_area_size(40)
                .build_cartesian_2d((y0 as f64 - 0.5)..(y1 as f64 + 0.5), lo..100.5f64)
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_labels((y1 - y0 + 1) as usize)
                .x_label_formatter(&|x| {
                    if (x.fract()).abs() < 1e-9 {
                        format!("{x:.0}")
                    } else {
                        String::new()
                    }
                })
                .label_style(text(11))
                .draw()
                .map_err(err)?;
            for (et, pts) in series {
                let c = evaluator_color(et);
                let p: Vec<(f64, f64)> = pts.iter().map(|(y, s)| (*y as f64, *s)).collect();
                chart
                    .draw_series(LineSeries::new(p.clone(), c.stroke_width(2)))
                    .map_err(err)?;
                chart
                    .draw_series(p.iter().map(|q| Circle::new(*q, 3, c.filled())))
                    .map_err(err)?
                    .label(evaluator_label(et))
                    .legend(move |(x, y)| {
                        Rectangle::new([(x, y - 4), (x + 12, y + 4)], c.filled())
                    });
            }
        }
        // One legend for all panels, in the title area.
        let mut x = 700;
        for et in EVALUATOR_ORDER {
            if d.rankings.iter().any(|r| r.evaluator_type == et) {
                root.draw(&Rectangle::new(
                    [(x, 44), (x + 14, 54)],
                    evaluator_color(et).filled(),
                ))
                .map_err(err)?;
                root.draw_text(evaluator_label(et), &text(13), (x + 18, 41))
                    .map_err(err)?;
                x += 110;
            }
        }
        Ok(())
    }
}
