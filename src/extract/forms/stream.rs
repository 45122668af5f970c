//! Forms whose layout lost its rows: the tokens of a form written one cell per line, glued onto
//! one line, or copied from a web page whose table rows broke apart, read by a grammar.
//!
//! Tokens are the cells and words in reading order; labels cut across tokens (年初 / 预算数) are
//! joined back. The indicator block's header (一级指标 … 分值 得分 …) gives the columns of a row.
//! A row is its level names (known from the vocabulary, or labels stating their points:
//! 相关性(5分)), its own label, its text columns, and its points: it ends at its 得分 (with its
//! 分值 just before, or earlier where the header puts 分值 first). A number with a unit after it
//! (30 万元, 100 %), or after a comparator (≤ 30), is a target, not points; a number inside a
//! scoring rule (…得 10 分) is text. A table that states its points only in labels and leaves
//! every score blank (an unfilled form) is read as a tree by those points: children add up to
//! their parent.

use rust_decimal::Decimal;

use super::labels::{grade_word, norm, Labels};
use super::table::Indicator;
use crate::extract::text::{number, percent, split_points, squash};

#[derive(Debug, Clone)]
pub struct Tok {
    pub text: String,
    pub line: usize,
    pub col: Option<usize>,
}

/// Fields whose labels start a value (split off where glued to it).
pub const KEY_FIELDS: &[&str] = &[
    "project_name",
    "department",
    "implementing_unit",
    "unit_name",
    "funds",
    "funds_total",
    "funds_part",
    "goals",
    "indicators",
    "total",
    "grade",
    "contact",
    "after_indicators",
];

/// A paragraph holding a whole form (or much of one) with single spaces between cells.
pub fn glued(labels: &Labels, line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() >= 6 && words.iter().filter(|w| labels.is_label(w)).count() >= 3
}

/// The tokens of lines `from..to`; with `cols`, table cells keep their column.
pub fn tokens(labels: &Labels, lines: &[String], from: usize, to: usize, cols: bool) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    for (i, l) in lines.iter().enumerate().take(to).skip(from) {
        if l.contains('\t') {
            for (c, cell) in l.split('\t').enumerate() {
                let t = cell.trim();
                if !t.is_empty() {
                    push_split(
                        labels,
                        &mut out,
                        t,
                        i,
                        if cols { Some(c) } else { None },
                        true,
                    );
                }
            }
            continue;
        }
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        // "(25 分)" cut by spaces is "(25分)".
        let tight = tight_points(t);
        let t = tight.as_str();
        if glued(labels, t) || (!cols && t.split_whitespace().count() > 1 && short_words(t)) {
            let spaced = unspace_letters(t);
            let words: Vec<&str> = spaced.split_whitespace().collect();
            let mut k = 0;
            while k < words.len() {
                // "满意度指标 10 分" stays one label.
                if k + 2 < words.len() && number(words[k + 1]).is_some() && words[k + 2] == "分" {
                    let w = format!("{}({}分)", words[k], words[k + 1]);
                    push_split(labels, &mut out, &w, i, None, false);
                    k += 3;
                    continue;
                }
                push_split(labels, &mut out, words[k], i, None, false);
                k += 1;
            }
        } else if run_with_wraps(t) {
            // A form run together on one line, with a few spaces where its cells wrapped (年度
            // 总体 目标): the wraps between Chinese characters closed, the rest split at spaces.
            for w in squash(t).split_whitespace() {
                push_split(labels, &mut out, w, i, None, false);
            }
        } else {
            push_split(labels, &mut out, t, i, None, false);
        }
    }
    if !cols {
        join_cut_labels(labels, &mut out);
        // An indicator block whose cells all ran together: its header and rows apart, and the
        // lines after it that run on the same way (a page break of the document site).
        let mut k = 0;
        // (the kind of block, the line it last ran on)
        let mut run_on: Option<(Run, usize)> = None;
        while k < out.len() {
            let t = &out[k].text;
            let line = out[k].line;
            if labels.is(t, "level1") || labels.is(t, "project_name") || labels.is(t, "funds") {
                run_on = None;
            }
            let found = atomize(labels, t)
                .map(|(atoms, max_first)| (atoms, Run::Levels { max_first }))
                .or_else(|| atomize_list(labels, t).map(|atoms| (atoms, Run::List)));
            let atoms = match found {
                Some((atoms, kind)) => {
                    run_on = Some((kind, line));
                    Some(atoms)
                }
                // A block runs on only into the next lines (past a page break's page number),
                // not into prose further down.
                None => run_on
                    .filter(|&(_, last)| line <= last + 2)
                    .map(|(kind, _)| kind)
                    .filter(|_| {
                        !t.contains(char::is_whitespace)
                            && t.chars().count() >= 8
                            && t.contains(|c: char| c.is_ascii_digit())
                            && !labels.is_label(t)
                    })
                    .map(|kind| {
                        // The document site's page number (2、) leads the continued line.
                        let n = norm(t);
                        let page = n
                            .split_once('、')
                            .filter(|(d, _)| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
                            .map(|(_, rest)| rest.to_string());
                        let body = page.as_deref().unwrap_or(&n);
                        match kind {
                            Run::Levels { max_first } => body_atoms(labels, body, max_first),
                            Run::List => list_rows(labels, body),
                        }
                    }),
            };
            match atoms {
                Some(atoms) => {
                    if let Some(r) = run_on.as_mut() {
                        r.1 = line;
                    }
                    let (line, n) = (out[k].line, atoms.len());
                    out.splice(
                        k..k + 1,
                        atoms.into_iter().map(|text| Tok {
                            text,
                            line,
                            col: None,
                        }),
                    );
                    k += n;
                }
                None => k += 1,
            }
        }
    }
    out
}

/// Whole marks or halves from 0 to 100, written without a leading zero: what a cell of points
/// can hold.
fn points_text(s: &str) -> Option<Decimal> {
    let v = plain_number(s)?;
    (v <= Decimal::from(100) && (v * Decimal::from(2)).fract().is_zero()).then_some(v)
}

/// A number written plainly (digits, at most one point inside, no leading zero).
pub fn plain_number(s: &str) -> Option<Decimal> {
    if s.is_empty() || s.starts_with('.') || s.ends_with('.') || s.matches('.').count() > 1 {
        return None;
    }
    if !s.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let int = s.split('.').next().unwrap_or("");
    if int.len() > 1 && int.starts_with('0') {
        return None;
    }
    s.parse().ok()
}

