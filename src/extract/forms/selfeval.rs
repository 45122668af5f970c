//! Self-evaluation forms (自评表): the national 项目支出绩效自评表, its provincial variants, and
//! the 部门整体支出绩效自评表, read by their labels rather than by the shape of their lines.
//!
//! A form starts at its title or at its 项目名称/部门名称 label. Its lines become a stream of
//! tokens: the cells of table rows (with their column), or the words of a form written one cell
//! per line or glued onto one line (labels found inside runs of text split off). Fields are read
//! from the token after their label (`labels`: the vocabulary is data). The funds block's values
//! go to the columns their header names, by column where the layout keeps columns and by kind
//! (a percentage is the rate) where it does not. The indicator block is read as a table where it
//! is one (`table`), else by a grammar over the tokens: a row ends at its 分值 and 得分, its
//! labels before them, level names known from the vocabulary.

use rust_decimal::Decimal;

use super::labels::{grade_word, norm, Labels};
use super::stream::{self, glued, Tok, KEY_FIELDS};
use super::table::{self, Carry, Indicator};
use crate::extract::text::{compact, money_wan, number, percent, squash};

/// A stated subtotal: (level, name, max, score, line).
pub type Stated = (usize, String, Option<Decimal>, Option<Decimal>, usize);

#[derive(Debug, Clone, Default)]
pub struct Form {
    /// `project` or `department`
    pub scope: &'static str,
    /// First line of the form (its title, or its first label).
    pub title_line: usize,
    pub name: Option<String>,
    pub name_line: usize,
    pub year: Option<i32>,
    /// 主管部门
    pub department: Option<String>,
    /// 实施单位
    pub implementing_unit: Option<String>,
    /// 部门名称/单位名称 (department forms)
    pub unit_name: Option<String>,
    pub budget_initial: Option<Decimal>,
    pub budget_full_year: Option<Decimal>,
    pub executed: Option<Decimal>,
    pub rate_stated: Option<Decimal>,
    pub exec_max: Option<Decimal>,
    pub exec_score: Option<Decimal>,
    pub funds_line: Option<usize>,
    /// Full-year amounts of the rows under 年度资金总额 (当年财政拨款, 上年结转资金, 其他资金)
    /// that state one: (label, amount, line).
    pub budget_parts: Vec<(String, Decimal, usize)>,
    pub indicators: Vec<Indicator>,
    pub stated_subtotals: Vec<Stated>,
    pub total_max: Option<Decimal>,
    pub total: Option<Decimal>,
    pub total_line: Option<usize>,
    pub grade: Option<String>,
    /// The first line after the form.
    pub end: usize,
}

/// Is this line a form's title (naming a form in its first 40 characters), and of which scope?
/// (An indicator system or score table, 指标体系评分表, is not a form of its own: it scores the
/// document's department, and is read with it.)
fn title_scope(labels: &Labels, line: &str) -> Option<&'static str> {
    // A title may stand in a table's first cell (web pages put it in the table).
    let line = if line.contains('\t') {
        let cells: Vec<&str> = line
            .split('\t')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        match cells.as_slice() {
            [first, rest @ ..] if rest.len() <= 1 => *first,
            _ => return None,
        }
    } else {
        line
    };
    let c = norm(line);
    let head: String = c.chars().take(40).collect();
    let has = |field: &str| labels.find_in(&head, &[field]).first().is_some();
    if has("form_department") {
        Some("department")
    } else if has("form_project") {
        Some("project")
    } else {
        None
    }
}

/// The first non-empty cell of a line.
fn first_cell(line: &str) -> &str {
    line.split('\t')
        .map(str::trim)
        .find(|c| !c.is_empty())
        .unwrap_or("")
}

/// Where a form starts: its line, the byte in that line (0 unless forms run together on one
/// line) and its scope.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Start {
    line: usize,
    at: usize,
    scope: &'static str,
}

/// Forms starting inside line `i` after byte `after` of it: at a 项目名称 whose stretch of text
/// before it holds a 总分 with its number, the end of the form before, and where a form's body
/// follows. `open_before`: a form started on an earlier line.
fn inner_starts(
    labels: &Labels,
    lines: &[String],
    i: usize,
    after: usize,
    open_before: bool,
) -> Vec<Start> {
    let l = &lines[i];
    let n = norm(l);
    let names = labels.find_in(&n, &["project_name"]);
    let mut out = Vec::new();
    // The stretch before a 项目名称 runs from the one before it on the line, or from the line's
    // start where a form opened on an earlier line: a 自评总分 in a form's own head, before its
    // 项目名称, ends nothing.
    let mut prev: Option<usize> = None;
    for &(a, _) in &names {
        let from = match prev.replace(a) {
            Some(p) => p,
            None if open_before => 0,
            None => continue,
        };
        if a == 0 {
            continue;
        }
        let before = &n[from..a];
        // (总分 is two characters: find_in skips labels that short. A label with its number
        // fits in a window of 16 characters.)
        let ended = before.char_indices().any(|(k, _)| {
            let window: String = before[k..].chars().take(16).collect();
            labels
                .starts(&window, "total")
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        });
        if !ended {
            continue;
        }
        let at = raw_offset(l, a);
        if at <= after {
            continue;
        }
        let mut rest = vec![l[at..].to_string()];
        rest.extend(lines.iter().skip(i + 1).take(40).cloned());
        if is_form_at(labels, &rest, 0, false) {
            out.push(Start {
                line: i,
                at,
                scope: "project",
            });
        }
    }
    out
}

/// The byte of `line` where its normalised text (`norm`) reaches byte `at`.
fn raw_offset(line: &str, at: usize) -> usize {
    let bounds: Vec<usize> = line
        .char_indices()
        .map(|(k, _)| k)
        .chain([line.len()])
        .collect();
    let k = bounds.partition_point(|&k| norm(&line[..k]).len() < at);
    bounds.get(k).copied().unwrap_or(line.len())
}

/// Where forms start: (line, scope). A form starts at its title or at its 项目名称 label, and
/// only where a funds block (项目资金, 年度资金总额) or an indicator header (一级指标 with 年度指标值,
/// 实际完成值, 评分标准, or for a titled form 分值/得分) follows: 项目名称 heads other tables too
/// (预算执行情况表, 绩效目标申报表).
fn starts(labels: &Labels, lines: &[String]) -> Vec<Start> {
    let mut out: Vec<Start> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        'line: {
            let recent = out.last().map(|s| i < s.line + 6).unwrap_or(false);
            if let Some(scope) = title_scope(labels, l) {
                // A section heading (三、项目支出绩效自评表) just above the form's own title: the
                // form starts at its title.
                if recent && title_scope(labels, &lines[out.last().unwrap().line]).is_some() {
                    out.last_mut().unwrap().line = i;
                    break 'line;
                }
                // A form cut short after its head (a page's excerpt) still names its project.
                let named = lines
                    .iter()
                    .skip(i + 1)
                    .filter(|l| !l.trim().is_empty())
                    .take(4)
                    .any(|l| {
                        labels.is(first_cell(l), "project_name")
                            || labels.is(first_cell(l), "unit_name")
                    });
                if !recent && (is_form_at(labels, lines, i, true) || named) {
                    out.push(Start {
                        line: i,
                        at: 0,
                        scope,
                    });
                }
                break 'line;
            }
            if recent {
                break 'line;
            }
            let first = first_cell(l);
            let opens = labels.is(first, "project_name")
                || labels
                    .starts(first, "project_name")
                    .is_some_and(|r| !r.is_empty())
                || (!l.contains('\t')
                    && labels.find_in(&norm(l), &["project_name"]).len() == 1
                    && (glued(labels, l) || l.chars().count() > 60));
            if opens && is_form_at(labels, lines, i, false) {
                out.push(Start {
                    line: i,
                    at: 0,
                    scope: "project",
                });
            }
        }
        // Forms run together on one line (a viewer's page of several forms): another form starts
        // at a 项目名称 after the 总分 of the one before.
        if !l.contains('\t') {
            let from = out
                .last()
                .filter(|s| s.line == i)
                .map(|s| s.at)
                .unwrap_or(0);
            let open_before = out.first().is_some_and(|s| s.line < i);
            out.extend(inner_starts(labels, lines, i, from, open_before));
        }
    }
    out
}

/// Does a form's body follow line `i` (within the next 40 lines holding text, the line itself
/// included for forms glued onto one)? `titled`: a title stands above, so an indicator header
/// with points (分值, 得分) is enough.
fn is_form_at(labels: &Labels, lines: &[String], i: usize, titled: bool) -> bool {
    let mut level1 = false;
    let mut columns = false;
    for l in lines
        .iter()
        .skip(i)
        .filter(|l| !l.trim().is_empty())
        .take(40)
    {
        let words: Vec<String> = if l.contains('\t') {
            l.split('\t').map(str::to_string).collect()
        } else {
            l.split_whitespace().map(str::to_string).collect()
        };
        // Labels inside runs of text (a form whose cells ran together): 年度资金总额 followed by
        // its amount, or a header of three labels or more close together (prose mentions labels
        // one at a time).
        let n = norm(l);
        for (a, b) in labels.find_in(&n, &["funds_total"]) {
            if n[b..]
                .trim_start_matches(':')
                .starts_with(|c: char| c.is_ascii_digit())
            {
                return true;
            }
            let _ = a;
        }
        let head = labels.find_in(
            &n,
            &[
                "level1",
                "level2",
                "level3",
                "indicator_name",
                "target",
                "actual",
                "max_points",
                "score",
            ],
        );
        if head.len() >= 3
            && head
                .windows(3)
                .any(|w| n[w[0].0..w[2].1].chars().count() <= 24)
        {
            let fields: Vec<&str> = head
                .iter()
                .flat_map(|(a, b)| labels.fields_of(&n[*a..*b]))
                .collect();
            if fields.contains(&"level1")
                && (fields.contains(&"target") || fields.contains(&"actual") || titled)
            {
                return true;
            }
            // One list of indicators (指标名称 … 指标权重 指标得分) under a form's title.
            if titled && fields.contains(&"indicator_name") && fields.contains(&"score") {
                return true;
            }
        }
        let budget_col = words.iter().any(|w| {
            labels.is(w, "budget_full_year")
                || labels.is(w, "budget_initial")
                || labels.is(w, "executed")
        });
        for w in &words {
            let w = w.trim();
            if w.is_empty() {
                continue;
            }
            // 项目资金 names an indicator too (资金到位情况 | 项目资金): only with its columns.
            if labels.is(w, "funds_total") || labels.is(w, "funds") && budget_col {
                return true;
            }
            level1 |= labels.is(w, "level1")
                || labels.starts(w, "level1").is_some_and(|r| r.len() <= 6)
                || titled && labels.is(w, "indicator_name");
            // 评分标准 and 分值/得分 head expert and indicator-system tables too: only under a
            // form's title do they make one.
            columns |= labels.is(w, "target")
                || labels.is(w, "actual")
                || titled
                    && (labels.is(w, "criteria")
                        || labels.is(w, "score")
                        || labels.is(w, "max_points"));
            if level1 && columns {
                return true;
            }
        }
    }
    false
}

