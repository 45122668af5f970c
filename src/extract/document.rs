//! The document model every reader produces and every form recogniser reads: a report is a
//! sequence of blocks, paragraphs and tables, a table being rows of cells (a merged cell's text in
//! its top-left cell, the cells it covers empty), each with where it stands in the file.
//!
//! Recognisers read the model through its text layer: one line per paragraph or table row, the
//! cells of a row joined by TAB, so a table read from a PDF, a Word file or tab-separated text looks
//! the same to them. `Loc` turns a text-layer line back into `FILE:LINE` (text, Word) or
//! `FILE:pPAGE:LINE` (PDF) for the outputs.

/// Where a line stands in its file: the 1-based line (of the page, for PDFs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    pub page: Option<u32>,
    pub line: u32,
}

/// One line of a document: a paragraph (one cell) or a table row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Row),
    Table(Vec<Row>),
}

/// A report as read: its blocks, and what the reader found on the way.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The file name used in sources (`FILE:LINE`).
    pub file: String,
    /// Which reader read it: `text`, `docx` or `pdf`.
    pub reader: &'static str,
    /// The text encoding (text files), else empty.
    pub encoding: String,
    /// Pages (PDF only).
    pub pages: Option<usize>,
    pub blocks: Vec<Block>,
    /// Remarks for the manifest (bytes that could not be decoded, pages read by the fallback…).
    pub notes: Vec<String>,
}

/// The recognisers' view of a document: its lines and where each one stands.
#[derive(Debug, Clone, Default)]
pub struct TextLayer {
    pub lines: Vec<String>,
    pub locs: Vec<Loc>,
}

impl Document {
    pub fn new(file: &str, reader: &'static str) -> Document {
        Document {
            file: file.to_string(),
            reader,
            ..Default::default()
        }
    }

    pub fn tables(&self) -> usize {
        self.blocks
            .iter()
            .filter(|b| matches!(b, Block::Table(_)))
            .count()
    }

    /// True when no block holds any text.
    pub fn is_empty(&self) -> bool {
        self.blocks.iter().all(|b| match b {
            Block::Paragraph(r) => r.cells.iter().all(|c| c.trim().is_empty()),
            Block::Table(rows) => rows
                .iter()
                .all(|r| r.cells.iter().all(|c| c.trim().is_empty())),
        })
    }

    /// One line per paragraph and per table row (cells joined by TAB). Readers of laid-out files
    /// (Word, PDF) have no blank lines of their own; a blank line after each table keeps a
    /// paragraph that follows from reading as the wrapped rest of the table's last row, as in
    /// text converted from such files.
    pub fn text_layer(&self) -> TextLayer {
        let mut t = TextLayer::default();
        let laid_out = self.reader != "text";
        for b in &self.blocks {
            match b {
                Block::Paragraph(r) => t.push(r.cells.join("\t"), r.loc),
                Block::Table(rows) => {
                    for r in rows {
                        t.push(r.cells.join("\t"), r.loc);
                    }
                    if laid_out {
                        let loc = rows.last().map(|r| r.loc).unwrap_or_default();
                        t.push(String::new(), loc);
                    }
                }
            }
        }
        t
    }
}

impl TextLayer {
    fn push(&mut self, line: String, loc: Loc) {
        self.lines.push(line);
        self.locs.push(loc);
    }

    /// `FILE:LINE` or `FILE:pPAGE:LINE` for a 0-based text-layer line.
    pub fn source(&self, file: &str, line: usize) -> String {
        match self.locs.get(line) {
            Some(Loc {
                page: Some(p),
                line: l,
            }) => format!("{file}:p{p}:{l}"),
            Some(Loc {
                page: None,
                line: l,
            }) => format!("{file}:{l}"),
            None => format!("{file}:{}", line + 1),
        }
    }
}

/// Join two pieces of text that were cut apart by layout (a wrapped cell, a line broken at the
/// margin): no space between two Chinese characters, around Chinese punctuation or inside a
/// number cut by a narrow column; one space between two Latin letters.
pub fn join_wrapped(out: &mut String, next: &str) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    let (Some(a), Some(b)) = (out.chars().next_back(), next.chars().next()) else {
        out.push_str(next);
        return;
    };
    if needs_space(a, b) {
        out.push(' ');
    }
    out.push_str(next);
}

fn needs_space(a: char, b: char) -> bool {
    a.is_ascii_alphabetic() && b.is_ascii_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_layer_joins_cells_and_locates_lines() {
        let mut d = Document::new("a.pdf", "pdf");
        d.blocks.push(Block::Paragraph(Row {
            cells: vec!["标题".into()],
            loc: Loc {
                page: Some(1),
                line: 1,
            },
        }));
        d.blocks.push(Block::Table(vec![Row {
            cells: vec!["一级指标".into(), "".into(), "分值".into()],
            loc: Loc {
                page: Some(2),
                line: 5,
            },
        }]));
        let t = d.text_layer();
        assert_eq!(t.lines, ["标题", "一级指标\t\t分值", ""]);
        assert_eq!(t.source("a.pdf", 1), "a.pdf:p2:5");
        assert_eq!(d.tables(), 1);
    }

    #[test]
    fn wrapped_text_joins_without_space_between_chinese() {
        let mut s = "预算执行".to_string();
        join_wrapped(&mut s, "率");
        assert_eq!(s, "预算执行率");
        let mut s = "Total".to_string();
        join_wrapped(&mut s, "score");
        assert_eq!(s, "Total score");
        let mut s = "949.8".to_string();
        join_wrapped(&mut s, "2");
        join_wrapped(&mut s, "万元");
        assert_eq!(s, "949.82万元");
    }
}