/// Full marks and a score written together (100100): the one cut giving points within 100 and
/// a score within them.
fn split_pair(text: &str) -> Option<(Decimal, Decimal)> {
    let t = text.trim();
    let cuts: Vec<(Decimal, Decimal)> = (1..t.len())
        .filter(|&k| t.is_char_boundary(k))
        .filter_map(|k| {
            let m = points_text(&t[..k]).filter(|m| *m > Decimal::ZERO)?;
            let s = plain_number(&t[k..]).filter(|s| *s <= m)?;
            Some((m, s))
        })
        .collect();
    match cuts.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// Header fields whose labels are long enough to be found inside a run of text.
const HEAD_IN_RUN: [&str; 8] = [
    "level1", "level2", "level3", "level4", "target", "actual", "reason", "criteria",
];

/// An indicator block whose cells all ran together, header and rows in one run of text
/// (一级指标二级指标三级指标分值年度指标值全年实际值得分…产出指标(70分)数量指标安装坡面水标尺10≥266米
/// ≥266米10水标尺宽度…总分100100), cut into its cells: the header's labels; level names from
/// the vocabulary where a row starts; in a row, its name, targets (a comparator and what
/// follows it, a number with its % or unit) and points. Where the header puts 分值 right after
/// the name, a number glued to the target after it (20100%) is cut where only one cut gives
/// points of 100 or less. None when the text does not start with such a header.
fn atomize(labels: &Labels, text: &str) -> Option<(Vec<String>, bool)> {
    // Three header labels and a row at least: a short cell is none.
    if text.len() < 36 || text.contains(char::is_whitespace) {
        return None;
    }
    let n = norm(text);
    let found = labels.find_in(&n, &HEAD_IN_RUN);
    let level = |a: usize, b: usize| labels.is(&n[a..b], "level1") || labels.is(&n[a..b], "level2");
    let first = *found.first()?;
    if found.len() < 3 || !level(first.0, first.1) {
        return None;
    }
    // The header: labels one after another, with only 分值/得分/权重 between them.
    let mut atoms: Vec<String> = Vec::new();
    if first.0 > 0 {
        atoms.push(n[..first.0].to_string());
    }
    let short = |gap: &str| -> Option<Vec<String>> {
        let mut out = Vec::new();
        let mut rest = gap;
        while !rest.is_empty() {
            let w = ["分值", "得分", "权重"]
                .into_iter()
                .find(|w| rest.starts_with(w))?;
            out.push(w.to_string());
            rest = &rest[w.len()..];
        }
        Some(out)
    };
    let mut end = first.0;
    for (a, b) in &found {
        let Some(between) = short(&n[end..*a]) else {
            break;
        };
        atoms.extend(between);
        atoms.push(n[*a..*b].to_string());
        end = *b;
    }
    // 分值/得分 right after the last long label.
    loop {
        let w = ["分值", "得分", "权重"]
            .into_iter()
            .find(|w| n[end..].starts_with(w));
        let Some(w) = w else { break };
        atoms.push(w.to_string());
        end += w.len();
    }
    let head_fields: Vec<&str> = atoms.iter().flat_map(|a| labels.fields_of(a)).collect();
    if head_fields
        .iter()
        .filter(|f| f.starts_with("level"))
        .count()
        < 2
    {
        return None;
    }
    let max_first = {
        let pos = |w: &[&str]| atoms.iter().position(|a| w.contains(&a.as_str()));
        let t = atoms.iter().position(|a| labels.is(a, "target"));
        matches!((pos(&["分值", "权重"]), t), (Some(m), Some(t)) if m < t)
    };
    atoms.extend(body_atoms(labels, &n[end..], max_first));
    Some((atoms, max_first))
}

/// The rows of a block whose 分值 and 得分 ran together (目标内容22, 经济效益108, 50件50件2020):
/// each run after a name or a value cut where only one cut gives points of 100 or less and a
/// score within them (2|2, 10|8, 20|20). Kept only where the form confirms the cuts: the 分值
/// under a label stating its points (绩效目标(6分)) add up to them in more groups than not, and
/// in two at least; or the cuts' 分值 and 得分 add up to the total's (总分10098: 100 and 98). An
/// unfilled 10 is not 1 and 0.
fn split_glued_points(atoms: Vec<String>) -> Vec<String> {
    let is_total = |a: &str| matches!(a, "总分" | "合计" | "总计");
    let glued = |k: usize| -> Option<(Decimal, Decimal)> {
        let a = &atoms[k];
        let after_name = k > 0 && plain_number(&atoms[k - 1]).is_none() && !is_total(&atoms[k - 1]);
        let alone = atoms.get(k + 1).is_none_or(|n| plain_number(n).is_none());
        // Not a number of a rule (得10分, 扣2分).
        let name_after = atoms.get(k + 2).is_some_and(|n| plain_number(n).is_some())
            || atoms
                .get(k + 1)
                .is_some_and(|n| split_points(n).1.is_some());
        let bound = k
            .checked_sub(1)
            .is_some_and(|p| atoms[p].ends_with(['得', '扣']))
            || atoms
                .get(k + 1)
                .is_some_and(|n| rule_points_word(n, name_after));
        (a.len() >= 2 && after_name && alone && !bound)
            .then(|| split_pair(a))
            .flatten()
    };
    let cuts: Vec<Option<(Decimal, Decimal)>> = (0..atoms.len()).map(glued).collect();
    // Groups: the rows after a label stating its points, up to the next such label; a group
    // agrees when its cuts' 分值 add up to the points stated.
    let mut groups: Vec<(Decimal, Decimal, usize)> = Vec::new(); // (stated, sum, rows)
    for (k, a) in atoms.iter().enumerate() {
        if let (_, Some(pts)) = split_points(a) {
            groups.push((pts, Decimal::ZERO, 0));
        } else if let (Some((m, _)), Some(g)) = (cuts[k], groups.last_mut()) {
            g.1 += m;
            g.2 += 1;
        }
    }
    let agrees = |g: &(Decimal, Decimal, usize)| g.2 > 0 && g.0 == g.1;
    let agree = groups.iter().filter(|g| agrees(g)).count();
    let disagree = groups.iter().filter(|g| g.2 > 0 && !agrees(g)).count();
    let by_groups = agree >= 2 && agree > disagree;
    let by_total = atoms
        .iter()
        .position(|a| is_total(a))
        .and_then(|k| atoms.get(k + 1))
        .and_then(|t| split_pair(t))
        .is_some_and(|(tm, ts)| {
            let cut: Vec<&(Decimal, Decimal)> = cuts.iter().flatten().collect();
            cut.len() >= 2
                && cut.iter().map(|c| c.0).sum::<Decimal>() == tm
                && cut.iter().map(|c| c.1).sum::<Decimal>() == ts
        });
    if !(by_groups || by_total) {
        return atoms;
    }
    // Confirmed, every cut of the block: a run left whole would read as points (22), worse
    // than a cut whose group's sum does not confirm it (a label's points lost or glued).
    let mut out = Vec::with_capacity(atoms.len() + 8);
    for (a, cut) in atoms.into_iter().zip(cuts) {
        match cut {
            Some((m, sc)) => {
                out.push(m.to_string());
                out.push(sc.to_string());
            }
            None => out.push(a),
        }
    }
    out
}

/// The kind of indicator block whose cells ran together.
#[derive(Debug, Clone, Copy)]
enum Run {
    /// Under level columns (`atomize`).
    Levels { max_first: bool },
    /// One list of indicators ending in a yes/no column (`atomize_list`).
    List,
}

/// Header labels of a list of indicators (Chongqing's 部门整体绩效自评表).
const LIST_HEAD: [&str; 8] = [
    "indicator_name",
    "unit_col",
    "indicator_kind",
    "target",
    "actual",
    "ignored_col",
    "max_points",
    "score",
];

/// A list of indicators whose cells ran together, header and rows in one run of text
/// (指标名称计量单位指标性质年初指标值…得分系数(%)指标权重(分)指标得分(分)是否核心指标, then
/// 财政供养人员控制率%定量指标100%92%100%22否…): the header's labels, then each row as its
/// name, 权重 and 得分 (see `list_rows`). Only for a header whose last column is a yes/no one
/// after the score and whose 得分系数 says how to split the points: a row ends at that cell.
fn atomize_list(labels: &Labels, text: &str) -> Option<Vec<String>> {
    if text.len() < 36 || text.contains(char::is_whitespace) {
        return None;
    }
    let n = norm(text);
    let found = labels.find_in(&n, &LIST_HEAD);
    let first = found
        .iter()
        .position(|(a, b)| labels.is(&n[*a..*b], "indicator_name"))?;
    // The header: its labels close together (an OCR slip between two of them is skipped).
    let mut head = vec![found[first]];
    for w in found[first..].windows(2) {
        if n[w[0].1..w[1].0].chars().count() > 8 {
            break;
        }
        head.push(w[1]);
    }
    let fields: Vec<&str> = head
        .iter()
        .flat_map(|(a, b)| labels.fields_of(&n[*a..*b]))
        .collect();
    let (last_a, last_b) = *head.last()?;
    let ends_yes_no =
        labels.is(&n[last_a..last_b], "ignored_col") && n[last_a..last_b].starts_with("是否");
    let coefficient = head.iter().any(|(a, b)| n[*a..*b].starts_with("得分系数"));
    if !(fields.contains(&"max_points") && fields.contains(&"score") && ends_yes_no && coefficient)
    {
        return None;
    }
    let mut atoms: Vec<String> = Vec::new();
    if found[first].0 > 0 {
        atoms.push(n[..found[first].0].to_string());
    }
    atoms.extend(head.iter().map(|(a, b)| n[*a..*b].to_string()));
    atoms.extend(list_rows(labels, &n[last_b..]));
    Some(atoms)
}

/// The rows of a run-together list (see `atomize_list`): each ends at its yes/no cell right
/// after its score; its 得分系数 (100%) stands before 权重 and 得分 written together (22, 1010,
/// 107.6), which are cut where 权重 × 系数 = 得分. The name is the row's text before its first
/// number or %, less what the next cells left on it: the unit (次 of 26次), the 指标性质
/// (定性指标, also with its characters out of order, as OCR reads a narrow cell) and a
/// qualitative target and value written alike (高高). A row whose points do not cut is left out;
/// its targets and values are not read (a list row is read by position only when whole).
fn list_rows(labels: &Labels, body: &str) -> Vec<String> {
    let cs: Vec<char> = body.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..cs.len() {
        if !(matches!(cs[i], '是' | '否') && cs[i - 1].is_ascii_digit()) {
            continue;
        }
        let row: String = cs[start..i].iter().collect();
        start = i + 1;
        if let Some((name, w, sc)) = list_row(&row) {
            out.extend([name, w, sc, cs[i].to_string()]);
        }
    }
    // What follows the last row: a label of the block (绩效指标) or the start of a row cut off.
    let rest: String = cs[start..].iter().collect();
    if labels.is(&rest, "indicators") {
        out.push(rest);
    }
    out
}

/// Is `score` what `points` earn at `rate` percent, rounded as the score is written (10 at 76%
/// is 7.6; 10 at 79.27% is 7.93)?
pub fn earns(points: Decimal, rate: Decimal, score: Decimal) -> bool {
    points
        .checked_mul(rate)
        .and_then(|p| p.checked_div(Decimal::from(100)))
        .is_some_and(|e| {
            e.round_dp_with_strategy(
                score.scale(),
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            ) == score
        })
}

/// One run-together list row: (name, 权重, 得分).
fn list_row(row: &str) -> Option<(String, String, String)> {
    let pct = row.rfind('%')?;
    let digits = &row[pct + 1..];
    // Only digits after the coefficient (OCR can put anything there: 5丨5).
    if !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let coef_digits: String = row[..pct]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    // The coefficient is at most 100 (0100% is a 0 value and 100%).
    let coef = (0..coef_digits.len())
        .filter(|&k| coef_digits.is_char_boundary(k))
        .find_map(|k| plain_number(&coef_digits[k..]).filter(|c| *c <= Decimal::from(100)))?;
    let cuts: Vec<(Decimal, Decimal, usize)> = (1..digits.len())
        .filter_map(|k| {
            let w = points_text(&digits[..k]).filter(|w| *w > Decimal::ZERO)?;
            let sc = plain_number(&digits[k..])?;
            earns(w, coef, sc).then_some((w, sc, k))
        })
        .collect();
    let [(_, _, k)] = cuts.as_slice() else {
        return None;
    };
    // A row whose yes/no cell was lost runs into the next row: a second name (four Chinese
    // characters or more after a number or %, other than a 指标性质: 定量指标) is not this row's.
    let head = &row[..pct];
    let mut runs: Vec<(bool, String)> = vec![(true, String::new())];
    for c in head.chars() {
        if crate::extract::text::is_han(c) {
            runs.last_mut().unwrap().1.push(c);
        } else {
            let after_value = c.is_ascii_digit() || c == '%';
            runs.push((after_value, String::new()));
        }
    }
    let second_name = runs.iter().skip(1).any(|(after_value, r)| {
        *after_value && r.chars().count() >= 4 && !r.chars().all(|c| "定量性指标".contains(c))
    });
    if second_name {
        return None;
    }
    let name = list_name(head);
    (!name.is_empty()).then(|| (name, digits[..*k].to_string(), digits[*k..].to_string()))
}

/// A run-together list row's name (see `list_rows`).
fn list_name(prefix: &str) -> String {
    let end = prefix
        .find(|c: char| c.is_ascii_digit() || c == '%')
        .unwrap_or(prefix.len());
    let mut name: Vec<char> = prefix[..end].chars().collect();
    // A qualitative target and its value alike (高高, 较好较好).
    for w in [2, 1] {
        let n = name.len();
        if n > 2 * w + 2 && name[n - w..] == name[n - 2 * w..n - w] {
            name.truncate(n - 2 * w);
            break;
        }
    }
    // The 指标性质, as written or its characters out of order.
    for kind in ["定量指标", "定性指标"] {
        let k: Vec<char> = kind.chars().collect();
        let n = name.len();
        if n > k.len() + 1 {
            let mut tail = name[n - k.len()..].to_vec();
            let mut sorted = k.clone();
            tail.sort_unstable();
            sorted.sort_unstable();
            if tail == sorted {
                name.truncate(n - k.len());
                break;
            }
        }
    }
    // The unit column: the unit the values carry (26次 after 党性教育培训次数次), where it
    // stands last on the name or before at most two characters (a comparator, or what OCR made
    // of one: 次到0次).
    let mut units_after: Vec<String> = UNITS
        .iter()
        .filter(|u| {
            prefix
                .match_indices(*u)
                .any(|(a, _)| prefix[..a].ends_with(|c: char| c.is_ascii_digit()))
        })
        .map(|u| u.to_string())
        .collect();
    units_after.sort_by_key(|u| std::cmp::Reverse(u.len()));
    let s: String = name.iter().collect();
    // OCR text: the unit then a target whose digits were read as letters (份第O份): the name
    // ends at the unit's first place with such a target after it.
    for u in &units_after {
        for (at, _) in s.match_indices(u.as_str()) {
            let (head, tail) = (&s[..at], &s[at + u.len()..]);
            if head.chars().count() >= 2
                && tail.ends_with(u.as_str())
                && tail.chars().count() <= 4
                && tail.contains(|c: char| c.is_ascii_alphabetic())
            {
                return head.to_string();
            }
        }
    }
    // A unit column OCR garbled into letters and a character (播发稿件数量tot扁).
    if let Some(p) = s.find(|c: char| c.is_ascii_alphabetic()) {
        let (head, rest) = (&s[..p], &s[p..]);
        let han = |x: &str| {
            x.chars()
                .filter(|c| crate::extract::text::is_han(*c))
                .count()
        };
        if han(head) >= 4
            && head.chars().count() == han(head)
            && (1..=2).contains(&han(rest))
            && rest.chars().count() <= 6
        {
            return head.to_string();
        }
    }
    for u in &units_after {
        if let Some(at) = s.rfind(u.as_str()) {
            let (head, tail) = (&s[..at], &s[at + u.len()..]);
            if head.chars().count() >= 2 && tail.chars().count() <= 2 {
                return head.to_string();
            }
        }
    }
    s
}

/// The rows of an indicator block run together (see `atomize`), its header apart: level names
/// and total labels where a row may start (not inside a name: 户满意度), the rows between them.
fn body_atoms(labels: &Labels, body: &str, max_first: bool) -> Vec<String> {
    let mut atoms: Vec<String> = Vec::new();
    let starts_row = |at: usize| {
        at == 0
            || body[..at]
                .chars()
                .next_back()
                .is_some_and(|c| !crate::extract::text::is_han(c))
    };
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for (a, b) in labels.find_in(body, &["level1_name", "level2_name"]) {
        // A 一级 name of four characters or more with its points (项目管理(15分)) starts a row
        // even after text (资金均衡项目管理(15分): an empty row's name before it).
        let stated_level1 = points_after(body, b) > b
            && body[a..b].chars().count() >= 4
            && labels.is(&body[a..b], "level1_name");
        if starts_row(a) || cuts.last().is_some_and(|c| c.1 == a) || stated_level1 {
            // Its points: 产出指标(70分).
            let b = points_after(body, b);
            cuts.push((a, b));
        }
    }
    for w in ["总分", "合计", "总计"] {
        for (a, _) in body.match_indices(w) {
            let b = a + w.len();
            if starts_row(a) && body[b..].starts_with(|c: char| c.is_ascii_digit()) {
                cuts.push((a, b));
            }
        }
    }
    cuts.sort();
    let mut at = 0;
    for (a, b) in cuts {
        if a < at {
            continue;
        }
        let row = row_atoms(&body[at..a], max_first);
        // Where 分值 comes first, a row is name, 分值, texts, 得分: a level name after an odd
        // count of points stands inside a row's text (…合理性5绩效目标设定符合…), not at its start.
        let total = body[a..b].starts_with(['总', '合']);
        if max_first && !total && points_count(&row) % 2 == 1 {
            continue;
        }
        atoms.extend(row);
        atoms.push(body[a..b].to_string());
        at = b;
    }
    atoms.extend(row_atoms(&body[at..], max_first));
    atoms
}

/// The points among a row's cells: numbers standing alone, not inside a scoring rule (得0.5分).
fn points_count(atoms: &[String]) -> usize {
    (0..atoms.len())
        .filter(|&k| {
            plain_number(&atoms[k]).is_some()
                && !k
                    .checked_sub(1)
                    .is_some_and(|p| atoms[p].ends_with(['得', '扣']))
                && !atoms.get(k + 1).is_some_and(|n| n.starts_with('分'))
        })
        .count()
}

/// The end of a points annotation ((70分)) right at `b`, else `b`.
fn points_after(s: &str, b: usize) -> usize {
    let rest = &s[b..];
    if !rest.starts_with('(') {
        return b;
    }
    match rest.find(')') {
        Some(close)
            if rest[1..close]
                .trim_end_matches('分')
                .parse::<Decimal>()
                .is_ok() =>
        {
            b + close + 1
        }
        _ => b,
    }
}

/// The cells of rows run together (安装坡面水标尺10≥266米≥266米10水标尺宽度…): names, targets
/// and points (see `atomize`).
fn row_atoms(seg: &str, max_first: bool) -> Vec<String> {
    let cs: Vec<char> = seg.chars().collect();
    let han = |c: char| crate::extract::text::is_han(c);
    let numeric = |c: char| c.is_ascii_digit() || c == '.';
    let cmp = |c: char| "=≥≤><≧≦".contains(c);
    // A unit right after a number: a known one (the longest), never the name that follows.
    let unit_at = |j: usize| -> usize {
        let mut k = j;
        while k < cs.len() && han(cs[k]) && k - j < 4 {
            k += 1;
        }
        // …followed by what is not a name (5项目符合… is 5 and a sentence).
        (j + 1..=k)
            .rev()
            .find(|&e| {
                is_unit(&cs[j..e].iter().collect::<String>()) && cs.get(e).is_none_or(|c| !han(*c))
            })
            .unwrap_or(j)
    };
    let mut out: Vec<String> = Vec::new();
    // Points cut from the target glued after them: (the target's place, the text as written).
    let mut cut: Vec<(usize, String)> = Vec::new();
    let mut text = String::new();
    let mut prev_text = false;
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        // Points stated in brackets ((2分), (10)): those of the name they follow; standing
        // apart (after a number, the name's own printed before it), they are dropped.
        if c == '(' {
            let close = cs[i..].iter().position(|x| *x == ')').map(|p| i + p);
            if let Some(e) = close {
                let inner: String = cs[i + 1..e].iter().collect();
                if plain_number(inner.trim_end_matches('分')).is_some() {
                    if !text.is_empty() {
                        text.push_str(&cs[i..=e].iter().collect::<String>());
                        out.push(std::mem::take(&mut text));
                        prev_text = true;
                    }
                    i = e + 1;
                    continue;
                }
            }
        }
        // A number closed by a colon after text numbers a blank row (指标2:), not its points.
        if c.is_ascii_digit() && !text.is_empty() {
            let j = (i..cs.len())
                .find(|&j| !cs[j].is_ascii_digit())
                .unwrap_or(cs.len());
            if cs.get(j) == Some(&':') {
                text.extend(&cs[i..=j]);
                i = j + 1;
                continue;
            }
        }
        if cmp(c) || c.is_ascii_digit() {
            if !text.is_empty() {
                out.push(std::mem::take(&mut text));
                prev_text = true;
            }
            let mut j = i + usize::from(cmp(c));
            while j < cs.len() && numeric(cs[j]) {
                j += 1;
            }
            let digits: String = cs[i..j].iter().collect();
            let mut k = j;
            if k < cs.len() && cs[k] == '%' {
                k += 1;
            } else if j > i {
                k = unit_at(j);
            }
            let suffix: String = cs[j..k].iter().collect();
            match (max_first && prev_text && !cmp(c) && !suffix.is_empty())
                .then(|| split_points_target(&digits))
                .flatten()
            {
                Some((p, t)) => {
                    out.push(p);
                    cut.push((out.len(), format!("{digits}{suffix}")));
                    out.push(format!("{t}{suffix}"));
                }
                None => out.push(format!("{digits}{suffix}")),
            }
            prev_text = false;
            i = k.max(i + 1);
            continue;
        }
        text.push(c);
        i += 1;
    }
    if !text.is_empty() {
        out.push(text);
    }
    // A cut stands only where the row confirms it: the actual value after the target repeats
    // it (20100%100%20). An unfilled 分值 (满意度100%98%9) would otherwise read 10 and 0%.
    for (at, written) in cut.into_iter().rev() {
        if out.get(at + 1) != Some(&out[at]) {
            out[at - 1] = written;
            out.remove(at);
        }
    }
    // Blank rows of a template (指标1:指标2:) hold nothing: not a name.
    out.retain(|a| !numbered_blanks(a));
    out
}

/// Only a template's numbered blank rows (指标1:, 指标1:指标2:).
fn numbered_blanks(a: &str) -> bool {
    a.ends_with(':')
        && a.split(':').filter(|p| !p.is_empty()).all(|p| {
            let head = p.trim_end_matches(|c: char| c.is_ascii_digit());
            head.len() < p.len() && !head.is_empty() && head.chars().count() <= 4
        })
}

/// Points glued to the target after them (20100 of 20100%): the one cut into points of 100 or
/// less and a plain number.
fn split_points_target(digits: &str) -> Option<(String, String)> {
    let cuts: Vec<usize> = (1..digits.len())
        .filter(|&k| {
            points_text(&digits[..k]).is_some_and(|p| p > Decimal::ZERO)
                && plain_number(&digits[k..]).is_some()
        })
        .collect();
    match cuts.as_slice() {
        [k] => Some((digits[..*k].to_string(), digits[*k..].to_string())),
        _ => None,
    }
}

/// The tokens of the lines before `to` read as the rows of a table whose header is not on the
/// page: table cells, else the words of a line, each unglued (see `unglue`).
pub fn headless_tokens(labels: &Labels, lines: &[String], to: usize) -> Vec<Tok> {
    let mut cells = Vec::new();
    let mut words = Vec::new();
    for (i, l) in lines.iter().enumerate().take(to) {
        let tight = tight_points(l);
        let is_row = tight.contains('\t');
        let parts: Vec<&str> = if is_row {
            tight.split('\t').map(str::trim).collect()
        } else {
            tight.split_whitespace().collect()
        };
        // Words are mended in runs, between table rows (reading order kept).
        if is_row && !words.is_empty() {
            cells.extend(mend_words(std::mem::take(&mut words)));
        }
        for (c, w) in parts.into_iter().enumerate().filter(|(_, w)| !w.is_empty()) {
            let toks = if is_row { &mut cells } else { &mut words };
            toks.push(Tok {
                text: w.to_string(),
                line: i,
                col: is_row.then_some(c),
            });
        }
    }
    cells.extend(mend_words(words));
    let mut out = Vec::new();
    for t in cells {
        for text in unglue(labels, &t.text, t.col.is_some()) {
            out.push(Tok {
                text,
                line: t.line,
                col: t.col,
            });
        }
    }
    out
}

