//! `report`: one self-contained HTML page for leadership: headline findings in plain Chinese,
//! then the charts (inline SVG) and the key tables (sortable). No network resources: the CJK
//! font is embedded, so it reads the same offline on a machine with no Chinese fonts.

pub mod findings;
mod html;
pub mod review;

pub use html::{escape, page, Section};
