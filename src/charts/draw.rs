//! Shared drawing helpers: fonts, colours, the "what is missing" panel, name shortening.

use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{DResult, FONT};

pub fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

pub fn text(size: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).color(&BLACK)
}

pub fn grey_text(size: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).color(&RGBColor(90, 90, 90))
}

/// Grade tiers: 优 green, 良 blue, 中 orange, 差 red; unknown grey.
pub fn tier_color(t: Option<i32>) -> RGBColor {
    match t {
        Some(1) => RGBColor(46, 139, 87),
        Some(2) => RGBColor(65, 105, 225),
        Some(3) => RGBColor(237, 145, 33),
        Some(4) => RGBColor(200, 40, 40),
        _ => RGBColor(150, 150, 150),
    }
}

pub fn evaluator_color(t: &str) -> RGBColor {
    match t {
        "self" => RGBColor(220, 90, 40),
        "third_party" => RGBColor(40, 110, 190),
        "expert_panel" => RGBColor(60, 150, 80),
        "finance_bureau" => RGBColor(130, 80, 170),
        _ => RGBColor(120, 120, 120),
    }
}

pub const EVALUATOR_ORDER: [&str; 4] = ["self", "third_party", "expert_panel", "finance_bureau"];

/// Names longer than `n` characters are cut with "…" so axes stay readable at 50 units.
pub fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// A titled panel that says what is missing instead of drawing empty axes.
pub fn missing<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    message: &str,
) -> DResult {
    // Chinese text takes full-width parentheses around its English gloss.
    let message = message.replace('(', "（").replace(')', "）");
    let message = message.as_str();
    super::note_missing(message);
    let (w, h) = root.dim_in_pixel();
    root.draw_text(title, &text(22), (20, 16)).map_err(err)?;
    // A grey panel where the chart would be, so the gap reads as deliberate.
    let (w_i, h_i) = (w as i32, h as i32);
    root.draw(&Rectangle::new(
        [(40, 70), (w_i - 40, h_i - 40)],
        RGBColor(236, 236, 236).filled(),
    ))
    .map_err(err)?;
    let style = grey_text(16).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw_text(message, &style, (w as i32 / 2, h as i32 / 2))
        .map_err(err)?;
    Ok(())
}

/// Title line and an optional note under it; returns the area below.
pub fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    note: &str,
) -> std::result::Result<DrawingArea<DB, Shift>, String> {
    root.draw_text(title, &text(22), (20, 12)).map_err(err)?;
    if !note.is_empty() {
        root.draw_text(note, &grey_text(13), (20, 40))
            .map_err(err)?;
    }
    let (_, h) = root.dim_in_pixel();
    Ok(root
        .clone()
        .shrink((0, 62), (root.dim_in_pixel().0, h.saturating_sub(62))))
}

pub fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// The discrete range for `n` categories: plotters' integer ranges include their end, so
/// `0..n-1` gives exactly n segments (one category still gets a full-height segment pair).
pub fn categories(n: usize) -> std::ops::Range<usize> {
    if n <= 1 {
        0..1
    } else {
        0..n - 1
    }
}

/// The mesh of a chart with values across and named categories down (rankings, execution,
/// leniency): category names at segment centres, `names[i]` for segment i, no horizontal grid.
pub fn category_rows_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordusize>>>,
    names: &[String],
    x_desc: &str,
) -> DResult {
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(names.len())
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc(x_desc)
        .label_style(text(12))
        .axis_desc_style(text(13))
        .draw()
        .map_err(err)
}
