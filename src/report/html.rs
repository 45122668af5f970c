//! HTML assembly: escaping, the embedded font, tables and the page.

use polars::prelude::*;

use crate::charts::{Rendered, FONT_BYTES};
use crate::dataset::decimal::text_at;
use crate::dataset::write::for_csv;
use crate::error::Result;

/// Escape text for HTML element content and attribute values: every string from the data
/// goes through here (a unit named `<script>` shows as text).
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

/// One dataset's part of the report.
pub struct Section {
    pub title: String,
    pub synthetic: bool,
    pub findings: Vec<String>,
    pub charts: Vec<Rendered>,
    /// (caption, table, rows shown at most)
    pub tables: Vec<(String, DataFrame, usize)>,
    /// The re-check list (自评抽查复核), shown after the charts.
    pub review: Option<crate::review::Review>,
}

/// Rows of the re-check list the report shows.
const REVIEW_ROWS: usize = 20;

fn table_html(caption: &str, df: &DataFrame, max_rows: usize) -> Result<String> {
    let df = for_csv(df)?;
    let mut h = String::new();
    h.push_str(&format!("<h3>{}</h3>\n", escape(caption)));
    if df.height() == 0 {
        h.push_str("<p class=\"note\">无数据</p>\n");
        return Ok(h);
    }
    h.push_str("<div class=\"tw\"><table class=\"sortable\"><thead><tr>");
    for c in df.columns() {
        h.push_str(&format!("<th title=\"点击排序\">{}</th>", escape(c.name())));
    }
    h.push_str("</tr></thead><tbody>\n");
    for i in 0..df.height().min(max_rows) {
        h.push_str("<tr>");
        for c in df.columns() {
            h.push_str(&format!(
                "<td>{}</td>",
                escape(&text_at(c, i).unwrap_or_default())
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
    if df.height() > max_rows {
        h.push_str(&format!("<p class=\"note\">只显示前 {max_rows} 行(共 {} 行), 完整数据见 bench 输出的 CSV.</p>\n", df.height()));
    }
    Ok(h)
}

const STYLE: &str = r#"
body{font-family:JixiaoCJK,"Noto Sans SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0 auto;max-width:1280px;padding:24px;color:#222;background:#fff}
svg text{font-family:JixiaoCJK,"Noto Sans SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif}
h1{font-size:28px;margin:0 0 8px} h2{border-bottom:2px solid #2a6ebe;padding-bottom:4px;margin-top:40px}
.synthetic{background:#fff4e0;border:1px solid #e0a040;padding:8px 12px;border-radius:4px}
ol.findings li{margin:8px 0;font-size:17px;line-height:1.6}
figure{margin:24px 0;overflow-x:auto} figure svg{max-width:100%;height:auto}
.tw{overflow-x:auto;max-height:520px;overflow-y:auto;border:1px solid #ddd}
table{border-collapse:collapse;font-size:13px} th,td{border:1px solid #ddd;padding:3px 6px;white-space:nowrap}
th{background:#f0f4fa;cursor:pointer;position:sticky;top:0} .note{color:#666;font-size:13px}
td.evidence{white-space:normal;min-width:480px;max-width:760px;line-height:1.5}
td.wrap{white-space:normal;min-width:140px;max-width:220px}
"#;

const SCRIPT: &str = r#"
window.onerror=function(m){document.body.setAttribute('data-js-error',String(m));};
document.querySelectorAll('table.sortable').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,col){
    th.addEventListener('click',function(){
      var tb=t.tBodies[0],rows=Array.prototype.slice.call(tb.rows),asc=th.getAttribute('data-asc')!=='1';
      rows.sort(function(a,b){var x=a.cells[col].textContent,y=b.cells[col].textContent,nx=parseFloat(x),ny=parseFloat(y);
        var r=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'zh');return asc?r:-r;});
      rows.forEach(function(r){tb.appendChild(r);});th.setAttribute('data-asc',asc?'1':'0');
    });
  });
});
document.body.setAttribute('data-js','ok');
"#;

/// The whole page.
pub fn page(title: &str, sections: &[Section]) -> Result<String> {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!("<title>{}</title>\n<style>\n", escape(title)));
    h.push_str(&format!("@font-face{{font-family:JixiaoCJK;src:url(data:font/otf;base64,{}) format('opentype');}}\n", base64(FONT_BYTES)));
    h.push_str(STYLE);
    h.push_str("</style></head><body>\n");
    h.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"note\">由 jixiao {} 生成; 本页不引用任何网络资源.</p>\n",
        escape(title),
        env!("CARGO_PKG_VERSION")
    ));
    for (k, s) in sections.iter().enumerate() {
        h.push_str(&format!(
            "<section id=\"s{k}\"><h2>{}</h2>\n",
            escape(&s.title)
        ));
        if s.synthetic {
            h.push_str("<p class=\"synthetic\">合成数据(SYNTHETIC): 由 jixiao synth 生成的虚构单位与分数, 仅用于演示各项比较, 不代表任何真实单位.</p>\n");
        }
        h.push_str("<h3>主要发现</h3>\n<ol class=\"findings\">\n");
        for f in &s.findings {
            h.push_str(&format!("<li>{}</li>\n", escape(f)));
        }
        h.push_str("</ol>\n");
        for c in &s.charts {
            // plotters writes its own SVG; text content in it is escaped by plotters.
            h.push_str(&format!(
                "<figure id=\"s{k}-{}\">{}</figure>\n",
                c.name,
                strip_xml_decl(&c.svg)
            ));
        }
        if let Some(r) = &s.review {
            h.push_str(&super::review::part(r, REVIEW_ROWS));
        }
        for (cap, df, n) in &s.tables {
            h.push_str(&table_html(cap, df, *n)?);
        }
        h.push_str("</section>\n");
    }
    h.push_str(&format!("<script>{SCRIPT}</script>\n</body></html>\n"));
    Ok(h)
}

fn strip_xml_decl(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
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
