//! PDF reports with a text layer, in pure Rust.
//!
//! lopdf opens the file (an empty user password is tried, as viewers do); fonts pdf-extract
//! cannot decode are made readable (`fonts`); images are set aside (jixiao reads no scans, and
//! pdf-extract would read an image as drawing operators); then pdf-extract runs one page at a
//! time and reports every glyph with its position and every painted rule, which `layout` turns
//! into lines and tables. Across pages, page numbers and running headers are dropped, a table
//! continued on the next page is joined to its first part without its repeated header rows, and
//! lines broken at the right margin are joined back into paragraphs.
//!
//! pdf-extract can panic on input it does not expect. A page that panics is read again as plain
//! text by lopdf (losing its table structure, noted in the manifest); a file that cannot be
//! opened is refused with the reason. Panics are caught and never reach the user.

pub mod fonts;
pub mod layout;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use lopdf::{Dictionary, LoadOptions, Object, Stream};
use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};

use super::Refusal;
use crate::extract::document::{join_wrapped, Block, Document, Loc, Row};
use layout::{Glyph, Item, PageInk, Seg, TextLine};

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}
static HOOK: Once = Once::new();

/// Run `f`, turning a panic into an error carrying its message (and printing nothing).
pub fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| q.get()) {
                let msg = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown".into());
                LAST_PANIC.with(|l| *l.borrow_mut() = Some(msg));
            } else {
                previous(info)
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    r.map_err(|_| {
        LAST_PANIC
            .with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| "unknown".into())
    })
}

pub fn read(file: &str, bytes: &[u8]) -> Result<Document, Refusal> {
    let mut pdf = contained(|| load(bytes)).map_err(|p| {
        Refusal::unreadable(format!("truncated or damaged PDF (the parser failed: {p})"))
    })??;
    let pages: Vec<(u32, lopdf::ObjectId)> = pdf.get_pages().into_iter().collect();
    if pages.is_empty() {
        return Err(Refusal::unreadable(
            "truncated or damaged PDF: no pages found",
        ));
    }
    let mut doc = Document::new(file, "pdf");
    doc.pages = Some(pages.len());
    let unknown = contained(|| fonts::patch(&mut pdf)).unwrap_or_default();
    let images = contained(|| set_images_aside(&mut pdf)).unwrap_or_default();

    let mut laid: Vec<Vec<Item>> = Vec::with_capacity(pages.len());
    let mut heights: Vec<f64> = Vec::with_capacity(pages.len());
    let mut plain_pages: Vec<u32> = Vec::new();
    let mut blank_pages: Vec<u32> = Vec::new();
    for (num, id) in &pages {
        let mut c = Collector::default();
        let ok = matches!(
            contained(|| pdf_extract::output_doc_page(&pdf, &mut c, *num)),
            Ok(Ok(()))
        );
        heights.push(if ok { c.page.height } else { 0.0 });
        let items = if ok {
            contained(|| layout::lay_out(&c.page)).unwrap_or_default()
        } else {
            plain_pages.push(*num);
            plain_text_page(&pdf, *num)
        };
        if items.is_empty() && images.get(id).copied().unwrap_or(0) > 0 {
            blank_pages.push(*num);
        }
        laid.push(items);
    }
    if laid.iter().all(|p| p.is_empty()) {
        let n_img: usize = images.values().sum();
        return Err(Refusal::unreadable(if n_img > 0 {
            format!(
                "no text layer (scanned): {} pages of images and no text; OCR it to a PDF with a text layer first",
                pages.len()
            )
        } else {
            format!("no text layer: {} pages and no text found", pages.len())
        }));
    }
    drop_furniture(&mut laid, &heights);
    doc.blocks = blocks(laid);
    if !unknown.is_empty() {
        doc.notes.push(format!(
            "fonts with CMaps not decoded here ({}): their pages were read as plain text",
            unknown.join(", ")
        ));
    }
    if !plain_pages.is_empty() {
        doc.notes.push(format!(
            "pages {} read as plain text (tables not rebuilt)",
            list(&plain_pages)
        ));
    }
    if !blank_pages.is_empty() {
        doc.notes.push(format!(
            "pages {} have no text layer (scanned?)",
            list(&blank_pages)
        ));
    }
    Ok(doc)
}

