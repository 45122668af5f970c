//! A unit page's chart: its department score over the years against its peers' median and
//! quartiles (one series per evaluator type), and its department execution rate against the
//! peer band with the 80% line. Drawn with the gallery's plotters pipeline (bundled font, SVG
//! for the page and print, PNG for the Word file).

use std::collections::{BTreeMap, BTreeSet};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::context::{quantile, Ctx};
use super::model::Figure;
use super::zh;
use crate::charts::draw::{err, evaluator_color, grey_text, text, EVALUATOR_ORDER};
use crate::charts::{Chart, ChartData, DResult};

/// (year, unit's score, peer p25, median, p75) per evaluator type.
type ScoreSeries = BTreeMap<String, Vec<(i32, f64, Option<(f64, f64, f64)>)>>;
/// (year, rate, peer p25, median, p75).
type ExecSeries = Vec<(i32, f64, Option<(f64, f64, f64)>)>;

struct UnitChart {
    name: String,
    scores: ScoreSeries,
    exec: ExecSeries,
    years: Vec<i32>,
}

pub fn figure(c: &Ctx, id: &str, anchor: &str) -> Option<Figure> {
    let mut scores: ScoreSeries = BTreeMap::new();
    let mine: Vec<_> = c.dept.iter().filter(|d| d.unit_id == id).collect();
    // Per (year, evaluator type): the unit's mean and its peer group's quartiles.
    let mut cells: BTreeMap<(String, i32), (f64, usize, String)> = BTreeMap::new();
    for d in &mine {
        let e = cells.entry((d.evaluator_type.clone(), d.year)).or_insert((
            0.0,
            0,
            d.peer_group.clone(),
        ));
        e.0 += d.score;
        e.1 += 1;
    }
    for ((et, year), (sum, n, group)) in cells {
        let mut peers: Vec<f64> = c
            .dept
            .iter()
            .filter(|o| o.year == year && o.evaluator_type == et && o.peer_group == group)
            .map(|o| o.score)
            .collect();
        let band = (peers.len() > 1).then(|| {
            (
                quantile(&mut peers, 0.25).unwrap_or(f64::NAN),
                quantile(&mut peers, 0.5).unwrap_or(f64::NAN),
                quantile(&mut peers, 0.75).unwrap_or(f64::NAN),
            )
        });
        scores
            .entry(et)
            .or_default()
            .push((year, sum / n as f64, band));
    }
    let mut seen = BTreeSet::new();
    let mut exec: ExecSeries = c
        .exec
        .iter()
        .filter(|x| x.unit_id == id && x.scope == "department")
        .filter(|x| seen.insert(x.year))
        .map(|x| {
            let band = match (x.peer_p25, x.peer_median, x.peer_p75) {
                (Some(a), Some(m), Some(b)) if x.n_peers.unwrap_or(0) > 1 => Some((a, m, b)),
                _ => None,
            };
            (x.year, x.rate, band)
        })
        .collect();
    exec.sort_by_key(|e| e.0);
    if scores.is_empty() && exec.is_empty() {
        return None;
    }
    let years: Vec<i32> = scores
        .values()
        .flatten()
        .map(|p| p.0)
        .chain(exec.iter().map(|e| e.0))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let chart = UnitChart {
        name: c.name(id),
        scores,
        exec,
        years,
    };
    let r = crate::charts::render(&chart, &ChartData::default()).ok()?;
    let mut f = Figure::from_rendered(format!("{anchor}-chart"), &r);
    f.title = format!("{}：得分与预算执行率，对照同类单位", chart.name);
    Some(f)
}

