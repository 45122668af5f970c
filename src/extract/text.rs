//! The line model: cleaning report text (HTML fragments, Markdown and Word residue), splitting
//! tab-separated cells, joining labels cut by stray spaces, and reading numbers written with
//! stray spaces or thousands separators ("949.8 2", "106,0 29.00").

use std::str::FromStr;
use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;

/// A regex compiled once, on first use, into `cell`.
pub(crate) fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("valid regex"))
}

/// Strip residue that is not report text: HTML tags, Markdown bold, Word bookmarks, LaTeX `$`.
pub fn clean_line(line: &str) -> String {
    static TAG: OnceLock<Regex> = OnceLock::new();
    static BOOK: OnceLock<Regex> = OnceLock::new();
    let line = line.trim_end_matches(['\r', '\n']);
    // Most lines carry no residue: skip the regexes and copies they would cost.
    if !line.contains(['<', '*', '[', '$', '\\', '\u{3000}']) {
        return line.to_string();
    }
    let s = strip_bold(&line.replace('\u{3000}', " "));
    let s = re(&TAG, r"</?[a-zA-Z][^>]*>").replace_all(&s, " ");
    let s = re(&BOOK, r"\[bookmark:[^\]]*\]").replace_all(&s, "");
    s.replace('$', "")
        .replace("\\leq", "≤")
        .replace("\\geq", "≥")
}

/// Markdown bold (`**管理效率方面**`) removed: `**` in pairs on the line. A `**` right after a
/// comparator is a form's placeholder for a number (≥**人), and one without its pair a mask
/// (王**): both stay as written.
fn strip_bold(s: &str) -> String {
    let marks: Vec<usize> = s
        .match_indices("**")
        .map(|(a, _)| a)
        .filter(|&a| !s[..a].ends_with(['≥', '≤', '<', '>', '=', '＞', '＜', '≧', '≦', '＝']))
        .collect();
    // Non-overlapping marks (*** holds one), taken two by two.
    let mut kept: Vec<usize> = Vec::new();
    for a in marks {
        if kept.last().is_none_or(|k| a >= k + 2) {
            kept.push(a);
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for pair in kept.chunks_exact(2) {
        out.push_str(&s[at..pair[0]]);
        out.push_str(&s[pair[0] + 2..pair[1]]);
        at = pair[1] + 2;
    }
    out.push_str(&s[at..]);
    out
}

pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF)
}

