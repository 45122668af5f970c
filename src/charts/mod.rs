//! Comparison charts (plotters), each as PNG and SVG with Chinese titles, axis labels, unit
//! names and legends. The CJK font is bundled (a GB2312 subset of Noto Sans CJK SC, OFL) and
//! registered from bytes, so glyphs render on a machine with no fonts installed.
//! One file per chart; each reads `ChartData` (built from the benchmark tables) and says what is
//! missing instead of drawing empty axes.

pub mod data;
pub(crate) mod draw;
mod execution;
mod heatmap;
mod leniency;
mod pareto;
mod ranking;
mod scores;
mod selfgap;
mod trends;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use data::ChartData;

use crate::dataset::write::{ensure_dir, write_atomic};
use crate::error::{JxError, Result};

pub const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-jixiao-subset.otf");
pub const FONT: &str = "sans-serif";

pub type DResult = std::result::Result<(), String>;

/// The height of a chart that only says what is missing.
const MISSING_HEIGHT: u32 = 220;

/// Register the bundled font once (plotters keeps a global font table).
pub fn register_font() -> Result<()> {
    static DONE: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES)
            .map_err(|_| "the bundled font is invalid".to_string())?;
        plotters::style::register_font(FONT, FontStyle::Bold, FONT_BYTES)
            .map_err(|_| "the bundled font is invalid".to_string())
    })
    .clone()
    .map_err(JxError::internal)
}

/// One chart: a file name, a Chinese title, a size that grows with the data, and drawing code
/// generic over the backend (SVG and bitmap share it).
pub trait Chart {
    fn name(&self) -> &'static str;
    fn title(&self) -> &'static str;
    fn size(&self, d: &ChartData) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, d: &ChartData) -> DResult;
}

#[derive(Debug, Clone)]
pub struct Rendered {
    pub name: &'static str,
    pub title: &'static str,
    pub svg: String,
    pub png: Vec<u8>,
    pub size: (u32, u32),
    /// Set when the data hold nothing to draw: the chart is a short panel saying why, and the
    /// report shows the sentence instead of the panel.
    pub missing: Option<String>,
}

thread_local! {
    /// What `draw::missing` said while the current chart was drawn (charts draw on the
    /// calling thread, so a thread-local needs no change to each chart's signature).
    static MISSING: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

pub(crate) fn note_missing(message: &str) {
    MISSING.with(|m| *m.borrow_mut() = Some(message.to_string()));
}

pub(crate) fn render<C: Chart>(c: &C, d: &ChartData) -> Result<Rendered> {
    let (w, mut h) = c.size(d);
    let fail = |e: String| JxError::internal(format!("chart {}: {e}", c.name()));
    MISSING.with(|m| m.borrow_mut().take());
    let draw_svg = |h: u32| -> Result<String> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
            c.draw(&root, d).map_err(fail)?;
            root.present().map_err(|e| fail(e.to_string()))?;
        }
        Ok(svg)
    };
    let mut svg = draw_svg(h)?;
    let missing = MISSING.with(|m| m.borrow_mut().take());
    if missing.is_some() && h > MISSING_HEIGHT {
        // A panel that only says what is missing need not be as tall as the chart would be.
        h = MISSING_HEIGHT;
        svg = draw_svg(h)?;
    }
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        c.draw(&root, d).map_err(fail)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().map_err(|e| fail(e.to_string()))?;
        wr.write_image_data(&buf).map_err(|e| fail(e.to_string()))?;
    }
    Ok(Rendered {
        name: c.name(),
        title: c.title(),
        svg,
        png: png_bytes,
        size: (w, h),
        missing,
    })
}

/// Render the whole gallery.
pub fn render_all(d: &ChartData) -> Result<Vec<Rendered>> {
    register_font()?;
    Ok(vec![
        render(&ranking::Ranking, d)?,
        render(&scores::Distribution, d)?,
        render(&selfgap::Scatter, d)?,
        render(&selfgap::BlandAltman, d)?,
        render(&pareto::Pareto, d)?,
        render(&execution::PeerBand, d)?,
        render(&execution::VersusScore, d)?,
        render(&trends::Trends, d)?,
        render(&heatmap::Heatmap, d)?,
        render(&leniency::Leniency, d)?,
    ])
}

pub fn write_all(rendered: &[Rendered], dir: &Path) -> Result<Vec<PathBuf>> {
    ensure_dir(dir)?;
    let mut out = Vec::new();
    for r in rendered {
        let p = dir.join(format!("{}.png", r.name));
        write_atomic(&p, &r.png)?;
        out.push(p);
        let s = dir.join(format!("{}.svg", r.name));
        write_atomic(&s, r.svg.as_bytes())?;
        out.push(s);
    }
    Ok(out)
}