/// The year of a title line: `(2023年度)` or `2023年度项目支出绩效自评表`, not a 20XX年度 inside a
/// row (a project's name).
fn title_year(s: &str) -> Option<i32> {
    if s.contains('\t') {
        return None;
    }
    let c = norm(s);
    // A glued form holds its whole text on the line: only its head, before 项目名称, counts.
    let head = c.split("项目名称").next().unwrap_or(&c);
    year_in(head)
}

fn year_in(s: &str) -> Option<i32> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    // (2021年) in a title is the year too.
    let p = t.find("年度").or_else(|| {
        t.find("年)")
            .or_else(|| t.find("年）"))
            .filter(|p| *p >= 4 && t[..*p].ends_with(|c: char| c.is_ascii_digit()))
    })?;
    let digits: String = t[..p]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let y: String = digits.chars().rev().collect();
    if y.len() == 4 && y.starts_with("20") {
        y.parse().ok()
    } else {
        None
    }
}

/// Every self-evaluation form in the document.
pub fn find_all(labels: &Labels, lines: &[String]) -> Vec<Form> {
    let starts = starts(labels, lines);
    let mut out = Vec::new();
    for (k, s) in starts.iter().enumerate() {
        let next = starts.get(k + 1);
        let to = match next {
            Some(n) if n.at > 0 => n.line + 1,
            Some(n) => n.line,
            None => lines.len(),
        };
        // Forms that share a line read it cut where one ends and the next starts; line
        // numbers stay those of the document. A line whose spaces are wraps (judged on the
        // whole line: a piece of it may be too short to tell) has them closed first.
        let cut = s.at > 0 || next.is_some_and(|n| n.at > 0);
        let own: Vec<String>;
        let view: &[String] = if cut {
            own = lines
                .iter()
                .enumerate()
                .map(|(j, l)| {
                    let end = next
                        .filter(|n| n.line == j && n.at > 0)
                        .map_or(l.len(), |n| n.at);
                    let start = if j == s.line { s.at } else { 0 };
                    let piece = &l[start..end];
                    if (start, end) != (0, l.len()) && stream::run_with_wraps(l) {
                        squash(piece)
                    } else {
                        piece.to_string()
                    }
                })
                .collect();
            &own
        } else {
            lines
        };
        if let Some(f) = read_form(labels, view, s.line, to, s.scope) {
            out.push(f);
        }
    }
    out
}

fn read_form(
    labels: &Labels,
    lines: &[String],
    from: usize,
    to: usize,
    scope: &'static str,
) -> Option<Form> {
    // Read as a table where the layout kept its rows and columns, and as a stream of tokens
    // where it did not (web pages, one cell per line, glued); keep the reading that found more.
    let aligned = read_mode(labels, lines, from, to, scope, true);
    if aligned.as_ref().is_some_and(adds_up) {
        // A table whose 分值 add up to its full marks and 得分 to its total: nothing to gain
        // from the slower reading.
        return aligned;
    }
    let streamed = read_mode(labels, lines, from, to, scope, false);
    match (aligned, streamed) {
        (Some(a), Some(s)) => Some(if found(&s) > found(&a) { s } else { a }),
        (a, s) => a.or(s),
    }
}

/// How much of a form a reading found, and whether it adds up: its fields and indicators,
/// and much more for 分值 that add up to the total's (100) and 得分 that add up to the total. A
/// reading that splits a row in two finds more rows but breaks the sums.
fn found(f: &Form) -> usize {
    let some = |x: bool| x as usize;
    let (scored, points_add_up, scores_add_up) = sums(f);
    some(f.name.is_some())
        + some(f.implementing_unit.is_some() || f.department.is_some() || f.unit_name.is_some())
        + some(f.budget_full_year.is_some())
        + some(f.executed.is_some())
        + some(f.rate_stated.is_some())
        + some(f.exec_max.is_some())
        + some(f.total.is_some() || f.total_max.is_some())
        + 2 * scored
        // Rows with a score and no 分值 column (得分 only) are found too, if worth less.
        + f.indicators
            .iter()
            .filter(|i| i.max_points.is_none() && i.score.is_some())
            .count()
        + 40 * some(points_add_up)
        + 20 * some(scores_add_up)
}

/// Scored rows whose 分值 add up to the full marks and whose 得分 add up to the stated total.
fn adds_up(f: &Form) -> bool {
    let (_, points, scores) = sums(f);
    points && scores
}

/// (scored rows, their 分值 add up to the full marks, their 得分 to the stated total).
fn sums(f: &Form) -> (usize, bool, bool) {
    let scored: Vec<&Indicator> = f
        .indicators
        .iter()
        .filter(|i| i.max_points.is_some())
        .collect();
    let points: Decimal = scored.iter().filter_map(|i| i.max_points).sum::<Decimal>()
        + f.exec_max.unwrap_or_default();
    let score_sum: Option<Decimal> = scored
        .iter()
        .map(|i| i.score)
        .chain(f.exec_max.map(|_| f.exec_score))
        .sum();
    let full = f.total_max.unwrap_or(Decimal::from(100));
    (
        scored.len(),
        !scored.is_empty() && points == full,
        f.total.is_some() && score_sum == f.total,
    )
}

fn read_mode(
    labels: &Labels,
    lines: &[String],
    from: usize,
    to: usize,
    scope: &'static str,
    aligned: bool,
) -> Option<Form> {
    let mut f = Form {
        scope,
        title_line: from,
        name_line: from,
        end: from + 1,
        ..Default::default()
    };
    // The year stands by the title ((2023年度)); a project named 2021年度… is not its year.
    f.year = (from..(from + 4).min(to)).find_map(|k| title_year(&lines[k]));
    // The indicator table, where the layout keeps it a table, bounds what the tokens read.
    let mut table_at: Option<(usize, table::Header)> = None;
    if aligned {
        for k in from..to {
            if let Some(h) = table::header(lines, k) {
                table_at = Some((k, h));
                break;
            }
        }
    }
    let head_to = table_at.as_ref().map(|t| t.0).unwrap_or(to);
    let toks = stream::tokens(labels, lines, from, head_to, aligned);
    let mut last_line = from;

    // Key-value fields.
    for (i, t) in toks.iter().enumerate() {
        let set = |slot: &mut Option<String>| {
            if slot.is_none() {
                *slot = value_after(labels, &toks, i).map(|(v, _)| v);
            }
        };
        if labels.is(&t.text, "project_name") {
            if f.name.is_none() {
                if let Some((v, line)) = value_after(labels, &toks, i) {
                    f.name = Some(v);
                    f.name_line = t.line;
                    last_line = last_line.max(line);
                }
            }
        } else if labels.is(&t.text, "department") {
            set(&mut f.department);
        } else if labels.is(&t.text, "implementing_unit") {
            set(&mut f.implementing_unit);
        } else if labels.is(&t.text, "unit_name") {
            set(&mut f.unit_name);
        } else if labels.is(&t.text, "grade") {
            if f.grade.is_none() {
                f.grade = toks.get(i + 1).and_then(|n| grade_word(&n.text));
            }
        } else if let Some(v) = inline_value(labels, &t.text, "unit_name") {
            // 单位名称：X or 部门：X in one cell.
            f.unit_name.get_or_insert(v);
        }
    }
    if scope == "department" && f.name.is_some() {
        // A department form has no project; 项目名称 there is not its name.
        f.name = None;
    }
    read_funds(labels, &toks, &mut f);
    if let Some(l) = f.funds_line {
        last_line = last_line.max(l);
    }

    // Indicators: a table, or the grammar over the tokens.
    if let Some((k, h)) = table_at {
        let mut carry = Carry::default();
        let read = table::read(lines, k, &h, &mut carry);
        f.indicators = read.indicators;
        for (lvl, name, pts, line) in read.subtotals {
            f.stated_subtotals.push((lvl, name, Some(pts), None, line));
        }
        if let Some((m, s, l)) = read.total {
            f.total_max = m;
            f.total = s;
            f.total_line = Some(l);
            // The grade in the total row's last cell (总分 | 100 | 96 | 优).
            if f.grade.is_none() && s.is_some() {
                f.grade = lines[l]
                    .split('\t')
                    .rev()
                    .find(|c| !c.trim().is_empty())
                    .and_then(grade_word);
            }
        }
        last_line = last_line.max(read.end.saturating_sub(1));
        // A grade row after the table.
        for l in read.end..(read.end + 3).min(to) {
            let cells: Vec<&str> = lines[l].split('\t').map(str::trim).collect();
            if let Some(p) = cells.iter().position(|c| labels.is(c, "grade")) {
                f.grade = f
                    .grade
                    .take()
                    .or_else(|| cells[p + 1..].iter().find_map(|c| grade_word(c)));
                last_line = last_line.max(l);
            }
        }
    } else if !aligned {
        if let Some(read) = stream::read(labels, &toks) {
            f.indicators = read.indicators;
            for (lvl, name, pts, line) in read.subtotals {
                f.stated_subtotals.push((lvl, name, Some(pts), None, line));
            }
            f.total_max = read.total_max;
            f.total = read.total;
            f.total_line = read.total_line;
            f.grade = f.grade.take().or(read.grade);
            last_line = last_line.max(read.last_line);
        }
    }
    // A total stated in the form's head (自评总分(分) | 97.6, Chongqing's department form), when
    // the indicator block ends without one, or the excerpt ends before it: a single number of
    // 100 or less right after a label of the total score (not 合计/总计, which head amounts too),
    // before the indicators. (Indicators read with no score say the form was left unfilled.)
    if f.total.is_none()
        && (f.indicators.is_empty() || f.indicators.iter().any(|i| i.score.is_some()))
    {
        let block = toks
            .iter()
            .position(|t| {
                ["level1", "level2", "indicator_name"]
                    .iter()
                    .any(|h| labels.is(&t.text, h))
            })
            .unwrap_or(toks.len());
        let hundred = Decimal::from(100);
        let head = toks[..block].iter().enumerate().find_map(|(i, t)| {
            let n = norm(&t.text);
            let total_label =
                labels.is(&t.text, "total") && n.contains("分") && !n.contains("合计");
            // The number may have run into the labels after it (97.93年初预算数…).
            let v = toks.get(i + 1).and_then(|v| {
                number(&v.text).or_else(|| {
                    let lead: String = v
                        .text
                        .chars()
                        .take_while(|c| c.is_ascii_digit() || *c == '.')
                        .collect();
                    let rest = norm(&v.text[lead.len()..]);
                    let label_next = labels
                        .find_in(
                            &rest,
                            &["budget_initial", "budget_full_year", "executed", "funds"],
                        )
                        .first()
                        .is_some_and(|(a, _)| *a == 0);
                    label_next.then(|| stream::plain_number(&lead)).flatten()
                })
            })?;
            let alone = toks.get(i + 2).is_none_or(|v| number(&v.text).is_none());
            (total_label && alone && v <= hundred).then_some((v, t.line))
        });
        if let Some((v, line)) = head {
            f.total = Some(v);
            f.total_line = Some(line);
        }
    }
    if f.name.is_none() && f.funds_line.is_none() && f.indicators.is_empty() && f.total.is_none() {
        return None;
    }
    f.end = (last_line + 1).max(from + 1).min(to.max(from + 1));
    Some(f)
}

