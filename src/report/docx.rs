//! The Word briefing (`report.docx`): the same report as the page, for a file sent ahead of a
//! meeting. Headings in Word's own heading styles (so the navigation pane and a table of
//! contents see them), the findings, the charts as PNG images scaled to the A4 text width,
//! the key tables and a page per unit. Written with docx-rs.
//!
//! Word shows the text in the reader's own Chinese fonts (宋体 and 黑体 are named, which every
//! Chinese Windows and macOS has); the charts carry their glyphs as pixels.

use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, PageMargin, Paragraph, Pic, Run, RunFonts,
    Shading, Style, StyleType, Table as DTable, TableCell, TableRow, WidthType,
};

use super::model::{Figure, Report, Table, UnitPage};
use crate::error::{JxError, Result};

/// A4 in twentieths of a point, and the margins (2 cm left and right, 2.2 cm top and bottom).
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_LR: i32 = 1134;
const MARGIN_TB: i32 = 1247;
/// The text width in EMU (one twip is 635 EMU): images are scaled to it.
const TEXT_W_EMU: u32 = (PAGE_W - 2 * MARGIN_LR as u32) * 635;
/// Rows of a detail table shown in the Word file (the page and the CSVs hold the rest).
const DOCX_ROWS: usize = 30;

fn heading_style(id: &str, name: &str, size: usize, level: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .size(size)
        .bold()
        .color("1F4E79")
        .fonts(
            RunFonts::new()
                .east_asia("黑体")
                .ascii("Arial")
                .hi_ansi("Arial"),
        )
        .outline_lvl(level)
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn styled(style: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .style(style)
        .add_run(Run::new().add_text(text))
}

fn note(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).size(18).color("5C6370"))
}

fn page_break() -> Paragraph {
    Paragraph::new().add_run(Run::new().add_break(BreakType::Page))
}

fn image(f: &Figure) -> Paragraph {
    let (w, h) = f.size;
    let width = TEXT_W_EMU;
    let height = (width as f64 * h as f64 / w.max(1) as f64) as u32;
    let pic = Pic::new_with_dimensions(f.png.clone(), w, h).size(width, height);
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_image(pic))
}

fn table(t: &Table, max_rows: usize) -> Vec<DocItem> {
    let mut out = vec![DocItem::P(styled("Heading4", &t.caption))];
    if t.rows.is_empty() {
        out.push(DocItem::P(note("无数据。")));
        return out;
    }
    let cell = |text: &str, bold: bool, fill: Option<&str>| {
        let mut run = Run::new().size(16);
        for (k, line) in text.split('\n').enumerate() {
            if k > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            run = run.add_text(line);
        }
        if bold {
            run = run.bold();
        }
        let mut c = TableCell::new().add_paragraph(Paragraph::new().add_run(run));
        if let Some(f) = fill {
            c = c.shading(Shading::new().fill(f));
        }
        c
    };
    let mut rows = vec![TableRow::new(
        t.columns
            .iter()
            .map(|c| cell(&c.label, true, Some("EEF3FA")))
            .collect(),
    )];
    for r in t.rows.iter().take(max_rows) {
        let fill = r.flagged.then_some("FFF3F1");
        rows.push(TableRow::new(
            r.cells.iter().map(|c| cell(&c.text, false, fill)).collect(),
        ));
    }
    out.push(DocItem::T(DTable::new(rows).width(5000, WidthType::Pct)));
    if let Some(n) = &t.note {
        out.push(DocItem::P(note(n)));
    }
    let shown = t.rows.len().min(max_rows);
    if t.total_rows > shown {
        out.push(DocItem::P(note(&format!(
            "只列出前 {shown} 行（共 {} 行），完整数据见网页版报告和 bench 输出的 CSV。",
            t.total_rows
        ))));
    }
    out
}

enum DocItem {
    P(Paragraph),
    T(DTable),
}

