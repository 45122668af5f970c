//! 预算执行率: each unit against its peers' p25–p75 band with the 80% and 90% lines; and
//! execution rate against score (does spending the budget go with a better score?).

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{ChartData, ExecRow};
use super::draw::*;
use super::{Chart, DResult};

pub struct PeerBand;
pub struct VersusScore;

/// Each unit's latest department row (project rows when no department has a budget).
/// Returns (years shown, scope label, rows sorted by rate).
fn rows(d: &ChartData) -> (Vec<i32>, &'static str, Vec<&ExecRow>) {
    for scope in ["department", "project"] {
        let of: Vec<&ExecRow> = d
            .execution
            .iter()
            .filter(|r| r.scope == scope && d.unit_selected(&r.unit_id, &r.name))
            .collect();
        if of.is_empty() {
            continue;
        }
        let mut latest: BTreeMap<&str, i32> = BTreeMap::new();
        for r in &of {
            let y = latest.entry(r.unit_id.as_str()).or_insert(r.fiscal_year);
            *y = (*y).max(r.fiscal_year);
        }
        let mut v: Vec<&ExecRow> = of
            .into_iter()
            .filter(|r| latest[r.unit_id.as_str()] == r.fiscal_year)
            .collect();
        v.sort_by(|a, b| a.rate.total_cmp(&b.rate).then(a.name.cmp(&b.name)));
        let mut years: Vec<i32> = v.iter().map(|r| r.fiscal_year).collect();
        years.sort();
        years.dedup();
        return (
            years,
            if scope == "department" {
                "部门整体"
            } else {
                "项目"
            },
            v,
        );
    }
    (vec![], "", vec![])
}

fn rate_color(r: f64) -> RGBColor {
    if r < 80.0 {
        RGBColor(200, 40, 40)
    } else if r < 90.0 {
        RGBColor(237, 145, 33)
    } else {
        RGBColor(46, 139, 87)
    }
}

impl Chart for PeerBand {
    fn name(&self) -> &'static str {
        "execution_peers"
    }
    fn title(&self) -> &'static str {
        "预算执行率与同类单位区间"
    }
    fn size(&self, d: &ChartData) -> (u32, u32) {
        (1000, 150 + 22 * rows(d).2.len().max(4) as u32)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult {
        let (years, scope, v) = rows(d);
        if v.is_empty() {
            return missing(
                root,
                self.title(),
                "没有预算与执行数据(no budgets and executed amounts)",
            );
        }
        let below80 = v.iter().filter(|r| r.rate < 80.0).count();
        let when = match years.as_slice() {
            [y] => format!("{y}年"),
            ys => format!(
                "{}–{}年各单位最近一次",
                ys.first().unwrap_or(&0),
                ys.last().unwrap_or(&0)
            ),
        };
        let mixed = years.len() > 1;
        let area = titled(
            root,
            &format!("{when} {scope}预算执行率与同类单位区间"),
            &format!("灰带为同类单位 p25–p75；红点低于80%({below80}个)，橙点低于90%"),
        )?;
        let lo = v
            .iter()
            .map(|r| r.rate.min(if r.p25.is_nan() { r.rate } else { r.p25 }))
            .fold(100.0f64, f64::min)
            .min(78.0);
        let lo = (lo / 5.0).floor() * 5.0 - 2.0;
        let hi = v.iter().map(|r| r.rate).fold(100.0f64, f64::max) + 2.0;
        let n = v.len();
        let names: Vec<String> = v
            .iter()
            .map(|r| {
                if mixed {
                    format!("{} {}", short(&r.name, 10), r.fiscal_year)
                } else {
                    short(&r.name, 12)
                }
            })
            .collect();
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(170)
            .build_cartesian_2d(lo..hi, categories(n).into_segmented())
            .map_err(err)?;
        category_rows_mesh(&mut chart, &names, "预算执行率(%)")?;
        chart
            .draw_series(
                v.iter()
                    .enumerate()
                    .filter(|(_, r)| !r.p25.is_nan())
                    .map(|(i, r)| {
                        let mut b = Rectangle::new(
                            [
                                (r.p25, SegmentValue::Exact(i)),
                                (r.p75.max(r.p25 + 0.05), SegmentValue::Exact(i + 1)),
                            ],
                            RGBColor(200, 200, 200).filled(),
                        );
                        b.set_margin(4, 4, 0, 0);
                        b
                    }),
            )
            .map_err(err)?;
        for (x, c) in [
            (80.0, RGBColor(200, 40, 40)),
            (90.0, RGBColor(237, 145, 33)),
        ] {
            if x > lo {
                chart
                    .draw_series(LineSeries::new(
                        vec![(x, SegmentValue::Exact(0)), (x, SegmentValue::Exact(n))],
                        c.stroke_width(2),
                    ))
                    .map_err(err)?;
            }
        }
        chart
            .draw_series(v.iter().enumerate().map(|(i, r)| {
                Circle::new(
                    (r.rate, SegmentValue::CenterOf(i)),
                    5,
                    rate_color(r.rate).filled(),
                )
            }))
            .map_err(err)?;
        Ok(())
    }
}

