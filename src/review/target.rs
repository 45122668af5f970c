//! The target parser: an indicator's 年度指标值 (target) and 实际完成值 (actual) as the forms
//! write them, read into ranges of numbers or achievement words, and compared.
//!
//! A text is read as one of:
//! - an amount: one number with an optional comparator (≥ ≤ > < =, 不低于, 不超过, 达到, 少于 …,
//!   or 以上/以下/以内 after it), an optional unit (个, 人次, 场, 户, 次, 万元, 元, %, 月 …) and
//!   `余`/`多` (`20余场`: at least 20). The amount is the set of values the text allows: a
//!   point (`270`), or a range (`≤5%`, `20余场`). Money in 元 and 万元 is compared exactly
//!   after conversion; a bare number takes the other side's unit (`≤5%` against `0`).
//! - a word: 达到/完成/建立/有效/符合/合格/是/优 … (met), 基本完成/部分完成/较好/良/中 (partly met),
//!   未完成/未建立/否/不符合/差 … (missed); a target of `是否` or `优良中差` names the scale and
//!   expects its top (是, 优).
//!
//! A target without a comparator is read by what it measures: a month (`12月`, `11月底前`) is a
//! deadline (at most), a cost or a complaint count (成本指标, 成本, 费用, 经费, 投诉) is a cap (at
//! most), anything else is a level to reach (at least). The actual is met when every value it
//! allows lies in the target's range, missed when none does; anything else (two numbers, an
//! approximate `约2000件`, units that differ, a number against a word, a boundary the wording
//! leaves open such as `11月前`) is reported as not comparable, never guessed. An actual that
//! repeats the target's text word for word is met.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// How far an achievement word says the target was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    Met,
    Partly,
    Missed,
}

/// One end of a range. `inclusive` is None when the wording leaves it open (`11月前`: by the
/// end of November, or before it?).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: Decimal,
    pub inclusive: Option<bool>,
}

/// The values a text allows, in one unit ("" when none is written).
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub lo: Option<Bound>,
    pub hi: Option<Bound>,
    pub unit: String,
    /// 约, 左右: an approximate number, not compared.
    pub approximate: bool,
}

/// What a text says: an amount, a word, or both (`100%完成`), and why no amount was read from
/// a text with digits.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reading {
    pub amount: Option<Amount>,
    pub word: Option<Quality>,
    pub problem: Option<String>,
}

/// Which side of the comparison a text is: a target without a comparator takes the direction
/// of what it measures, an actual without one is a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Target,
    Actual,
}

/// The indicator a target belongs to: its 二级指标 and its name (三级/四级指标), which say
/// whether less is better.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    pub level2: &'a str,
    pub name: &'a str,
}

impl Context<'_> {
    /// Costs, complaints and time limits: the target is a cap.
    fn lower_is_better(&self) -> bool {
        self.level2.contains("成本")
            || ["成本", "费用", "经费", "投诉", "差错", "事故"]
                .iter()
                .any(|w| self.name.contains(w))
    }
}

/// The outcome of comparing an actual with its target.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Met,
    Partly,
    Missed,
    /// Not comparable; the reason, in Chinese, for the evidence and review_targets.csv.
    Unreadable(String),
    /// No target written (the 预算执行率 row, or a blank cell): nothing to compare.
    NoTarget,
}

impl Outcome {
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::Partly => "partly",
            Outcome::Missed => "missed",
            Outcome::Unreadable(_) => "not_comparable",
            Outcome::NoTarget => "no_target",
        }
    }

    pub fn chinese(&self) -> &'static str {
        match self {
            Outcome::Met => "达成",
            Outcome::Partly => "部分达成",
            Outcome::Missed => "未达成",
            Outcome::Unreadable(_) => "无法比较",
            Outcome::NoTarget => "无年度指标值",
        }
    }

    /// Not (fully) reached: what a full score should not go with.
    pub fn short_of_target(&self) -> bool {
        matches!(self, Outcome::Missed | Outcome::Partly)
    }
}