fn unit(u: &UnitPage) -> Vec<DocItem> {
    let mut out = vec![
        DocItem::P(page_break()),
        DocItem::P(styled("Heading3", &format!("单位画像：{}", u.name))),
        DocItem::P(note(
            &[
                u.full_name.as_str(),
                u.district.as_str(),
                u.kind.as_str(),
                &format!("单位编号 {}", u.unit_id),
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("　"),
        )),
    ];
    for s in &u.summary {
        out.push(DocItem::P(para(&format!("● {s}"))));
    }
    if let Some(f) = &u.figure {
        out.push(DocItem::P(image(f)));
    }
    for t in [&u.scores, &u.execution, &u.level1, &u.causes, &u.gap] {
        out.extend(table(t, 12));
    }
    if !u.review.rows.is_empty() {
        out.extend(table(&u.review, 8));
    }
    out
}

/// The Word file's bytes.
pub fn write(r: &Report) -> Result<Vec<u8>> {
    let mut items: Vec<DocItem> = vec![
        DocItem::P(styled("Title", &r.title)),
        DocItem::P(para(&r.subtitle)),
        DocItem::P(note(&format!(
            "由 jixiao {} 生成。网页版报告可筛选区（县）、年度、评价主体和范围。",
            env!("CARGO_PKG_VERSION")
        ))),
        DocItem::P(styled("Heading1", "简报：主要发现")),
    ];
    for p in &r.parts {
        items.push(DocItem::P(styled("Heading2", &p.title)));
        if p.synthetic {
            items.push(DocItem::P(note(
                "合成数据：由 jixiao synth 生成的虚构单位与分数，仅用于演示各项比较，不代表任何真实单位。",
            )));
        }
        for (k, f) in p.findings.iter().enumerate() {
            items.push(DocItem::P(
                Paragraph::new()
                    .line_spacing(LineSpacing::new().after(120))
                    .add_run(Run::new().add_text(format!("{}．", k + 1)).bold())
                    .add_run(
                        Run::new()
                            .add_text(format!("【{}】", f.topic))
                            .bold()
                            .color("2A6EBE"),
                    )
                    .add_run(Run::new().add_text(f.plain())),
            ));
        }
    }
    for p in &r.parts {
        items.push(DocItem::P(page_break()));
        items.push(DocItem::P(styled("Heading1", &p.title)));
        if let Some(d) = &p.description {
            items.push(DocItem::P(para(d)));
        }
        items.push(DocItem::P(styled("Heading2", "单位总览")));
        // The latest year only: the page holds every year behind its filters.
        let mut overview = Table {
            id: p.overview.id.clone(),
            caption: "单位总览（最近年度）".into(),
            note: p.overview.note.clone(),
            columns: p
                .overview
                .columns
                .iter()
                .map(|c| super::model::Column {
                    label: c.label.clone(),
                    key: c.key.clone(),
                })
                .collect(),
            rows: Vec::new(),
            total_rows: 0,
        };
        let latest = p
            .overview
            .rows
            .iter()
            .filter_map(|r| r.attrs.year.clone())
            .max();
        for row in p.overview.rows.iter().filter(|r| r.attrs.year == latest) {
            overview.rows.push(super::model::Row {
                cells: row
                    .cells
                    .iter()
                    .map(|c| super::model::Cell::text(c.text.clone()))
                    .collect(),
                attrs: row.attrs.clone(),
                flagged: row.flagged,
            });
        }
        overview.total_rows = overview.rows.len();
        items.extend(table(&overview, 200));
        items.push(DocItem::P(styled("Heading2", "图表")));
        for c in &p.charts {
            match &c.missing {
                Some(m) => items.push(DocItem::P(note(&format!("{}：{m}", c.title)))),
                None => {
                    items.push(DocItem::P(image(c)));
                    items.push(DocItem::P(note(&c.title)));
                }
            }
        }
        items.push(DocItem::P(page_break()));
        items.push(DocItem::P(styled("Heading2", "单位画像")));
        items.push(DocItem::P(para(&format!(
            "共 {} 个单位，每个单位一页：得分与同类单位、预算执行、一级指标、主要扣分原因、自评与独立评价的差距和自评抽查复核的原因。",
            p.units.len()
        ))));
        for u in &p.units {
            items.extend(unit(u));
        }
        if let Some(rv) = &p.review {
            items.push(DocItem::P(page_break()));
            items.push(DocItem::P(styled("Heading2", "自评抽查复核优先清单")));
            for s in &rv.sentences {
                items.push(DocItem::P(para(&format!("● {s}"))));
            }
            items.extend(table(&rv.table, DOCX_ROWS));
        }
        items.push(DocItem::P(page_break()));
        items.push(DocItem::P(styled("Heading2", "明细表")));
        for t in &p.tables {
            items.extend(table(t, DOCX_ROWS));
        }
    }
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TB)
                .bottom(MARGIN_TB)
                .left(MARGIN_LR)
                .right(MARGIN_LR),
        )
        .default_fonts(
            RunFonts::new()
                .east_asia("宋体")
                .ascii("Times New Roman")
                .hi_ansi("Times New Roman"),
        )
        .default_size(21)
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .size(40)
                .bold()
                .fonts(RunFonts::new().east_asia("黑体"))
                .align(AlignmentType::Left),
        )
        .add_style(heading_style("Heading1", "heading 1", 32, 0))
        .add_style(heading_style("Heading2", "heading 2", 28, 1))
        .add_style(heading_style("Heading3", "heading 3", 26, 2))
        .add_style(heading_style("Heading4", "heading 4", 22, 3));
    for it in items {
        doc = match it {
            DocItem::P(p) => doc.add_paragraph(p),
            DocItem::T(t) => doc.add_table(t),
        };
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| JxError::internal(format!("report.docx: {e}")))?;
    Ok(buf.into_inner())
}
