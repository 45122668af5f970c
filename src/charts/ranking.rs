//! 单位综合得分排名: each unit's department score in the latest year, coloured by grade tier,
//! one panel per evaluator type, with the score's 90% measurement interval as a whisker and
//! the ranks it allows (rankings.csv rank_low–rank_high) beside it.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{evaluator_label, ChartData};
use super::draw::*;
use super::{Chart, DResult};

pub struct Ranking;

/// One bar: name, score, tier, the score's SD and the rank interval.
type Bar = (String, f64, Option<i32>, Option<f64>, Option<(u32, u32)>);

/// Per evaluator type, each unit's latest department score (mean when one evaluator type scored
/// it twice that year; the interval then is the first one's). Returns (years shown, panels).
fn panels(d: &ChartData) -> (Vec<i32>, Vec<(String, Vec<Bar>)>) {
    let mut out = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    for et in EVALUATOR_ORDER {
        let of: Vec<_> = d
            .rankings
            .iter()
            .filter(|r| r.evaluator_type == et && d.unit_selected(&r.unit_id, &r.name))
            .collect();
        let mut latest: BTreeMap<&str, i32> = BTreeMap::new();
        for r in &of {
            let y = latest.entry(r.unit_id.as_str()).or_insert(r.fiscal_year);
            *y = (*y).max(r.fiscal_year);
        }
        #[allow(clippy::type_complexity)]
        let mut per_unit: BTreeMap<
            String,
            (
                String,
                f64,
                f64,
                Option<i32>,
                i32,
                Option<f64>,
                Option<(u32, u32)>,
            ),
        > = BTreeMap::new();
        for r in of
            .iter()
            .filter(|r| latest[r.unit_id.as_str()] == r.fiscal_year)
        {
            let e = per_unit.entry(r.unit_id.clone()).or_insert((
                r.name.clone(),
                0.0,
                0.0,
                r.tier,
                r.fiscal_year,
                r.sd,
                r.rank_interval,
            ));
            e.1 += r.score_100;
            e.2 += 1.0;
            e.3 = e.3.max(r.tier);
        }
        years.extend(per_unit.values().map(|v| v.4));
        let mixed = per_unit
            .values()
            .map(|v| v.4)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            > 1;
        let mut rows: Vec<Bar> = per_unit
            .into_values()
            .map(|(n, s, c, t, y, sd, ri)| {
                (
                    if mixed {
                        format!("{} {y}", short(&n, 9))
                    } else {
                        n
                    },
                    s / c,
                    t,
                    sd,
                    ri,
                )
            })
            .collect();
        rows.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        if !rows.is_empty() {
            out.push((et.to_string(), rows));
        }
    }
    years.sort();
    years.dedup();
    (years, out)
}

impl Chart for Ranking {
    fn name(&self) -> &'static str {
        "unit_ranking"
    }
    fn title(&self) -> &'static str {
        "单位综合得分排名"
    }
    fn size(&self, d: &ChartData) -> (u32, u32) {
        let (_, p) = panels(d);
        let n = p.iter().map(|x| x.1.len()).max().unwrap_or(1) as u32;
        let k = p.len().max(1) as u32;
        ((420 * k).max(900), 140 + 22 * n.max(4))
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult {
        let (years, p) = panels(d);
        if p.is_empty() {
            return missing(
                root,
                self.title(),
                "暂无部门整体评价得分，无法排名(No department scores to rank)",
            );
        }
        let when = match years.as_slice() {
            [y] => format!("{y}年"),
            ys => format!("{}–{}年各单位最近一次", ys[0], ys[ys.len() - 1]),
        };
        let area = titled(
            root,
            &format!("{when} 单位综合得分排名 (部门整体, 按评价主体分面)"),
            "颜色表示等级: 绿=优 蓝=良 橙=中 红=差；黑线为测量误差的 90% 区间，括号内为可能的名次",
        )?;
        let cells = area.split_evenly((1, p.len()));
        for ((et, rows), cell) in p.iter().zip(cells.iter()) {
            let lo = rows.iter().map(|r| r.1).fold(100.0f64, f64::min);
            let lo = ((lo - 5.0) / 5.0).floor().max(0.0) * 5.0;
            let n = rows.len();
            let names: Vec<String> = rows.iter().map(|r| short(&r.0, 14)).collect();
            let mut chart = ChartBuilder::on(cell)
                .caption(format!("{} ({}个单位)", evaluator_label(et), n), text(16))
                .margin(8)
                .x_label_area_size(30)
                .y_label_area_size(130)
                .build_cartesian_2d(lo..100.0f64, categories(n).into_segmented())
                .map_err(err)?;
            // Best at the top: segment 0 is the bottom row.
            let bottom_up: Vec<String> = names.iter().rev().cloned().collect();
            category_rows_mesh(&mut chart, &bottom_up, "得分")?;
            chart
                .draw_series(rows.iter().enumerate().map(|(i, r)| {
                    let y = n - 1 - i;
                    let mut bar = Rectangle::new(
                        [
                            (lo, SegmentValue::Exact(y)),
                            (r.1, SegmentValue::Exact(y + 1)),
                        ],
                        tier_color(r.2).filled(),
                    );
                    bar.set_margin(3, 3, 0, 0);
                    bar
                }))
                .map_err(err)?;
            // The score's 90% measurement interval (clipped to the axis).
            for (i, r) in rows.iter().enumerate() {
                if let Some(sd) = r.3 {
                    let half = crate::bench::rankings::Z_RANK * sd;
                    let y = SegmentValue::CenterOf(n - 1 - i);
                    chart
                        .draw_series(LineSeries::new(
                            vec![
                                ((r.1 - half).max(lo), y.clone()),
                                ((r.1 + half).min(100.0), y),
                            ],
                            BLACK.mix(0.7).stroke_width(2),
                        ))
                        .map_err(err)?;
                }
            }
            chart
                .draw_series(rows.iter().enumerate().map(|(i, r)| {
                    let ranks = match r.4 {
                        Some((a, b)) if a == b => format!(" (第{a}名)"),
                        Some((a, b)) => format!(" (第{a}–{b}名)"),
                        None => String::new(),
                    };
                    let x = r.1
                        + r.3
                            .map(|sd| crate::bench::rankings::Z_RANK * sd)
                            .unwrap_or(0.0);
                    Text::new(
                        format!("{:.2}{ranks}", r.1),
                        (x.min(99.0) + 0.2, SegmentValue::CenterOf(n - 1 - i)),
                        text(12),
                    )
                }))
                .map_err(err)?;
        }
        Ok(())
    }
}
