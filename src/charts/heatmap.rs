//! 一级指标得分率热力图: units (rows) × level-1 indicators (columns), coloured by score rate,
//! for the latest year and the evaluator type with the most level-1 rows.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{evaluator_label, ChartData};
use super::draw::*;
use super::{Chart, DResult};

pub struct Heatmap;

const MAX_COLS: usize = 8;

struct Grid {
    year: i32,
    evaluator_type: String,
    units: Vec<String>,
    level1: Vec<String>,
    cells: BTreeMap<(usize, usize), f64>,
}

fn grid(d: &ChartData) -> Option<Grid> {
    let year = d.level1.iter().map(|r| r.fiscal_year).max()?;
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for r in d.level1.iter().filter(|r| r.fiscal_year == year) {
        *count.entry(r.evaluator_type.as_str()).or_default() += 1;
    }
    let et = count
        .iter()
        .max_by_key(|(k, v)| (**v, **k != "self"))
        .map(|(k, _)| k.to_string())?;
    let rows: Vec<_> = d
        .level1
        .iter()
        .filter(|r| {
            r.fiscal_year == year && r.evaluator_type == et && d.unit_selected(&r.unit_id, &r.name)
        })
        .collect();
    let mut freq: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        *freq.entry(r.level1.as_str()).or_default() += 1;
    }
    let mut level1: Vec<(&str, usize)> = freq.into_iter().collect();
    level1.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let level1: Vec<String> = level1
        .into_iter()
        .take(MAX_COLS)
        .map(|x| x.0.to_string())
        .collect();
    let mut units: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    units.sort();
    units.dedup();
    let mut acc: BTreeMap<(usize, usize), (f64, f64)> = BTreeMap::new();
    for r in &rows {
        let (Some(ui), Some(li), Some(rate)) = (
            units.iter().position(|u| *u == r.name),
            level1.iter().position(|l| *l == r.level1),
            r.rate,
        ) else {
            continue;
        };
        let e = acc.entry((ui, li)).or_insert((0.0, 0.0));
        e.0 += rate;
        e.1 += 1.0;
    }
    let cells = acc.into_iter().map(|(k, (s, n))| (k, s / n)).collect();
    Some(Grid {
        year,
        evaluator_type: et,
        units,
        level1,
        cells,
    })
}

/// Red (≤ 60%) through yellow to green (100%).
fn heat(rate: f64) -> RGBColor {
    let t = ((rate - 0.6) / 0.4).clamp(0.0, 1.0);
    if t < 0.5 {
        let u = t * 2.0;
        RGBColor(215, (60.0 + 160.0 * u) as u8, 50)
    } else {
        let u = (t - 0.5) * 2.0;
        RGBColor(
            (215.0 - 165.0 * u) as u8,
            (220.0 - 60.0 * u) as u8,
            (50.0 + 40.0 * u) as u8,
        )
    }
}

impl Chart for Heatmap {
    fn name(&self) -> &'static str {
        "level1_heatmap"
    }
    fn title(&self) -> &'static str {
        "一级指标得分率热力图"
    }
    fn size(&self, d: &ChartData) -> (u32, u32) {
        let g = grid(d);
        let rows = g.as_ref().map(|g| g.units.len()).unwrap_or(4).max(4) as u32;
        let cols = g.as_ref().map(|g| g.level1.len()).unwrap_or(4).max(4) as u32;
        ((200 + cols * 120).max(900), 170 + rows * 24)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult {
        let Some(g) = grid(d) else {
            return missing(
                root,
                self.title(),
                "没有一级指标得分(no level-1 indicator scores)",
            );
        };
        if g.cells.is_empty() {
            return missing(
                root,
                self.title(),
                "一级指标得分均为空白(all level-1 scores blank)",
            );
        }
        let area = titled(
            root,
            &format!(
                "{}年 一级指标得分率({}，部门整体)",
                g.year,
                evaluator_label(&g.evaluator_type)
            ),
            "得分率 = 得分 / 分值；红色低、绿色高；空白格为缺失",
        )?;
        let (nu, nl) = (g.units.len(), g.level1.len());
        let cols: Vec<String> = g.level1.iter().map(|s| short(s, 8)).collect();
        let rows: Vec<String> = g.units.iter().map(|s| short(s, 12)).collect();
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(150)
            .build_cartesian_2d(
                categories(nl).into_segmented(),
                categories(nu).into_segmented(),
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(nl)
            .y_labels(nu)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => cols.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) => rows.get(nu - 1 - *i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style(text(12))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(g.cells.iter().map(|((ui, li), rate)| {
                let y = nu - 1 - ui;
                Rectangle::new(
                    [
                        (SegmentValue::Exact(*li), SegmentValue::Exact(y)),
                        (SegmentValue::Exact(li + 1), SegmentValue::Exact(y + 1)),
                    ],
                    heat(*rate).filled(),
                )
            }))
            .map_err(err)?;
        let centered = text(11).pos(Pos::new(HPos::Center, VPos::Center));
        chart
            .draw_series(g.cells.iter().map(|((ui, li), rate)| {
                Text::new(
                    format!("{:.0}%", rate * 100.0),
                    (
                        SegmentValue::CenterOf(*li),
                        SegmentValue::CenterOf(nu - 1 - ui),
                    ),
                    centered.clone(),
                )
            }))
            .map_err(err)?;
        Ok(())
    }
}