/// Points written with spaces inside their brackets ("(25 分)", "（ 10 分 ）") closed up.
fn tight_points(t: &str) -> String {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let r = R.get_or_init(|| {
        regex::Regex::new(r"([（(])\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*([)）])").expect("valid regex")
    });
    r.replace_all(t, "$1$2分$3").into_owned()
}

/// Letter-spaced Chinese (产 出 指 标, a heading spread over its cell) joined back: runs of
/// single Chinese characters between spaces are one word.
fn unspace_letters(t: &str) -> String {
    let words: Vec<&str> = t.split_whitespace().collect();
    let single = |w: &str| w.chars().count() == 1 && w.chars().all(crate::extract::text::is_han);
    let mut out: Vec<String> = Vec::new();
    let mut k = 0;
    while k < words.len() {
        if single(words[k]) && k + 1 < words.len() && single(words[k + 1]) {
            let mut run = String::new();
            while k < words.len() && single(words[k]) {
                run.push_str(words[k]);
                k += 1;
            }
            // "(50分)" right after the run is its points.
            if k < words.len() && is_points_annotation(words[k]) {
                run.push_str(words[k]);
                k += 1;
            }
            out.push(run);
        } else {
            out.push(words[k].to_string());
            k += 1;
        }
    }
    out.join(" ")
}

/// A long line of text run together, its spaces wraps rather than separators: a run of 60
/// characters or more without a space in it.
pub fn run_with_wraps(t: &str) -> bool {
    t.contains(char::is_whitespace) && t.split_whitespace().any(|w| w.chars().count() >= 60)
}

/// Words short enough to be cells (a line of a table laid out with spaces), not a sentence.
fn short_words(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    // Two words where one is a number (a PDF's text puts a row's 得分 before the next row's
    // label: "5 明确性(5分)") are two cells too.
    let number_and_label = words.len() == 2 && words.iter().any(|w| number(w).is_some());
    (words.len() >= 3 || number_and_label) && words.iter().all(|w| w.chars().count() <= 24)
}

/// Labels cut across tokens by a narrow column (年初 / 预算数, 一级 / 指标) or an annotation on
/// its own ((50分)) are joined back.
fn join_cut_labels(labels: &Labels, toks: &mut Vec<Tok>) {
    let mut i = 0;
    while i + 1 < toks.len() {
        let a = toks[i].text.clone();
        let b = toks[i + 1].text.clone();
        let short = a.chars().count() <= 8 && b.chars().count() <= 8;
        let joined = format!("{a}{b}");
        // Not onto a column's label (偏差原因分析及改进措施 / (50分): the level name the points
        // belong to was lost, and the header must stay whole).
        let column = labels.fields_of(&a).iter().any(|f| HEAD.contains(f));
        let annotation = is_points_annotation(&b)
            && number(&a).is_none()
            && !is_points_annotation(&a)
            && !column;
        // 经济效益 / 指标: a label whose tail stands apart (its head may be a label itself).
        // A level name cut before its points (部门决 / 策(25分)) joins too.
        let bare = split_points(&joined).0;
        let merged = short
            && (labels.is_label(&joined) || split_points(&b).1.is_some() && labels.is_label(&bare))
            && (!labels.is_label(&a) || !labels.is_label(&b));
        if !merged && short && i + 2 < toks.len() && toks[i + 2].text.chars().count() <= 8 {
            let c = &toks[i + 2].text;
            let three = format!("{joined}{c}");
            // 偏差原因 / 分析及 / 改进措施: a label's head may be a label of its own when the
            // pieces after it are none.
            let pieces_free = !labels.is_label(&a) || !labels.is_label(&b) && !labels.is_label(c);
            if pieces_free && labels.is_label(&three) {
                toks[i].text = three;
                toks.drain(i + 1..i + 3);
                continue;
            }
        }
        if annotation {
            // Points apart from their label ("80分)" cut from "(80分)"): written as (80分).
            let pts = norm(&b)
                .trim_start_matches('(')
                .trim_end_matches(')')
                .to_string();
            toks[i].text = format!("{a}({pts})");
            toks.remove(i + 1);
            continue;
        }
        if merged {
            toks[i].text = joined;
            toks.remove(i + 1);
            continue;
        }
        i += 1;
    }
}

/// "(50分)", "（10分）", "50分)" — points stated apart from their label.
fn is_points_annotation(t: &str) -> bool {
    let n = norm(t);
    let inner = n.trim_start_matches('(').trim_end_matches(')');
    (n.starts_with('(') || n.ends_with(')'))
        && inner
            .strip_suffix('分')
            .map(|d| number(d).is_some())
            .unwrap_or(false)
}

/// Push a token, split where labels of the key fields stand inside it (项目名称委托项目…, or a
/// label and its value in one cell: 实施单位 民生保障办). The pieces keep their text as written.
/// A `cell` (one tab- or pipe-separated table cell) that is a sentence merely mentioning labels
/// stays whole.
pub fn push_split(
    labels: &Labels,
    out: &mut Vec<Tok>,
    text: &str,
    line: usize,
    col: Option<usize>,
    cell: bool,
) {
    let text = text.trim().trim_matches('|').trim();
    if text.is_empty() {
        return;
    }
    // The normalised text has one char per non-space char of `text`: keep their byte places.
    let places: Vec<(usize, usize)> = text
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .map(|(b, c)| (b, b + c.len_utf8()))
        .collect();
    let n = norm(text);
    // A funds label without its unit (项目资金) also begins indicator names and reasons
    // (项目资金到位率, 项目资金拨付滞后): only one with its unit (项目资金(万元)) starts a value.
    let found: Vec<(usize, usize)> = labels
        .find_in(&n, KEY_FIELDS)
        .into_iter()
        .filter(|&(a, b)| !labels.is(&n[a..b], "funds") || n[a..b].contains('元'))
        .collect();
    let tok = |t: &str| Tok {
        text: t.to_string(),
        line,
        col,
    };
    // Only when a label starts the text, or the text is a run with labels inside it (no spaces),
    // is it split: a value that mentions a label (…的项目名称…) stays whole.
    let starts_with_label = found.first().is_some_and(|(a, _)| *a == 0);
    let whole_label = found.len() == 1 && found[0] == (0, n.len());
    // A label that an indicator's quality word follows is that indicator's name (年度绩效目标
    // 合理性), not the label and its value.
    let name_after_label = found.len() == 1 && found[0].0 == 0 && {
        let rest = &n[found[0].1..];
        (2..=4).contains(&rest.chars().count())
            && rest.chars().all(crate::extract::text::is_han)
            && (rest.ends_with('性') || rest.ends_with('率'))
    };
    // Nor is a sentence that mentions labels without starting with one (单位是否设置年度绩效目标,
    // 绩效目标设定是否…): a table's criteria cell.
    let prose = cell && !starts_with_label && is_sentence(text) && n.chars().count() >= 20;
    if found.is_empty()
        || whole_label
        || name_after_label
        || prose
        || !(starts_with_label || !text.contains(char::is_whitespace) && found.len() >= 2)
    {
        out.push(tok(text));
        return;
    }
    // Byte offsets in `n` → char counts → the original's bytes.
    let n_chars: Vec<usize> = n.char_indices().map(|(b, _)| b).collect();
    let to_orig = |nb: usize, end: bool| -> usize {
        let k = n_chars.partition_point(|b| *b < nb);
        if end {
            if k == 0 {
                0
            } else {
                places.get(k - 1).map(|p| p.1).unwrap_or(text.len())
            }
        } else {
            places.get(k).map(|p| p.0).unwrap_or(text.len())
        }
    };
    let piece = |a: usize, b: usize, out: &mut Vec<Tok>| {
        let (oa, ob) = (to_orig(a, false), to_orig(b, true));
        if oa < ob {
            let t = text[oa..ob].trim().trim_matches([':', '：']).trim();
            // A label's annotation (实施单位 (盖章)) is not its value.
            let note = matches!(
                norm(t).as_str(),
                "(盖章)" | "(公章)" | "(签章)" | "(签字)" | "(代码)" | "(万元)" | "(元)"
            );
            if !t.is_empty() && !note {
                out.push(tok(t));
            }
        }
    };
    let mut at = 0;
    for (a, b) in found {
        if a > at {
            piece(at, a, out);
        }
        piece(a, b, out);
        at = b;
    }
    if at < n.len() {
        piece(at, n.len(), out);
    }
}

/// What the grammar read of an indicator block.
#[derive(Debug, Default)]
pub struct Read {
    pub indicators: Vec<Indicator>,
    /// Points stated in level labels: (level, name, points, line).
    pub subtotals: Vec<(usize, String, Decimal, usize)>,
    pub total_max: Option<Decimal>,
    pub total: Option<Decimal>,
    pub total_line: Option<usize>,
    pub grade: Option<String>,
    pub last_line: usize,
    /// The token where reading stopped (the next table's header, or after the total).
    pub next: usize,
}

const HEAD: [&str; 15] = [
    "indicator_name",
    "level1",
    "level2",
    "level3",
    "level4",
    "target",
    "actual",
    "criteria",
    "max_points",
    "score",
    "reason",
    "indicator_kind",
    "unit_col",
    "ignored_col",
    "ordinal",
];

/// Units written after a target's number (30 万元, 100 %): the number is not points.
const UNITS: &[&str] = &[
    "%",
    "％",
    "万元",
    "元",
    "人",
    "人次",
    "个",
    "次",
    "户",
    "天",
    "日",
    "月",
    "年",
    "份",
    "篇",
    "场",
    "台",
    "套",
    "项",
    "家",
    "所",
    "平方米",
    "公里",
    "亩",
    "吨",
    "元/人",
    "米",
    "厘米",
    "小时",
    "册",
    "批",
    "辆",
    "条",
    "处",
    "座",
    "间",
    "张",
    "名",
    "期",
    "分钟",
    "公斤",
    "株",
    "头",
    "只",
    "km",
    "m²",
    "件",
    "例",
    "种",
    "台套",
    "本",
    "盏",
    "棵",
    "课时",
    "学时",
];

fn is_unit(t: &str) -> bool {
    let n = norm(t);
    UNITS.contains(&n.as_str())
}

fn is_comparator(t: &str) -> bool {
    matches!(
        norm(t).as_str(),
        "≥" | "≤"
            | "="
            | ">"
            | "<"
            | "≧"
            | "≦"
            | "═"
            | "＝"
            | ">="
            | "<="
            | "大于"
            | "小于"
            | "等于"
            | "不低于"
            | "不高于"
            | "不超过"
            | "不少于"
            | "达到"
    )
}

/// Is `toks[i]`, a number, a value of a text column rather than points: a unit follows it, a
/// comparator or a scoring-rule word comes before it, or 分 follows it inside a rule?
fn bound_number(toks: &[Tok], i: usize) -> bool {
    let next = toks.get(i + 1).map(|t| t.text.as_str()).unwrap_or("");
    let prev = i
        .checked_sub(1)
        .and_then(|k| toks.get(k))
        .map(|t| t.text.as_str())
        .unwrap_or("");
    let name_after = toks.get(i + 2).is_some_and(|t| number(&t.text).is_some())
        || split_points(next).1.is_some();
    is_unit(next)
        || rule_points_word(next, name_after)
        || is_comparator(prev)
        || prev.ends_with('得')
        || prev.ends_with('扣')
}

/// Is `next`, the word after a number, the 分 of a rule (10 分, 得10分;, 90 分以上为优秀)? Not
/// where 分 begins a name whose own points follow it or stand in it (`name_follows`: 22 分配过程
/// 22, 2 分配结果(5分)): that number is a row's points.
fn rule_points_word(next: &str, name_follows: bool) -> bool {
    next.strip_prefix('分')
        .is_some_and(|r| !r.starts_with(crate::extract::text::is_han) || !name_follows)
}

fn is_vocab_name(labels: &Labels, name: &str) -> bool {
    labels.is(name, "level1_name") || labels.is(name, "level2_name")
}

/// Every indicator block of `toks`, each from its header on.
pub fn read_all(labels: &Labels, toks: &[Tok]) -> Vec<Read> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < toks.len() {
        let Some(mut r) = read(labels, &toks[at..]) else {
            break;
        };
        let next = at + r.next.max(1);
        r.next = next;
        out.push(r);
        at = next;
    }
    out
}

/// The indicator block of `toks` from its header on, or None when there is no header.
pub fn read(labels: &Labels, toks: &[Tok]) -> Option<Read> {
    // The header: a run of column labels holding a level label (a two-row header flattened puts
    // 一级/二级/三级 after the columns they sit under), or, in a form with one list of indicators
    // (指标名称 | … | 指标权重 | 指标得分, Chongqing's 部门整体绩效自评表), its name label.
    let level_at = toks
        .iter()
        .position(|t| labels.is(&t.text, "level1") || labels.is(&t.text, "level2"));
    let flat = level_at.is_none();
    let level_at = match level_at {
        Some(k) => k,
        None => toks
            .iter()
            .position(|t| labels.is(&t.text, "indicator_name"))?,
    };
    // A column label may state its points (得分(20分)) or close a note that opened before it
    // (指标评价内容 (公式计算结果 = x)得分).
    let head_of = |t: &Tok| -> Option<&'static str> {
        let of = |text: &str| HEAD.iter().find(|h| labels.is(text, h)).copied();
        let stated = |text: &str| {
            let (bare, pts) = split_points(text);
            of(text).or_else(|| pts.and_then(|_| of(&bare)))
        };
        stated(&t.text).or_else(|| {
            let (note, rest) = t.text.split_once(')')?;
            (!note.contains('(') && !rest.is_empty())
                .then(|| stated(rest))
                .flatten()
        })
    };
    let is_head = |t: &Tok| head_of(t).is_some() || labels.is(&t.text, "indicators");
    let mut from = level_at;
    while from > 0 && is_head(&toks[from - 1]) && level_at - from < 12 {
        from -= 1;
        // 序号 is a table's first column (a 单位 label before it is the form's, not a column).
        if head_of(&toks[from]) == Some("ordinal") {
            break;
        }
    }
    let mut to = level_at;
    while to < toks.len() {
        if is_head(&toks[to]) {
            to += 1;
            continue;
        }
        // A bracketed note over a few words in the header, closed by a column label.
        if toks[to].text.starts_with('(') && !toks[to].text.contains(')') {
            let close = (to + 1..(to + 4).min(toks.len())).find(|&k| toks[k].text.contains(')'));
            if let Some(k) = close.filter(|&k| is_head(&toks[k])) {
                to = k + 1;
                continue;
            }
        }
        break;
    }
    let mut levels_n = 0;
    let mut cols: Vec<&'static str> = Vec::new();
    let mut add = |t: &Tok, cols: &mut Vec<&'static str>| {
        let Some(field) = head_of(t) else {
            return;
        };
        if field.starts_with("level") || field == "indicator_name" {
            levels_n += 1;
            return;
        }
        // 分值 comes before 得分: a second points word is the score.
        let field: &'static str = if field == "max_points" && cols.contains(&"max_points") {
            "score"
        } else {
            field
        };
        // A list's columns are counted (its row is read by position when every cell is there):
        // 年初指标值 and 调整指标值 are two targets, 得分系数 and 是否核心指标 two ignored.
        if !cols.contains(&field) || flat && matches!(field, "target" | "ignored_col") {
            cols.push(field);
        }
    };
    for t in &toks[from..to] {
        add(t, &mut cols);
    }
    // A header scattered among the first rows' words (PDF text order: 一级指标 … 年度 指标值 完成值
    // 指标1:… 二级指标 三级指标 … 分值 得分 37442人 3 3): its labels gathered up to the first
    // points, the words between them left to the rows.
    let mut scattered = to;
    if !cols.contains(&"score") && !flat {
        let mut k = to;
        while k < toks.len() && !(number(&toks[k].text).is_some() && !bound_number(toks, k)) {
            // The next form, or another table's header (its own 一级指标).
            if labels.is(&toks[k].text, "project_name")
                || labels.is(&toks[k].text, "funds")
                || k > level_at && labels.is(&toks[k].text, "level1")
            {
                break;
            }
            if is_head(&toks[k]) {
                add(&toks[k], &mut cols);
            }
            k += 1;
        }
        scattered = k;
    }
    let levels_n = levels_n.clamp(1, 4);
    // A table without 得分 scores nothing (a target declaration's 权重 are not points won).
    if !cols.contains(&"score") {
        return None;
    }
    if scattered > to {
        // The rows from the header on, its labels among them skipped.
        let kept: Vec<Tok> = toks[to..scattered]
            .iter()
            .filter(|t| !is_head(t))
            .cloned()
            .collect();
        let dropped = (scattered - to) - kept.len();
        let rows: Vec<Tok> = toks[..to]
            .iter()
            .cloned()
            .chain(kept)
            .chain(toks[scattered..].iter().cloned())
            .collect();
        let mut r = read_rows(labels, &rows, to, levels_n, &cols, Shape::Levels);
        // `next` is a place in `toks`: past the labels taken out.
        if r.next >= scattered - dropped {
            r.next += dropped;
        }
        return Some(r);
    }
    if flat {
        // One list has no 一级指标: its rows stand under the block's own name (绩效指标, the
        // form's cell beside them) at level 1, each name as its 三级指标.
        if !cols.contains(&"max_points") {
            return None;
        }
        return Some(read_rows(labels, toks, to, 3, &cols, Shape::Flat));
    }
    // 分值 and 得分 side by side in the header: a row's points and score may have run together
    // too (目标内容22; 50件50件2020 after a target and its value), up to the next form or table.
    let adjacent = cols
        .windows(2)
        .any(|w| w[0] == "max_points" && w[1] == "score");
    if adjacent {
        let end = (to..toks.len())
            .find(|&k| {
                ["project_name", "funds", "level1"]
                    .iter()
                    .any(|f| labels.is(&toks[k].text, f))
            })
            .unwrap_or(toks.len());
        let texts: Vec<String> = toks[to..end].iter().map(|t| t.text.clone()).collect();
        let split = split_glued_points(texts.clone());
        if split.len() > texts.len() {
            // Each cut token becomes two with its line.
            let mut rows: Vec<Tok> = toks[..to].to_vec();
            let mut k = to;
            let mut s = 0;
            while s < split.len() {
                let t = &toks[k];
                if split[s] == t.text {
                    rows.push(t.clone());
                    s += 1;
                } else {
                    for part in &split[s..s + 2] {
                        rows.push(Tok {
                            text: part.clone(),
                            ..t.clone()
                        });
                    }
                    s += 2;
                }
                k += 1;
            }
            let added = split.len() - texts.len();
            rows.extend(toks[end..].iter().cloned());
            let mut r = read_rows(labels, &rows, to, levels_n, &cols, Shape::Levels);
            r.next = r.next.saturating_sub(added).max(to);
            return Some(r);
        }
    }
    Some(read_rows(labels, toks, to, levels_n, &cols, Shape::Levels))
}