/// Remove white space that stands between two Chinese characters (labels cut across cells
/// by PDF conversion: "年初预 算数" → "年初预算数"), and trim.
pub fn squash(s: &str) -> String {
    let s = s.trim();
    if !s.contains(char::is_whitespace) {
        return s.to_string();
    }
    let joins = |x: Option<char>| {
        x.map(|c| is_han(c) || "（）()、，。：；“”".contains(c))
            .unwrap_or(false)
    };
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            if !(joins(out.chars().next_back()) && joins(Some(c))) {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// The text with every white space removed (what `squash(s)` then dropping its spaces gives):
/// the form labels are compared in, since conversion scatters spaces through them.
pub fn compact(s: &str) -> String {
    if !s.contains(char::is_whitespace) {
        return s.to_string();
    }
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Cells of a tab-separated line, each cleaned of surrounding spaces.
pub fn cells(line: &str) -> Vec<&str> {
    line.split('\t').map(|c| c.trim()).collect()
}

/// A cell that is only a number (stray spaces and thousands commas allowed) as an exact decimal.
pub fn number(cell: &str) -> Option<Decimal> {
    static NUM: OnceLock<Regex> = OnceLock::new();
    let t = cell.trim();
    // Cheap rejection before the regex: a number starts with a digit or a minus sign.
    if !t.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        || !re(&NUM, r"^-?[0-9][0-9, ]*(\.[0-9 ]+)?$").is_match(t)
    {
        return None;
    }
    let joined: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    Decimal::from_str(&joined).ok()
}

/// A percentage cell ("100%", "99.88 %", "100.00%") as a number of percent.
pub fn percent(cell: &str) -> Option<Decimal> {
    let t = cell.trim();
    let t = t.strip_suffix('%').or_else(|| t.strip_suffix('％'))?;
    number(t)
}

/// A money cell with an optional unit, converted exactly to 万元. `default_wan` says what a bare
/// number means (the table header's unit).
pub fn money_wan(cell: &str, default_wan: bool) -> Option<Decimal> {
    let t: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(v) = t.strip_suffix("万元").or_else(|| t.strip_suffix('万')) {
        return number(v);
    }
    if let Some(v) = t.strip_suffix('元') {
        return number(v).map(|d| d / Decimal::from(10000));
    }
    let d = number(cell)?;
    Some(if default_wan {
        d
    } else {
        d / Decimal::from(10000)
    })
}

/// Split a label like "部门决策 (14分)" / "决策（10分）" / "预算编制 (6)" / "满意度指标 10 分" /
/// "产出指标50分" into the name and the points it states. A bare trailing number without 分
/// is part of the name ("2023 年度").
pub fn split_points(label: &str) -> (String, Option<Decimal>) {
    static ANN: OnceLock<Regex> = OnceLock::new();
    static BARE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &ANN,
        r"^(.*?)\s*[（(]\s*([0-9]+(?:\.[0-9]+)?)\s*分?\s*[)）]\s*$",
    );
    let bare = re(
        &BARE,
        r"^(.*?[\p{Han}）)])\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*$",
    );
    let s = squash(label);
    // "(1.5分)" alone (the wrapped end of a label) states points for an empty name.
    if let Some(c) = r.captures(&s).or_else(|| bare.captures(&s)) {
        return (c[1].trim().to_string(), Decimal::from_str(&c[2]).ok());
    }
    (s, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn compact_is_squash_without_its_spaces() {
        for s in [
            "  年初预 算数 ",
            "Total  score\t9 8",
            "（一）\u{3000}决策",
            "",
            "无空格",
        ] {
            assert_eq!(compact(s), squash(s).replace(' ', ""));
        }
    }

    #[test]
    fn split_numbers_join_exactly() {
        assert_eq!(number("86.82594 7"), Some(d("86.825947")));
        assert_eq!(number("106,0 29.00"), Some(d("106029.00")));
        assert_eq!(number("≤5%"), None);
        assert_eq!(number("35 栋"), None);
        assert_eq!(money_wan("949.8 2 万元", false), Some(d("949.82")));
        assert_eq!(money_wan("7445949.64元", true), Some(d("744.594964")));
        assert_eq!(percent("100.00%"), Some(d("100")));
    }

    #[test]
    fn labels_squash_and_split() {
        assert_eq!(squash("年初预 算数"), "年初预算数");
        assert_eq!(squash("服务对 象满意 度标"), "服务对象满意度标");
        assert_eq!(squash("2023 城乡基层党组织"), "2023 城乡基层党组织");
        assert_eq!(
            split_points("部门决策 (14分)"),
            ("部门决策".to_string(), Some(d("14")))
        );
        assert_eq!(
            split_points("预算执行(4分)"),
            ("预算执行".to_string(), Some(d("4")))
        );
        assert_eq!(
            split_points("预算编制 (6)"),
            ("预算编制".to_string(), Some(d("6")))
        );
        assert_eq!(split_points("效益指标").1, None);
        assert_eq!(
            split_points("满意度指标 10 分"),
            ("满意度指标".to_string(), Some(d("10")))
        );
        assert_eq!(
            split_points("产出指标(50分)"),
            ("产出指标".to_string(), Some(d("50")))
        );
        assert_eq!(split_points("2023 年度").1, None);
        assert_eq!(money_wan("150万", false), Some(d("150")));
        assert_eq!(
            clean_line("<p>用以评价</p> **管理** [bookmark: _GoBack]"),
            " 用以评价  管理 "
        );
        // A placeholder after a comparator and a mask without its pair stay as written.
        assert_eq!(
            clean_line("★发放人数(≥**人)\t10\t**管理效率方面**，王**"),
            "★发放人数(≥**人)\t10\t管理效率方面，王**"
        );
    }
}