/// Full-width digits and signs to ASCII, comparators to one form, and every space removed
/// (the extractor keeps the stray spaces of the source: `949.8 2 万元`, `106,0 29.00`), then
/// thousands commas between digits.
pub fn normalize(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            '＜' => '<',
            '＞' => '>',
            '＝' => '=',
            '≦' | '≮' => '≤',
            '≧' | '≯' => '≥',
            '／' => '/',
            c => c,
        };
        if !c.is_whitespace() {
            s.push(c);
        }
    }
    let s = s.replace("<=", "≤").replace(">=", "≥").replace("=<", "≤");
    let s = s.replace("=>", "≥");
    // Thousands separators: a comma with digits on both sides.
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_ascii_digit()
            && chars[i + 1].is_ascii_digit();
        if c == ',' && between_digits {
            continue;
        }
        out.push(c);
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cmp {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
}

/// Comparator words before the number, longest first so that 不低于 wins over 低于.
const PREFIX: &[(&str, Cmp)] = &[
    ("大于等于", Cmp::Ge),
    ("小于等于", Cmp::Le),
    ("大于或等于", Cmp::Ge),
    ("小于或等于", Cmp::Le),
    ("不低于", Cmp::Ge),
    ("不少于", Cmp::Ge),
    ("不小于", Cmp::Ge),
    ("不超过", Cmp::Le),
    ("不高于", Cmp::Le),
    ("不多于", Cmp::Le),
    ("不大于", Cmp::Le),
    ("控制在", Cmp::Le),
    ("至少", Cmp::Ge),
    ("达到", Cmp::Ge),
    ("超过", Cmp::Gt),
    ("高于", Cmp::Gt),
    ("大于", Cmp::Gt),
    ("多于", Cmp::Gt),
    ("低于", Cmp::Lt),
    ("少于", Cmp::Lt),
    ("小于", Cmp::Lt),
    ("等于", Cmp::Eq),
    ("≥", Cmp::Ge),
    ("≤", Cmp::Le),
    (">", Cmp::Gt),
    ("<", Cmp::Lt),
    ("=", Cmp::Eq),
];

/// Units after the number, longest first.
const UNITS: &[&str] = &[
    "平方米",
    "平米",
    "万人次",
    "万元",
    "亿元",
    "人次",
    "户次",
    "课时",
    "学时",
    "小时",
    "公里",
    "m²",
    "m2",
    "㎡",
    "万",
    "元",
    "%",
    "‰",
    "人",
    "个",
    "场",
    "户",
    "次",
    "件",
    "条",
    "所",
    "份",
    "项",
    "组",
    "栋",
    "间",
    "平",
    "亩",
    "天",
    "日",
    "月",
    "年",
    "名",
    "家",
    "台",
    "套",
    "辆",
    "吨",
    "米",
    "处",
    "批",
    "期",
    "座",
    "本",
    "册",
    "张",
    "篇",
    "株",
    "棵",
    "km",
];

/// Words after the number and unit: (word, comparator, inclusive). `前` leaves the month's own
/// end open (`11月前`).
const SUFFIX: &[(&str, Option<Cmp>, Option<bool>)] = &[
    ("及以上", Some(Cmp::Ge), Some(true)),
    ("及以下", Some(Cmp::Le), Some(true)),
    ("以上", Some(Cmp::Ge), Some(true)),
    ("以下", Some(Cmp::Le), Some(true)),
    ("以内", Some(Cmp::Le), Some(true)),
    ("之内", Some(Cmp::Le), Some(true)),
    ("底前", Some(Cmp::Le), Some(true)),
    ("之前", Some(Cmp::Le), None),
    ("以前", Some(Cmp::Le), None),
    ("前", Some(Cmp::Le), None),
    ("底", Some(Cmp::Le), Some(true)),
    ("内", Some(Cmp::Le), Some(true)),
    ("完成", None, None),
];

fn money_factor(unit: &str) -> Option<Decimal> {
    match unit {
        "元" => Some(Decimal::ONE),
        "万元" => Some(Decimal::from(10_000)),
        "亿元" => Some(Decimal::from(100_000_000)),
        _ => None,
    }
}

fn canonical_unit(u: &str) -> String {
    match u {
        "m²" | "m2" | "㎡" | "平米" => "平方米".to_string(),
        u => u.to_string(),
    }
}