/// The value written after a label and a colon in one cell (单位名称：某局, 部门:某中学).
fn inline_value(labels: &Labels, cell: &str, field: &str) -> Option<String> {
    let (label, raw) = cell.split_once([':', '：'])?;
    let label = norm(label);
    let label = label.as_str();
    // A table number or a money unit after a gap on the same line (部门：某中学　公开14表).
    let raw = raw.trim();
    let raw = match raw.split_once(char::is_whitespace) {
        Some((head, tail))
            if head.chars().count() >= 4
                && (tail.trim().ends_with('表')
                    || tail.contains("单位")
                    || tail.trim().starts_with("金额")) =>
        {
            head
        }
        _ => raw,
    };
    let n = norm(raw);
    let value = n.as_str();
    let known = labels.is(label, field) || (field == "unit_name" && label == "部门");
    (known && !value.is_empty() && value.chars().count() <= 40).then(|| value.to_string())
}

/// The value after the label at `toks[i]`: the next cell of its row, or the words up to the next
/// label where the layout has no rows.
fn value_after(labels: &Labels, toks: &[Tok], i: usize) -> Option<(String, usize)> {
    let t = &toks[i];
    if t.col.is_some() {
        let next = toks.get(i + 1)?;
        if next.line != t.line || labels.is_label(&next.text) {
            return None;
        }
        return Some((squash(&next.text), next.line));
    }
    let mut parts: Vec<&Tok> = Vec::new();
    for n in toks.iter().skip(i + 1) {
        // A value runs over several words of one line (a glued form), not over lines (a form
        // written one cell per line has its value in one).
        if parts.first().is_some_and(|p| p.line != n.line) {
            break;
        }
        // A word ending in a colon is the label of another field, known or not (是否为专项资金:).
        if labels.is_label(&n.text)
            || labels
                .find_in(&norm(&n.text), KEY_FIELDS)
                .first()
                .is_some_and(|(a, _)| *a == 0)
            || n.text.trim_end().ends_with([':', '：'])
        {
            break;
        }
        parts.push(n);
        if parts.len() >= 4 {
            break;
        }
    }
    if parts.is_empty() {
        return None;
    }
    // The same word twice is two cells whose labels both stood before them (PDF text order:
    // 项目主管单位 项目实施单位 X X): one value.
    if parts.len() >= 2 && parts[0].text == parts[1].text {
        parts.truncate(1);
    }
    let text = parts
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    // Check boxes are the next field's options run into the value (投资促进中心 □ 3、一次性项目 □).
    let text = text
        .split(['□', '☐', '■', '☑', '√'])
        .next()
        .unwrap_or_default();
    let value = squash(text);
    (!value.is_empty()).then(|| (value, parts[0].line))
}