fn list(pages: &[u32]) -> String {
    let v: Vec<String> = pages.iter().map(|p| p.to_string()).collect();
    if v.len() > 12 {
        format!("{} … ({} pages)", v[..12].join(", "), v.len())
    } else {
        v.join(", ")
    }
}

fn load(bytes: &[u8]) -> Result<lopdf::Document, Refusal> {
    let encrypted = || {
        Refusal::unreadable(
            "encrypted: a password is needed to open it; save an unprotected copy (e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`)",
        )
    };
    match lopdf::Document::load_mem_with_options(bytes, LoadOptions::with_password("")) {
        Ok(d) if d.is_encrypted() => Err(encrypted()),
        Ok(d) => Ok(d),
        Err(e) => {
            let msg = e.to_string();
            let lower = msg.to_lowercase();
            if lower.contains("password") || lower.contains("decrypt") || lower.contains("encrypt")
            {
                Err(encrypted())
            } else {
                Err(Refusal::unreadable(format!(
                    "truncated or damaged PDF: {msg}"
                )))
            }
        }
    }
}

/// Replace every image by an empty form, counting the images each page uses.
fn set_images_aside(pdf: &mut lopdf::Document) -> HashMap<lopdf::ObjectId, usize> {
    let mut per_page = HashMap::new();
    for (_, id) in pdf.get_pages() {
        let n = pdf.get_page_images(id).map(|v| v.len()).unwrap_or(0);
        per_page.insert(id, n);
    }
    for obj in pdf.objects.values_mut() {
        let is_image = matches!(obj, Object::Stream(s)
            if s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image".as_slice()));
        if is_image {
            let mut d = Dictionary::new();
            d.set("Type", Object::Name(b"XObject".to_vec()));
            d.set("Subtype", Object::Name(b"Form".to_vec()));
            d.set(
                "BBox",
                Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
            );
            *obj = Object::Stream(Stream::new(d, Vec::new()));
        }
    }
    per_page
}

/// A page pdf-extract could not read, as lopdf's plain text: lines, no tables.
fn plain_text_page(pdf: &lopdf::Document, num: u32) -> Vec<Item> {
    let text = contained(|| pdf.extract_text(&[num]))
        .ok()
        .and_then(|r| r.ok())
        .unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(k, l)| {
            Item::Line(TextLine {
                text: l.trim().to_string(),
                x0: 0.0,
                x1: 0.0,
                top: k as f64 * 20.0,
                baseline: k as f64 * 20.0 + 10.0,
                size: 0.0,
                header_like: false,
            })
        })
        .collect()
}

/// Page numbers and running headers: lines in the top or bottom eighth of a page that are a page
/// number, or that repeat at the same place on most pages. Form titles are never furniture.
fn drop_furniture(pages: &mut [Vec<Item>], heights: &[f64]) {
    let key = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let in_band = |l: &TextLine, h: f64| l.size > 0.0 && (l.top < 0.1 * h || l.baseline > 0.9 * h);
    let mut seen: HashMap<(String, i64), usize> = HashMap::new();
    for (items, h) in pages.iter().zip(heights) {
        for it in items {
            if let Item::Line(l) = it {
                if in_band(l, *h) {
                    *seen
                        .entry((key(&l.text), (l.top / 3.0).round() as i64))
                        .or_default() += 1;
                }
            }
        }
    }
    let n = pages.len();
    for (items, h) in pages.iter_mut().zip(heights) {
        items.retain_mut(|it| {
            let Item::Line(l) = it else { return true };
            if !in_band(l, *h) {
                return true;
            }
            if is_page_number(&l.text) {
                return false;
            }
            let k = key(&l.text);
            let repeats = seen
                .get(&(k.clone(), (l.top / 3.0).round() as i64))
                .copied()
                .unwrap_or(0);
            let form_title = ["自评表", "评价表", "评分表", "指标"]
                .iter()
                .any(|w| k.contains(w));
            if form_title {
                // Forms that each start a page put their title at the same place too: decided
                // where a table continues below it (see `blocks`).
                l.header_like = repeats >= 2 && l.top < 0.1 * h;
                return true;
            }
            !(n >= 3 && repeats >= 3 && repeats * 2 >= n)
        });
    }
}