/// Read one text as an amount and/or a word.
pub fn read(text: &str, role: Role, ctx: Context) -> Reading {
    let s = normalize(text);
    let mut r = Reading {
        word: word_of(&s, role),
        ..Default::default()
    };
    // "No complaints" states a number: zero.
    if s.contains("无投诉") || s.contains("零投诉") || s == "无" || s == "零" {
        r.amount = Some(Amount {
            lo: Some(Bound {
                value: Decimal::ZERO,
                inclusive: Some(true),
            }),
            hi: Some(Bound {
                value: Decimal::ZERO,
                inclusive: Some(true),
            }),
            unit: String::new(),
            approximate: false,
        });
        if role == Role::Actual {
            r.word = None;
        }
        return r;
    }
    match amount_of(&s, role, ctx) {
        Ok(a) => r.amount = a,
        Err(why) => r.problem = Some(why),
    }
    r
}

fn amount_of(s: &str, role: Role, ctx: Context) -> Result<Option<Amount>, String> {
    let chars: Vec<char> = s.chars().collect();
    let Some(start) = chars.iter().position(|c| c.is_ascii_digit()) else {
        return Ok(None);
    };
    let mut end = start;
    while end < chars.len() && (chars[end].is_ascii_digit() || chars[end] == '.') {
        end += 1;
    }
    let number: String = chars[start..end].iter().collect();
    let value: Decimal = number
        .trim_end_matches('.')
        .parse()
        .map_err(|_| format!("“{number}”不是一个数"))?;
    let lead: String = chars[..start].iter().collect();
    let mut approximate = ["约", "大约", "近", "将近", "大概"]
        .iter()
        .any(|w| lead.ends_with(w));
    let mut cmp = PREFIX
        .iter()
        .find(|(w, _)| lead.ends_with(w))
        .map(|(_, c)| *c);
    let mut inclusive = Some(true);
    let mut rest: String = chars[end..].iter().collect();
    // 20余场, 10000多件: more than the number; read as at least it.
    let mut at_least = false;
    for w in ["余", "多"] {
        if rest.starts_with(w) && !rest.starts_with("多于") {
            rest = rest[w.len()..].to_string();
            at_least = true;
        }
    }
    let mut unit = String::new();
    if let Some(u) = UNITS.iter().find(|u| rest.starts_with(**u)) {
        unit = u.to_string();
        rest = rest[u.len()..].to_string();
    }
    // A compound unit (元/人, 元/天/m², 元/200ml) runs to the end.
    if rest.starts_with('/') {
        unit.push_str(&rest);
        rest.clear();
    }
    let mut suffix_cmp = None;
    'words: loop {
        for (w, c, inc) in SUFFIX {
            if let Some(r) = rest.strip_prefix(w) {
                if c.is_some() {
                    suffix_cmp = *c;
                    inclusive = *inc;
                }
                rest = r.to_string();
                continue 'words;
            }
        }
        break;
    }
    if rest.starts_with("左右") {
        approximate = true;
        rest = rest["左右".len()..].to_string();
    }
    if rest.chars().any(|c| c.is_ascii_digit()) {
        return Err("写有多个数值".to_string());
    }
    if cmp.is_none() {
        cmp = suffix_cmp;
    } else if suffix_cmp.is_some() && suffix_cmp != cmp {
        return Err("比较方向前后矛盾".to_string());
    }
    let unit = canonical_unit(&unit);
    let b = |inclusive| Some(Bound { value, inclusive });
    let (lo, hi) = match (cmp, role) {
        (Some(Cmp::Ge), _) => (b(Some(true)), None),
        (Some(Cmp::Gt), _) => (b(Some(false)), None),
        (Some(Cmp::Le), _) => (None, b(inclusive)),
        (Some(Cmp::Lt), _) => (None, b(Some(false))),
        (Some(Cmp::Eq), _) => (b(Some(true)), b(Some(true))),
        (None, _) if at_least => (b(Some(true)), None),
        (None, Role::Actual) => (b(Some(true)), b(Some(true))),
        // A target without a comparator: a month is a deadline, a cost or complaint count a
        // cap, anything else a level to reach.
        (None, Role::Target) if unit == "月" || ctx.lower_is_better() => (None, b(Some(true))),
        (None, Role::Target) => (b(Some(true)), None),
    };
    Ok(Some(Amount {
        lo,
        hi,
        unit,
        approximate,
    }))
}