/// The funds block: its header names the columns; 年度资金总额 holds the budget, execution and
/// the execution-rate points; the rows under it the parts of the budget.
fn read_funds(labels: &Labels, toks: &[Tok], f: &mut Form) {
    const MONEY: [&str; 3] = ["budget_initial", "budget_full_year", "executed"];
    const COLS: [&str; 6] = [
        "budget_initial",
        "budget_full_year",
        "executed",
        "exec_points",
        "exec_rate",
        "exec_score",
    ];
    // The row of amounts: the 年度资金总额 row, or (a department form's one row, without a
    // label: 部门预算执行情况(万元) | 年初预算数 | … | 执行率得分) the values right after the header.
    let (total_at, unlabelled) = match toks.iter().position(|t| labels.is(&t.text, "funds_total")) {
        Some(p) => (p, false),
        None => match unlabelled_funds_row(labels, toks, &COLS) {
            Some(p) => (p, true),
            None => {
                inline_funds(labels, toks, f);
                if f.funds_line.is_none() {
                    total_column_funds(labels, toks, f);
                }
                return;
            }
        },
    };
    // The header: the column labels before the total row, back to the funds label.
    let mut header: Vec<(&'static str, Option<usize>)> = Vec::new();
    let mut wan = true;
    // Points the header states for the rate's row (得分(20分*执行率), 分值(10分), or the block's
    // own label 预算执行情况(万元)(20分)).
    let mut stated: Option<Decimal> = None;
    let head_end = total_at + usize::from(unlabelled);
    for (at, t) in toks[..head_end].iter().enumerate().rev().take(16) {
        if stated.is_none()
            && (labels.is(&t.text, "funds")
                || labels.is(&t.text, "exec_points")
                || labels.is(&t.text, "exec_score"))
        {
            // The points may stand in a bracket of their own after the label (a cell wrapped
            // over two lines: 得分 / (20分*执行率)).
            let note = toks[..head_end]
                .get(at + 1)
                .filter(|n| norm(&n.text).starts_with('('));
            stated = points_in(&t.text).or_else(|| note.and_then(|n| points_in(&n.text)));
        }
        if labels.is(&t.text, "funds") {
            let n = norm(&t.text);
            wan = !(n.contains("(元)") || n.ends_with("元)") && !n.contains("万"));
            break;
        }
        if let Some(field) = COLS.iter().find(|c| labels.is(&t.text, c)) {
            if !header.iter().any(|h| h.0 == *field) {
                header.insert(0, (field, t.col));
            }
        } else if t.col.is_none() {
            // The header's labels run together in one cell (全年预算数(A)全年执行数(B)分值…).
            let run = cols_in_run(labels, &t.text, &COLS);
            if run.len() >= 3 {
                for (k, (field, pts)) in run.into_iter().enumerate() {
                    if !header.iter().any(|h| h.0 == field) {
                        header.insert(k, (field, None));
                    }
                    stated = stated.or(pts);
                }
            }
        }
    }
    // PDF text order can print the header after the total's label (年度资金总额 实施单位 X
    // 全年预算数 全年执行数 分值 执行率 得分 0 207.45 10 100% 10): three column labels or more
    // within the next tokens, the values after them. Read so, an amount is kept only where the
    // stated rate confirms it.
    let mut values_at = total_at;
    let mut forward = false;
    if header.is_empty() && !unlabelled {
        let is_col = |t: &Tok| COLS.iter().find(|c| labels.is(&t.text, c)).copied();
        let first =
            (total_at + 1..(total_at + 6).min(toks.len())).find(|&k| is_col(&toks[k]).is_some());
        if let Some(a) = first {
            let mut b = a;
            while b < toks.len() && is_col(&toks[b]).is_some() {
                b += 1;
            }
            if b - a >= 3 && toks.get(b).is_some_and(|t| number(&t.text).is_some()) {
                for t in &toks[a..b] {
                    let field = is_col(t).unwrap_or("");
                    // 分值 and 得分 are words of several fields: after the rate, the score.
                    let field = if field == "exec_points"
                        && header
                            .iter()
                            .any(|h: &(&str, Option<usize>)| h.0 == "exec_rate")
                    {
                        "exec_score"
                    } else {
                        field
                    };
                    if !header.iter().any(|h| h.0 == field) {
                        header.push((field, None));
                    }
                }
                values_at = b - 1;
                forward = true;
            }
        }
    }
    // 分值 and 得分 are words of several fields: after the rate it is the score.
    if header.is_empty() {
        header = COLS.iter().map(|c| (*c, None)).collect();
    }
    let total = &toks[total_at];
    let values = |at: usize| -> Vec<&Tok> {
        let label = &toks[at];
        if label.col.is_some() && !(unlabelled && at == total_at) {
            return toks
                .iter()
                .skip(at + 1)
                .take_while(|t| t.line == label.line)
                .filter(|t| !labels.is_label(&t.text))
                .collect();
        }
        // No columns: the amounts, rates and points up to the next label (notes and dashes
        // between them say nothing).
        toks.iter()
            .skip(at + 1)
            .take_while(|t| !labels.is_label(&t.text))
            .take(12)
            .filter(|t| money_wan(&t.text, true).is_some() || rate_cell(&t.text).is_some())
            .collect()
    };
    let fields: Vec<&'static str> = header.iter().map(|h| h.0).collect();
    let assign = |at: usize| -> Vec<(&'static str, Tok)> {
        let label = &toks[at];
        // Values run together (a page that dropped its cells): split by the rate they produce.
        if label.col.is_none() && header.iter().all(|h| h.1.is_none()) {
            if let Some(next) = toks.get(at + 1) {
                let run: String = norm(&next.text)
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '%')
                    .collect();
                let whole =
                    money_wan(&next.text, true).is_some() || rate_cell(&next.text).is_some();
                if !whole {
                    let split = if run.contains('%') {
                        split_run(&fields, stated, &run)
                    } else {
                        split_ratio_run(&fields, stated, &run)
                    }
                    .unwrap_or_default();
                    return split
                        .into_iter()
                        .map(|(f, text)| {
                            (
                                f,
                                Tok {
                                    text,
                                    line: next.line,
                                    col: None,
                                },
                            )
                        })
                        .collect();
                }
            }
        }
        let vals = values(at);
        let cols_known = label.col.is_some()
            && header.iter().all(|h| h.1.is_some())
            && !(unlabelled && at == total_at);
        if cols_known {
            // Align by column, shifted by where the row's label stands (rows that lost a
            // leading cell keep their order), unless the row stands on the header's own grid
            // (a label or header cell merged over two columns): then the shift that places
            // more of the values under a header wins.
            let first = header[0].1.unwrap_or(0) as i64;
            let placed = |shift: i64| -> Vec<(&'static str, &Tok)> {
                vals.iter()
                    .filter_map(|v| {
                        let c = v.col.unwrap_or(0) as i64 + shift;
                        header
                            .iter()
                            .find(|h| h.1.map(|x| x as i64) == Some(c))
                            .map(|h| (h.0, *v))
                    })
                    .collect()
            };
            let by_label = placed(first - (label.col.unwrap_or(0) as i64 + 1));
            let on_grid = placed(0);
            if on_grid.len() > by_label.len() {
                on_grid
            } else {
                by_label
            }
        } else {
            by_kind(&header, vals)
        }
        .into_iter()
        .map(|(f, t)| (f, t.clone()))
        .collect()
    };
    for (field, v) in assign(values_at) {
        let v = &v;
        let money = |v: &Tok| money_wan(&v.text, wan);
        match field {
            "budget_initial" => f.budget_initial = money(v),
            "budget_full_year" => f.budget_full_year = money(v),
            "executed" => f.executed = money(v),
            "exec_points" => f.exec_max = number(&v.text),
            "exec_rate" => f.rate_stated = rate_cell(&v.text).or_else(|| number(&v.text)),
            "exec_score" => f.exec_score = number(&v.text),
            _ => {}
        }
    }
    if forward || unlabelled {
        // Values read without a row label to line them up (printed out of order, or an
        // unlabelled row) stand only where they agree with each other: an amount where the
        // executed amount over a budget gives the stated rate (out of order, each budget on
        // its own; an unlabelled row keeps its amounts together), the rate, points and score
        // where the score is the points times the rate.
        let confirms = |budget: Option<Decimal>| match (budget, f.executed, f.rate_stated) {
            (Some(b), Some(e), Some(r)) => {
                rate_as_written(e, b, &r.to_string()).is_some_and(|c| c.1 == r)
            }
            _ => false,
        };
        let (full, initial) = (confirms(f.budget_full_year), confirms(f.budget_initial));
        if forward {
            if !full {
                f.budget_full_year = None;
            }
            if !initial {
                f.budget_initial = None;
            }
        }
        if !(full || initial) {
            f.budget_full_year = None;
            f.budget_initial = None;
            f.executed = None;
        }
        let earned = match (f.exec_max, f.rate_stated, f.exec_score) {
            (Some(m), Some(r), Some(sc)) => stream::earns(m, r, sc),
            _ => false,
        };
        if !earned {
            f.exec_max = None;
            f.exec_score = None;
            if !(full || initial) {
                f.rate_stated = None;
            }
        }
    }
    if f.exec_max.is_none() && f.exec_score.is_some() {
        f.exec_max = stated;
    }
    f.funds_line = Some(total.line);
    // The parts of the budget: the full-year column of the rows under the total.
    for (i, t) in toks.iter().enumerate().skip(total_at + 1).take(24) {
        if labels.is(&t.text, "goals") || labels.is(&t.text, "indicators") {
            break;
        }
        if labels.is(&t.text, "funds_part") {
            let values = assign(i);
            let part = values
                .iter()
                .find(|(field, _)| *field == "budget_full_year")
                .and_then(|(_, v)| money_wan(&v.text, wan));
            if let Some(v) = part {
                f.budget_parts.push((compact(&t.text), v, t.line));
            }
            // The rate, its weight and score on the first part's row when the total row states
            // none (Chongqing's 部门整体绩效自评表: 其中:财政拨款 | … | 96.85 | 10.00 | 9.68).
            let first_part = f.budget_parts.len() <= 1;
            if first_part && (f.rate_stated, f.exec_max, f.exec_score) == (None, None, None) {
                for (field, v) in &values {
                    match *field {
                        "exec_rate" => f.rate_stated = rate_cell(&v.text).or(number(&v.text)),
                        "exec_points" => f.exec_max = number(&v.text),
                        "exec_score" => f.exec_score = number(&v.text),
                        _ => {}
                    }
                }
            }
        }
    }
    let _ = MONEY;
}