fn is_page_number(t: &str) -> bool {
    let s: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    let dashes: &[char] = &['-', '—', '–', '－', '·'];
    let inner = s.trim_matches(dashes);
    if digits(inner) && inner.len() <= 4 {
        return true;
    }
    if let Some(r) = s.strip_prefix('第') {
        let r = r.split('页').next().unwrap_or("");
        if digits(r) {
            return true;
        }
    }
    if let Some((a, b)) = s.split_once('/') {
        return digits(a) && digits(b);
    }
    false
}

/// The pages' items as document blocks: tables continued across pages joined, lines broken at
/// the margin joined into paragraphs, each with its page and line.
fn blocks(pages: Vec<Vec<Item>>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    // The last table's columns, while it may continue on the next page.
    let mut open: Option<Vec<f64>> = None;
    let mut para: Option<(TextLine, Loc, f64, f64)> = None; // line, loc, left, right margins
    for (p, items) in pages.into_iter().enumerate() {
        let page = p as u32 + 1;
        let lefts = items.iter().filter_map(|i| match i {
            Item::Line(l) if l.size > 0.0 => Some(l.x0),
            _ => None,
        });
        let left = lefts.fold(f64::INFINITY, f64::min);
        let right = items
            .iter()
            .filter_map(|i| match i {
                Item::Line(l) => Some(l.x1),
                _ => None,
            })
            .fold(0.0, f64::max);
        let mut baselines: Vec<f64> = items
            .iter()
            .flat_map(|i| match i {
                Item::Line(l) => vec![l.baseline],
                Item::Table(t) => t.row_baselines.clone(),
            })
            .collect();
        baselines.sort_by(|a, b| a.total_cmp(b));
        let line_no =
            |y: f64| -> u32 { baselines.iter().take_while(|b| **b < y - 1.0).count() as u32 + 1 };
        // Running headers that read like form titles: dropped when the table of the page
        // before continues right below them.
        let lead = items
            .iter()
            .take_while(|i| matches!(i, Item::Line(l) if l.header_like))
            .count();
        let continues_below = lead > 0
            && matches!((&open, items.get(lead), out.last()),
                (Some(cols), Some(Item::Table(t)), Some(Block::Table(prev)))
                if same_frame(cols, &t.columns) && repeated_header(prev, &t.rows) > 0);
        let items: Vec<Item> = if continues_below {
            items.into_iter().skip(lead).collect()
        } else {
            items
        };
        for (k, it) in items.into_iter().enumerate() {
            match it {
                Item::Line(l) => {
                    let loc = Loc {
                        page: Some(page),
                        line: line_no(l.baseline),
                    };
                    open = None;
                    if let Some((prev, ploc, pl, pr)) = para.take() {
                        if continues(&prev, pr, &l, left, k == 0) {
                            let mut joined = prev.clone();
                            join_wrapped(&mut joined.text, &l.text);
                            joined.x1 = l.x1;
                            joined.baseline = l.baseline;
                            para = Some((joined, ploc, pl, right));
                            continue;
                        }
                        push_para(&mut out, prev, ploc);
                    }
                    para = Some((l, loc, left, right));
                }
                Item::Table(t) => {
                    if let Some((prev, ploc, _, _)) = para.take() {
                        push_para(&mut out, prev, ploc);
                    }
                    let mut rows: Vec<Row> = t
                        .rows
                        .into_iter()
                        .zip(&t.row_baselines)
                        .map(|(cells, y)| Row {
                            cells,
                            loc: Loc {
                                page: Some(page),
                                line: line_no(*y),
                            },
                        })
                        .collect();
                    let continued = k == 0
                        && matches!(&open, Some(cols) if same_frame(cols, &t.columns))
                        && matches!(out.last(), Some(Block::Table(_)));
                    if continued {
                        let cols = open.as_ref().unwrap();
                        if !same_columns(cols, &t.columns) {
                            for r in rows.iter_mut() {
                                r.cells = remap(&r.cells, &t.columns, cols);
                            }
                        }
                        if let Some(Block::Table(prev)) = out.last_mut() {
                            let cells: Vec<Vec<String>> =
                                rows.iter().map(|r| r.cells.clone()).collect();
                            rows.drain(..repeated_header(prev, &cells));
                            if let (Some(last), Some(first)) = (prev.last_mut(), rows.first()) {
                                if split_row(&last.cells, &first.cells) {
                                    for (a, b) in last.cells.iter_mut().zip(&first.cells) {
                                        join_wrapped(a, b);
                                    }
                                    rows.remove(0);
                                }
                            }
                            prev.extend(rows);
                        }
                    } else {
                        open = Some(t.columns.clone());
                        out.push(Block::Table(rows));
                    }
                }
            }
        }
        // A table continues only onto the top of the next page.
        if let Some(Block::Table(_)) = out.last() {
            if para.is_some() {
                open = None;
            }
        } else {
            open = None;
        }
    }
    if let Some((prev, ploc, _, _)) = para.take() {
        push_para(&mut out, prev, ploc);
    }
    out
}

