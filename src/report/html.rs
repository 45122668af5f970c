//! The page: the typed report (`model`) rendered through askama templates
//! (`src/report/templates/`, compiled into the binary). askama escapes every value for HTML
//! unless a template marks it `|safe`, which only the embedded font, the style sheet, the
//! script and the SVG charts are (plotters and `review::chart` escape the text they draw).

use askama::Template;

use super::model::{Report, Span};
use crate::charts::FONT_BYTES;
use crate::error::{JxError, Result};

const STYLE: &str = include_str!("templates/style.css");
const SCRIPT: &str = include_str!("templates/script.js");

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    r: &'a Report,
    font_base64: String,
    style: &'static str,
    script: &'static str,
    version: &'static str,
}

/// The whole page, self-contained: the font embedded, no network resources.
pub fn page(r: &Report) -> Result<String> {
    Page {
        r,
        font_base64: base64(FONT_BYTES),
        style: STYLE,
        script: SCRIPT,
        version: env!("CARGO_PKG_VERSION"),
    }
    .render()
    .map_err(|e| JxError::internal(format!("report template: {e}")))
}

/// Escape text for HTML element content and attribute values, as the templates do (kept
/// for the pieces drawn as SVG outside plotters).
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut o = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for ch in bytes.chunks(3) {
        let b = [ch[0], *ch.get(1).unwrap_or(&0), *ch.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        o.push(T[(n >> 18) as usize & 63] as char);
        o.push(T[(n >> 12) as usize & 63] as char);
        o.push(if ch.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        o.push(if ch.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_encodes() {
        assert_eq!(
            escape("<script>alert('x')</script>&"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }
}