/// The labels of `fields` in a run of header labels written together (年初预算数(A)全年执行数(B)
/// 分值(10分)执行率(B/A)得分), in order, each with the points it states; 分值, 权重 and 得分,
/// too short to be found inside text in general, are taken between the labels found.
fn cols_in_run(
    labels: &Labels,
    text: &str,
    fields: &[&'static str],
) -> Vec<(&'static str, Option<Decimal>)> {
    let n = norm(text);
    let found = labels.find_in(&n, fields);
    if found.len() < 2 {
        return Vec::new();
    }
    let mut out: Vec<(&'static str, Option<Decimal>)> = Vec::new();
    let short = |gap: &str, out: &mut Vec<(&'static str, Option<Decimal>)>| {
        let mut rest = gap;
        while !rest.is_empty() {
            let hit = ["分值", "权重", "得分"]
                .iter()
                .filter_map(|w| rest.find(w).map(|p| (p, *w)))
                .min();
            let Some((p, w)) = hit else { break };
            out.push((
                if w == "得分" {
                    "exec_score"
                } else {
                    "exec_points"
                },
                None,
            ));
            rest = &rest[p + w.len()..];
        }
    };
    let mut at = 0;
    for (a, b) in found {
        short(&n[at..a], &mut out);
        let label = &n[a..b];
        // 执行率得分 in a run of labels is 执行率 then 得分 (the rate's own score column is
        // not told apart from the two written together).
        let rate_then_score = labels.is(label, "exec_score")
            && label
                .strip_suffix("得分")
                .is_some_and(|r| labels.is(r, "exec_rate"));
        if rate_then_score {
            out.push(("exec_rate", None));
            out.push(("exec_score", None));
        } else if let Some(f) = fields.iter().find(|f| labels.is(label, f)) {
            out.push((f, points_in(label)));
        }
        at = b;
    }
    short(&n[at..], &mut out);
    let mut seen: Vec<&str> = Vec::new();
    out.retain(|(f, _)| {
        let new = !seen.contains(f);
        seen.push(f);
        new
    });
    out
}

/// The funds row's values run together with nothing between them (`202010100.00%10`, a web
/// page that dropped its cells): split by the execution rate they must produce. The digits
/// before the `%` are the header's columns before the rate, the rate last; after it, the
/// columns after the rate. A split stands only when the executed amount over the budget
/// reproduces the written rate (to its written decimals), the points are whole or halves up to
/// 100 (the header's stated points where it states them) and not below the score; of the splits
/// left, the one whose score is what its rate earns, then one with something executed, then
/// the one writing its amounts with the fewest decimals, then the one whose amounts give the written rate most nearly, and only when
/// no other ties with it. Otherwise nothing is split (the cells stay blank).
fn split_run(
    header: &[&'static str],
    stated: Option<Decimal>,
    run: &str,
) -> Option<Vec<(&'static str, String)>> {
    let (digits, after) = run.split_once('%')?;
    if after.contains('%') || digits.is_empty() {
        return None;
    }
    let rate_at = header.iter().position(|f| *f == "exec_rate")?;
    let before = &header[..rate_at];
    let later = &header[rate_at + 1..];
    if before.is_empty() || later.len() > 1 || before.len() > 4 {
        return None;
    }
    let base_field = if before.contains(&"budget_full_year") {
        "budget_full_year"
    } else {
        "budget_initial"
    };
    if !before.contains(&base_field) || !before.contains(&"executed") {
        return None;
    }
    let points_ok = |p: Decimal| {
        p > Decimal::ZERO
            && p <= Decimal::from(100)
            && (p * Decimal::from(2)).fract().is_zero()
            && stated.is_none_or(|s| s == p)
    };
    let score = match later.first() {
        Some(_) if !after.is_empty() => Some(stream::plain_number(after)?),
        _ => None,
    };
    let chars: Vec<char> = digits.chars().collect();
    let pieces = before.len() + 1;
    if chars.len() < pieces || chars.len() > 48 {
        return None;
    }
    // Every way of cutting the digits into `pieces` parts.
    let mut found: Vec<((bool, bool, usize, Decimal), Vec<String>)> = Vec::new();
    each_cut(&chars, pieces, &mut Vec::new(), &mut |parts| {
        if let Some(d) = check_split(before, base_field, parts, score, &points_ok) {
            found.push((d, parts.to_vec()));
        }
    });
    let best = found.iter().map(|f| f.0).min()?;
    let mut best_splits = found.iter().filter(|f| f.0 == best);
    let parts = best_splits.next()?.1.clone();
    if best_splits.next().is_some() {
        return None;
    }
    let mut out: Vec<(&'static str, String)> =
        before.iter().copied().zip(parts.iter().cloned()).collect();
    out.push(("exec_rate", format!("{}%", parts[pieces - 1])));
    if let (Some(f), false) = (later.first(), after.is_empty()) {
        out.push((f, after.to_string()));
    }
    Some(out)
}

/// A funds row run together with its rate written as a ratio (执行率(B/A) 1, 0.95: 1.561.56120
/// under 预算数(A) | 执行数(B) | 执行率(B/A) | 得分(20分*执行率)): with no `%` to mark the rate,
/// a cut stands only where the executed amount over the budget gives the ratio (to its written
/// decimals, at most 1.5) and the score is the points (stated in the header, or a column) times
/// it; and only the one cut that does. The rate is kept as a percentage.
fn split_ratio_run(
    header: &[&'static str],
    stated: Option<Decimal>,
    run: &str,
) -> Option<Vec<(&'static str, String)>> {
    let rate_at = header.iter().position(|f| *f == "exec_rate")?;
    if header[rate_at + 1..] != ["exec_score"] || rate_at > 4 {
        return None;
    }
    let before = &header[..rate_at];
    let base_field = if before.contains(&"budget_full_year") {
        "budget_full_year"
    } else {
        "budget_initial"
    };
    if !before.contains(&base_field) || !before.contains(&"executed") {
        return None;
    }
    let chars: Vec<char> = run.chars().collect();
    let pieces = before.len() + 2;
    if chars.len() < pieces || chars.len() > 48 {
        return None;
    }
    let mut found: Vec<Vec<String>> = Vec::new();
    each_cut(&chars, pieces, &mut Vec::new(), &mut |parts| {
        let value = |f: &str| {
            before
                .iter()
                .position(|x| *x == f)
                .and_then(|k| stream::plain_number(&parts[k]))
        };
        let (Some(base), Some(executed)) = (value(base_field), value("executed")) else {
            return;
        };
        let ratio_text = &parts[pieces - 2];
        let (Some(ratio), Some(score)) = (
            stream::plain_number(ratio_text),
            stream::plain_number(&parts[pieces - 1]),
        ) else {
            return;
        };
        let all_numbers = parts.iter().all(|p| stream::plain_number(p).is_some());
        let Some(points) = value("exec_points").or(stated) else {
            return;
        };
        let dp = ratio_text.split_once('.').map_or(0, |(_, d)| d.len()) as u32;
        let computed = (base > Decimal::ZERO)
            .then(|| executed.checked_div(base))
            .flatten()
            .map(|r| {
                r.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            });
        if all_numbers
            && ratio <= Decimal::new(15, 1)
            && computed == Some(ratio)
            && score <= points
            && stream::earns(points, ratio * Decimal::from(100), score)
        {
            found.push(parts.to_vec());
        }
    });
    let [parts] = found.as_slice() else {
        return None;
    };
    let mut out: Vec<(&'static str, String)> =
        before.iter().copied().zip(parts.iter().cloned()).collect();
    let ratio = stream::plain_number(&parts[pieces - 2])?;
    out.push((
        "exec_rate",
        format!("{}%", (ratio * Decimal::from(100)).normalize()),
    ));
    out.push(("exec_score", parts[pieces - 1].clone()));
    Some(out)
}

/// Does one way of cutting a funds run hold (see `split_run`)? Returns, when it does, what
/// ranks it among the others, least first: whether its score differs from its points times its
/// rate (the score the rate earns), whether nothing was executed (a zero rate is the least
/// likely reading of digits that ran together), the most decimals of an amount, how far its
/// amounts' rate is from the written one before rounding.
fn check_split(
    before: &[&'static str],
    base_field: &str,
    parts: &[String],
    score: Option<Decimal>,
    points_ok: &dyn Fn(Decimal) -> bool,
) -> Option<(bool, bool, usize, Decimal)> {
    let rate_text = parts.last()?;
    let rate = stream::plain_number(rate_text)?;
    if rate_text.split('.').next().unwrap_or("").len() > 3 {
        return None;
    }
    let mut base = None;
    let mut executed = None;
    let mut points = None;
    let mut most = 0;
    for (f, p) in before.iter().zip(parts) {
        let v = stream::plain_number(p)?;
        match *f {
            "exec_points" => {
                if !points_ok(v) || score.is_some_and(|s| s > v) {
                    return None;
                }
                points = Some(v);
                continue;
            }
            "exec_score" => continue,
            _ => {}
        }
        let decs = p.split_once('.').map(|(_, d)| d.len()).unwrap_or(0);
        most = most.max(decs);
        if *f == base_field {
            base = Some(v);
        }
        if *f == "executed" {
            executed = Some(v);
        }
    }
    let (base, executed) = (base?, executed?);
    if base <= Decimal::ZERO {
        return None;
    }
    let (exact, computed) = rate_as_written(executed, base, rate_text)?;
    if computed != rate {
        return None;
    }
    let earned = |s: Decimal, p: Decimal| {
        p.checked_mul(rate.min(Decimal::from(100)))
            .map(|e| e / Decimal::from(100))
            .is_none_or(|e| (e - s).abs() >= Decimal::new(5, 1))
    };
    let off = matches!((score, points), (Some(s), Some(p)) if earned(s, p));
    Some((off, executed.is_zero(), most, (exact - rate).abs()))
}

/// Calls `f` with every cut of `s` into `n` non-empty parts of up to 16 characters.
fn each_cut(s: &[char], n: usize, parts: &mut Vec<String>, f: &mut dyn FnMut(&[String])) {
    if n <= 1 {
        if !s.is_empty() && s.len() <= 16 {
            parts.push(s.iter().collect());
            f(parts);
            parts.pop();
        }
        return;
    }
    for k in 1..=s.len().saturating_sub(n - 1).min(16) {
        parts.push(s[..k].iter().collect());
        each_cut(&s[k..], n - 1, parts, f);
        parts.pop();
    }
}

/// The last label of a funds header that has no 年度资金总额 row (部门预算执行情况(万元) |
/// 年初预算数 | 全年预算数 | 全年执行数 | 执行率 | 执行率权重 | 执行率得分, then the values): three
/// column labels or more right after the funds label, a number right after them.
fn unlabelled_funds_row(labels: &Labels, toks: &[Tok], cols: &[&str]) -> Option<usize> {
    let at = toks.iter().position(|t| labels.is(&t.text, "funds"))?;
    let mut end = at + 1;
    while end < toks.len() && cols.iter().any(|c| labels.is(&toks[end].text, c)) {
        end += 1;
    }
    let starts_number = |t: &Tok| norm(&t.text).starts_with(|c: char| c.is_ascii_digit());
    (end - at > 3 && toks.get(end).is_some_and(starts_number)).then_some(end - 1)
}

/// A funds block whose columns are the budget's sources then 合计 and 执行数 (中央 | 省、地 | 本级 |
/// 其他 | 合计 | 执行数 | 执行率, Hubei's 广水 form), in PDF text order: the last two amounts
/// before the rate are 合计 (the full-year budget) and 执行数, kept only where they give the
/// stated rate, in the unit the header states (万元, or 元).
fn total_column_funds(labels: &Labels, toks: &[Tok], f: &mut Form) {
    let Some(at) = toks.iter().enumerate().position(|(i, t)| {
        norm(&t.text) == "合计"
            && toks[i + 1..]
                .iter()
                .take(3)
                .any(|n| labels.is(&n.text, "executed"))
    }) else {
        return;
    };
    let mut scale: Option<Decimal> = None;
    let mut amounts: Vec<(Decimal, usize)> = Vec::new();
    let mut rate: Option<(Decimal, String)> = None;
    let window = &toks[at + 1..(at + 40).min(toks.len())];
    for (k, t) in window.iter().enumerate() {
        let n = norm(&t.text);
        if scale.is_none() {
            if n.contains("万元") {
                scale = Some(Decimal::ONE);
            } else if n == "(元)" || n == "元" {
                scale = Some(Decimal::new(1, 4));
            }
        }
        let next_is_pct = window.get(k + 1).is_some_and(|x| norm(&x.text) == "%");
        let after_rate_label = k > 0 && labels.is(&window[k - 1].text, "exec_rate");
        if let Some(r) = rate_cell(&t.text) {
            rate = Some((r, n.clone()));
            break;
        }
        if let Some(v) = number(&t.text) {
            if next_is_pct || after_rate_label {
                rate = Some((v, n.clone()));
                break;
            }
            amounts.push((v, t.line));
        }
    }
    let (Some(scale), Some((r, written)), [.., (budget, line), (executed, _)]) =
        (scale, rate, amounts.as_slice())
    else {
        return;
    };
    if *budget > Decimal::ZERO
        && rate_as_written(*executed, *budget, &written).is_some_and(|c| c.1 == r)
    {
        f.budget_full_year = Some(*budget * scale);
        f.executed = Some(*executed * scale);
        f.rate_stated = Some(r);
        f.funds_line = Some(*line);
    }
}

/// A funds block without a 年度资金总额 row, its amounts each written after its own label on one
/// line (Hebei's 预算数 6.84 到位数 6.84 执行数 6.84 100.00): the budget and the executed amount,
/// and the rate after them where a 执行率 column heads the block and the amounts reproduce it.
fn inline_funds(labels: &Labels, toks: &[Tok], f: &mut Form) {
    let amount_after = |i: usize, field: &str| -> Option<(Decimal, usize)> {
        let t = &toks[i];
        let v = toks.get(i + 1).filter(|v| v.line == t.line)?;
        (labels.is(&t.text, field) && !labels.is_label(&v.text))
            .then(|| number(&v.text))
            .flatten()
            .map(|d| (d, i + 1))
    };
    let Some((budget, at)) = (0..toks.len()).find_map(|i| amount_after(i, "budget_full_year"))
    else {
        return;
    };
    let line = toks[at].line;
    let Some((executed, end)) = (at + 1..toks.len())
        .take_while(|&i| toks[i].line == line)
        .find_map(|i| amount_after(i, "executed"))
    else {
        return;
    };
    // The amounts' unit as the form states it before them (金额单位: 万元; 预算数(元)): with
    // none stated they are not read, not assumed to be 万元.
    let Some(scale) = toks[..=at].iter().rev().take(40).find_map(|t| {
        let n = norm(&t.text);
        if n.contains("万元") {
            Some(Decimal::ONE)
        } else if n.contains("(元)") || n.contains("单位") && n.ends_with('元') || n == "元" {
            Some(Decimal::new(1, 4))
        } else {
            None
        }
    }) else {
        return;
    };
    f.budget_full_year = Some(budget * scale);
    f.executed = Some(executed * scale);
    f.funds_line = Some(line);
    let headed = toks[..at]
        .iter()
        .rev()
        .take(12)
        .any(|t| labels.is(&t.text, "exec_rate"));
    let rate = toks
        .get(end + 1)
        .filter(|t| t.line == line && headed)
        .and_then(|t| rate_cell(&t.text).or_else(|| number(&t.text)));
    if let (Some(r), true) = (rate, budget > Decimal::ZERO) {
        if rate_as_written(executed, budget, &toks[end + 1].text).map(|c| c.1) == Some(r) {
            f.rate_stated = Some(r);
        }
    }
}

/// executed / budget × 100, exact and rounded to the decimals `rate_text` is written with (a
/// written rate is reproduced when the rounded one equals it). Checked: run-together digits
/// can make amounts whose quotient overflows.
fn rate_as_written(
    executed: Decimal,
    budget: Decimal,
    rate_text: &str,
) -> Option<(Decimal, Decimal)> {
    let dp = rate_text
        .trim_end_matches('%')
        .split_once('.')
        .map_or(0, |(_, d)| d.len()) as u32;
    let exact = executed
        .checked_div(budget)?
        .checked_mul(Decimal::from(100))?;
    let rounded =
        exact.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    Some((exact, rounded))
}

/// A rate cell (99.5%): a percentage below 1000, not digits run together with a % at their end
/// (303010100%: two amounts, points and a rate).
fn rate_cell(cell: &str) -> Option<Decimal> {
    percent(cell).filter(|r| r.abs() < Decimal::from(1000))
}

/// "(20分" inside a label: the points it states.
fn points_in(label: &str) -> Option<Decimal> {
    let n = norm(label);
    let at = n.rfind('(')?;
    let inner = &n[at + 1..];
    let end = inner.find('分')?;
    number(&inner[..end])
}

/// Values of a row whose layout lost its columns, given to the header's columns by kind: a
/// percentage is the rate; amounts fill the money columns (年初预算 left blank first when one
/// is missing); small numbers after the rate are its points and score.
fn by_kind<'a>(
    header: &[(&'static str, Option<usize>)],
    vals: Vec<&'a Tok>,
) -> Vec<(&'static str, &'a Tok)> {
    if vals.len() == header.len() {
        return header.iter().map(|h| h.0).zip(vals).collect();
    }
    let fields: Vec<&'static str> = header.iter().map(|h| h.0).collect();
    let mut out = Vec::new();
    let rate_at = vals.iter().position(|v| rate_cell(&v.text).is_some());
    let (before, after): (Vec<&Tok>, Vec<&Tok>) = match rate_at {
        Some(r) => {
            out.push(("exec_rate", vals[r]));
            (vals[..r].to_vec(), vals[r + 1..].to_vec())
        }
        None => (vals.clone(), Vec::new()),
    };
    let money: Vec<&'static str> = fields
        .iter()
        .copied()
        .filter(|f| ["budget_initial", "budget_full_year", "executed"].contains(f))
        .collect();
    let points_before = fields.iter().position(|f| *f == "exec_points")
        < fields.iter().position(|f| *f == "exec_rate");
    let mut before = before;
    let mut pts: Option<&Tok> = None;
    // Points look like points (a whole number up to 30) beside amounts that do not: with one
    // amount missing, the value before the rate is still the points (387664.62 387664.62 10 100%).
    let looks_points = |t: &Tok| {
        number(&t.text).is_some_and(|d| d.fract().is_zero() && d <= Decimal::from(30))
            && !t.text.contains('.')
    };
    if rate_at.is_some()
        && points_before
        && (before.len() > money.len()
            || before.len() >= 2
                && before.last().is_some_and(|t| looks_points(t))
                && !looks_points(before[0]))
    {
        pts = before.pop();
    }
    let skip = money.len().saturating_sub(before.len());
    for (field, v) in money.iter().skip(skip).zip(before) {
        out.push((field, v));
    }
    if let Some(p) = pts {
        out.push(("exec_points", p));
    }
    // After the rate: the header's own order of what follows it (权重 then 得分 in Sichuan's
    // form, 得分 alone in the national one).
    let rate_col = fields.iter().position(|f| *f == "exec_rate").unwrap_or(0);
    let later: Vec<&'static str> = fields
        .iter()
        .skip(rate_col + 1)
        .copied()
        .filter(|f| {
            ["exec_points", "exec_score"].contains(f) && !(points_before && *f == "exec_points")
        })
        .collect();
    let later = if later.is_empty() {
        vec!["exec_score"]
    } else {
        later
    };
    for (field, v) in later.iter().zip(after) {
        out.push((field, v));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    fn d(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn check_boxes_run_into_a_value_are_cut_off() {
        let l = Labels::builtin();
        let lines = v(&["项目支出绩效自评表 (2022年度) 项目名称 委托业务项目 主管部门 某局 实施单位 某中心 □ 3、一次性项目 □ 项目资金 (万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 90 90 89.974 10 99.97% 9.99 绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 产出指标 数量指标 委托业务项目数量 ≥50个 50 8 8 总分 100 95.99"]);
        let forms = find_all(l, &lines);
        assert_eq!(forms.len(), 1);
        assert_eq!(forms[0].implementing_unit.as_deref(), Some("某中心"));
    }

    #[test]
    fn a_form_glued_onto_one_line() {
        let l = Labels::builtin();
        let lines = v(&["附件: 项目支出绩效自评表 (2022年度) 项目名称 委托业务项目 主管部门 219-某镇人民政府 实施单位 219001-某镇人民政府 项目资金 (万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 90 90 89.974 10 99.97% 9.99 其中:本年财政拨款 90 90 89.974 上年结转资金 其他资金 年度总体目标 预期目标 实际完成情况 完成委托业务。 已完成。 绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 产出指标(50分) 数量指标 委托业务项目数量 ≥50个 50 8 8 质量指标 报告合格率 100% 98% 8 7 个别报告返工 满意度指标 10 分 服务对象满意度指标 群众满意度 ≥90% 95% 10 10 总分 100 95.99 自评等级 优"]);
        let forms = find_all(l, &lines);
        assert_eq!(forms.len(), 1);
        let f = &forms[0];
        assert_eq!(f.year, Some(2022));
        assert_eq!(f.name.as_deref(), Some("委托业务项目"));
        assert_eq!(f.implementing_unit.as_deref(), Some("219001-某镇人民政府"));
        assert_eq!(
            (f.budget_initial, f.budget_full_year, f.executed),
            (d("90"), d("90"), d("89.974"))
        );
        assert_eq!(
            (f.exec_max, f.rate_stated, f.exec_score),
            (d("10"), d("99.97"), d("9.99"))
        );
        assert_eq!(f.indicators.len(), 3, "{:#?}", f.indicators);
        let i = &f.indicators[0];
        assert_eq!(i.levels[0].as_deref(), Some("产出指标"));
        assert_eq!(i.levels[1].as_deref(), Some("数量指标"));
        assert_eq!(i.levels[2].as_deref(), Some("委托业务项目数量"));
        assert_eq!((i.max_points, i.score), (d("8"), d("8")));
        assert_eq!(i.target_value.as_deref(), Some("≥50个"));
        assert_eq!(i.actual_value.as_deref(), Some("50"));
        assert_eq!(f.indicators[1].reason.as_deref(), Some("个别报告返工"));
        assert_eq!(f.indicators[2].levels[0].as_deref(), Some("满意度指标"));
        assert!(f
            .stated_subtotals
            .iter()
            .any(|s| s.1 == "满意度指标" && s.2 == d("10")));
        assert_eq!((f.total_max, f.total), (d("100"), d("95.99")));
        assert_eq!(f.grade.as_deref(), Some("优"));
    }

    #[test]
    fn rate_points_stated_in_a_bracket_under_the_score_label() {
        // 预算数(A) | 执行数(B) | 执行率(B/A) | 得分 (20分*执行率), the points wrapped onto a
        // line of their own, and no 分值 column: the rate's row is worth the stated 20.
        let l = Labels::builtin();
        let lines = v(&[
            "2023年度项目支出绩效自评表",
            "项目名称",
            "养殖场建设项目",
            "主管部门",
            "某县供销合作社联合社",
            "项目实施单位",
            "某专业合作社",
            "预算执行情况(万元)",
            "预算数(A)",
            "执行数(B)",
            "执行率(B/A)",
            "得分",
            "(20分*执行率)",
            "年度财政资金总额",
            "50",
            "10",
            "20%",
            "4",
            "年度绩效目标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年初目标值(A)",
            "实际完成值(B)",
            "得分",
            "产出指标(40分)",
            "数量指标",
            "新建圈舍",
            "2栋",
            "1栋",
            "10",
        ]);
        let forms = find_all(l, &lines);
        assert_eq!(forms.len(), 1);
        let f = &forms[0];
        assert_eq!(
            (f.budget_full_year, f.executed, f.rate_stated),
            (d("50"), d("10"), d("20"))
        );
        assert_eq!((f.exec_max, f.exec_score), (d("20"), d("4")));
    }

    #[test]
    fn a_form_one_cell_per_line_with_blank_scores() {
        let l = Labels::builtin();
        let lines = v(&[
            "项目支出绩效自评表",
            "（2023年度）",
            "项目名称",
            "",
            "社区服务项目",
            "主管部门",
            "某街道办事处",
            "实施单位",
            "某社区",
            "项目资金（万元）",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
            "年度资金总额",
            "12",
            "12",
            "11.5",
            "10",
            "95.83%",
            "",
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
            "产出指标",
            "数量指标",
            "服务人次",
            "≥100人次",
            "120人次",
            "20",
            "时效指标",
            "完成时间",
            "12月",
            "12月",
            "20",
            "总分",
            "100",
        ]);
        let forms = find_all(l, &lines);
        assert_eq!(forms.len(), 1);
        let f = &forms[0];
        assert_eq!(f.name.as_deref(), Some("社区服务项目"));
        assert_eq!(f.implementing_unit.as_deref(), Some("某社区"));
        assert_eq!(
            (f.budget_full_year, f.executed, f.rate_stated),
            (d("12"), d("11.5"), d("95.83"))
        );
        assert_eq!(f.exec_score, None, "a blank score stays blank");
        assert_eq!(f.indicators.len(), 2, "{:#?}", f.indicators);
        assert!(f
            .indicators
            .iter()
            .all(|i| i.score.is_none() && i.max_points == d("20")));
        assert_eq!(f.indicators[1].levels[1].as_deref(), Some("时效指标"));
        assert_eq!((f.total_max, f.total), (d("100"), None));
    }

    #[test]
    fn funds_values_follow_their_columns_when_a_cell_is_merged_over_two() {
        let l = Labels::builtin();
        let lines = v(&[
            "项目名称\t示例项目",
            "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t\t分值\t\t执行率\t得分",
            "\t年度资金总额\t949.8\t949.8\t949.8\t\t10\t\t100%\t10",
        ]);
        let f = &find_all(l, &lines)[0];
        assert_eq!(
            (f.exec_max, f.rate_stated, f.exec_score),
            (d("10"), d("100"), d("10"))
        );
        assert_eq!(f.executed, d("949.8"));
    }

    #[test]
    fn funds_values_stay_on_the_header_grid_when_the_row_label_spans_two_cells() {
        // A Word table printed to PDF: the row label spans two grid columns, 年初预算数 two
        // more and is left blank; the blank stays blank.
        let l = Labels::builtin();
        let lines = v(&[
            "项目名称\t\t示例项目",
            "项目资金（元）\t\t\t\t年初预算数\t\t全年预算数\t全年执行数\t分值\t执行率\t得分",
            "\t\t年度资金总额\t\t\t\t387664.62\t387664.62\t10\t100%\t10",
        ]);
        let f = &find_all(l, &lines)[0];
        assert_eq!(f.budget_initial, None);
        assert_eq!(f.budget_full_year, d("38.766462"));
        assert_eq!(f.executed, d("38.766462"));
        assert_eq!(
            (f.exec_max, f.rate_stated, f.exec_score),
            (d("10"), d("100"), d("10"))
        );
    }

    #[test]
    fn funds_values_run_together_are_split_by_the_rate_they_produce() {
        let h = |f: &[&'static str]| f.to_vec();
        let split = |hdr: &[&'static str], stated: Option<Decimal>, run: &str| {
            split_run(hdr, stated, run).map(|v| {
                v.into_iter()
                    .map(|(f, t)| format!("{f}={t}"))
                    .collect::<Vec<_>>()
            })
        };
        let four = h(&[
            "budget_full_year",
            "executed",
            "exec_points",
            "exec_rate",
            "exec_score",
        ]);
        assert_eq!(
            split(&four, None, "202010100.00%10").unwrap(),
            [
                "budget_full_year=20",
                "executed=20",
                "exec_points=10",
                "exec_rate=100.00%",
                "exec_score=10"
            ]
        );
        let six = h(&[
            "budget_initial",
            "budget_full_year",
            "executed",
            "exec_points",
            "exec_rate",
            "exec_score",
        ]);
        assert_eq!(
            split(&six, None, "2456.182456.182456.1810100%10").unwrap()[..3],
            [
                "budget_initial=2456.18",
                "budget_full_year=2456.18",
                "executed=2456.18"
            ]
        );
        let initial = h(&[
            "budget_initial",
            "executed",
            "exec_points",
            "exec_rate",
            "exec_score",
        ]);
        assert_eq!(
            split(&initial, d("10"), "310.2154.741050%5").unwrap()[..3],
            ["budget_initial=310.2", "executed=154.74", "exec_points=10"]
        );
        // No split reproduces the rate: nothing is split.
        assert_eq!(split(&four, None, "1234%5"), None);
    }

    #[test]
    fn funds_run_together_with_the_rate_as_a_ratio() {
        let hdr = ["budget_full_year", "executed", "exec_rate", "exec_score"];
        let text = |v: Option<Vec<(&str, String)>>| {
            v.map(|v| {
                v.into_iter()
                    .map(|(f, t)| format!("{f}={t}"))
                    .collect::<Vec<_>>()
            })
        };
        // 1.56 | 1.56 | 1 | 20 under 得分(20分*执行率).
        assert_eq!(
            text(split_ratio_run(&hdr, d("20"), "1.561.56120")).unwrap(),
            [
                "budget_full_year=1.56",
                "executed=1.56",
                "exec_rate=100%",
                "exec_score=20"
            ]
        );
        // 10 | 9.5 | 0.95 | 19: the score confirms the ratio.
        assert_eq!(
            text(split_ratio_run(&hdr, d("20"), "109.50.9519")).unwrap()[2],
            "exec_rate=95%"
        );
        // Without points to confirm the score, or with a score the ratio does not earn: none.
        assert_eq!(split_ratio_run(&hdr, None, "1.561.56120"), None);
        assert_eq!(split_ratio_run(&hdr, d("20"), "1.561.56118"), None);
    }

    #[test]
    fn a_scoring_rule_across_words_is_not_a_score() {
        let l = Labels::builtin();
        let lines = v(&[
            "项目支出绩效自评表",
            "项目名称 示例 一级指标 二级指标 三级指标 评分标准 分值 得分 过程 资金管理 预算执行率 执行率达100%得 10 分，90-99%得 9 分 10 9 总分 10 9",
        ]);
        let f = &find_all(l, &lines)[0];
        assert_eq!(f.indicators.len(), 1, "{:#?}", f.indicators);
        assert_eq!(
            (f.indicators[0].max_points, f.indicators[0].score),
            (d("10"), d("9"))
        );
    }

    #[test]
    fn a_department_form_with_one_list_of_indicators() {
        // Chongqing's 部门整体绩效自评表: the funds row has no label, the total stands in the
        // head, the indicators are one list (指标名称 … 指标权重 指标得分 是否核心指标).
        let l = Labels::builtin();
        let lines = v(&[
            "部门整体绩效自评表",
            "（2021年度）",
            "主管部门\t某区融媒体中心\t财政处室\t文化科\t自评总分（分）\t97.6",
            "部门预算执行情况（万元）\t年初预算数\t全年（调整）预算数\t全年执行数\t执行率（%）\t执行率权重\t执行率得分（分）",
            "\t1000\t1200\t912\t76%\t10\t7.6",
            "指标名称\t计量单位\t指标性质\t年初指标值\t调整指标值\t全年完成值\t得分系数（%）\t指标权重（分）\t指标得分（分）\t是否核心指标",
            "财政供养人员控制率\t%\t定量指标\t100%\t100%\t92%\t100%\t2\t2\t否",
            "预算完成率\t%\t定量指标\t70%\t\t76%\t100%\t2\t2\t是",
            "党性教育培训次数\t次\t定量指标\t26次\t\t12次\t50%\t5\t2.5\t是",
        ]);
        let forms = find_all(l, &lines);
        assert_eq!(forms.len(), 1, "{forms:#?}");
        let f = &forms[0];
        assert_eq!((f.scope, f.year), ("department", Some(2021)));
        assert_eq!(f.department.as_deref(), Some("某区融媒体中心"));
        assert_eq!(
            (f.budget_initial, f.budget_full_year, f.executed),
            (d("1000"), d("1200"), d("912"))
        );
        assert_eq!(
            (f.exec_max, f.rate_stated, f.exec_score),
            (d("10"), d("76"), d("7.6"))
        );
        assert_eq!(f.total, d("97.6"));
        let rows: Vec<(String, Option<Decimal>, Option<Decimal>)> = f
            .indicators
            .iter()
            .map(|i| {
                assert_eq!(i.levels[0].as_deref(), Some(stream::FLAT_LEVEL1));
                (i.levels[2].clone().unwrap(), i.max_points, i.score)
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("财政供养人员控制率".to_string(), d("2"), d("2")),
                ("预算完成率".to_string(), d("2"), d("2")),
                ("党性教育培训次数".to_string(), d("5"), d("2.5")),
            ]
        );
        // A whole row is read by position (the adjusted target is the target); a row whose
        // 调整指标值 is empty lost a cell in the stream: its values stay blank, not shifted.
        let first = &f.indicators[0];
        assert_eq!(
            (first.target_value.as_deref(), first.actual_value.as_deref()),
            (Some("100%"), Some("92%"))
        );
        assert_eq!(
            (
                f.indicators[1].target_value.as_deref(),
                f.indicators[1].actual_value.as_deref()
            ),
            (None, None)
        );
    }

    #[test]
    fn a_funds_header_printed_after_its_total_label() {
        // PDF text order: the column labels after 年度资金总额 and a key-value pair. The 0 read
        // for 全年预算数 does not give the stated 100%: not kept, and nothing confirms the
        // executed amount either; the rate, points and score agree (10 × 100% = 10): kept.
        let l = Labels::builtin();
        let lines = v(&["某县项目支出绩效自评表 (2020年度) 项目名称 公共卫生服务 主管部门 某县卫生健康局 项目资金 (万元) 年度资金总额 实施单位 某镇卫生院 全年预算数 全年执行数 分值 执行率 得分 0 207.4538 10 100% 10 其中:当年财政拨款 207.4538 — 100% — 总分 100 98"]);
        let forms = find_all(l, &lines);
        assert_eq!(forms.len(), 1, "{forms:#?}");
        let f = &forms[0];
        assert_eq!((f.budget_full_year, f.executed), (None, None));
        assert_eq!(
            (f.exec_max, f.rate_stated, f.exec_score),
            (d("10"), d("100"), d("10"))
        );
        // With a budget that gives the rate, the amounts stand.
        let lines = v(&[&lines[0].replace("得分 0 207.4538", "得分 207.4538 207.4538")]);
        let f = &find_all(l, &lines)[0];
        assert_eq!(
            (f.budget_full_year, f.executed),
            (d("207.4538"), d("207.4538"))
        );
    }

    #[test]
    fn funds_in_source_columns_then_total_and_executed() {
        // 广水's form in PDF text order: both unit labels before both values, the amounts under
        // 中央 … 合计 | 执行数, the rate last. The two amounts before it give 100%.
        let l = Labels::builtin();
        let text = "某市财政预算支出项目绩效目标自评表 项目名称 某项目 项目主管单位 项目实施单位 某市交通运输局 某市交通运输局 中央 省、地 本级 其他 合计 执行数 执行 (万元) (万元) (万元) (万元) (万元) (万元) 率 309 309 来源 项目年度目标 309 100 % 项目权重 评价内容 分值 自评分 项目决策 2 分 决策依据 2 2";
        let forms = find_all(l, &v(&[text]));
        assert_eq!(forms.len(), 1, "{forms:#?}");
        let f = &forms[0];
        assert_eq!(f.implementing_unit.as_deref(), Some("某市交通运输局"));
        assert_eq!(
            (f.budget_full_year, f.executed, f.rate_stated),
            (d("309"), d("309"), d("100"))
        );
        // Amounts that do not give the stated rate are not read.
        let forms = find_all(l, &v(&[&text.replace("309 100 %", "309 90 %")]));
        assert_eq!((forms[0].budget_full_year, forms[0].executed), (None, None));
    }

    #[test]
    fn digits_run_together_with_a_percent_sign_are_not_a_rate() {
        // Two amounts, points and a rate under six columns (303010100%): nothing splits them
        // for sure, so no rate of 303010100.
        let l = Labels::builtin();
        let lines = v(&["项目支出绩效自评表(2020年度) 项目名称 演出设备更新 主管部门 某剧团 实施单位 某局 项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额 303010100% 其中:当年财政拨款 303030100% 绩效指标 一级指标 二级指标 三级指标 分值 得分 产出指标 数量指标 设备 20 20 总分 100 98"]);
        let f = &find_all(l, &lines)[0];
        assert_eq!(f.rate_stated, None);
    }

    #[test]
    fn forms_run_together_on_one_line_are_read_apart() {
        // A viewer's page holding the end of one form and the start of the next (its page
        // number 2、 in front), its cells run together, wraps as spaces.
        let l = Labels::builtin();
        let lines = v(&[
            "1、项目支出绩效自评表(2020 年度)项目名称设备更新经费主管部门某剧团实施单位某局机关项目资金 (万元)年初预算数全年预算数全年执行分值执行率得分年度资金总额303010100%其中:当年财政拨款303030100%年度 总体 目标预期目标实际完成情况更新设备。已完成绩 效 指 标一级指标二级指标三级指标年度 指标值实际 完成值分 值得 分偏差原因分析 及改进措施产出指标数量指标更新设备数量50件50件4040质量指标设备合格率95%98%2020",
            "2、指标2:时效指标指标1:指标2: 成本指标设备成本件/件2万元2万元2018指标2:满意度 指标服务对象 满意度指 标演出人员满意度100%100%2020指标2:总分10098项目名称演员培训经费主管部门某剧团实施单位某局机关项目资金 (万元)年初预算数全年预算数全年执行分值执行率得分年度资金总额40404010100%其中:当年财政拨款404040100%上年结转资金其他资金年度 总体 目标预期目标实际完成情况请专家驻团培训,送优秀青年演",
            "3、员到院团随团培训。已完成绩 效 指 标一级指标二级指标三级指标年度 指标值实际 完成值分 值得 分偏差原因分析 及改进措施产出指标数量指标培训人次20人20人6057满意度指标服务对象满意度指标学员满意度100%95%4038总分10095",
        ]);
        let forms = find_all(l, &lines);
        assert_eq!(forms.len(), 2, "{forms:#?}");
        let (a, b) = (&forms[0], &forms[1]);
        assert_eq!(a.name.as_deref(), Some("设备更新经费"));
        assert_eq!((a.total_max, a.total), (d("100"), d("98")));
        // Blank template rows (指标2:) are not rows with 2 points.
        let rows: Vec<_> = a
            .indicators
            .iter()
            .map(|i| {
                (
                    i.levels[2].clone().unwrap_or_default(),
                    i.max_points,
                    i.score,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("更新设备数量".to_string(), d("40"), d("40")),
                ("设备合格率".to_string(), d("20"), d("20")),
                ("设备成本件/件".to_string(), d("20"), d("18")),
                ("演出人员满意度".to_string(), d("20"), d("20")),
            ]
        );
        assert_eq!(b.name.as_deref(), Some("演员培训经费"));
        assert_eq!((b.title_line, b.year), (1, None));
        assert_eq!(b.implementing_unit.as_deref(), Some("某局机关"));
        // 40|40|40|10|100%: the one cut that executes something at the written rate.
        assert_eq!(
            (
                b.budget_initial,
                b.budget_full_year,
                b.executed,
                b.exec_max,
                b.rate_stated
            ),
            (d("40"), d("40"), d("40"), d("10"), d("100"))
        );
        assert_eq!(b.total, d("95"));
    }

    #[test]
    fn a_department_form_cut_before_its_indicators() {
        // The head's 自评总分 is the total; the rate, its weight and score stand on the
        // 其中:财政拨款 row; amounts with no unit and a stray mark stay blank.
        let l = Labels::builtin();
        let lines = v(&[
            "2024年度部门整体绩效自评表\t",
            "项目名称:\t某协会整体监控\t项目编码:\t5002\t自评总分:\t99.68\t",
            "主管部门:\t705-某县科学技术协会\t财政归口处室:\t部门联系人:\t某人\t",
            "资金情况\t",
            "年初预算数\t全年(调整)预算数\t全年执行数\t执行率\t执行率权重\t执行率得分\t",
            "年度总金额\t3,724,055.00?\t4,764,453.11?\t4,614,453.11?\t",
            "其中:财政拨款\t3,724,055.00?\t4,764,453.11?\t4,614,453.11?\t96.85\t10.00\t9.68\t",
            "绩效目标\t",
        ]);
        let f = &find_all(l, &lines)[0];
        assert_eq!(f.scope, "department");
        assert_eq!(f.department.as_deref(), Some("705-某县科学技术协会"));
        assert_eq!(f.total, d("99.68"));
        assert_eq!(
            (f.rate_stated, f.exec_max, f.exec_score),
            (d("96.85"), d("10.00"), d("9.68"))
        );
        assert_eq!(
            (f.budget_initial, f.budget_full_year, f.executed),
            (None, None, None)
        );
    }

    #[test]
    fn a_total_in_a_forms_own_head_does_not_end_a_form() {
        // 自评总分 before the form's 项目名称 on its title line: one form, not two.
        let l = Labels::builtin();
        let lines = v(&["某市财政预算支出项目绩效目标自评表 填报日期:2020年2月18日 自评总分: 69 单位领导审签: 项目名称 办公局域网维护费 项目实施单位 某公司 项目主管单位 某局 年度资金总额 10 10 100% 绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 产出指标 数量指标 维护次数 12次 12次 69 69"]);
        let forms = find_all(l, &lines);
        assert_eq!(forms.len(), 1);
        assert_eq!(forms[0].name.as_deref(), Some("办公局域网维护费"));
    }
}
