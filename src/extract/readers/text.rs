//! Text reports (.txt): the encoding detected, residue cleaned, lines holding TAB read as table
//! rows and the other lines as paragraphs, each with its line number.

use super::Refusal;
use crate::encoding;
use crate::extract::document::{Block, Document, Loc, Row};
use crate::extract::text::clean_line;

pub fn read(file: &str, bytes: &[u8]) -> Result<Document, Refusal> {
    if encoding::looks_binary(bytes) {
        return Err(Refusal::unreadable("binary content, not report text"));
    }
    let decoded = encoding::decode(bytes);
    let mut doc = Document::new(file, "text");
    doc.encoding = decoded.encoding.to_string();
    if decoded.had_errors {
        doc.notes.push("some bytes could not be decoded".into());
    }
    let mut table: Vec<Row> = Vec::new();
    for (i, raw) in decoded.text.split('\n').enumerate() {
        let line = clean_line(raw);
        let row = Row {
            loc: Loc {
                page: None,
                line: i as u32 + 1,
            },
            cells: line.split('\t').map(str::to_string).collect(),
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
}