/// What a block's rows look like.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// Under a header with level columns (一级指标 …).
    Levels,
    /// Under a header with one name column (指标名称).
    Flat,
    /// A table's tail without its header.
    Headless,
}

/// The name level 1 takes in a list of indicators without levels.
pub const FLAT_LEVEL1: &str = "绩效指标";

/// A yes/no cell (是否核心指标): a column after the score that holds no points.
fn yes_no(t: &str) -> bool {
    matches!(norm(t).as_str(), "是" | "否" | "√" | "×")
}

/// The rows of an indicator block from `toks[to]` on, under columns `cols` (after the level
/// columns, of which there are `levels_n`); `headless`: a table's tail without its header.
fn read_rows(
    labels: &Labels,
    toks: &[Tok],
    to: usize,
    levels_n: usize,
    cols: &[&'static str],
    shape: Shape,
) -> Read {
    let headless = shape == Shape::Headless;
    let has = |c: &str| cols.contains(&c);
    // Columns after the score holding no points (是否核心指标): their yes/no cells end the row.
    let after_score = match cols.iter().position(|c| *c == "score") {
        Some(p) => cols[p + 1..]
            .iter()
            .filter(|c| **c == "ignored_col")
            .count(),
        None => 0,
    };
    let pos = |c: &str| cols.iter().position(|x| *x == c);
    // Criteria columns after the score, where the header has no 分值 column before them.
    let texts_after_score = match pos("score") {
        Some(p) if !has("max_points") => cols[p + 1..]
            .iter()
            .take_while(|c| **c == "criteria")
            .count(),
        _ => 0,
    };
    let text_cols: Vec<&'static str> = cols
        .iter()
        .copied()
        .filter(|c| !["max_points", "score", "reason", "ordinal"].contains(c))
        .collect();
    // A 序号 column: each row opens with its number, which follows the row above's points.
    let ordinal = has("ordinal");
    let mut next_ordinal = Decimal::ONE;
    // 分值 before the text columns: a row is label, 分值, texts…, 得分.
    let max_first = match (pos("max_points"), text_cols.first().and_then(|c| pos(c))) {
        (Some(m), Some(t)) => m < t,
        _ => false,
    };
    let points_in_labels = !has("max_points");

    let mut out = Read {
        last_line: toks[to.min(toks.len() - 1)].line,
        ..Default::default()
    };
    let mut levels: [Option<String>; 4] = Default::default();
    if shape == Shape::Flat {
        levels[0] = Some(FLAT_LEVEL1.to_string());
    }
    let mut pending: Vec<&Tok> = Vec::new();
    let mut row_max: Option<Decimal> = None;
    // Rows named after the rules before them (see `name_after_rules`).
    let mut out_of_order = false;
    let mut i = to;
    out.next = toks.len();
    while i < toks.len() {
        let t = &toks[i];
        if total_label(labels, &t.text).is_some()
            || labels.is(&t.text, "grade")
            || labels.is(&t.text, "after_indicators")
        {
            read_total(labels, toks, i, &mut out);
            out.next = i + 1;
            break;
        }
        // The next form, or the next table (its own header).
        if labels.is(&t.text, "project_name")
            || labels.is(&t.text, "funds")
            || labels.is(&t.text, "level1")
        {
            out.next = i;
            break;
        }
        let numeric = number(&t.text).is_some() && !bound_number(toks, i);
        // The block's own name (绩效指标, a cell spanning the rows) is not a row's.
        if shape == Shape::Flat && labels.is(&t.text, "indicators") {
            i += 1;
            continue;
        }
        // A list whose rows end in a yes/no cell: a row is everything up to it, its 权重 and
        // 得分 the two numbers right before it (its targets may be plain numbers: 26 | 26 | 12 |
        // 100% | 5 | 5 | 否); without them the row has no points to read.
        if shape == Shape::Flat && after_score > 0 {
            let Some(end) = (i..toks.len()).find(|&k| yes_no(&toks[k].text)) else {
                break;
            };
            let row: Vec<&Tok> = toks[i..end].iter().collect();
            let pts = |k: usize| -> Option<Decimal> {
                end.checked_sub(k)
                    .filter(|p| *p >= i)
                    .and_then(|p| number(&toks[p].text))
            };
            if let (Some(m), Some(sc), true) = (pts(2), pts(1), row.len() > 2) {
                push_row(
                    labels,
                    &mut out,
                    &mut levels,
                    levels_n,
                    cols,
                    &text_cols,
                    row[..row.len() - 2].to_vec(),
                    Vec::new(),
                    Some(m).filter(|m| *m <= Decimal::from(100)),
                    Some(sc).filter(|s| *s <= Decimal::from(100)),
                    t.line,
                    shape,
                );
                out.last_line = out.last_line.max(toks[end].line);
            }
            i = end + 1;
            continue;
        }
        if !numeric {
            pending.push(t);
            i += 1;
            continue;
        }
        if ordinal && number(&t.text) == Some(next_ordinal) {
            // The first row's number also ends what is left of a header cut over two rows.
            if pending.is_empty() || out.indicators.is_empty() && next_ordinal == Decimal::ONE {
                pending.clear();
                next_ordinal += Decimal::ONE;
                i += 1;
                continue;
            }
        }
        if max_first && row_max.is_none() && !pending.is_empty() && has("score") {
            row_max = number(&t.text);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < toks.len() && number(&toks[j].text).is_some() && !bound_number(toks, j) {
            j += 1;
        }
        // The next row's number after this row's points.
        if ordinal && j - i > 1 && number(&toks[j - 1].text) == Some(next_ordinal) {
            j -= 1;
        }
        let nums: Vec<&Tok> = toks[i..j].iter().collect();
        let n = nums.len();
        let num = |k: usize| number(&nums[k].text);
        // Every column after the label filled with a number (a reason of 0 included): the
        // header's order says which is which.
        let tail: Vec<&'static str> = cols
            .iter()
            .copied()
            .filter(|c| *c != "ignored_col" && *c != "ordinal")
            .collect();
        let positional = !max_first
            && has("max_points")
            && (n == tail.len() || n + 1 == tail.len() && tail.last() == Some(&"reason"))
            && n > 2;
        let at = |c: &str| tail.iter().position(|x| *x == c).filter(|k| *k < n);
        let (max, score, extra): (Option<Decimal>, Option<Decimal>, Vec<&Tok>) = if headless {
            // A tail's row is its 分值 and maybe 得分; one more number may follow on the row
            // (the next label's bracketed points or a page number, in PDF text order). With no
            // header to say which is which, four or more numbers (a national form's 年度指标值,
            // 实际完成值, 分值, 得分), or a 得分 above its 分值, are not guessed at: blank.
            let (m, sc) = (num(0), if n >= 2 { num(1) } else { None });
            let fits = match (m, sc) {
                (Some(m), Some(sc)) => sc <= m,
                _ => n == 1,
            };
            if n <= 3 && fits {
                (m, sc, Vec::new())
            } else {
                (None, None, Vec::new())
            }
        } else if positional {
            let m = at("max_points").unwrap_or(n - 2);
            let sc = at("score").unwrap_or(n - 1);
            (num(m), num(sc), nums[..m.min(sc)].to_vec())
        } else if max_first {
            (row_max.take(), num(n - 1), nums[..n - 1].to_vec())
        } else if points_in_labels {
            (None, num(n - 1), nums[..n - 1].to_vec())
        } else if n >= 2 && has("score") {
            (num(n - 2), num(n - 1), nums[..n - 2].to_vec())
        } else {
            (num(n - 1), None, nums[..n - 1].to_vec())
        };
        // Points above 100 are digits run together (2020 of 分值 20 and 得分 20 that nothing
        // confirmed), not points: blank.
        let hundred = Decimal::from(100);
        let (max, score) = if max.is_some_and(|m| m > hundred) || score.is_some_and(|s| s > hundred)
        {
            (None, None)
        } else {
            (max, score)
        };
        let mut row = std::mem::take(&mut pending);
        if headless && row.last().is_some_and(|t| t.col.is_none()) {
            row = name_last(labels, row);
        }
        // PDF text order puts a row's name at its vertical middle: the scoring rules of the
        // rows above (…1 分; 财务制度 3 3) before it, the level label spanning it after it
        // (组织机构 项目管理(13分) 2 2). The name is the word after the last rule, the level
        // names after it its uppers; a lone number after a rule (…扣完为止; 4) is the score of
        // a row read so whose score had not come yet, and one among marks (— 1 —) a page's.
        // Two numbered names before one row's values (PDF text order: 指标24:…报告 数
        // 指标25:家庭医生签约率 14例 14例 2 2 24694人 22584人 2 1.7): the second waits for the
        // values after these.
        let mut waits: Option<&Tok> = None;
        if shape == Shape::Levels && row.iter().all(|t| t.col.is_none()) {
            let named: Vec<usize> = (0..row.len())
                .filter(|&k| numbered_name(&row[k].text))
                .collect();
            if let [a, b] = named[..] {
                let values_after = row[b + 1..]
                    .iter()
                    .all(|t| t.text.chars().any(|c| c.is_ascii_digit()));
                if a < b && values_after && b + 1 < row.len() {
                    waits = Some(row.remove(b));
                }
            }
        }
        if shape == Shape::Levels && !max_first && row.iter().any(|t| t.col.is_none()) {
            if let Some(named) = name_after_rules(labels, &row) {
                row = named;
                out_of_order = true;
            } else if out_of_order
                && n == 1
                && (nothing_after_rules(&row)
                    || !row
                        .iter()
                        .any(|t| t.text.chars().any(crate::extract::text::is_han)))
            {
                let prev = out.indicators.last_mut().filter(|p| {
                    p.score.is_none() && p.max_points.zip(max).is_some_and(|(m, s)| s <= m)
                });
                if let Some(p) = prev {
                    p.score = max;
                }
                i = j;
                continue;
            }
        }
        push_row(
            labels,
            &mut out,
            &mut levels,
            levels_n,
            cols,
            &text_cols,
            row,
            extra,
            max,
            score,
            t.line,
            shape,
        );
        out.last_line = out.last_line.max(toks[j - 1].line);
        pending.extend(waits);
        i = j;
        // Text columns after the score (自评分 | 具体指标 | 评价标准): the words right after a
        // row's score are its own cells, not the next row's name.
        // (Columns of one kind count once in the header: a criteria-like cell or two more
        // are skipped too.)
        let mut k = 0;
        let limit = if texts_after_score > 0 {
            texts_after_score + 2
        } else {
            0
        };
        while k < limit
            && toks.get(i).is_some_and(|t| {
                // A rule stating points more than once (设有目标(1分) 目标明确(1分)) is a
                // criteria cell too; one stating them once may be the next row's label.
                let rule = norm(&t.text).matches("分)").count() >= 2 || is_sentence(&t.text);
                let plain = split_points(&t.text).1.is_none() && k < texts_after_score;
                number(&t.text).is_none()
                    && (plain || rule)
                    && !is_vocab_name(labels, &t.text)
                    && !HEAD.iter().any(|h| labels.is(&t.text, h))
                    && total_label(labels, &t.text).is_none()
            })
        {
            i += 1;
            k += 1;
        }
        // The row's yes/no cells after its score, or its score rate (得分率 100%).
        let mut k = 0;
        while k < after_score
            && toks.get(i).is_some_and(|t| {
                yes_no(&t.text) || crate::extract::text::percent(&t.text).is_some()
            })
        {
            i += 1;
            k += 1;
        }
    }
    if out_of_order {
        regroup_by_stated_points(&mut out);
    }
    // Level names left after the last row (a form cut short): their stated points still count.
    for p in &pending {
        let (name, pts) = split_points(&p.text);
        if let Some(v) = pts {
            if labels.is(&name, "level1_name") && !out.subtotals.iter().any(|s| s.1 == name) {
                out.subtotals.push((0, name, v, p.line));
            }
        }
    }
    // Words after the last row, before the total: its reason.
    if has("reason") && !pending.is_empty() && !out.indicators.is_empty() {
        let r: String = pending.iter().map(|p| p.text.as_str()).collect();
        if let Some(prev) = out.indicators.last_mut() {
            prev.reason = Some(prev.reason.take().unwrap_or_default() + &r);
        }
    } else if out.indicators.is_empty() && points_in_labels {
        // An unfilled table stating its points only in labels: its tree by those points.
        let stated: Vec<(String, Decimal, usize)> = pending
            .iter()
            .filter_map(|p| {
                let (name, pts) = split_points(&p.text);
                pts.filter(|_| !name.is_empty()).map(|v| (name, v, p.line))
            })
            .collect();
        tree_rows(&stated, levels_n, &mut out);
    }
    out
}

/// The rows at the top of a page that begins inside a table (the tail of a form printed on the
/// page before, its header there): rows recognised by their shape, a name followed by its
/// points (分值, or 分值 and 得分: `指标名 5 5`; one number is the 分值 of an unfilled form),
/// under level names from the vocabulary (产出指标, 数量指标…). Read only where the rows are
/// plainly a table's: two rows or more, every one with points a row can carry, and level names
/// or a 合计 row among them.
pub fn read_headless(labels: &Labels, toks: &[Tok]) -> Option<Read> {
    if toks.is_empty() {
        return None;
    }
    let out = read_rows(
        labels,
        toks,
        0,
        3,
        &["max_points", "score"],
        Shape::Headless,
    );
    let rows = &out.indicators;
    let sane = |d: Option<Decimal>| d.is_none_or(|v| v >= Decimal::ZERO && v <= Decimal::from(100));
    let named = rows
        .iter()
        .any(|i| i.levels[0].is_some() || i.levels[1].is_some());
    let fits = rows.iter().all(|i| {
        i.max_points.is_some()
            && sane(i.max_points)
            && sane(i.score)
            && i.score.zip(i.max_points).is_none_or(|(s, m)| s <= m)
            && i.levels.iter().rev().flatten().next().is_some_and(|n| {
                // A name, not a sentence of a rule's text.
                (2..=40).contains(&n.chars().count())
                    && n.chars().any(crate::extract::text::is_han)
                    && !n.contains(['。', '；', ';'])
            })
    });
    (rows.len() >= 2 && fits && (named || out.total_line.is_some())).then_some(out)
}

/// A tail's row in words (PDF text), not cells: its name is the last word that reads as one,
/// what stands before it either a level name from the vocabulary or debris of the page (a
/// page number, the annotation of a cell cut off), and what follows it a target.
fn name_last<'a>(labels: &Labels, row: Vec<&'a Tok>) -> Vec<&'a Tok> {
    let han = |s: &str| {
        s.chars()
            .filter(|c| crate::extract::text::is_han(*c))
            .count()
    };
    let name_like = |t: &Tok| {
        let n = split_points(&t.text).0;
        han(&n) >= 2
            && !n.starts_with(['(', '（'])
            && !n.starts_with(|c: char| c.is_ascii_digit() || "=＝≥≤><≧≦".contains(c))
            && !is_unit(&n)
    };
    let Some(at) = row.iter().rposition(|t| name_like(t)) else {
        return row;
    };
    let mut out: Vec<&Tok> = row[..at]
        .iter()
        .copied()
        .filter(|t| is_vocab_name(labels, &split_points(&t.text).0))
        .collect();
    out.push(row[at]);
    out
}