/// Achievement words, negations first (未完成 before 完成), then partial, then met.
fn word_of(s: &str, role: Role) -> Option<Quality> {
    if role == Role::Target && (s == "是否" || s == "优良中差" || s == "好坏" || s == "是/否")
    {
        return Some(Quality::Met);
    }
    match s {
        "是" | "优" | "优秀" | "好" | "满意" | "有" => return Some(Quality::Met),
        "良" | "良好" | "中" | "一般" | "较好" | "合格率较高" => {
            return Some(Quality::Partly)
        }
        "否" | "差" | "较差" | "无效" | "没有" => return Some(Quality::Missed),
        _ => {}
    }
    // "Nothing happened" (未发生安全事故) reports success, not a miss.
    if s.contains("未发生") {
        return Some(Quality::Met);
    }
    const MISSED: &[&str] = &[
        "未完成",
        "未建立",
        "未达到",
        "未达标",
        "未实现",
        "未按时",
        "未按期",
        "未开展",
        "未落实",
        "不符合",
        "不合格",
        "不达标",
        "没有完成",
        "无法完成",
        "尚未",
    ];
    const PARTLY: &[&str] = &[
        "基本完成",
        "基本达到",
        "基本符合",
        "基本实现",
        "基本建立",
        "基本有效",
        "部分完成",
        "部分达到",
        "部分实现",
        "部分",
        "基本",
        "较好",
    ];
    const MET: &[&str] = &[
        "已完成",
        "完成",
        "达到",
        "达标",
        "符合",
        "合格",
        "有效",
        "建立",
        "实现",
        "按时",
        "及时",
        "提升",
        "提高",
        "改善",
        "满意",
        "落实",
        "保障",
        "到位",
    ];
    if MISSED.iter().any(|w| s.contains(w)) {
        Some(Quality::Missed)
    } else if PARTLY.iter().any(|w| s.contains(w)) {
        Some(Quality::Partly)
    } else if MET.iter().any(|w| s.contains(w)) {
        Some(Quality::Met)
    } else {
        None
    }
}

/// Three-valued answers about ranges (a boundary the wording leaves open gives Unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Unknown,
}

/// Does every value of the actual's lower end satisfy the target's lower end?
fn lo_within(a: Option<Bound>, t: Option<Bound>) -> Tri {
    let Some(t) = t else { return Tri::Yes };
    let Some(a) = a else { return Tri::No };
    match a.value.cmp(&t.value) {
        Ordering::Greater => Tri::Yes,
        Ordering::Less => Tri::No,
        Ordering::Equal => match (t.inclusive, a.inclusive) {
            (Some(true), _) | (Some(false), Some(false)) => Tri::Yes,
            (Some(false), Some(true)) => Tri::No,
            _ => Tri::Unknown,
        },
    }
}

fn hi_within(a: Option<Bound>, t: Option<Bound>) -> Tri {
    let flip = |b: Option<Bound>| {
        b.map(|b| Bound {
            value: -b.value,
            inclusive: b.inclusive,
        })
    };
    lo_within(flip(a), flip(t))
}

/// Is the range below `lo` entirely (its top under the target's bottom)?
fn entirely_below(hi: Option<Bound>, lo: Option<Bound>) -> Tri {
    let (Some(h), Some(l)) = (hi, lo) else {
        return Tri::No;
    };
    match h.value.cmp(&l.value) {
        Ordering::Less => Tri::Yes,
        Ordering::Greater => Tri::No,
        Ordering::Equal => match (h.inclusive, l.inclusive) {
            (Some(true), Some(true)) => Tri::No,
            (Some(false), _) | (_, Some(false)) => Tri::Yes,
            _ => Tri::Unknown,
        },
    }
}

fn and(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Tri::No, _) | (_, Tri::No) => Tri::No,
        (Tri::Yes, Tri::Yes) => Tri::Yes,
        _ => Tri::Unknown,
    }
}