impl Chart for UnitChart {
    fn name(&self) -> &'static str {
        "unit_profile"
    }
    fn title(&self) -> &'static str {
        "单位画像"
    }
    fn size(&self, _: &ChartData) -> (u32, u32) {
        (1100, 340)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, _: &ChartData) -> DResult {
        let (main, foot) = root.split_vertically(312);
        let (left, right) = main.split_horizontally(560);
        let (y0, y1) = (
            *self.years.first().unwrap_or(&2024) as f64 - 0.5,
            *self.years.last().unwrap_or(&2024) as f64 + 0.5,
        );
        let n_years = self.years.len();
        let year_label = move |x: &f64| {
            if x.fract().abs() < 1e-9 {
                format!("{x:.0}")
            } else {
                String::new()
            }
        };
        // Scores.
        if self.scores.is_empty() {
            left.draw_text("没有部门整体评价得分", &grey_text(15), (40, 150))
                .map_err(err)?;
        } else {
            let lo = self
                .scores
                .values()
                .flatten()
                .flat_map(|p| [Some(p.1), p.2.map(|b| b.0)])
                .flatten()
                .fold(100.0f64, f64::min);
            let lo = (((lo - 2.0) / 5.0).floor() * 5.0).max(0.0);
            let mut ch = ChartBuilder::on(&left)
                .caption("部门整体得分（分）与同类单位", text(16))
                .margin(10)
                .x_label_area_size(28)
                .y_label_area_size(42)
                .build_cartesian_2d(y0..y1, lo..100.5f64)
                .map_err(err)?;
            ch.configure_mesh()
                .x_labels(n_years.max(1))
                .x_label_formatter(&year_label)
                .label_style(text(12))
                .light_line_style(RGBColor(240, 240, 240))
                .draw()
                .map_err(err)?;
            let k = self.scores.len() as f64;
            for (i, et) in EVALUATOR_ORDER
                .iter()
                .filter(|e| self.scores.contains_key(**e))
                .enumerate()
            {
                let pts = &self.scores[*et];
                let colour = evaluator_color(et);
                // Side by side when several evaluator types score the same year.
                let dx = (i as f64 - (k - 1.0) / 2.0) * 0.12;
                for (y, _, band) in pts {
                    if let Some((a, m, b)) = band {
                        let x = *y as f64 + dx;
                        ch.draw_series(std::iter::once(Rectangle::new(
                            [(x - 0.05, *a), (x + 0.05, *b)],
                            colour.mix(0.18).filled(),
                        )))
                        .map_err(err)?;
                        ch.draw_series(std::iter::once(PathElement::new(
                            vec![(x - 0.07, *m), (x + 0.07, *m)],
                            BLACK.stroke_width(2),
                        )))
                        .map_err(err)?;
                    }
                }
                let line: Vec<(f64, f64)> = pts.iter().map(|p| (p.0 as f64 + dx, p.1)).collect();
                if line.len() > 1 {
                    ch.draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)))
                        .map_err(err)?;
                }
                ch.draw_series(line.iter().map(|p| Circle::new(*p, 5, colour.filled())))
                    .map_err(err)?
                    .label(zh::evaluator(et))
                    .legend(move |(x, y)| Circle::new((x + 6, y), 5, colour.filled()));
            }
            ch.configure_series_labels()
                .position(SeriesLabelPosition::LowerLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(200, 200, 200))
                .label_font(text(12))
                .draw()
                .map_err(err)?;
        }
        // Execution.
        if self.exec.is_empty() {
            right
                .draw_text("没有部门整体预算数据", &grey_text(15), (40, 150))
                .map_err(err)?;
        } else {
            let lo = self
                .exec
                .iter()
                .flat_map(|e| [Some(e.1), e.2.map(|b| b.0)])
                .flatten()
                .fold(80.0f64, f64::min);
            let hi = self
                .exec
                .iter()
                .flat_map(|e| [Some(e.1), e.2.map(|b| b.2)])
                .flatten()
                .fold(100.0f64, f64::max);
            let lo = (((lo - 2.0) / 5.0).floor() * 5.0).max(0.0);
            let mut ch = ChartBuilder::on(&right)
                .caption("部门预算执行率（%）与同类单位", text(16))
                .margin(10)
                .x_label_area_size(28)
                .y_label_area_size(42)
                .build_cartesian_2d(y0..y1, lo..(hi + 1.0))
                .map_err(err)?;
            ch.configure_mesh()
                .x_labels(n_years.max(1))
                .x_label_formatter(&year_label)
                .label_style(text(12))
                .light_line_style(RGBColor(240, 240, 240))
                .draw()
                .map_err(err)?;
            ch.draw_series(std::iter::once(PathElement::new(
                vec![(y0, 80.0), (y1, 80.0)],
                RGBColor(200, 40, 40).stroke_width(1),
            )))
            .map_err(err)?;
            ch.draw_series(std::iter::once(Text::new(
                "80%",
                (y0 + 0.02, 80.0),
                text(11).color(&RGBColor(200, 40, 40)),
            )))
            .map_err(err)?;
            let grey = RGBColor(120, 120, 120);
            for (y, _, band) in &self.exec {
                if let Some((a, m, b)) = band {
                    let x = *y as f64;
                    ch.draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.06, *a), (x + 0.06, *b)],
                        grey.mix(0.2).filled(),
                    )))
                    .map_err(err)?;
                    ch.draw_series(std::iter::once(PathElement::new(
                        vec![(x - 0.08, *m), (x + 0.08, *m)],
                        BLACK.stroke_width(2),
                    )))
                    .map_err(err)?;
                }
            }
            let line: Vec<(f64, f64)> = self.exec.iter().map(|e| (e.0 as f64, e.1)).collect();
            let colour = RGBColor(40, 110, 190);
            if line.len() > 1 {
                ch.draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)))
                    .map_err(err)?;
            }
            ch.draw_series(line.iter().map(|p| {
                let c = if p.1 < 80.0 {
                    RGBColor(200, 40, 40)
                } else {
                    colour
                };
                Circle::new(*p, 5, c.filled())
            }))
            .map_err(err)?;
        }
        foot.draw_text(
            "阴影：同类单位四分位区间（25% 至 75%）；黑线：同类单位中位数；红点：执行率低于 80%",
            &grey_text(12),
            (20, 8),
        )
        .map_err(err)?;
        Ok(())
    }
}