/// Words of a sentence (a criterion, a rule), not a name: six characters or more with a comma,
/// semicolon or full stop among them.
fn is_sentence(w: &str) -> bool {
    w.chars().count() >= 6 && w.contains([',', '，', ';', '；', '。'])
}

/// A value rather than a name: a number with at most a unit after it (14种, ≥95%, 150次), or
/// marks without a letter or a character (—).
fn value_like(t: &str) -> bool {
    let n = norm(t);
    let body = n.trim_start_matches(|c: char| "=≥≤><≧≦".contains(c));
    let digits = body.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let numbered =
        digits.len() < body.len() && (digits.is_empty() || digits == "%" || is_unit(digits));
    numbered || !n.chars().any(|c| c.is_alphanumeric())
}

/// A numbered indicator name (指标25:家庭医生签约率).
fn numbered_name(t: &str) -> bool {
    let n = norm(t);
    let Some((head, name)) = n.split_once(':') else {
        return false;
    };
    let label = head.trim_end_matches(|c: char| c.is_ascii_digit());
    label.len() < head.len()
        && (1..=4).contains(&label.chars().count())
        && label.chars().all(crate::extract::text::is_han)
        && name
            .chars()
            .filter(|c| crate::extract::text::is_han(*c))
            .count()
            >= 2
}

/// Text of a scoring rule (…1 分;, 分,没有不得分。, 分,缺一项扣): 分 closed by punctuation,
/// or a deduction.
fn is_rule_text(t: &str) -> bool {
    let n = norm(t);
    n.contains("不得分")
        || n.contains('扣') && n.contains('分')
        || n.match_indices('分')
            .any(|(a, _)| n[a + '分'.len_utf8()..].starts_with([';', '。', ',', '，', '；']))
}

/// In PDF text order a level label spanning rows prints at their middle, after rows that are
/// its own: the last rows of a level whose 分值 overrun its stated points move to the next
/// level where that makes both add up to what they state (项目决策(2分): 决策依据 2, 财务制度 3;
/// 项目管理(13分): 组织机构 2, 运行监管 4, 目标申报 4 — 财务制度 is 项目管理's).
fn regroup_by_stated_points(out: &mut Read) {
    let stated = |name: &str| {
        out.subtotals
            .iter()
            .find(|s| s.0 == 0 && s.1 == name)
            .map(|s| s.2)
    };
    // Runs of rows under one level 1: (name, first row, end).
    let mut runs: Vec<(String, usize, usize)> = Vec::new();
    for (k, i) in out.indicators.iter().enumerate() {
        let name = i.levels[0].clone().unwrap_or_default();
        match runs.last_mut() {
            Some(r) if r.0 == name => r.2 = k + 1,
            _ => runs.push((name, k, k + 1)),
        }
    }
    let sum = |rows: &[Indicator]| -> Option<Decimal> { rows.iter().map(|i| i.max_points).sum() };
    let mut moves: Vec<(usize, usize, String)> = Vec::new();
    for w in runs.windows(2) {
        let ((a, a0, a1), (b, b0, b1)) = (&w[0], &w[1]);
        let (Some(pa), Some(pb)) = (stated(a), stated(b)) else {
            continue;
        };
        let rows = &out.indicators;
        for cut in (*a0 + 1..*a1).rev() {
            if sum(&rows[*a0..cut]) == Some(pa)
                && sum(&rows[cut..*a1])
                    .zip(sum(&rows[*b0..*b1]))
                    .is_some_and(|(x, y)| x + y == pb)
            {
                moves.push((cut, *a1, b.clone()));
                break;
            }
        }
    }
    for (from, to, name) in moves {
        for i in &mut out.indicators[from..to] {
            i.levels[0] = Some(name.clone());
        }
    }
}

/// Words ending in a scoring rule, or in marks after it (a page number's dashes).
fn nothing_after_rules(row: &[&Tok]) -> bool {
    row.iter()
        .rposition(|t| is_rule_text(&t.text))
        .is_some_and(|r| {
            row[r + 1..]
                .iter()
                .all(|t| !t.text.chars().any(crate::extract::text::is_han))
        })
}

/// A row in PDF text order whose scoring rules from the rows above stand before its name: the
/// name-like word after the last rule (not an enumerated item, 1、…; not a label), with the
/// level names after it moved before it. None where no rule stands before the name.
fn name_after_rules<'a>(labels: &Labels, row: &[&'a Tok]) -> Option<Vec<&'a Tok>> {
    let last_rule = row.iter().rposition(|t| is_rule_text(&t.text))?;
    let after = &row[last_rule + 1..];
    let han = |s: &str| {
        s.chars()
            .filter(|c| crate::extract::text::is_han(*c))
            .count()
    };
    let vocab = |t: &Tok| is_vocab_name(labels, &split_points(&t.text).0);
    let name_like = |t: &Tok| {
        let n = &t.text;
        (2..=16).contains(&han(n))
            && !n.starts_with(|c: char| c.is_ascii_digit())
            && !n.contains(['。', ';', '；', ',', '，', '、'])
            && !labels.is_label(n)
            && !vocab(t)
    };
    let at = after.iter().position(|t| name_like(t))?;
    if !after[at + 1..].iter().all(|t| vocab(t)) || !after[..at].iter().all(|t| vocab(t)) {
        return None;
    }
    let mut out: Vec<&Tok> = after[..at].to_vec();
    out.extend(after[at + 1..].iter().copied());
    out.push(after[at]);
    Some(out)
}

/// The words of PDF text around a tail's rows mended: an annotation cut over words or lines
/// (`(` `10` `分)项目管理…`, `20` `分)…`) made whole, brackets left open by a cut dropped, and a
/// bracketed note (政策依据) joined to the name before it.
fn mend_words(words: Vec<Tok>) -> Vec<Tok> {
    let is_num = |t: &Tok| number(&t.text).is_some();
    let closes = |t: &str| -> Option<(bool, String)> {
        t.strip_prefix("分)")
            .or_else(|| t.strip_prefix("分）"))
            .map(|r| (true, r.to_string()))
            .or_else(|| {
                t.strip_prefix(')')
                    .or_else(|| t.strip_prefix('）'))
                    .map(|r| (false, r.to_string()))
            })
    };
    let mut out: Vec<Tok> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let open = w.text == "(" || w.text == "（";
        let num_at = if open { i + 1 } else { i };
        // (10 分)… or 20 分)… : the annotation whole, the rest of the word after it.
        if words.get(num_at).is_some_and(is_num) {
            if let Some((fen, rest)) = words.get(num_at + 1).and_then(|n| closes(&n.text)) {
                let v = &words[num_at].text;
                out.push(Tok {
                    text: if fen {
                        format!("({v}分)")
                    } else {
                        format!("({v})")
                    },
                    ..w.clone()
                });
                let rest = trim_open_brackets(&rest);
                if !rest.is_empty() {
                    out.push(Tok {
                        text: rest,
                        ..words[num_at + 1].clone()
                    });
                }
                i = num_at + 2;
                continue;
            }
        }
        if open || w.text == ")" || w.text == "）" {
            i += 1;
            continue;
        }
        let text = trim_open_brackets(&w.text);
        if text.is_empty() {
            i += 1;
            continue;
        }
        // A note in brackets after a name: part of the name (必要性 (政策依据)).
        let note = text.starts_with(['(', '（'])
            && split_points(&text).1.is_none()
            && text.ends_with([')', '）']);
        if let Some(prev) = out.last_mut().filter(|p| {
            note && number(&p.text).is_none()
                && p.text.chars().any(crate::extract::text::is_han)
                && !p.text.ends_with([')', '）'])
        }) {
            prev.text.push_str(&text);
            i += 1;
            continue;
        }
        out.push(Tok { text, ..w.clone() });
        i += 1;
    }
    out
}

/// A word with a bracket closed that it never opened (分)项目绩效) or opened and never closed
/// (项目绩效(20): the cut-off part dropped.
fn trim_open_brackets(w: &str) -> String {
    let mut s = w.to_string();
    let first_close = s.find([')', '）']);
    let first_open = s.find(['(', '（']);
    if let Some(c) = first_close {
        if first_open.is_none_or(|o| o > c) {
            let len = s[c..].chars().next().map(char::len_utf8).unwrap_or(1);
            s = s[c + len..].to_string();
        }
    }
    let last_open = s.rfind(['(', '（']);
    let last_close = s.rfind([')', '）']);
    if let Some(o) = last_open {
        if last_close.is_none_or(|c| c < o) {
            s.truncate(o);
        }
    }
    s
}

/// A word of a row whose cells ran together (产出指标数量指标足额保障率=100%, 合计100), or a
/// table cell (`cell`): level names from the vocabulary split off its front, a target after a comparator split off its
/// end, a total's number split from its label.
pub fn unglue(labels: &Labels, word: &str, cell: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = word.trim().to_string();
    loop {
        let n = norm(&rest);
        let head = labels
            .find_in(&n, &["level1_name", "level2_name"])
            .first()
            .copied()
            .filter(|(a, _)| *a == 0);
        let Some((_, b)) = head else { break };
        // A name that cannot begin an indicator's own name splits off: one ending in 指标
        // (产出指标数量指标…) or stating its points (决策(20分)…). In a table cell that is
        // all (管理制度健全性, 绩效目标合理性 are indicators); a word of PDF text, whose cells
        // ran together, may also split at a name of four or more characters (绩效目标明确性),
        // never at a short one (管理制度健全性 stays whole).
        let with_points = points_after(&n, b);
        let structural = n[..b].ends_with("指标") || with_points > b;
        if !(structural || !cell && n[..b].chars().count() >= 4) {
            break;
        }
        // 产出指标(50分) keeps its points; a name alone is not split.
        let b = with_points;
        let tail = &n[b..];
        if tail.chars().count() < 2 || tail.starts_with('(') || rest.contains(char::is_whitespace) {
            break;
        }
        out.push(n[..b].to_string());
        rest = tail.to_string();
    }
    for w in ["合计", "总分", "总计"] {
        if let Some(v) = rest.strip_prefix(w).filter(|v| number(v).is_some()) {
            out.push(w.to_string());
            out.push(v.to_string());
            return out;
        }
    }
    let cmp = rest
        .char_indices()
        .find(|(_, c)| "=＝≥≤><≧≦".contains(*c))
        .map(|(p, _)| p);
    match cmp {
        Some(p) if rest[..p].chars().count() >= 2 && !rest[..p].ends_with(char::is_numeric) => {
            out.push(rest[..p].to_string());
            out.push(rest[p..].to_string());
        }
        _ => out.push(rest),
    }
    out
}

/// A total's label, also with its full marks stated (总分(100分)): those marks.
fn total_label(labels: &Labels, text: &str) -> Option<Option<Decimal>> {
    if labels.is(text, "total") {
        return Some(None);
    }
    let (bare, pts) = split_points(text);
    pts.filter(|_| labels.is(&bare, "total")).map(Some)
}

fn read_total(labels: &Labels, toks: &[Tok], i: usize, out: &mut Read) {
    let t = &toks[i];
    if let Some(stated) = total_label(labels, &t.text) {
        // A total may carry its unit (总分 | 99.55分).
        let value = |n: &Tok| number(n.text.trim_end_matches('分'));
        let nums: Vec<Decimal> = toks[i + 1..]
            .iter()
            .take_while(|n| value(n).is_some())
            .filter_map(value)
            .collect();
        let scored = out.indicators.iter().any(|x| x.score.is_some());
        // Full marks and score run together (总分100100): split where only one cut gives a
        // score within full marks of 100 or less, and the rows confirm it (their points add
        // up to the full marks, or their scores to the score): 合计1005 is not 100 and 5.
        let sum = |f: fn(&Indicator) -> Option<Decimal>| -> Option<Decimal> {
            let v: Vec<Decimal> = out.indicators.iter().filter_map(f).collect();
            (!v.is_empty()).then(|| v.iter().sum())
        };
        let (points, scores) = (sum(|x| x.max_points), sum(|x| x.score));
        // One value written with 分 (总分 | 100分) that is the full marks (100, or what the
        // rows' 分值 add up to) is not a score.
        let with_unit = toks
            .get(i + 1)
            .is_some_and(|n| n.text.trim().ends_with('分'));
        if let ([v], true) = (nums.as_slice(), with_unit) {
            if *v == Decimal::from(100) || points == Some(*v) {
                out.total_max = Some(*v);
                out.total_line = Some(t.line);
                out.last_line = out.last_line.max(t.line);
                return;
            }
        }
        let nums = match nums.as_slice() {
            [v] if *v > Decimal::from(100) => match split_pair(&toks[i + 1].text) {
                Some((m, s)) if points == Some(m) || scores == Some(s) => vec![m, s],
                _ => Vec::new(),
            },
            _ => nums,
        };
        match nums.as_slice() {
            [m, s, ..] => {
                out.total_max = Some(*m);
                out.total = Some(*s);
            }
            // The label states the full marks: the one number is the score.
            [v] if stated.is_some_and(|m| *v <= m) => {
                out.total_max = stated;
                out.total = Some(*v);
            }
            // Alone and whole on an unscored table: its full marks (合计 100); a fraction
            // (总分 71.7) is a score.
            [v] if !scored && v.fract().is_zero() => out.total_max = Some(*v),
            [v] => out.total = Some(*v),
            [] => {}
        }
        // A grade word right after the total's numbers, on its row (总分 100 96 优).
        if out.total.is_some() {
            out.grade = toks
                .get(i + 1 + nums.len())
                .filter(|n| n.line == t.line)
                .and_then(|n| grade_word(&n.text));
        }
        out.total_line = Some(t.line);
        out.last_line = out.last_line.max(t.line);
    }
    if let Some(g) = toks[i..]
        .iter()
        .take(6)
        .position(|n| labels.is(&n.text, "grade"))
    {
        out.grade = toks.get(i + g + 1).and_then(|n| grade_word(&n.text));
        out.last_line = out.last_line.max(toks[i + g].line);
    }
}