fn or(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
        (Tri::No, Tri::No) => Tri::No,
        _ => Tri::Unknown,
    }
}

fn scale(a: &Amount, f: Decimal) -> Amount {
    let s = |b: Option<Bound>| {
        b.map(|b| Bound {
            value: b.value * f,
            inclusive: b.inclusive,
        })
    };
    Amount {
        lo: s(a.lo),
        hi: s(a.hi),
        unit: "元".into(),
        approximate: a.approximate,
    }
}

/// Both amounts in one unit, or why they cannot be.
fn same_unit(t: &Amount, a: &Amount) -> Result<(Amount, Amount), String> {
    let money = |u: &str, other: &str| -> Option<Decimal> {
        // A bare 万 beside an amount in 元 or 万元 is 万元 (`97.68万`).
        match u {
            "万" if money_factor(other).is_some() => money_factor("万元"),
            u => money_factor(u),
        }
    };
    if t.unit == a.unit || t.unit.is_empty() || a.unit.is_empty() {
        return Ok((t.clone(), a.clone()));
    }
    match (money(&t.unit, &a.unit), money(&a.unit, &t.unit)) {
        (Some(ft), Some(fa)) => Ok((scale(t, ft), scale(a, fa))),
        _ => Err(format!("单位不同：{}与{}", t.unit, a.unit)),
    }
}