fn push_para(out: &mut Vec<Block>, l: TextLine, loc: Loc) {
    out.push(Block::Paragraph(Row {
        cells: vec![l.text],
        loc,
    }));
}

/// Does `next` continue the paragraph whose last line is `prev`? The first word of `next` would
/// not have fitted after `prev` before the right margin (so the line was broken there), `next`
/// starts at the left margin (not indented as a new paragraph starts) in the same size, and it
/// follows at a line's distance (or starts the next page).
fn continues(prev: &TextLine, right: f64, next: &TextLine, left: f64, new_page: bool) -> bool {
    if prev.size == 0.0 || next.size == 0.0 || prev.text.contains('\t') || next.text.contains('\t')
    {
        return false;
    }
    let size = prev.size.max(next.size);
    let full = right - prev.x1 < first_word_width(&next.text, next.size) + 0.8 * size;
    let flush_left = next.x0 <= left + 0.5 * size;
    let close = new_page || (next.baseline - prev.baseline) <= 2.2 * size;
    full && flush_left && close && (prev.size - next.size).abs() < 1.0
}

/// The width a line's first word takes: a Chinese character alone, or a run of Latin letters,
/// digits and their punctuation (half as wide).
fn first_word_width(text: &str, size: f64) -> f64 {
    let mut w = 0.0;
    for c in text.chars() {
        if c.is_whitespace() {
            break;
        }
        if c.is_ascii() {
            w += 0.55 * size;
        } else {
            if w == 0.0 {
                w = size;
            }
            break;
        }
    }
    w
}

/// How many of a continued table's first rows repeat header rows of its first part: rows with no
/// number, each equal to a row of the first part (Word and WPS repeat the rows marked as header
/// rows on every page).
fn repeated_header(prev: &[Row], next: &[Vec<String>]) -> usize {
    let number = |c: &String| crate::extract::text::number(c).is_some();
    next.iter()
        .take(3)
        .take_while(|n| !n.iter().any(number) && prev.iter().any(|p| &p.cells == *n))
        .count()
}

/// Is `next`, the first row after a page break, the rest of `prev` cut by the break? It has text
/// only in columns where `prev` has text too; its numbers, if any, are the cut ends of decimals
/// (`6.8` and `0` of 6.80); and a column where `prev` has a number is empty in it (a new row of
/// a scored table states its 分值 and 得分 again). "%" of "100%" is text.
fn split_row(prev: &[String], next: &[String]) -> bool {
    let number = |c: &str| crate::extract::text::number(c).is_some();
    let blank = |c: &str| c.trim().is_empty();
    if next.len() != prev.len() || next.iter().all(|c| blank(c)) {
        return false;
    }
    let mut number_left_open = false;
    for (n, p) in next.iter().zip(prev) {
        if blank(n) {
            number_left_open |= number(p);
            continue;
        }
        if blank(p) {
            return false;
        }
        if number(n) {
            let cut_decimal =
                number(p) && p.contains('.') && n.trim().chars().all(|c| c.is_ascii_digit());
            if !cut_decimal {
                return false;
            }
        }
    }
    number_left_open || !next.iter().any(|c| number(c))
}