#[allow(clippy::too_many_arguments)]
fn push_row(
    labels: &Labels,
    out: &mut Read,
    levels: &mut [Option<String>; 4],
    levels_n: usize,
    cols: &[&'static str],
    text_cols: &[&'static str],
    row: Vec<&Tok>,
    extra: Vec<&Tok>,
    max: Option<Decimal>,
    score: Option<Decimal>,
    line: usize,
    shape: Shape,
) {
    let has = |c: &str| cols.contains(&c);
    let name_of = |t: &Tok| split_points(&t.text);
    let vocab = |t: &Tok| {
        let n = name_of(t).0;
        labels.is(&n, "level1_name") || labels.is(&n, "level2_name")
    };
    let stated = |t: &Tok| name_of(t).1.is_some();
    // A reason left over from the row above, before this row's level names.
    let first_level = row.iter().position(|t| vocab(t));
    let (spill, row) = match first_level {
        Some(a) if a > 0 && has("reason") && !out.indicators.is_empty() => (&row[..a], &row[a..]),
        _ => (&row[..0], &row[..]),
    };
    if !spill.is_empty() {
        let r: String = spill.iter().map(|t| t.text.as_str()).collect();
        if let Some(prev) = out.indicators.last_mut() {
            prev.reason = Some(prev.reason.take().unwrap_or_default() + &r);
        }
    }
    // A 一级 name further on starts the row again: the words before it are rows left empty
    // (生态效益指标 指标1 指标2 …… under no points, then 效益指标 可持续影响指标 指标1长期使用性;
    // 资金均衡 then 项目管理(15分) 资金到位(4分) 分配时效).
    let restart = (1..row.len())
        .rfind(|&k| {
            vocab(row[k]) && !vocab(row[k - 1]) && labels.is(&name_of(row[k]).0, "level1_name")
        })
        .filter(|&k| {
            (row[..k].iter().any(|t| vocab(t)) || stated(row[k]))
                && row[k..].iter().any(|t| !vocab(t))
        });
    let row = match restart {
        Some(k) => &row[k..],
        None => row,
    };
    // Leading level names (vocabulary), then labels stating points that another label follows.
    let mut k = 0;
    let mut uppers: Vec<(String, Option<Decimal>, usize)> = Vec::new();
    while k < row.len() {
        let t = row[k];
        let next_is_label = row
            .get(k + 1)
            .map(|n| !n.text.is_empty() && number(&n.text).is_none())
            .unwrap_or(false);
        // With no text column, a label stating its points that another word follows stands
        // above it (决策依据(10分) 政策依据 2 2): the row's own name is the last.
        let no_texts = text_cols.iter().all(|c| *c == "ignored_col");
        if vocab(t)
            || (stated(t) && next_is_label && (stated(row[k + 1]) || vocab(row[k + 1]) || no_texts))
        {
            let (name, pts) = name_of(t);
            uppers.push((name, pts, t.line));
            k += 1;
        } else {
            break;
        }
    }
    // A criteria sentence or a target is not a name: where one would be, the last upper word is
    // the row's name (账务管理, near enough to the 二级 name 财务管理, over its 评分标准; 满意度,
    // a 一级 word too, before ≥90%).
    let nameless = |t: &Tok| has("criteria") && is_sentence(&t.text) || value_like(&t.text);
    if k > 0 && row.get(k).is_some_and(|t| nameless(t)) {
        let last = uppers.len() - 1;
        if uppers[last].1.is_none() {
            uppers.pop();
            k -= 1;
        }
    }
    // Vocabulary names go to their level; others stand right above the row's own label.
    let deepest = levels_n.saturating_sub(1).min(3);
    let non_vocab_after = |k: usize| {
        uppers[k + 1..]
            .iter()
            .filter(|u| !is_vocab_name(labels, &u.0))
            .count()
    };
    for (k, (name, pts, l)) in uppers.iter().enumerate() {
        let l1 = labels.is(name, "level1_name");
        let l2 = labels.is(name, "level2_name");
        // 满意度指标 is a 一级 name in the national template and a 二级 one in older ones: a
        // 一级 when a 二级 name follows it, or when no 一级 stands above it.
        let next_l2 = uppers
            .get(k + 1)
            .map(|u| labels.is(&u.0, "level2_name"))
            .unwrap_or(false);
        // A 一级 name right after another (过程(30) 资金管理) is the level below it.
        let after_l1 = k > 0 && labels.is(&uppers[k - 1].0, "level1_name") && levels_n >= 3;
        let lvl = if l1 && !after_l1 && (!l2 || next_l2 || levels[0].is_none()) {
            0
        } else if (l2 || after_l1) && levels_n >= 2 {
            1
        } else {
            deepest.saturating_sub(1 + non_vocab_after(k))
        };
        // Points whose level name was lost ((50分) alone) name no level.
        if name.is_empty() {
            continue;
        }
        levels[lvl] = Some(name.clone());
        for deeper in levels.iter_mut().skip(lvl + 1) {
            *deeper = None;
        }
        if let Some(v) = pts {
            out.subtotals.push((lvl, name.clone(), *v, *l));
        }
    }
    let rest = &row[k..];
    let mut texts: Vec<String> = Vec::new();
    let mut stated_max: Option<Decimal> = None;
    for (n, t) in rest.iter().enumerate() {
        let (name, pts) = name_of(t);
        if n == 0 && pts.is_some() {
            stated_max = pts;
            texts.push(name);
        } else {
            texts.push(squash(&t.text));
        }
    }
    texts.extend(extra.iter().map(|e| e.text.clone()));
    let expected = 1 + text_cols.len();
    // A name's last character wrapped onto a word of its own (…事件报告 数), one word more than
    // the row's columns: joined back.
    let wrapped = |w: &str| {
        let mut cs = w.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if crate::extract::text::is_han(c)
            && !is_unit(w) && !"高好优良中差是否无有".contains(c))
    };
    if texts.len() > expected && texts.get(1).is_some_and(|w| wrapped(w)) {
        let tail = texts.remove(1);
        texts[0].push_str(&tail);
    }
    // Words beyond the row's columns belong to the reason of the row above.
    if has("reason") && texts.len() > expected && first_level.is_none() {
        let _ = vocab;
        let spill: Vec<String> = texts.drain(..texts.len() - expected).collect();
        if let Some(prev) = out.indicators.last_mut() {
            prev.reason = Some(prev.reason.take().unwrap_or_default() + &spill.join(""));
        }
    }
    // Without a reason column, short words beyond the row's columns before its name are the
    // levels above it that the vocabulary does not know (组织实施 工作安排 <评分标准>: 二级 and
    // 三级); a criteria sentence with no name before it is the second row of the name above
    // (a name cell spanning two rows).
    let short = |w: &String| w.chars().count() <= 12 && !is_sentence(w);
    if !has("reason") && shape == Shape::Levels && texts.len() > expected {
        let known = |w: &String| is_vocab_name(labels, w);
        let plain = |w: &String| {
            !w.chars().any(|c| c.is_ascii_digit() || c == '%')
                && w.chars().any(crate::extract::text::is_han)
        };
        // The names before the first sentence: all but the last are uppers.
        let lead = texts
            .iter()
            .take_while(|w| short(w) && plain(w) && !known(w))
            .count();
        // A name said again begins its own explanation (总体工作完成率 总体工作完成率=…).
        let lead = (1..lead)
            .find(|&n| texts[n] == texts[n - 1])
            .unwrap_or(lead);
        let surplus = lead.saturating_sub(1).min(texts.len() - expected);
        if surplus > 0 && surplus < levels_n.min(4) {
            // Under the uppers this row already placed (规划(15分) above 基础信息(3分)), which
            // move up to make room.
            let placed: Vec<&(String, Option<Decimal>, usize)> = uppers
                .iter()
                .filter(|u| !is_vocab_name(labels, &u.0) && !u.0.is_empty())
                .collect();
            if placed.len() + surplus < levels_n {
                // The first of them may state its points (基础信息 (4分)): its subtotal, not
                // the row's 分值.
                let first_line = rest.first().map_or(line, |t| t.line);
                let new: Vec<(String, Option<(Decimal, usize)>, bool)> = texts
                    .drain(..surplus)
                    .enumerate()
                    .map(|(n, w)| {
                        let pts = if n == 0 { stated_max.take() } else { None };
                        (w, pts.map(|p| (p, first_line)), true)
                    })
                    .collect();
                let chain: Vec<(String, Option<(Decimal, usize)>, bool)> = placed
                    .iter()
                    .map(|u| (u.0.clone(), u.1.map(|p| (p, u.2)), false))
                    .chain(new)
                    .collect();
                for (n, (name, stated, is_new)) in chain.into_iter().rev().enumerate() {
                    let Some(slot) = deepest.checked_sub(n + 1) else {
                        break;
                    };
                    match stated {
                        Some((p, l)) if is_new => out.subtotals.push((slot, name.clone(), p, l)),
                        Some((p, l)) => {
                            for s in out.subtotals.iter_mut() {
                                if s.1 == name && s.2 == p && s.3 == l {
                                    s.0 = slot;
                                }
                            }
                        }
                        None => {}
                    }
                    levels[slot] = Some(name);
                }
            }
        }
    }
    if has("criteria") && texts.len() + 1 == expected && k == 0 {
        if is_sentence(&texts[0]) {
            if let Some(prev) = out
                .indicators
                .last()
                .and_then(|p| p.levels[deepest].clone())
            {
                texts.insert(0, prev);
            }
        }
    }
    let mut row_levels = levels.clone();
    // A list's row (one name column) is read by position only when every cell is there: its
    // empty cells (调整指标值) are lost in a stream, and a target read off by one is worse
    // than none.
    let after_score = cols
        .iter()
        .skip_while(|c| **c != "score")
        .filter(|c| **c == "ignored_col")
        .count();
    let by_position = shape != Shape::Flat || texts.len() == 1 + text_cols.len() - after_score;
    let mut it = texts.into_iter();
    match it.next() {
        // A header's word is not a row's name (复核分 or 评价标准及依据 printed after the first
        // row, in PDF text order): no row rather than a misnamed one.
        Some(name) if HEAD.iter().any(|h| labels.is(&name, h)) => return,
        // Nor is a value (14种, 150次, a dash): in PDF text order a row's values can stand apart
        // from the name they belong to, and a row named by its own target is a wrong row.
        Some(name) if value_like(&name) => return,
        // Nor is a subtotal (小计 of the rows above).
        Some(name) if norm(&name) == "小计" => return,
        Some(name) => row_levels[deepest] = Some(name),
        // A row whose own label is an upper one (two-level tables): the deepest label placed.
        None => {
            if let Some(d) = (0..4).rev().find(|k| row_levels[*k].is_some()) {
                if stated_max.is_none() {
                    stated_max = out.subtotals.iter().rev().find(|s| s.0 == d).map(|s| s.2);
                    if stated_max.is_some() {
                        out.subtotals
                            .retain(|s| !(s.0 == d && Some(s.2) == stated_max && s.3 == line));
                    }
                }
            }
        }
    }
    let mut target = None;
    let mut actual = None;
    let mut kind = None;
    let mut unit = None;
    for (col, v) in text_cols.iter().zip(it).filter(|_| by_position) {
        match *col {
            "target" => target = Some(v),
            "actual" => actual = Some(v),
            "indicator_kind" => kind = Some(v),
            "unit_col" => unit = Some(v),
            _ => {}
        }
    }
    // 指标性质 ≤ and 度量单位 万元 around a target of 30: the target is ≤30万元.
    if let Some(t) = target.as_mut() {
        if let Some(k) = kind.filter(|k| is_comparator(k)) {
            *t = format!("{k}{t}");
        }
        if let Some(u) = unit.filter(|u| is_unit(u) && !t.ends_with(u.as_str())) {
            t.push_str(&u);
        }
    }
    let max = max.or(stated_max);
    if max.is_none() && score.is_none() {
        return;
    }
    out.indicators.push(Indicator {
        levels: row_levels,
        max_points: max,
        score,
        target_value: target,
        actual_value: actual,
        reason: None,
        line,
        source: None,
    });
    let _ = percent;
}

/// The leaves of a tree of labels stating their points, children adding up to their parent:
/// 部门决策(25) → 目标任务(15) → 相关性(5) 明确性(5) 合理性(5), 预算编制(10) → …
fn tree_rows(stated: &[(String, Decimal, usize)], levels_n: usize, out: &mut Read) {
    fn build(
        s: &[(String, Decimal, usize)],
        i: &mut usize,
        budget: Decimal,
        depth: usize,
        n: usize,
        path: &mut Vec<(String, Decimal, usize)>,
        leaves: &mut Vec<(Vec<(String, Decimal, usize)>, usize)>,
    ) -> bool {
        let mut left = budget;
        while left > Decimal::ZERO && *i < s.len() {
            let node = s[*i].clone();
            if node.1 > left {
                return false;
            }
            *i += 1;
            path.push(node.clone());
            if depth + 1 < n {
                let save = *i;
                let mut sub: Vec<(Vec<(String, Decimal, usize)>, usize)> = Vec::new();
                if !build(s, i, node.1, depth + 1, n, path, &mut sub) {
                    // Not a parent after all: a leaf at a shallower level.
                    *i = save;
                    leaves.push((path.clone(), depth));
                } else {
                    leaves.extend(sub);
                }
            } else {
                leaves.push((path.clone(), depth));
            }
            path.pop();
            left -= node.1;
        }
        left == Decimal::ZERO
    }
    if stated.len() < 3 || levels_n < 2 {
        return;
    }
    let mut i = 0;
    let mut leaves = Vec::new();
    let mut path = Vec::new();
    while i < stated.len() {
        let node = stated[i].clone();
        i += 1;
        path.push(node.clone());
        let save = i;
        let mut sub = Vec::new();
        if build(stated, &mut i, node.1, 1, levels_n, &mut path, &mut sub) {
            leaves.extend(sub);
        } else {
            i = save;
            leaves.push((path.clone(), 0));
        }
        path.pop();
    }
    // A tree that explains nothing (no label had children) is not a table of points.
    if leaves.len() == stated.len() {
        return;
    }
    for (path, _) in leaves {
        let Some(leaf) = path.last() else { continue };
        let mut lv: [Option<String>; 4] = Default::default();
        for (k, node) in path.iter().enumerate().take(4) {
            lv[k] = Some(node.0.clone());
        }
        for (k, node) in path.iter().enumerate().take(path.len() - 1) {
            if !out.subtotals.iter().any(|s| s.1 == node.0 && s.3 == node.2) {
                out.subtotals.push((k, node.0.clone(), node.1, node.2));
            }
        }
        out.indicators.push(Indicator {
            levels: lv,
            max_points: Some(leaf.1),
            score: None,
            line: leaf.2,
            ..Default::default()
        });
        out.last_line = out.last_line.max(leaf.2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// A run-together block runs on into the next line, not into prose further down.
    #[test]
    fn a_run_together_block_does_not_run_on_into_later_prose() {
        let l = Labels::builtin();
        let block = "一级指标二级指标三级指标分值年度指标值全年实际值得分产出指标(70分)数量指标安装坡面水标尺10≥266米≥266米10";
        let prose = "2023年12月30日经自评本项目得分98分";
        let near: Vec<String> = [block, prose].iter().map(|s| s.to_string()).collect();
        let far: Vec<String> = [block, "", "", "", "", prose]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let texts = |lines: &[String]| -> Vec<String> {
            tokens(l, lines, 0, lines.len(), false)
                .into_iter()
                .map(|t| t.text)
                .collect()
        };
        assert!(!texts(&near).iter().any(|t| t == prose));
        assert!(texts(&far).iter().any(|t| t == prose), "{:?}", texts(&far));
    }

    /// Level names split off the front of a run-together cell only where they cannot begin an
    /// indicator's own name.
    #[test]
    fn unglue_keeps_indicator_names_that_begin_with_a_level_name() {
        let l = Labels::builtin();
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        for cell in [true, false] {
            assert_eq!(unglue(l, "管理制度健全性", cell), v(&["管理制度健全性"]));
            assert_eq!(
                unglue(l, "产出指标数量指标足额保障率=100%", cell),
                v(&["产出指标", "数量指标", "足额保障率", "=100%"])
            );
        }
        assert_eq!(unglue(l, "绩效目标合理性", true), v(&["绩效目标合理性"]));
        assert_eq!(
            unglue(l, "绩效目标合理性", false),
            v(&["绩效目标", "合理性"])
        );
    }

    /// Points glued to a target are cut only where the actual value repeats the target; a
    /// blank 分值 never turns part of a target into points.
    #[test]
    fn points_cut_from_a_target_only_when_the_row_confirms_it() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            row_atoms("验收合格率20100%100%20", true),
            v(&["验收合格率", "20", "100%", "100%", "20"])
        );
        assert_eq!(
            row_atoms("群众满意度100%98%9", true),
            v(&["群众满意度", "100%", "98%", "9"])
        );
        assert_eq!(
            row_atoms("群众满意度100%", true),
            v(&["群众满意度", "100%"])
        );
        assert_eq!(row_atoms("覆盖率95%", true), v(&["覆盖率", "95%"]));
    }

    fn d(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }

    /// A read's rows as (level-3 name, 分值, 得分).
    fn rows_of(r: &Read) -> Vec<(String, Option<Decimal>, Option<Decimal>)> {
        r.indicators
            .iter()
            .map(|i| {
                (
                    i.levels[2].clone().unwrap_or_default(),
                    i.max_points,
                    i.score,
                )
            })
            .collect()
    }

    fn toks(words: &[&str]) -> Vec<Tok> {
        words
            .iter()
            .enumerate()
            .map(|(k, w)| Tok {
                text: w.to_string(),
                line: k,
                col: None,
            })
            .collect()
    }

    #[test]
    fn a_score_rate_after_the_score_is_no_next_rows_name() {
        // 一级指标 | 分值 | 得分 | 得分率: the rate after each row's score is skipped, not taken
        // for the next row's first word (which made that row nameless, and lost it).
        let l = Labels::builtin();
        let t = toks(&[
            "一级指标",
            "分值",
            "得分",
            "得分率",
            "A立项必要性",
            "20",
            "20",
            "100%",
            "B投入经济性",
            "20",
            "20",
            "100%",
            "C绩效目标合理性",
            "20",
            "11.5",
            "57.5%",
            "小计",
            "60",
            "51.5",
            "85.8%",
        ]);
        let r = read(l, &t).unwrap();
        let rows: Vec<String> = r
            .indicators
            .iter()
            .map(|i| format!("{:?} {:?}|{:?}", i.levels[0], i.max_points, i.score))
            .collect();
        assert_eq!(
            rows,
            [
                "Some(\"A立项必要性\") Some(20)|Some(20)",
                "Some(\"B投入经济性\") Some(20)|Some(20)",
                "Some(\"C绩效目标合理性\") Some(20)|Some(11.5)",
            ]
        );
    }

    #[test]
    fn cells_after_the_score_stay_with_their_row() {
        // 一级 | 二级 | 三级 | 自评分 | 具体指标 | 评价标准, points only in the labels: the
        // description and the rule after a row's score are its own cells, not the next row's
        // upper levels (the rule states points several times: 设有目标(1分) 目标明确(1分)).
        let l = Labels::builtin();
        let t = toks(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "自评分",
            "具体指标",
            "评价标准",
            "项目决策(20分)",
            "项目目标(4分)",
            "目标内容(4分)",
            "4",
            "设立了项目绩效目标;目标明确;目标细化;目标量化",
            "设有目标(1分) 目标明确(1分) 目标细化(1分) 目标量化(1分)",
            "决策过程(8分)",
            "决策依据(4分)",
            "3",
            "有关法律法规的明确规定;某一经济社会发展规划",
            "符合法律法规(1分)符合经济社会发展规划(1分)",
            "决策程序(4分)",
            "4",
        ]);
        let r = read(l, &t).unwrap();
        let rows: Vec<String> = r
            .indicators
            .iter()
            .map(|i| {
                let n: Vec<&str> = i.levels.iter().flatten().map(|s| s.as_str()).collect();
                format!("{} {:?}|{:?}", n.join("/"), i.max_points, i.score)
            })
            .collect();
        assert_eq!(
            rows,
            [
                "项目决策/项目目标/目标内容 Some(4)|Some(4)",
                "项目决策/决策过程/决策依据 Some(4)|Some(3)",
                "项目决策/决策过程/决策程序 Some(4)|Some(4)",
            ]
        );
    }

    #[test]
    fn units_and_comparators_keep_a_target_out_of_the_points() {
        let l = Labels::builtin();
        let t = toks(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "完成值",
            "权重",
            "得分",
            "产出指标",
            "经济成本指标",
            "成本控制数",
            "≤",
            "30",
            "万元",
            "完成",
            "90",
            "90",
            "满意度指标",
            "服务对象满意度指标",
            "群众满意度",
            "≥",
            "90",
            "%",
            "95%",
            "10",
            "9",
            "合计",
            "100",
            "99",
        ]);
        let r = read(l, &t).unwrap();
        assert_eq!(r.indicators.len(), 2, "{:#?}", r.indicators);
        assert_eq!(
            (r.indicators[0].max_points, r.indicators[0].score),
            (d("90"), d("90"))
        );
        assert_eq!(r.indicators[0].target_value.as_deref(), Some("≤30万元"));
        assert_eq!(r.indicators[1].levels[0].as_deref(), Some("满意度指标"));
        assert_eq!((r.total_max, r.total), (d("100"), d("99")));
    }

    #[test]
    fn a_header_note_over_words_and_a_label_stating_points() {
        // 分值 | 指标评价内容 (公式计算结果=x) | 得分(20分), the note cut over three words.
        let l = Labels::builtin();
        let t = toks(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "指标评价内容",
            "(公式计算结果",
            "=",
            "x)得分(20分)",
            "项目决策(10分)",
            "科学决策",
            "必要性",
            "5",
            "项目符合决策部署",
            "5",
            "合理性",
            "5",
            "设定符合实际需求",
            "4",
        ]);
        let r = read(l, &t).unwrap();
        let rows: Vec<_> = r
            .indicators
            .iter()
            .map(|i| (i.levels[2].clone().unwrap(), i.max_points, i.score))
            .collect();
        assert_eq!(
            rows,
            [
                ("必要性".to_string(), d("5"), d("5")),
                ("合理性".to_string(), d("5"), d("4"))
            ]
        );
        assert_eq!(r.indicators[0].levels[0].as_deref(), Some("项目决策"));
    }

    #[test]
    fn pdf_order_rows_named_after_the_rules_of_the_rows_above() {
        // 评价内容 | 分值 | 自评分 | 评价标准 in PDF text order: each name at its row's middle,
        // the rules above it first, the level label spanning rows after a row of its own, a
        // score after its rule text.
        let l = Labels::builtin();
        let t = toks(&[
            "项目权重",
            "评价内容",
            "分值",
            "自评分",
            "项目决策(2分)",
            "决策依据",
            "2",
            "2",
            "复核分",
            "评价标准及依据",
            "有工作计划计",
            "2",
            "分,没有不得分。",
            "1、单位财务管理制度",
            "1",
            "分;",
            "财务制度",
            "3",
            "3",
            "2、项目管理制度",
            "2",
            "分。没有不得分。",
            "组织机构",
            "项目管理(13分)",
            "2",
            "有专人负责",
            "2",
            "分。没",
            "1",
            "有不得分",
            "目标申报",
            "8",
            "0.5",
            "分,扣完为止;",
            "6",
            "—",
            "1",
            "—",
        ]);
        let r = read(l, &t).unwrap();
        let rows: Vec<_> = r
            .indicators
            .iter()
            .map(|i| {
                (
                    i.levels[0].clone().unwrap(),
                    i.levels[1].clone().unwrap(),
                    i.max_points,
                    i.score,
                )
            })
            .collect();
        let row = |a: &str, b: &str, m: &str, s: &str| (a.to_string(), b.to_string(), d(m), d(s));
        assert_eq!(
            rows,
            [
                row("项目决策", "决策依据", "2", "2"),
                // 项目决策 states 2: 财务制度 is 项目管理's (3 + 2 + 8 = 13).
                row("项目管理", "财务制度", "3", "3"),
                row("项目管理", "组织机构", "2", "1"),
                row("项目管理", "目标申报", "8", "6"),
            ]
        );
    }

    #[test]
    fn two_numbered_names_before_their_values_are_matched_in_order() {
        // PDF text order: 指标24's name wrapped (报告 / 数), then 指标25's name, then both rows'
        // values.
        let l = Labels::builtin();
        let t = toks(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "指标23:规范管理数",
            "1228人",
            "770人",
            "2",
            "1.8",
            "指标24:事件报告",
            "数",
            "指标25:家庭医生签约率",
            "14例",
            "14例",
            "2",
            "2",
            "24694人",
            "22584人",
            "2",
            "1.7",
        ]);
        let mut t = t;
        // Value groups whose names are missing (PDF order lost them): no row named 14种.
        for w in ["指标1:健康档案", "—", "3", "3", "14种", "1", "1"]
            .into_iter()
            .rev()
        {
            t.insert(
                7,
                Tok {
                    text: w.to_string(),
                    line: 0,
                    col: None,
                },
            );
        }
        let r = read(l, &t).unwrap();
        let rows: Vec<String> = r
            .indicators
            .iter()
            .map(|i| {
                format!(
                    "{}|{}|{}|{:?}|{:?}",
                    i.levels.iter().rev().flatten().next().unwrap(),
                    i.target_value.clone().unwrap_or_default(),
                    i.actual_value.clone().unwrap_or_default(),
                    i.max_points,
                    i.score
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                "指标1:健康档案|—||Some(3)|Some(3)",
                "指标23:规范管理数|1228人|770人|Some(2)|Some(1.8)",
                "指标24:事件报告数|14例|14例|Some(2)|Some(2)",
                "指标25:家庭医生签约率|24694人|22584人|Some(2)|Some(1.7)",
            ]
        );
    }

    #[test]
    fn a_score_table_with_row_numbers_and_criteria() {
        // 序号 | 一级 | 二级 | 三级 | 指标说明 | 分值 | 评分, one cell per line: each row's number
        // follows the points of the row above; a name cell spanning two rows; 二级 and 三级
        // names the vocabulary does not know; a 三级 name that is also a 一级 word (项目管理).
        let l = Labels::builtin();
        let words = [
            "序号",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标说明",
            "分值",
            "评分",
            "1",
            "决策(10)",
            "项目立项",
            "民主议事",
            "记录完整,得2分;不完整的扣1分",
            "2",
            "2",
            "2",
            "申报审批",
            "审批文件齐全,得2分;缺失扣1分",
            "2",
            "0",
            "3",
            "过程(30)",
            "资金管理",
            "账务管理",
            "资金纳入乡镇账户管理,得2分",
            "2",
            "2",
            "实行专账核算,得1分",
            "1",
            "1",
            "4",
            "组织实施",
            "工作安排",
            "纳入县级重点工作部署,得1分",
            "1",
            "1",
            "5",
            "项目管理",
            "项目管理制度健全规范,得2分",
            "2",
            "2",
        ];
        let r = read(l, &toks(&words)).unwrap();
        let rows: Vec<String> = r
            .indicators
            .iter()
            .map(|i| {
                let lv: Vec<&str> = i.levels.iter().flatten().map(|s| s.as_str()).collect();
                format!("{}|{:?}|{:?}", lv.join("/"), i.max_points, i.score)
            })
            .collect();
        assert_eq!(
            rows,
            [
                "决策/项目立项/民主议事|Some(2)|Some(2)",
                "决策/项目立项/申报审批|Some(2)|Some(0)",
                "过程/资金管理/账务管理|Some(2)|Some(2)",
                "过程/资金管理/账务管理|Some(1)|Some(1)",
                "过程/组织实施/工作安排|Some(1)|Some(1)",
                "过程/组织实施/项目管理|Some(2)|Some(2)",
            ]
        );
    }

    #[test]
    fn a_total_label_stating_its_full_marks() {
        // 总分(100分) | 100: the label states the full marks, the number is the score.
        let l = Labels::builtin();
        let words = [
            "一级指标",
            "二级指标",
            "三级指标",
            "年初目标值",
            "实际完成值",
            "分值",
            "得分",
            "产出指标",
            "数量指标",
            "慰问人数",
            "50人",
            "50人",
            "100",
            "100",
            "总分(100分)",
            "100",
            "自评等级",
            "优",
        ];
        let r = read(l, &toks(&words)).unwrap();
        assert_eq!((r.total_max, r.total), (d("100"), d("100")));
        assert_eq!(r.grade.as_deref(), Some("优"));
    }

    #[test]
    fn points_first_then_targets_then_score() {
        let l = Labels::builtin();
        let t = toks(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "年度指标值",
            "全年实际值",
            "得分",
            "产出指标(50分)",
            "数量指标",
            "补助种植面积",
            "20",
            "29.5亩",
            "29.5亩",
            "18",
            "质量指标",
            "验收合格率",
            "30",
            "100%",
            "100%",
            "30",
        ]);
        let r = read(l, &t).unwrap();
        assert_eq!(r.indicators.len(), 2, "{:#?}", r.indicators);
        assert_eq!(
            (r.indicators[0].max_points, r.indicators[0].score),
            (d("20"), d("18"))
        );
        assert_eq!(
            (r.indicators[1].max_points, r.indicators[1].score),
            (d("30"), d("30"))
        );
        assert_eq!(r.indicators[1].levels[1].as_deref(), Some("质量指标"));
    }

    #[test]
    fn points_stated_in_labels_with_scores() {
        let l = Labels::builtin();
        let t = toks(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "得分",
            "部门决策(25分)",
            "目标任务(15分)",
            "相关性(5分)",
            "5",
            "明确性(5分)",
            "4",
            "合理性(5分)",
            "5",
            "预算编制(10分)",
            "测算依据(5分)",
            "2",
            "目标管理(5分)",
            "4",
        ]);
        let r = read(l, &t).unwrap();
        assert_eq!(r.indicators.len(), 5, "{:#?}", r.indicators);
        let i = &r.indicators[0];
        assert_eq!(i.levels[2].as_deref(), Some("相关性"));
        assert_eq!(i.levels[1].as_deref(), Some("目标任务"));
        assert_eq!(i.levels[0].as_deref(), Some("部门决策"));
        assert_eq!((i.max_points, i.score), (d("5"), d("5")));
        let last = &r.indicators[4];
        assert_eq!(last.levels[1].as_deref(), Some("预算编制"));
        assert_eq!((last.max_points, last.score), (d("5"), d("4")));
        assert!(r
            .subtotals
            .iter()
            .any(|s| s.1 == "部门决策" && s.2 == Decimal::from(25)));
    }

    #[test]
    fn an_unfilled_table_of_points_in_labels_is_read_as_a_tree() {
        let l = Labels::builtin();
        let t = toks(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "得分",
            "部门决策(25分)",
            "目标任务(15分)",
            "相关性(5分)",
            "明确性(5分)",
            "合理性(5分)",
            "预算编制(10分)",
            "测算依据(5分)",
            "目标管理(5分)",
            "部门绩效(75分)",
            "履职成效(75分)",
            "完成率(75分)",
        ]);
        let r = read(l, &t).unwrap();
        let names: Vec<String> = r
            .indicators
            .iter()
            .map(|i| i.levels[2].clone().unwrap_or_default())
            .collect();
        assert_eq!(
            names,
            [
                "相关性",
                "明确性",
                "合理性",
                "测算依据",
                "目标管理",
                "完成率"
            ],
            "{:#?}",
            r.indicators
        );
        assert!(r.indicators.iter().all(|i| i.score.is_none()));
        assert_eq!(r.indicators[3].levels[1].as_deref(), Some("预算编制"));
        assert_eq!(r.indicators[5].max_points, d("75"));
    }

    #[test]
    fn an_indicator_block_run_together_is_cut_into_its_cells() {
        let l = Labels::builtin();
        let (atoms, max_first) = atomize(
            l,
            "一级指标二级指标三级指标分值年度指标值全年实际值得分产出指标(70分)数量指标安装坡面水标尺10≥266米≥266米10质量指标验收合格率20100%100%20成本指标项目计划总投资1020万元20万元10满意度指标(10分)服务对象满意度指标群众满意度10≥95%≥95%10总分5050",
        )
        .unwrap();
        assert!(max_first);
        let r = read(
            l,
            &toks(&atoms.iter().map(String::as_str).collect::<Vec<_>>()),
        )
        .unwrap();
        let rows = rows_of(&r);
        assert_eq!(
            rows,
            [
                ("安装坡面水标尺".to_string(), d("10"), d("10")),
                ("验收合格率".to_string(), d("20"), d("20")),
                ("项目计划总投资".to_string(), d("10"), d("10")),
                ("群众满意度".to_string(), d("10"), d("10")),
            ],
            "{atoms:?}"
        );
        assert_eq!(r.indicators[1].target_value.as_deref(), Some("100%"));
        assert_eq!((r.total_max, r.total), (d("50"), d("50")));
        // A run-together total is cut only where the rows confirm it: these rows' points add
        // up to 50, so 总分1005 is not 100 and 5.
        let (atoms, _) = atomize(
            l,
            "一级指标二级指标三级指标分值年度指标值全年实际值得分产出指标(70分)数量指标安装坡面水标尺10≥266米≥266米10质量指标验收合格率20100%100%20成本指标项目计划总投资1020万元20万元10满意度指标(10分)服务对象满意度指标群众满意度10≥95%≥95%10总分1005",
        )
        .unwrap();
        let r = read(
            l,
            &toks(&atoms.iter().map(String::as_str).collect::<Vec<_>>()),
        )
        .unwrap();
        assert_eq!((r.total_max, r.total), (None, None));
        // Only a cut that leaves no other reading.
        assert_eq!(
            split_pair("9590"),
            Some((Decimal::from(95), Decimal::from(90)))
        );
        assert_eq!(split_points_target("1585"), None);
        assert_eq!(
            row_atoms("合理性5绩效目标设定符合实际5", true),
            ["合理性", "5", "绩效目标设定符合实际", "5"]
        );
    }

    #[test]
    fn a_headless_tail_in_pdf_text_order_is_read() {
        let l = Labels::builtin();
        let lines: Vec<String> = [
            "20 分)项目决策(10 分)科学决策必要性 (政策依据)",
            "5 5 可行性 (政策完善)",
            "5 5 (",
            "10 ) 绩效目标明确性",
            "5 4",
            "14 (",
            "10 分)项目管理(7分)资金管理资金分配",
            "3 3 总分",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let t = headless_tokens(l, &lines, lines.len());
        let r = read_headless(l, &t).unwrap();
        let rows = rows_of(&r);
        assert_eq!(
            rows,
            [
                ("必要性(政策依据)".to_string(), d("5"), d("5")),
                ("可行性(政策完善)".to_string(), d("5"), d("5")),
                ("明确性".to_string(), d("5"), d("4")),
                ("资金分配".to_string(), d("3"), d("3")),
            ]
        );
        assert_eq!(r.indicators[2].levels[1].as_deref(), Some("绩效目标"));
        // Four numbers on a row (a national form's target, actual, points and score) are not
        // guessed at: that row's points stay blank, the others are read.
        let mut four = lines.clone();
        four[1] = "5 5 20 20 可行性 (政策完善)".to_string();
        let r = read_headless(l, &headless_tokens(l, &four, four.len())).unwrap();
        let rows = rows_of(&r);
        assert!(
            rows.iter()
                .all(|(n, m, _)| !n.starts_with("必要性") || m.is_none()),
            "{rows:?}"
        );
        assert!(
            rows.iter()
                .any(|(n, m, _)| n == "可行性(政策完善)" && *m == d("5")),
            "{rows:?}"
        );
        // Prose is no table's tail.
        let prose = vec!["本单位2023年度绩效自评得分 95 分，较上年提高 3 分。".to_string()];
        assert!(read_headless(l, &headless_tokens(l, &prose, 1)).is_none());
    }

    #[test]
    fn labels_cut_across_tokens_are_joined() {
        let l = Labels::builtin();
        let mut t = toks(&[
            "年初",
            "预算数",
            "一级",
            "指标",
            "实际",
            "完成值",
            "产出指标",
            "(50分)",
            "经济效益",
            "指标",
            "部门预",
            "算管理",
            "80分)",
            "偏差原因",
            "分析及",
            "改进措施",
            "(50分)",
            "分值",
            "得分",
        ]);
        join_cut_labels(l, &mut t);
        let words: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            words,
            [
                "年初预算数",
                "一级指标",
                "实际完成值",
                "产出指标(50分)",
                "经济效益指标",
                "部门预算管理(80分)",
                "偏差原因分析及改进措施",
                // Points whose level name was lost stay apart from a column's label.
                "(50分)",
                "分值",
                "得分"
            ]
        );
        assert_eq!(
            unspace_letters("产 出 指 标 (50分) 数量指标"),
            "产出指标(50分) 数量指标"
        );
    }

    #[test]
    fn run_together_list_rows_split_by_their_coefficient() {
        let row = |r: &str| list_row(r).map(|(n, w, s)| format!("{n}|{w}|{s}"));
        assert_eq!(
            row("财政供养人员控制率%定量指标100%92%100%22").as_deref(),
            Some("财政供养人员控制率|2|2")
        );
        // 10 × 76% = 7.6: the only cut of 107.6.
        assert_eq!(
            row("预算执行率%70%76%76%107.6").as_deref(),
            Some("预算执行率|10|7.6")
        );
        // A qualitative target and value alike, and the 指标性质 read out of order.
        assert_eq!(
            row("管理制度健全性性标定指高高100%33").as_deref(),
            Some("管理制度健全性|3|3")
        );
        assert_eq!(
            row("党性教育培训次数次26次12次100%55").as_deref(),
            Some("党性教育培训次数|5|5")
        );
        assert_eq!(
            row("检查次数次≥10次12次100%1010").as_deref(),
            Some("检查次数|10|10")
        );
        // OCR: a target's digits read as letters (第O份), a unit cell garbled (tot扁).
        assert_eq!(
            row("制作宣传品数量份第O份20份100%55").as_deref(),
            Some("制作宣传品数量|5|5")
        );
        assert_eq!(
            row("播发稿件数量tot扁2200篇2859篇100%1010").as_deref(),
            Some("播发稿件数量|10|10")
        );
        // 0100% is a value of 0 and a coefficient of 100.
        assert_eq!(
            row("预算调整率%3%0100%22").as_deref(),
            Some("预算调整率|2|2")
        );
        // Points that no cut reproduces (5 × 50% is not 4), or none written: not guessed.
        assert_eq!(row("某指标%100%50%54"), None);
        assert_eq!(row("某指标%100%100%"), None);
        // A coefficient of 0: 10 points, 0 won.
        assert_eq!(row("某指标%100%0%100").as_deref(), Some("某指标|10|0"));
    }

    #[test]
    fn a_list_of_indicators_run_together_is_read_row_by_row() {
        let l = Labels::builtin();
        let text = "说明。指标名称计量单位指标性质年初指标值调整指标值全年完成值得分系数(%)指标权重(分)指标得分(分)是否核心指标财政供养人员控制率%定量指标100%92%100%22否资金使用合规性好好100%55否绩效指标";
        let atoms = atomize_list(l, text).expect("a list header");
        assert_eq!(atoms[0], "说明。");
        let rows: Vec<&str> = atoms
            .iter()
            .skip_while(|a| *a != "是否核心指标")
            .skip(1)
            .map(String::as_str)
            .collect();
        assert_eq!(
            rows,
            [
                "财政供养人员控制率",
                "2",
                "2",
                "否",
                "资金使用合规性",
                "5",
                "5",
                "否",
                "绩效指标"
            ]
        );
        // Without the yes/no column or the coefficient, a row has no end to read by.
        assert!(atomize_list(l, "指标名称计量单位指标性质年初指标值全年完成值指标权重(分)指标得分(分)说明天然林管护率%901010010").is_none());
    }

    #[test]
    fn a_header_scattered_among_the_first_rows() {
        // PDF text order put the header's last labels after the first row's name.
        let l = Labels::builtin();
        let words = [
            "一级指标",
            "年度指标值",
            "实际完成值",
            "产出指标",
            "数量指标",
            "指标1:建档人数",
            "二级指标",
            "三级指标",
            "分值",
            "得分",
            "100人",
            "98人",
            "3",
            "2.5",
            "指标2:签约率",
            "90%",
            "95%",
            "2",
            "2",
        ];
        let toks: Vec<Tok> = words
            .iter()
            .map(|w| Tok {
                text: w.to_string(),
                line: 0,
                col: None,
            })
            .collect();
        let r = read(l, &toks).expect("the header gathered up to the first points");
        let rows: Vec<(Option<String>, Option<Decimal>, Option<Decimal>)> = r
            .indicators
            .iter()
            .map(|i| (i.levels[2].clone(), i.max_points, i.score))
            .collect();
        let d = |s: &str| Some(s.parse::<Decimal>().unwrap());
        assert_eq!(
            rows,
            [
                (Some("指标1:建档人数".into()), d("3"), d("2.5")),
                (Some("指标2:签约率".into()), d("2"), d("2")),
            ]
        );
        assert_eq!(r.indicators[0].levels[0].as_deref(), Some("产出指标"));
        assert_eq!(r.indicators[0].target_value.as_deref(), Some("100人"));
    }

    #[test]
    fn points_and_score_run_together_are_cut_where_the_stated_points_agree() {
        let l = Labels::builtin();
        let read_run = |text: &str| {
            let (atoms, _) = atomize(l, text).expect("a run-together block");
            let toks: Vec<Tok> = atoms
                .into_iter()
                .map(|text| Tok {
                    text,
                    line: 0,
                    col: None,
                })
                .collect();
            read(l, &toks)
                .unwrap()
                .indicators
                .iter()
                .map(|i| {
                    let name = i.levels.iter().rev().flatten().next().unwrap().clone();
                    format!("{name}:{:?}|{:?}", i.max_points, i.score)
                })
                .collect::<Vec<_>>()
        };
        let rows = read_run("一级指标二级指标三级指标分值得分项目决策(25分)绩效目标(6分)目标内容22进度计划22目标匹配22决策依据(10分)政策依据22实施规划44管理制度44资金分配(4分)分配方法22分配过程22");
        assert_eq!(
            rows,
            [
                "目标内容:Some(2)|Some(2)",
                "进度计划:Some(2)|Some(2)",
                "目标匹配:Some(2)|Some(2)",
                "政策依据:Some(2)|Some(2)",
                "实施规划:Some(4)|Some(4)",
                "管理制度:Some(4)|Some(4)",
                "分配方法:Some(2)|Some(2)",
                "分配过程:Some(2)|Some(2)",
            ]
        );
        // A 一级 name with its points after an empty row's name (资金均衡项目管理(15分)) starts
        // its rows; the empty row holds nothing.
        let rows = read_run("一级指标二级指标三级指标分值得分项目决策(9分)分配结果(5分)审核把关55资金分配(4分)分配方法22分配过程22资金均衡项目管理(15分)资金到位(4分)分配时效22资金拨付22");
        assert_eq!(
            rows[2..],
            [
                "分配过程:Some(2)|Some(2)",
                "分配时效:Some(2)|Some(2)",
                "资金拨付:Some(2)|Some(2)",
            ]
        );
        // An unfilled form's 10 under 满意度(10分) is not 1 and 0: the stated points disagree.
        let rows = read_run("一级指标二级指标三级指标分值得分满意度(20分)服务对象(10分)群众满意度10社会公众(10分)公众满意度10");
        assert!(
            rows.iter().all(|r| r.ends_with("Some(10)|None")),
            "{rows:?}"
        );
    }

    #[test]
    fn points_run_together_after_a_value_are_cut_where_the_total_agrees() {
        let l = Labels::builtin();
        let run = |total: &str| {
            let mut words = vec![
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "产出指标",
                "数量指标",
                "设备数",
                "50件",
                "50件",
                "2020",
                "质量指标",
                "合格率",
                "100%",
                "100%",
                "3030",
                "满意度指标",
                "满意度",
                "≥90%",
                "95%",
                "5048",
                "总分",
            ];
            words.push(total);
            let r = read(l, &toks(&words)).unwrap();
            r.indicators
                .iter()
                .map(|i| format!("{:?}|{:?}", i.max_points, i.score))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            run("10098"),
            [
                "Some(20)|Some(20)",
                "Some(30)|Some(30)",
                "Some(50)|Some(48)"
            ]
        );
        // A total that the cuts do not add up to confirms nothing: the runs are not cut, and
        // not read as points of 2020 either (no row rather than a wrong one).
        assert!(run("10097").is_empty(), "{:?}", run("10097"));
    }

    #[test]
    fn what_a_reviewer_found_stays_blank_rather_than_wrong() {
        let l = Labels::builtin();
        // A list row that lost its yes/no cell runs into the next: not cut.
        assert_eq!(
            list_row("财政供养人员控制率%定量指标100%92%100%22预算完成率%定量指标70%76%100%22"),
            None
        );
        // OCR junk after the coefficient: no cut, no panic.
        assert_eq!(list_row("某指标%100%100%5丨5"), None);
        // A list with plain-number targets: the points are the two numbers before 是/否.
        let words = [
            "指标名称",
            "计量单位",
            "指标性质",
            "年初指标值",
            "调整指标值",
            "全年完成值",
            "得分系数(%)",
            "指标权重(分)",
            "指标得分(分)",
            "是否核心指标",
            "培训次数",
            "次",
            "定量指标",
            "26",
            "26",
            "12",
            "50%",
            "5",
            "2.5",
            "否",
        ];
        let r = read(l, &toks(&words)).unwrap();
        let rows: Vec<String> = r
            .indicators
            .iter()
            .map(|i| format!("{:?}:{:?}|{:?}", i.levels[2], i.max_points, i.score))
            .collect();
        assert_eq!(rows, ["Some(\"培训次数\"):Some(5)|Some(2.5)"]);
        // 90 分以上为优秀 is a rule's number, not points.
        let t = toks(&["得分", "90", "分以上为优秀", "评价"]);
        assert!(bound_number(&t, 1));
        // A total written 100分 on a table whose scores are blank is its full marks.
        let t = toks(&[
            "一级指标",
            "二级指标",
            "分值",
            "得分",
            "产出指标",
            "数量",
            "10",
            "9",
            "总分",
            "100分",
        ]);
        let r = read(l, &t).unwrap();
        assert_eq!((r.total_max, r.total), (Some(Decimal::from(100)), None));
    }
}