/// Compare an indicator's actual with its target.
pub fn compare(target: Option<&str>, actual: Option<&str>, ctx: Context) -> Outcome {
    let target = target.map(str::trim).filter(|s| !s.is_empty());
    let actual = actual.map(str::trim).filter(|s| !s.is_empty());
    let Some(target) = target else {
        return Outcome::NoTarget;
    };
    let Some(actual) = actual else {
        return Outcome::Unreadable("实际完成值为空".into());
    };
    let same_text = normalize(target) == normalize(actual);
    let t = read(target, Role::Target, ctx);
    let a = read(actual, Role::Actual, ctx);
    let restated = || {
        if same_text {
            Outcome::Met
        } else {
            Outcome::Unreadable(String::new())
        }
    };
    let outcome = match (&t.amount, &a.amount) {
        (Some(ta), Some(aa)) if ta.approximate || aa.approximate => {
            if same_text {
                Outcome::Met
            } else {
                Outcome::Unreadable("约数无法比较".into())
            }
        }
        (Some(ta), Some(aa)) => match same_unit(ta, aa) {
            Err(why) => Outcome::Unreadable(why),
            Ok((ta, aa)) => {
                let inside = and(lo_within(aa.lo, ta.lo), hi_within(aa.hi, ta.hi));
                let outside = or(entirely_below(aa.hi, ta.lo), entirely_below(ta.hi, aa.lo));
                match (inside, outside) {
                    (Tri::Yes, _) => Outcome::Met,
                    (_, Tri::Yes) => Outcome::Missed,
                    (Tri::Unknown, _) | (_, Tri::Unknown) => {
                        Outcome::Unreadable("指标值的边界未写明是否包含".into())
                    }
                    _ => Outcome::Unreadable("实际完成值的范围与年度指标值部分重叠".into()),
                }
            }
        },
        // A number as the target, only a word as the actual: a stated shortfall counts, a
        // claim of completion without the number cannot be checked.
        (Some(_), None) => match a.word {
            Some(Quality::Missed) => Outcome::Missed,
            Some(Quality::Partly) => Outcome::Partly,
            Some(Quality::Met) if !same_text => {
                Outcome::Unreadable("实际完成值只写了文字，没有可与年度指标值比较的数值".into())
            }
            _ => restated(),
        },
        (None, _) => match (t.word, a.word) {
            (Some(Quality::Met), Some(q)) => match q {
                Quality::Met => Outcome::Met,
                Quality::Partly => Outcome::Partly,
                Quality::Missed => Outcome::Missed,
            },
            _ => restated(),
        },
    };
    match outcome {
        Outcome::Unreadable(why) if why.is_empty() => Outcome::Unreadable(
            t.problem
                .or(a.problem)
                .map(|p| format!("{p}，无法比较"))
                .unwrap_or_else(|| "年度指标值或实际完成值无法读成数值或达成用语".into()),
        ),
        o => o,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(level2: &'a str, name: &'a str) -> Context<'a> {
        Context { level2, name }
    }

    /// Real target / actual pairs from the bundled reports (the 004 report's 项目支出绩效自评表,
    /// as datasets/extracted/indicators.csv holds them), with the outcome read by hand.
    #[test]
    fn real_pairs_from_the_bundled_reports() {
        use Outcome::*;
        let n = |s: &str| Unreadable(s.to_string());
        let cases: Vec<(&str, &str, &str, &str, Outcome)> = vec![
            // (level2, indicator, 年度指标值, 实际完成值, outcome)
            ("数量指标", "涉及楼数", "35 栋", "35 栋", Met),
            ("质量指标", "工程符合质量标准", "是否", "是", Met),
            ("时效指标", "预计支出时间", "≤12 月", "9 月", Met),
            ("成本指标", "全年总成本", "949.8 2 万元", "949.82 万元", Met),
            ("社会效益指标", "改善老旧小区上下水", "优良中差", "优", Met),
            ("服务对象满意度标", "投诉率", "≤5%", "≤5%", Met),
            ("时效指标", "预计支出时间", "12 月", "10 月", Met),
            ("成本指标", "经费总额", "106,0 29.00", "106,0 29.00", Met),
            ("服务对象满意度标", "居民投诉率", "≤5%", "无投诉", Met),
            ("质量指标", "发放人员符合政策标准", "符合", "符合", Met),
            ("成本指标", "全年总成本", "2000 元", "2000 元", Met),
            ("数量指标", "消杀面积", "8300 平", "8300 平", Met),
            (
                "成本指标",
                "全年总成本",
                "86.825 947 万元",
                "86.825 947 万元",
                Met,
            ),
            ("服务对象满意度标", "投诉率", "≤5%", "0", Met),
            ("数量指标", "精神病户数", "≤250户", "200", Met),
            ("时效指标", "预计支出时间", "≤12月", "12月", Met),
            ("数量指标", "发放人次", "400 人次", "400 人次", Met),
            ("质量指标", "发放及时率", "=100%", "100%", Met),
            // 480 planned, 270 paid out: missed (scored 10 of 10 in the report).
            ("数量指标", "发放人次", "480", "270", Missed),
            ("质量指标", "发放及时率", "100%", "100%", Met),
            ("数量指标", "覆盖社区数量", "11个", "11", Met),
            ("成本指标", "实际成本", "2250.00", "2,250.00", Met),
            ("质量指标", "发放及时率", "=100%", "=100%", Met),
            ("数量指标", "覆盖社区数量", "≤11个", "11个", Met),
            ("质量指标", "按时准确发放", "符合", "符合", Met),
            ("时效指标", "支出时间", "≤11月", "10月", Met),
            ("成本指标", "全年总成本", "10666元", "10666元", Met),
            ("数量指标", "普查社区数", "11", "11", Met),
            ("质量指标", "经济普查经费标准", "符合标准", "符合标准", Met),
            (
                "社会效益指标",
                "科学制定中长期发展规划",
                "提升",
                "提升",
                Met,
            ),
            ("服务对象满意度标", "调查员投诉量", "少于5件", "1件", Met),
            ("服务对象满意度标", "调查员投诉量", "少于5件", "0件", Met),
            (
                "成本指标",
                "全年总成本",
                "0.9887 15 万元",
                "0.9887 15 万元",
                Met,
            ),
            ("服务对象满意度", "投诉率", "0%", "0%", Met),
            (
                "数量指标",
                "献血补贴",
                "1000 元 /200ml",
                "1000 元 /200ml",
                Met,
            ),
            ("时效指标", "预计发放时间", "≤11 月", "9 月", Met),
            ("数量指标", "用餐人数", "≥120人", "≥120人", Met),
            ("服务对象满意度标", "居民投诉", "≤20件", "<20件", Met),
            // A month target without a comparator is a deadline: December is late for 11月.
            ("时效指标", "支出时间", "11月", "12月", Missed),
            ("服务对象满意度标", "居民投诉率", "≤5%", "<5%", Met),
            ("数量指标", "审核、修改合同", "260份", "260份", Met),
            (
                "质量指标",
                "及时、有效提供优质法律服务",
                "达到指标要求",
                "达到指标要求",
                Met,
            ),
            (
                "社会效益指标",
                "法律服务得到街道各部门的认可和好评",
                "达到预期目标",
                "100%完成",
                Met,
            ),
            ("数量指标", "指购置防汛物资", "10000余件", "10000余件", Met),
            // 约2000件 on both sides: the same words, not a number compared.
            ("数量指标", "购置消防器材", "约2000件", "约2000件", Met),
            (
                "数量指标",
                "全年通过微信公众号推送信息数量",
                "≥100条",
                "≥100条",
                Met,
            ),
            ("服务对象满意度", "社区满意度", "≥90%", "100%", Met),
            (
                "数量指标",
                "组织社区工作者体检",
                "50%以上社区干部完成体检",
                "71%",
                Met,
            ),
            ("时效指标", "预计支出时间", "11 月底前", "9 月", Met),
            (
                "社会效益指标",
                "保障社区工作者身心健康",
                "预期完成",
                "较好",
                Partly,
            ),
            ("数量指标", "社区办公用房面积", "≥350 m ²", "350 m ²", Met),
            ("时效指标", "资金支出进度", "11 月前", "8 月", Met),
            ("成本指标", "租赁价格", "≤3 元/天/m ²", "≤3 元/天/m ²", Met),
            ("数量指标", "表彰治安巡逻员次数", "≥22 次", "30 次", Met),
            ("时效指标", "支出时间", "12月完成", "11月", Met),
            ("数量指标", "文明引导员数量", "≤33个", "26个", Met),
            ("数量指标", "协管员种类", "≥12", "≥12", Met),
            (
                "数量指标",
                "垃圾分类桶站",
                "43",
                "已完成",
                n("实际完成值只写了文字，没有可与年度指标值比较的数值"),
            ),
            (
                "数量指标",
                "购置垃圾桶",
                "720 个",
                "已完成",
                n("实际完成值只写了文字，没有可与年度指标值比较的数值"),
            ),
            ("时效指标", "预计完成时间", "≤11月", "12月", Missed),
            ("时效指标", "预计支出时间", "≤ 11月", "9月", Met),
            ("时效指标", "项目实施", "12月底", "10月", Met),
            ("数量指标", "发放人数", "498人", "494人", Missed),
            ("数量指标", "活动场次", "10场", "15场", Met),
            ("数量指标", "专业督导时长", "50小时", "63小时", Met),
            // 人次 planned, 人 reported: different units, not compared.
            (
                "数量指标",
                "活动覆盖面",
                "400人次",
                "497人",
                n("单位不同：人次与人"),
            ),
            ("服务对象满意度", "居民满意度", ">90%", "94%", Met),
            ("服务对象满意度", "投诉件数", "≤1件", "0", Met),
            (
                "质量指标",
                "人口抽样调查经费标准",
                "不低于27元/户",
                "27.02元/户",
                Met,
            ),
            ("时效指标", "资金支出进度", "11月底前完成", "7月", Met),
            ("满意度", "辖区居民投诉量", "少于5件", "无投诉", Met),
            (
                "数量指标",
                "保障区域及人员配比",
                "2个区域共5人",
                "2个区域共5人",
                Met,
            ),
            ("时效指标", "预计12月底完成", "12月完成", "12月完成", Met),
            ("成本指标", "全年总成本", "97.68万", "97.68万", Met),
            ("成本指标", "全年总成本", "20万", "20万", Met),
            ("质量指标", "保安人员按时到岗", "按时到岗", "按时到岗", Met),
            (
                "质量指标",
                "核酸检测符合政策要求",
                "预期完成",
                "已完成",
                Met,
            ),
            // The form's own digits: 2.195557 万元 planned, 2.1955577 万元 spent (a cost cap).
            (
                "成本指标",
                "全年总成本",
                "2.1955 57 万元",
                "2.1955 577 万元",
                Missed,
            ),
        ];
        assert!(cases.len() >= 40, "{} pairs", cases.len());
        let mut unreadable = 0;
        for (level2, name, target, actual, want) in &cases {
            let got = compare(Some(target), Some(actual), ctx(level2, name));
            assert_eq!(&got, want, "{name}: {target} / {actual}");
            unreadable += matches!(got, Outcome::Unreadable(_)) as usize;
        }
        assert_eq!(unreadable, 3);
    }

    #[test]
    fn issue_phrasings() {
        use Outcome::*;
        let c = |t: &str, a: &str| compare(Some(t), Some(a), Context::default());
        assert_eq!(c("≥95%", "93%"), Missed);
        assert_eq!(c("不低于95%", "95%"), Met);
        assert_eq!(c("不超过50万元", "500000元"), Met);
        assert_eq!(c("不超过50万元", "500001元"), Missed);
        assert_eq!(c("达到20场", "18场"), Missed);
        // 20余场 reads as at least 20.
        assert_eq!(c("20场", "20余场"), Met);
        assert_eq!(c("20余场", "19场"), Missed);
        assert_eq!(c(">90%", "90%"), Missed);
        assert_eq!(c("<5%", "5%"), Missed);
        assert_eq!(c("=100%", "98%"), Missed);
        assert_eq!(c("建立", "未建立"), Missed);
        assert_eq!(c("完成", "部分完成"), Partly);
        assert_eq!(c("完成", "基本完成"), Partly);
        assert_eq!(c("有效", "有效"), Met);
        assert_eq!(c("达到", "未完成"), Missed);
        assert_eq!(c("是否", "否"), Missed);
        assert_eq!(c("优良中差", "良"), Partly);
        assert_eq!(c("100个", "未完成"), Missed);
        // Boundaries and blanks.
        assert_eq!(
            c("11月前", "11月"),
            Unreadable("指标值的边界未写明是否包含".into())
        );
        assert_eq!(c("11月前", "10月"), Met);
        assert_eq!(
            compare(Some("≥90%"), None, Context::default()),
            Unreadable("实际完成值为空".into())
        );
        assert_eq!(compare(None, Some("100%"), Context::default()), NoTarget);
        assert_eq!(
            c("≤5%", "≤8%"),
            Unreadable("实际完成值的范围与年度指标值部分重叠".into())
        );
        assert_eq!(c("约100人", "98人"), Unreadable("约数无法比较".into()));
        assert_eq!(
            c("20人", "3个社区20人"),
            Unreadable("写有多个数值，无法比较".into())
        );
        assert!(matches!(c("按需", "按需推进"), Unreadable(_)));
        // Full-width digits and comparators.
        assert_eq!(c("≥９５％", "９６％"), Met);
        assert_eq!(c(">=95%", "94.9%"), Missed);
    }

    #[test]
    fn target_direction_follows_what_it_measures() {
        let cost = Context {
            level2: "成本指标",
            name: "全年总成本",
        };
        // A cost target is a cap: spending less meets it, more misses it.
        assert_eq!(compare(Some("50万元"), Some("45万元"), cost), Outcome::Met);
        assert_eq!(
            compare(Some("50万元"), Some("51万元"), cost),
            Outcome::Missed
        );
        let count = Context {
            level2: "数量指标",
            name: "培训人数",
        };
        assert_eq!(compare(Some("50人"), Some("45人"), count), Outcome::Missed);
        assert_eq!(compare(Some("50人"), Some("55人"), count), Outcome::Met);
        let complaints = Context {
            level2: "服务对象满意度",
            name: "投诉件数",
        };
        assert_eq!(
            compare(Some("5件"), Some("7件"), complaints),
            Outcome::Missed
        );
    }

    #[test]
    fn reads_amounts_exactly() {
        let r = read("106,0 29.00", Role::Actual, Context::default());
        let a = r.amount.unwrap();
        assert_eq!(a.lo.unwrap().value, "106029.00".parse::<Decimal>().unwrap());
        assert_eq!(a.unit, "");
        let r = read("≥350 m ²", Role::Target, Context::default());
        let a = r.amount.unwrap();
        assert_eq!(a.unit, "平方米");
        assert_eq!(a.hi, None);
        let r = read("1000 元 /200ml", Role::Target, Context::default());
        assert_eq!(r.amount.unwrap().unit, "元/200ml");
    }
}