fn same_columns(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 3.0)
}

/// The same table's outer edges: a part on the next page may lack inner rules that only some
/// rows draw, so its columns are fewer.
fn same_frame(a: &[f64], b: &[f64]) -> bool {
    match (a.first(), a.last(), b.first(), b.last()) {
        (Some(a0), Some(a1), Some(b0), Some(b1)) => {
            (a0 - b0).abs() <= 3.0 && (a1 - b1).abs() <= 3.0
        }
        _ => false,
    }
}

/// Cells laid on the columns `from` put on the columns `to` of the table's first part: each
/// cell to the column its left edge falls in; two landing in one column are joined.
fn remap(cells: &[String], from: &[f64], to: &[f64]) -> Vec<String> {
    let mut out = vec![String::new(); to.len().saturating_sub(1)];
    if out.is_empty() {
        return cells.to_vec();
    }
    for (c, text) in cells.iter().enumerate() {
        if text.is_empty() {
            continue;
        }
        let x = from.get(c).copied().unwrap_or(0.0) + 1.0;
        let k = to[1..to.len() - 1].iter().take_while(|e| x >= **e).count();
        let k = k.min(out.len() - 1);
        join_wrapped(&mut out[k], text);
    }
    out
}

/// Collects one page's glyphs and rules from pdf-extract.
#[derive(Default)]
struct Collector {
    page: PageInk,
    llx: f64,
    ury: f64,
}

impl Collector {
    /// A point in user space through the CTM, then flipped so that y grows downwards.
    fn point(&self, ctm: &Transform, x: f64, y: f64) -> (f64, f64) {
        let px = x * ctm.m11 + y * ctm.m21 + ctm.m31;
        let py = x * ctm.m12 + y * ctm.m22 + ctm.m32;
        (px - self.llx, self.ury - py)
    }

    fn rule(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.page.rules.push(Seg {
            x0: a.0,
            y0: a.1,
            x1: b.0,
            y1: b.1,
        });
    }

    /// Rules from a path: straight pieces of it, and rectangles thin enough to be a line.
    fn path(&mut self, ctm: &Transform, path: &Path, filled: bool) {
        let mut cur = (0.0, 0.0);
        let mut start = (0.0, 0.0);
        let mut poly: Vec<(f64, f64)> = Vec::new();
        let flush_poly = |me: &mut Self, poly: &mut Vec<(f64, f64)>| {
            if filled && poly.len() >= 3 {
                me.thin_box(poly);
            }
            poly.clear();
        };
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    flush_poly(self, &mut poly);
                    cur = self.point(ctm, x, y);
                    start = cur;
                    poly.push(cur);
                }
                PathOp::LineTo(x, y) => {
                    let p = self.point(ctm, x, y);
                    if !filled {
                        self.rule(cur, p);
                    }
                    poly.push(p);
                    cur = p;
                }
                PathOp::Close => {
                    if !filled {
                        self.rule(cur, start);
                    }
                    cur = start;
                }
                PathOp::CurveTo(_, _, _, _, x, y) => {
                    cur = self.point(ctm, x, y);
                    poly.clear();
                }
                PathOp::Rect(x, y, w, h) => {
                    flush_poly(self, &mut poly);
                    let c = [
                        self.point(ctm, x, y),
                        self.point(ctm, x + w, y),
                        self.point(ctm, x + w, y + h),
                        self.point(ctm, x, y + h),
                    ];
                    if filled {
                        self.thin_box(&c);
                    } else {
                        for k in 0..4 {
                            self.rule(c[k], c[(k + 1) % 4]);
                        }
                    }
                }
            }
        }
        flush_poly(self, &mut poly);
    }

    /// A filled box no thicker than a border is a rule along its length.
    fn thin_box(&mut self, pts: &[(f64, f64)]) {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in pts {
            x0 = x0.min(p.0);
            y0 = y0.min(p.1);
            x1 = x1.max(p.0);
            y1 = y1.max(p.1);
        }
        let (w, h) = (x1 - x0, y1 - y0);
        if h <= 3.0 && w > h {
            let y = (y0 + y1) / 2.0;
            self.rule((x0, y), (x1, y));
        } else if w <= 3.0 && h > w {
            let x = (x0 + x1) / 2.0;
            self.rule((x, y0), (x, y1));
        }
    }
}