impl Chart for VersusScore {
    fn name(&self) -> &'static str {
        "execution_vs_score"
    }
    fn title(&self) -> &'static str {
        "预算执行率与综合得分"
    }
    fn size(&self, _: &ChartData) -> (u32, u32) {
        (900, 680)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult {
        // Department execution (one per unit-year) against the unit-year's mean department score.
        let mut score: BTreeMap<(String, i32), (f64, f64)> = BTreeMap::new();
        for r in &d.rankings {
            let e = score
                .entry((r.unit_id.clone(), r.fiscal_year))
                .or_insert((0.0, 0.0));
            e.0 += r.score_100;
            e.1 += 1.0;
        }
        let pts: Vec<(f64, f64)> = d
            .execution
            .iter()
            .filter(|r| r.scope == "department")
            .filter_map(|r| {
                score
                    .get(&(r.unit_id.clone(), r.fiscal_year))
                    .map(|s| (r.rate, s.0 / s.1))
            })
            .collect();
        if pts.is_empty() {
            return missing(
                root,
                self.title(),
                "没有同时具备执行率和部门得分的单位年度(no unit-year with both)",
            );
        }
        let n = pts.len() as f64;
        let (mx, my) = (
            pts.iter().map(|p| p.0).sum::<f64>() / n,
            pts.iter().map(|p| p.1).sum::<f64>() / n,
        );
        let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
        let syy: f64 = pts.iter().map(|p| (p.1 - my).powi(2)).sum();
        let r = if sxx > 0.0 && syy > 0.0 {
            sxy / (sxx * syy).sqrt()
        } else {
            f64::NAN
        };
        let note = if r.is_nan() {
            format!("{} 个单位年度", pts.len())
        } else {
            format!("{} 个单位年度，相关系数 r = {r:.2}", pts.len())
        };
        let area = titled(root, self.title(), &note)?;
        let xl = pts.iter().map(|p| p.0).fold(100.0f64, f64::min) - 2.0;
        let xh = pts.iter().map(|p| p.0).fold(0.0f64, f64::max) + 2.0;
        let yl = pts.iter().map(|p| p.1).fold(100.0f64, f64::min) - 2.0;
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(xl..xh.max(xl + 5.0), yl..100.5f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("预算执行率(%)")
            .y_desc("部门整体得分(各评价主体均值)")
            .label_style(text(12))
            .axis_desc_style(text(14))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(
                pts.iter()
                    .map(|p| Circle::new(*p, 4, rate_color(p.0).mix(0.7).filled())),
            )
            .map_err(err)?;
        if sxx > 0.0 {
            let b = sxy / sxx;
            let a = my - b * mx;
            chart
                .draw_series(LineSeries::new(
                    vec![(xl, a + b * xl), (xh, a + b * xh)],
                    BLACK.mix(0.5).stroke_width(1),
                ))
                .map_err(err)?;
        }
        Ok(())
    }
}
