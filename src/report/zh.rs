//! Chinese for people: numbers with their units, comparisons that give them meaning, and
//! full-width punctuation. Every sentence the report, the Word file and the unit pages print
//! is built from these, so the typography is decided in one place (and tested in one place).

/// A number with `dp` decimals, rounded as a person rounds the decimal it stands for (half
/// away from zero: 2.675 → "2.68", where binary rounding of the f64 gives "2.67"); never "-0.0";
/// a missing value (NaN) is a dash.
pub fn num(v: f64, dp: usize) -> String {
    use rust_decimal::prelude::{FromPrimitive, RoundingStrategy};
    if !v.is_finite() {
        // A value the tables lack: a dash, never "NaN" in a sentence.
        return "—".to_string();
    }
    let s = match rust_decimal::Decimal::from_f64(v) {
        Some(d) if dp <= 12 => {
            let r = d.round_dp_with_strategy(dp as u32, RoundingStrategy::MidpointAwayFromZero);
            format!("{r:.dp$}")
        }
        _ => format!("{v:.dp$}"),
    };
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A score: "99.2 分".
pub fn points(v: f64) -> String {
    format!("{} 分", num(v, 1))
}

/// A rate in percent: "72.5%".
pub fn percent(v: f64) -> String {
    format!("{}%", num(v, 1))
}

/// "高于同类单位中位数 6.2 个百分点" / "低于… 3.1 分" / "与…持平" (within half the last digit).
/// `unit` is "分" for scores, "个百分点" for rates.
pub fn versus(diff: f64, unit: &str, what: &str) -> String {
    if diff.abs() < 0.05 {
        format!("与{what}持平")
    } else if diff > 0.0 {
        format!("高于{what} {} {unit}", num(diff, 1))
    } else {
        format!("低于{what} {} {unit}", num(-diff, 1))
    }
}

/// "2022 至 2024 年度" or "2024 年度".
pub fn years(ys: &[i32]) -> String {
    let (Some(a), Some(b)) = (ys.iter().min(), ys.iter().max()) else {
        return String::new();
    };
    if a == b {
        format!("{a} 年度")
    } else {
        format!("{a} 至 {b} 年度")
    }
}

/// Items joined with the enumeration comma "、".
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join("、")
}

/// Text cut to `n` characters with "…" (reasons quoted from a report can run long).
pub fn clip(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

/// The evaluator type as a reader names it.
pub fn evaluator(t: &str) -> &'static str {
    match t {
        "self" => "自评",
        "third_party" => "第三方评价",
        "expert_panel" => "专家评分",
        "finance_bureau" => "财政部门评价",
        "independent" => "独立评价",
        _ => "其他评价",
    }
}

/// The scope as a reader names it.
pub fn scope(s: &str) -> &'static str {
    match s {
        "department" => "部门整体",
        "project" => "项目",
        _ => "其他范围",
    }
}

/// The unit type as a reader names it.
pub fn unit_type(t: &str) -> &'static str {
    match t {
        "street_office" => "街道办事处",
        "district_department" => "区级部门",
        "township" => "乡镇",
        _ => "单位",
    }
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F
        | 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// Half-width punctuation that sits between Chinese characters (skipping spaces): the
/// typography the issue asked to remove (`评价(2022–2024 年度): 自评 141 次, 第三方`).
/// Returns each offending character with a little context.
pub fn ascii_punct_between_cjk(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if !matches!(c, ',' | '.' | ':' | ';' | '!' | '?' | '(' | ')') {
            continue;
        }
        let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
        let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
        let cjk_before = before.is_some_and(|c| is_cjk(*c));
        let cjk_after = after.is_some_and(|c| is_cjk(*c));
        // A full stop between digits is a decimal point; a comma between digits groups them.
        let digit_sides =
            before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit());
        let offends = match c {
            '(' => cjk_before || cjk_after,
            ')' => cjk_before || cjk_after,
            _ => !digit_sides && (cjk_before || (cjk_after && before.is_some())),
        };
        if offends {
            let from = i.saturating_sub(6);
            let to = (i + 7).min(chars.len());
            out.push(chars[from..to].iter().collect());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_comparisons() {
        assert_eq!(num(-0.01, 1), "0.0");
        assert_eq!(num(2.675, 2), "2.68");
        assert_eq!(num(0.25, 1), "0.3");
        assert_eq!(num(-6.25, 1), "-6.3");
        assert_eq!(num(85.0, 1), "85.0");
        assert_eq!(num(32.46, 0), "32");
        assert_eq!(num(f64::NAN, 1), "—");
        assert_eq!(points(99.2), "99.2 分");
        assert_eq!(percent(72.46), "72.5%");
        assert_eq!(
            versus(-6.2, "个百分点", "同类单位中位数"),
            "低于同类单位中位数 6.2 个百分点"
        );
        assert_eq!(versus(0.01, "分", "同类单位中位数"), "与同类单位中位数持平");
        assert_eq!(years(&[2024, 2022, 2023]), "2022 至 2024 年度");
        assert_eq!(years(&[2024]), "2024 年度");
    }

    #[test]
    fn finds_ascii_punctuation_among_chinese() {
        let bad = "数据覆盖 5 个单位、145 次评价(2022–2024 年度): 自评 141 次, 第三方 2 次.";
        let found = ascii_punct_between_cjk(bad);
        assert_eq!(found.len(), 5, "{found:?}");
        let good = "数据覆盖 5 个单位、145 次评价（2022 至 2024 年度）：自评 141 次，得分 99.2 分，执行率 72.5%。";
        assert!(ascii_punct_between_cjk(good).is_empty());
        // Decimals and thousands separators are numbers, not punctuation.
        assert!(ascii_punct_between_cjk("共 1,024 个，平均 3.5 分").is_empty());
    }
}