/// White ink draws nothing visible.
fn is_white(color: &[f64]) -> bool {
    !color.is_empty() && color.len() <= 3 && color.iter().all(|c| *c >= 0.95)
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _n: u32,
        mb: &MediaBox,
        _art: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page = PageInk {
            width: mb.urx - mb.llx,
            height: mb.ury - mb.lly,
            ..Default::default()
        };
        self.llx = mb.llx;
        self.ury = mb.ury;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        // Rotated text (stamps, watermarks, vertical labels) would scramble the lines.
        if trm.m12.abs() > 0.1 * trm.m11.abs() || trm.m11 <= 0.0 {
            return Ok(());
        }
        let text: String = ch.chars().filter(|c| !c.is_control()).collect();
        if text.is_empty() {
            return Ok(());
        }
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = (font_size * scale).abs();
        if !size.is_finite() || size <= 0.0 {
            return Ok(());
        }
        let x = trm.m31 - self.llx;
        let y = self.ury - trm.m32;
        self.page.glyphs.push(Glyph {
            x0: x,
            x1: x + width * size,
            y,
            size,
            text,
        });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn stroke(
        &mut self,
        ctm: &Transform,
        _cs: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        if !is_white(color) {
            self.path(ctm, path, false);
        }
        Ok(())
    }
    fn fill(
        &mut self,
        ctm: &Transform,
        _cs: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        if !is_white(color) {
            self.path(ctm, path, true);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_cut_by_a_page_break_are_told() {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let prev = v(&["", "年度资金总", "8", "8", "10", "100", "10"]);
        assert!(split_row(&prev, &v(&["", "额", "", "", "", "%", ""])));
        // A new indicator row has its points; a label in an empty column starts a new row.
        assert!(!split_row(&prev, &v(&["", "其中", "8", "", "", "", ""])));
        assert!(!split_row(
            &v(&["", "产出", "10"]),
            &v(&["效益指标", "", ""])
        ));
        // 6.80 wrapped in a narrow cell and cut between its lines; the 分值 column left empty.
        let prev = v(&["", "产出", "项目是否按", "7.00", "6.8"]);
        assert!(split_row(
            &prev,
            &v(&["", "时效(7分)", "照时间计划完成工作", "", "0"])
        ));
        assert!(!split_row(&prev, &v(&["", "时效", "下一项", "5", "4"])));
    }

    #[test]
    fn a_part_with_fewer_columns_is_laid_on_the_first_part_columns() {
        let cells = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(
            remap(
                &cells,
                &[0.0, 50.0, 100.0, 150.0],
                &[0.0, 50.0, 75.0, 100.0, 150.0]
            ),
            ["a", "b", "", "c"]
        );
        assert_eq!(
            remap(&cells, &[0.0, 50.0, 100.0, 150.0], &[0.0, 90.0, 150.0]),
            ["a b", "c"]
        );
    }

    #[test]
    fn page_numbers_are_told() {
        for t in ["- 3 -", "—12—", "第 3 页", "第3页共10页", "3 / 10", "7"] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["2023年", "一、基本情况", "- a -", "100%"] {
            assert!(!is_page_number(t), "{t}");
        }
    }

    #[test]
    fn panics_are_contained_with_their_message() {
        let r: Result<(), String> = contained(|| panic!("unsupported encoding X"));
        assert_eq!(r.unwrap_err(), "unsupported encoding X");
        assert_eq!(contained(|| 2 + 2), Ok(4));
    }
}
