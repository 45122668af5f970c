//! One page's ink (glyphs with positions, and the ruling lines painted on it) laid out as lines
//! of text and tables.
//!
//! Tables are found from their borders: horizontal and vertical rules that touch form a grid
//! (Word draws borders as thin filled rectangles, LibreOffice strokes lines; both become rules).
//! The grid's rows and columns come from the rules' positions; two grid cells with no rule between
//! them belong to one merged cell, whose text goes to its top-left grid cell while the cells it
//! covers stay empty. Every glyph inside a grid goes to its cell, so a cell wrapped over several
//! lines stays one cell, its lines joined back. Text outside grids is read line by line.

use crate::extract::document::join_wrapped;
use crate::extract::text::is_han;

/// A glyph in page coordinates with y growing downwards; `y` is the baseline.
#[derive(Debug, Clone)]
pub struct Glyph {
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
    pub size: f64,
    pub text: String,
}

/// An axis-aligned rule: horizontal when `y0 == y1`, vertical when `x0 == x1`.
#[derive(Debug, Clone, Copy)]
pub struct Seg {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

#[derive(Debug, Default)]
pub struct PageInk {
    pub width: f64,
    pub height: f64,
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Seg>,
}

/// A line of text outside tables, with its geometry (for furniture and paragraph joining).
#[derive(Debug, Clone)]
pub struct TextLine {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    pub top: f64,
    pub baseline: f64,
    pub size: f64,
    /// Repeated at the top of several pages while reading like a form title: a running header
    /// when a table continues right below it, else kept.
    pub header_like: bool,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub rows: Vec<Vec<String>>,
    /// The baseline of each row's first text line (for line numbers).
    pub row_baselines: Vec<f64>,
    pub top: f64,
    pub bottom: f64,
    /// Column boundaries, to tell a table continued on the next page.
    pub columns: Vec<f64>,
}

#[derive(Debug, Clone)]
pub enum Item {
    Line(TextLine),
    Table(Table),
}

impl Item {
    pub fn top(&self) -> f64 {
        match self {
            Item::Line(l) => l.top,
            Item::Table(t) => t.top,
        }
    }
}

const JOIN: f64 = 2.0;

/// Lay a page out: its items from top to bottom.
pub fn lay_out(ink: &PageInk) -> Vec<Item> {
    let glyphs = dedup_overprint(&ink.glyphs);
    let (hs, vs) = merge_rules(&ink.rules);
    let grids = grids(&hs, &vs);
    let mut in_table = vec![false; glyphs.len()];
    let mut items: Vec<Item> = Vec::new();
    for g in &grids {
        let mut mine: Vec<&Glyph> = Vec::new();
        for (k, gl) in glyphs.iter().enumerate() {
            if !in_table[k] && g.contains(gl) {
                in_table[k] = true;
                mine.push(gl);
            }
        }
        if let Some(t) = g.table(&mine) {
            items.push(Item::Table(t));
        }
    }
    let rest: Vec<&Glyph> = glyphs
        .iter()
        .zip(&in_table)
        .filter(|(_, t)| !**t)
        .map(|(g, _)| g)
        .collect();
    for line in visual_lines(&rest) {
        let (text, x0, x1) = line_text(&line, true);
        if text.trim().is_empty() {
            continue;
        }
        let size = line.iter().map(|g| g.size).fold(0.0, f64::max);
        let baseline = line[0].y;
        items.push(Item::Line(TextLine {
            text,
            x0,
            x1,
            top: baseline - size,
            baseline,
            size,
            header_like: false,
        }));
    }
    items.sort_by(|a, b| a.top().total_cmp(&b.top()));
    items
}

/// Text drawn twice at (almost) the same place, as synthetic bold does, is read once.
fn dedup_overprint(glyphs: &[Glyph]) -> Vec<Glyph> {
    let mut out: Vec<Glyph> = Vec::with_capacity(glyphs.len());
    for g in glyphs {
        let dup = out.iter().rev().take(4).any(|o| {
            o.text == g.text
                && (o.x0 - g.x0).abs() < 0.2 * g.size.max(1.0)
                && (o.y - g.y).abs() < 0.2 * g.size.max(1.0)
        });
        if !dup {
            out.push(g.clone());
        }
    }
    out
}

/// Glyphs grouped into lines by baseline, each line in reading order.
fn visual_lines<'a>(glyphs: &[&'a Glyph]) -> Vec<Vec<&'a Glyph>> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    for g in sorted {
        let fits = lines.last().map(|l| {
            let base = l[0].y;
            let size = l[0].size.max(g.size).max(1.0);
            (g.y - base).abs() <= 0.4 * size
        });
        match fits {
            Some(true) => lines.last_mut().unwrap().push(g),
            _ => lines.push(vec![g]),
        }
    }
    for l in &mut lines {
        l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

fn is_cjk(c: char) -> bool {
    is_han(c) || ('\u{3000}'..='\u{303F}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c)
}

/// A line's text: a space where the gap between two glyphs is wider than a space (never
/// between two Chinese characters, which justified lines spread apart), and a TAB where the gap
/// is as wide as two characters (aligned columns without borders) when `tabs` is set.
fn line_text(line: &[&Glyph], tabs: bool) -> (String, f64, f64) {
    let mut s = String::new();
    let mut prev: Option<&Glyph> = None;
    let x0 = line.first().map(|g| g.x0).unwrap_or(0.0);
    let mut x1 = x0;
    for g in line {
        let blank = g.text.trim().is_empty();
        if let Some(p) = prev {
            let gap = g.x0 - p.x1;
            let size = p.size.max(g.size).max(1.0);
            let last = s.chars().next_back();
            let first = g.text.chars().next();
            let both_cjk = matches!((last, first), (Some(a), Some(b)) if is_cjk(a) && is_cjk(b));
            if tabs && gap > 2.0 * size && !s.ends_with('\t') {
                while s.ends_with(' ') {
                    s.pop();
                }
                s.push('\t');
            } else if gap > 0.25 * size && !both_cjk && !s.ends_with([' ', '\t']) && !blank {
                s.push(' ');
            }
        }
        if blank {
            if !s.is_empty() && !s.ends_with([' ', '\t']) {
                s.push(' ');
            }
        } else {
            s.push_str(&g.text);
            x1 = x1.max(g.x1);
        }
        prev = Some(g);
    }
    (s.trim_end().to_string(), x0, x1)
}

/// Horizontal and vertical rules, collinear pieces merged.
fn merge_rules(rules: &[Seg]) -> (Vec<Seg>, Vec<Seg>) {
    let mut h: Vec<(f64, f64, f64)> = Vec::new();
    let mut v: Vec<(f64, f64, f64)> = Vec::new();
    for r in rules {
        let (dx, dy) = ((r.x1 - r.x0).abs(), (r.y1 - r.y0).abs());
        if dy <= 1.0 && dx >= 2.0 {
            h.push(((r.y0 + r.y1) / 2.0, r.x0.min(r.x1), r.x0.max(r.x1)));
        } else if dx <= 1.0 && dy >= 2.0 {
            v.push(((r.x0 + r.x1) / 2.0, r.y0.min(r.y1), r.y0.max(r.y1)));
        }
    }
    let merge = |mut xs: Vec<(f64, f64, f64)>| -> Vec<(f64, f64, f64)> {
        xs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        // Cluster the positions, then merge overlapping spans within a cluster.
        let mut out: Vec<(f64, f64, f64)> = Vec::new();
        let mut i = 0;
        while i < xs.len() {
            let mut j = i;
            while j + 1 < xs.len() && xs[j + 1].0 - xs[i].0 <= 1.5 {
                j += 1;
            }
            let pos = xs[i..=j].iter().map(|s| s.0).sum::<f64>() / (j - i + 1) as f64;
            let mut spans: Vec<(f64, f64)> = xs[i..=j].iter().map(|s| (s.1, s.2)).collect();
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut cur = spans[0];
            for s in &spans[1..] {
                if s.0 <= cur.1 + JOIN {
                    cur.1 = cur.1.max(s.1);
                } else {
                    out.push((pos, cur.0, cur.1));
                    cur = *s;
                }
            }
            out.push((pos, cur.0, cur.1));
            i = j + 1;
        }
        out
    };
    let hs = merge(h)
        .into_iter()
        .map(|(y, a, b)| Seg {
            x0: a,
            y0: y,
            x1: b,
            y1: y,
        })
        .collect();
    let vs = merge(v)
        .into_iter()
        .map(|(x, a, b)| Seg {
            x0: x,
            y0: a,
            x1: x,
            y1: b,
        })
        .collect();
    (hs, vs)
}

struct Grid {
    xs: Vec<f64>,
    ys: Vec<f64>,
    hs: Vec<Seg>,
    vs: Vec<Seg>,
}

fn touches(h: &Seg, v: &Seg) -> bool {
    v.x0 >= h.x0 - JOIN && v.x0 <= h.x1 + JOIN && h.y0 >= v.y0 - JOIN && h.y0 <= v.y1 + JOIN
}

fn find(p: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while p[r] != r {
        r = p[r];
    }
    let mut i = i;
    while p[i] != r {
        let n = p[i];
        p[i] = r;
        i = n;
    }
    r
}

/// Grids: groups of touching rules with at least two of each direction.
fn grids(hs: &[Seg], vs: &[Seg]) -> Vec<Grid> {
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if touches(h, v) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, hs.len() + j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> = Default::default();
    for (i, h) in hs.iter().enumerate() {
        groups.entry(find(&mut parent, i)).or_default().0.push(*h);
    }
    for (j, v) in vs.iter().enumerate() {
        groups
            .entry(find(&mut parent, hs.len() + j))
            .or_default()
            .1
            .push(*v);
    }
    let mut out = Vec::new();
    for (_, (h, v)) in groups {
        if h.len() < 2 || v.len() < 2 {
            continue;
        }
        let xs = cluster(v.iter().map(|s| s.x0).collect());
        let ys = cluster(h.iter().map(|s| s.y0).collect());
        if xs.len() < 2 || ys.len() < 2 {
            continue;
        }
        out.push(Grid {
            xs,
            ys,
            hs: h,
            vs: v,
        });
    }
    out
}

fn cluster(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(|a, b| a.total_cmp(b));
    let mut out: Vec<f64> = Vec::new();
    for x in v {
        match out.last() {
            Some(l) if x - l <= JOIN => {}
            _ => out.push(x),
        }
    }
    out
}

impl Grid {
    fn contains(&self, g: &Glyph) -> bool {
        let (cx, cy) = ((g.x0 + g.x1) / 2.0, g.y - 0.3 * g.size);
        cx >= self.xs[0] - 1.0
            && cx <= *self.xs.last().unwrap() + 1.0
            && cy >= self.ys[0] - 1.0
            && cy <= *self.ys.last().unwrap() + 1.0
    }

    /// Is there a rule along y between x0 and x1 (at its middle)?
    fn h_rule(&self, y: f64, x0: f64, x1: f64) -> bool {
        let mid = (x0 + x1) / 2.0;
        self.hs
            .iter()
            .any(|s| (s.y0 - y).abs() <= JOIN && s.x0 <= mid && s.x1 >= mid)
    }

    fn v_rule(&self, x: f64, y0: f64, y1: f64) -> bool {
        let mid = (y0 + y1) / 2.0;
        self.vs
            .iter()
            .any(|s| (s.x0 - x).abs() <= JOIN && s.y0 <= mid && s.y1 >= mid)
    }

    fn table(&self, glyphs: &[&Glyph]) -> Option<Table> {
        let (nr, nc) = (self.ys.len() - 1, self.xs.len() - 1);
        // Merged cells: grid cells with no rule between them share a root (their top-left).
        let mut parent: Vec<usize> = (0..nr * nc).collect();
        let id = |r: usize, c: usize| r * nc + c;
        for r in 0..nr {
            for c in 0..nc {
                if c + 1 < nc && !self.v_rule(self.xs[c + 1], self.ys[r], self.ys[r + 1]) {
                    let (a, b) = (find(&mut parent, id(r, c)), find(&mut parent, id(r, c + 1)));
                    let (lo, hi) = (a.min(b), a.max(b));
                    parent[hi] = lo;
                }
                if r + 1 < nr && !self.h_rule(self.ys[r + 1], self.xs[c], self.xs[c + 1]) {
                    let (a, b) = (find(&mut parent, id(r, c)), find(&mut parent, id(r + 1, c)));
                    let (lo, hi) = (a.min(b), a.max(b));
                    parent[hi] = lo;
                }
            }
        }
        // Smallest index = top-most row, then left-most column: the merged cell's top-left.
        let mut cell_glyphs: Vec<Vec<&Glyph>> = vec![Vec::new(); nr * nc];
        for g in glyphs {
            let (cx, cy) = ((g.x0 + g.x1) / 2.0, g.y - 0.3 * g.size);
            let c = slot(&self.xs, cx);
            let r = slot(&self.ys, cy);
            let root = find(&mut parent, id(r, c));
            cell_glyphs[root].push(g);
        }
        let mut rows = Vec::new();
        let mut row_baselines = Vec::new();
        for r in 0..nr {
            let mut cells = vec![String::new(); nc];
            let mut base: Option<f64> = None;
            for c in 0..nc {
                let k = id(r, c);
                if find(&mut parent, k) != k || cell_glyphs[k].is_empty() {
                    continue;
                }
                let mut text = String::new();
                for line in visual_lines(&cell_glyphs[k]) {
                    let (t, _, _) = line_text(&line, false);
                    join_wrapped(&mut text, &t);
                    base = Some(base.map_or(line[0].y, |b: f64| b.min(line[0].y)));
                }
                cells[c] = text.replace('\t', " ");
            }
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows.push(cells);
            row_baselines.push(base.unwrap_or(self.ys[r]));
        }
        if rows.is_empty() {
            return None;
        }
        Some(Table {
            rows,
            row_baselines,
            top: self.ys[0],
            bottom: *self.ys.last().unwrap(),
            columns: self.xs.clone(),
        })
    }
}

/// The interval of sorted boundaries `b` holding `x` (clamped to the first and last).
fn slot(b: &[f64], x: f64) -> usize {
    let n = b.len() - 1;
    b[1..n].iter().take_while(|e| x >= **e).count().min(n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(s: &str, x: f64, y: f64) -> Vec<Glyph> {
        s.chars()
            .enumerate()
            .map(|(k, c)| Glyph {
                x0: x + 10.0 * k as f64,
                x1: x + 10.0 * (k + 1) as f64,
                y,
                size: 10.0,
                text: c.to_string(),
            })
            .collect()
    }

    fn h(y: f64, x0: f64, x1: f64) -> Seg {
        Seg {
            x0,
            y0: y,
            x1,
            y1: y,
        }
    }
    fn v(x: f64, y0: f64, y1: f64) -> Seg {
        Seg {
            x0: x,
            y0,
            x1: x,
            y1,
        }
    }

    #[test]
    fn a_grid_with_a_merged_cell_and_a_wrapped_cell() {
        // Columns 0-100, 100-200, 200-250; rows 0-20, 20-40, 40-60. The first column's cell spans
        // rows 2 and 3 (no rule at y=40 between x 0 and 100); the second row's middle cell wraps.
        let mut ink = PageInk::default();
        ink.rules = vec![
            h(0.0, 0.0, 250.0),
            h(20.0, 0.0, 250.0),
            h(40.0, 100.0, 250.0),
            h(60.0, 0.0, 250.0),
            v(0.0, 0.0, 60.0),
            v(100.0, 0.0, 60.0),
            v(200.0, 0.0, 60.0),
            v(250.0, 0.0, 60.0),
        ];
        ink.glyphs.extend(glyphs("一级指标", 5.0, 15.0));
        ink.glyphs.extend(glyphs("三级", 105.0, 15.0));
        ink.glyphs.extend(glyphs("分值", 205.0, 15.0));
        ink.glyphs.extend(glyphs("产出指标", 5.0, 45.0)); // centred in its merged cell
        ink.glyphs.extend(glyphs("预算执行", 105.0, 28.0));
        ink.glyphs.extend(glyphs("率", 105.0, 38.0));
        ink.glyphs.extend(glyphs("10", 205.0, 35.0));
        ink.glyphs.extend(glyphs("群众", 105.0, 55.0));
        ink.glyphs.extend(glyphs("5", 205.0, 55.0));
        ink.glyphs.extend(glyphs("注：以上为自评", 5.0, 80.0));
        let items = lay_out(&ink);
        let Item::Table(t) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(
            t.rows,
            vec![
                vec!["一级指标", "三级", "分值"],
                vec!["产出指标", "预算执行率", "10"],
                vec!["", "群众", "5"],
            ]
        );
        let Item::Line(l) = &items[1] else { panic!() };
        assert_eq!(l.text, "注：以上为自评");
    }

    #[test]
    fn gaps_become_spaces_or_tabs_but_not_between_chinese() {
        let mut g = glyphs("预算", 0.0, 10.0);
        g.extend(glyphs("执行", 25.0, 10.0)); // a justified gap of 5: no space
        g.extend(glyphs("99.2", 95.0, 10.0)); // a gap of 30: a column
        g.extend(glyphs("分", 135.0, 10.0));
        let refs: Vec<&Glyph> = g.iter().collect();
        assert_eq!(line_text(&refs, true).0, "预算执行\t99.2分");
        assert_eq!(line_text(&refs, false).0, "预算执行 99.2分");
    }

    #[test]
    fn overprinted_bold_is_read_once() {
        let mut g = glyphs("总分", 0.0, 10.0);
        g.extend(glyphs("总分", 0.5, 10.0));
        let lines = lay_out(&PageInk {
            glyphs: g,
            ..Default::default()
        });
        let Item::Line(l) = &lines[0] else { panic!() };
        assert_eq!(l.text, "总分");
    }
}
