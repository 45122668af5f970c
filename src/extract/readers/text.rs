//! Text reports (.txt): the encoding detected, residue cleaned, table rows told from paragraphs,
//! each line with its line number.
//!
//! A table row is a line whose cells are split by TAB (converted Word and PDF files), by `|`
//! (tables copied from web pages, with runs of empty `||||` cells), or by runs of two or more
//! spaces (`pdftotext -layout`, at least three cells). Everything else is a paragraph; forms
//! written one cell per line, or glued onto one line, are read by the form recognisers from the
//! paragraphs' words.

use super::Refusal;
use crate::encoding;
use crate::extract::document::{Block, Document, Loc, Row};
use crate::extract::text::clean_line;

pub fn read(file: &str, bytes: &[u8]) -> Result<Document, Refusal> {
    if encoding::looks_binary(bytes) {
        return Err(Refusal::unreadable("binary content, not report text"));
    }
    // The encoding is decided by the file as a whole (a UTF-8 report with a few damaged bytes
    // stays UTF-8); each damaged sequence is named by its line and read as U+FFFD.
    let choice = encoding::decide(bytes, None);
    let (utf8, bad) = encoding::decode_table(bytes.to_vec(), &choice);
    let text = String::from_utf8(utf8)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let mut doc = Document::new(file, "text");
    doc.encoding = choice.name.to_string();
    const NAMED: usize = 5;
    for b in bad.iter().take(NAMED) {
        let line = text[..b.at.min(text.len())].matches('\n').count() + 1;
        doc.notes.push(format!(
            "invalid {} bytes {} at line {line}, read as U+FFFD",
            choice.name,
            encoding::hex(&b.bytes)
        ));
    }
    if bad.len() > NAMED {
        doc.notes
            .push(format!("{} more invalid byte sequences", bad.len() - NAMED));
    }
    let mut table: Vec<Row> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let row = Row {
            loc: Loc {
                page: None,
                line: i as u32 + 1,
            },
            cells: cells(raw),
        };
        if row.cells.len() > 1 {
            table.push(row);
            continue;
        }
        if !table.is_empty() {
            doc.blocks.push(Block::Table(std::mem::take(&mut table)));
        }
        doc.blocks.push(Block::Paragraph(row));
    }
    if !table.is_empty() {
        doc.blocks.push(Block::Table(table));
    }
    Ok(doc)
}

/// The cells of one raw line (one cell for a paragraph).
fn cells(raw: &str) -> Vec<String> {
    if raw.contains('\t') {
        return clean_line(raw).split('\t').map(str::to_string).collect();
    }
    let trimmed = raw.trim_end_matches(['\r', '\n']).trim();
    // A line of bars alone (the empty cells of a row broken across lines) holds nothing.
    if trimmed.starts_with('|') && trimmed.chars().all(|c| c == '|' || c.is_whitespace()) {
        return vec![String::new()];
    }
    // A web table's row: cells between bars, the row opening or closing with one.
    let bars = trimmed.matches('|').count();
    if bars >= 2 || bars == 1 && (trimmed.starts_with('|') || trimmed.ends_with('|')) {
        // The bar before the first cell opens the row; the one after the last is kept as an
        // empty cell, so a row of one cell still reads as a table row.
        let inner = trimmed.strip_prefix('|').unwrap_or(trimmed);
        // A Markdown rule under a header row (|---|:--:|) holds nothing.
        if inner
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '='))
        {
            return vec![String::new()];
        }
        return inner.split('|').map(|c| clean_line(c.trim())).collect();
    }
    let spaced: Vec<&str> = split_on_space_runs(trimmed);
    if spaced.len() >= 3 {
        return spaced.into_iter().map(clean_line).collect();
    }
    vec![clean_line(raw)]
}

/// Split on runs of two or more spaces (ASCII or ideographic).
fn split_on_space_runs(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut run_start: Option<usize> = None;
    let mut run_len = 0;
    for (i, c) in s.char_indices() {
        if c == ' ' || c == '\u{3000}' {
            if run_start.is_none() {
                run_start = Some(i);
            }
            run_len += if c == '\u{3000}' { 2 } else { 1 };
        } else {
            if let Some(r) = run_start {
                if run_len >= 2 {
                    out.push(&s[start..r]);
                    start = i;
                }
            }
            run_start = None;
            run_len = 0;
        }
    }
    out.push(&s[start..]);
    out.into_iter().filter(|c| !c.trim().is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_layer_is_the_cleaned_lines() {
        let src = "标题\n\n一级指标\t分值\t得分\n产出\t10\t9\n<p>说明</p>";
        let doc = read("a.txt", src.as_bytes()).unwrap();
        assert_eq!(doc.tables(), 1);
        let t = doc.text_layer();
        assert_eq!(
            t.lines,
            ["标题", "", "一级指标\t分值\t得分", "产出\t10\t9", " 说明 "]
        );
        assert_eq!(t.source("a.txt", 3), "a.txt:4");
    }

    #[test]
    fn pipes_and_space_runs_are_cells() {
        assert_eq!(
            cells("| 项目名称 | 示例项目 |||| 得分 |"),
            ["项目名称", "示例项目", "", "", "", "得分", ""]
        );
        assert_eq!(cells("| 明确性(5分) |"), ["明确性(5分)", ""]);
        assert_eq!(cells("| ||"), [""]);
        assert_eq!(cells("产 出 指 标 (50分) |"), ["产 出 指 标 (50分)", ""]);
        assert_eq!(cells("|---|:---:|"), [""]);
        assert_eq!(
            cells("一级指标    二级指标  分值   得分"),
            ["一级指标", "二级指标", "分值", "得分"]
        );
        // Prose with one double space, or a title, stays one paragraph.
        assert_eq!(
            cells("经评价，  得分为 95 分。"),
            ["经评价，  得分为 95 分。"]
        );
        assert_eq!(cells("a\tb"), ["a", "b"]);
    }
}
