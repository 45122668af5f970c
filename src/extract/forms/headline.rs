//! Document-level facts stated in prose: the unit's name and place, the fiscal year, who
//! scored (third party / expert panel / self), the total score and grade, the grade thresholds
//! where stated, and budget figures from the text or the budget table.

use std::str::FromStr;
use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::extract::text::{cells, compact, money_wan, number, percent, re};

const UNIT_SUFFIX: &str = r"(?:街道办事处|办事处|办公室|委员会|人民政府|管理局|局|中心)";

/// The full name of the unit: a labelled line (部门名称/单位名称), else a line that is only a
/// name, else a line that starts with one. Returns (name, line index).
pub fn unit_name(lines: &[String]) -> Option<(String, usize)> {
    static LABEL: OnceLock<Regex> = OnceLock::new();
    static WHOLE: OnceLock<Regex> = OnceLock::new();
    static START: OnceLock<Regex> = OnceLock::new();
    let label = re(
        &LABEL,
        r"^(?:(?:部门|单位)名称|被评价单位|被评价部门)[:：]\s*(\S+)",
    );
    let whole = re(&WHOLE, &format!(r"^([\p{{Han}}]{{2,40}}?{UNIT_SUFFIX})$"));
    let start = re(
        &START,
        &format!(r"^([\p{{Han}}]{{2,30}}?(?:街道办事处|办公室))"),
    );
    // Squashed once: the three passes below read the same head of the file.
    // Table rows are not names (a 主管部门 | X | 实施单位 | Y row ends like one).
    let head_lines: Vec<String> = lines
        .iter()
        .take(120)
        .map(|l| {
            if l.contains('\t') {
                String::new()
            } else {
                compact(l)
            }
        })
        .collect();
    let head = head_lines.iter().enumerate();
    for (i, s) in head.clone() {
        if let Some(c) = label.captures(s) {
            return Some((c[1].to_string(), i));
        }
    }
    let mut best: Option<(String, usize)> = None;
    for (i, s) in head.clone() {
        // A value under an upper government's label (中央主管部门, 省级财政部门, 省级主管部门 of a
        // transfer's 区域绩效目标自评表) names that body, not the document's unit.
        let above = head_lines[..i].iter().rev().find(|l| !l.is_empty());
        if above.is_some_and(|l| {
            (l.starts_with("省级") || l.starts_with("中央")) && l.chars().count() <= 8
        }) {
            continue;
        }
        if let Some(c) = whole.captures(s) {
            let name = c[1].to_string();
            if best
                .as_ref()
                .map(|b| name.chars().count() > b.0.chars().count())
                .unwrap_or(true)
            {
                best = Some((name, i));
            }
        }
    }
    if best.is_some() {
        return best;
    }
    for (i, s) in head {
        if let Some(c) = start.captures(s) {
            return Some((c[1].to_string(), i));
        }
    }
    None
}

/// (province, city, district) from a full name: 北京市/天津市/上海市/重庆市 are provinces.
pub fn place(name: &str) -> (Option<String>, Option<String>, Option<String>) {
    static P: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &P,
        r"^(?:([\p{Han}]{2,7}?省|[\p{Han}]{2,3}?自治区|北京市|天津市|上海市|重庆市))?(?:([\p{Han}]{2,5}?市))?(?:([\p{Han}]{1,5}?(?:区|县)))?",
    );
    let Some(c) = r.captures(name) else {
        return (None, None, None);
    };
    let prov = c.get(1).map(|m| m.as_str().to_string());
    let city = c.get(2).map(|m| m.as_str().to_string());
    let district = c.get(3).map(|m| m.as_str().to_string());
    // A district needs a street or office after it; "区政务服务办" is not a district.
    let district = district.filter(|d| d.chars().count() >= 2 && d.chars().count() <= 5);
    (prov, city, district)
}

/// Display name: the name without its province, city, district and 人民政府 prefix.
pub fn short_name(name: &str) -> String {
    let (p, c, d) = place(name);
    let mut s = name.to_string();
    for pre in [p, c, d].into_iter().flatten() {
        if let Some(rest) = s.strip_prefix(pre.as_str()) {
            s = rest.to_string();
        }
    }
    let s = s.strip_prefix("人民政府").unwrap_or(&s).to_string();
    if s.is_empty() {
        name.to_string()
    } else {
        s
    }
}

pub fn unit_type(name: &str, district: Option<&str>) -> &'static str {
    if name.ends_with("街道办事处") || name.ends_with("街道") {
        "street_office"
    } else if name.contains("镇人民政府") || name.contains("乡人民政府") {
        "township"
    } else if district.is_some() {
        "district_department"
    } else {
        "other"
    }
}

/// The fiscal year evaluated: "(2024年度)", "2023 年度整体支出", "部门2022年度", else the year
/// of "…年全年预算数". Returns (year, line).
pub fn fiscal_year(lines: &[String]) -> Option<(i32, usize)> {
    static Y: OnceLock<Regex> = OnceLock::new();
    static Y2: OnceLock<Regex> = OnceLock::new();
    let r = re(&Y, r"(20[0-9]{2})\s*年度");
    let r2 = re(
        &Y2,
        r"(20[0-9]{2})\s*年\s*(?:全年预算|预算执行|部门整体|整体支出|项目支出)",
    );
    for (rx, limit) in [(r, 200usize), (r2, lines.len())] {
        for (i, l) in lines.iter().enumerate().take(limit) {
            if let Some(c) = rx.captures(l) {
                return c[1].parse().ok().map(|y| (y, i));
            }
        }
    }
    None
}

#[derive(Debug, Clone, PartialEq)]
pub enum Evaluator {
    /// A firm (受…委托, 评价机构, 我所, a 评报字 report number); its name where stated.
    ThirdParty(Option<String>),
    Expert,
    /// The finance bureau's own evaluation (财政重点评价, 财政部门评价); its name where stated.
    FinanceBureau(Option<String>),
    SelfEval,
}

/// Who scored, from the wording: a firm commissioned (受…委托, 评价机构：…, 我所/我公司, a
/// 评报字 report number), an expert panel (专家评分, 专家组, 专家打分), the finance bureau
/// (财政重点评价, 财政部门/财政局…评价 in a heading), else the unit itself (自评).
pub fn evaluator(lines: &[String]) -> Evaluator {
    static ORG: OnceLock<Regex> = OnceLock::new();
    static COMM: OnceLock<Regex> = OnceLock::new();
    static FIRM: OnceLock<Regex> = OnceLock::new();
    static FIN: OnceLock<Regex> = OnceLock::new();
    let org = re(&ORG, r"^(?:评价|评估)机构[:：]\s*(\S+)");
    let comm = re(
        &COMM,
        r"([\p{Han}（）()]{4,40}?(?:公司|事务所|研究院|中心))受[^。]{0,40}?委托",
    );
    let firm = re(
        &FIRM,
        r"(?:我所|我公司|我院|本所|本公司)(?:受|接受|对)|评报字|绩评字|审评字|报字\s*[〔\[(（【]",
    );
    let fin = re(
        &FIN,
        r"(财政重点(?:绩效)?评价|财政(?:部门|局)?(?:组织)?(?:开展)?(?:的)?(?:重点)?(?:绩效)?评价(?:报告|结果)|评价方式[:：]?\s*财政评价)",
    );
    for l in lines.iter().take(200).filter(|l| l.contains('构')) {
        let s = compact(l);
        if let Some(c) = org.captures(&s) {
            let name = c[1].to_string();
            // A self-evaluation cover may say 评价机构：部门(单位)评价组.
            if name.contains("评价组") || name.contains("自评") || name.contains("本单位") {
                return Evaluator::SelfEval;
            }
            if name.contains("财政") {
                return Evaluator::FinanceBureau(Some(name));
            }
            return Evaluator::ThirdParty(Some(name));
        }
    }
    // Or the other way round: 受X委托，Y会计师事务所(普通合伙)对…
    static COMM_AFTER: OnceLock<Regex> = OnceLock::new();
    let comm_after = re(
        &COMM_AFTER,
        r"受[^。]{2,40}?委托[,，]\s*([\p{Han}]{4,40}?(?:公司|事务所|研究院))(?:[(（][\p{Han}]{2,6}[)）])?(?:对|开展|就)",
    );
    for l in lines.iter().filter(|l| l.contains("委托")) {
        let s = compact(l);
        if let Some(c) = comm.captures(&s).or_else(|| comm_after.captures(&s)) {
            return Evaluator::ThirdParty(Some(c[1].to_string()));
        }
    }
    if lines.iter().take(200).any(|l| firm.is_match(&compact(l))) {
        return Evaluator::ThirdParty(None);
    }
    if lines
        .iter()
        .any(|l| l.contains("专家打分") || l.contains("专家评分") || l.contains("专家组评分"))
    {
        return Evaluator::Expert;
    }
    // A report the finance bureau issues in its own name (X财政局关于…项目绩效评价报告).
    static TITLE: OnceLock<Regex> = OnceLock::new();
    let title = re(
        &TITLE,
        r"^([\p{Han}]{2,20}?财政(?:局|厅))关于[^。]{2,60}?绩效评价报告",
    );
    if let Some(c) = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .take(3)
        .find_map(|l| {
            let head: String = compact(l).chars().take(100).collect();
            title.captures(&head).map(|c| c[1].to_string())
        })
    {
        return Evaluator::FinanceBureau(Some(c));
    }
    // The finance bureau's evaluation says so in a heading, not in passing.
    for l in lines.iter().take(120) {
        let s = compact(l);
        if s.chars().count() <= 60 && !s.contains("自评") {
            if fin.is_match(&s) {
                static BUREAU: OnceLock<Regex> = OnceLock::new();
                let b = re(&BUREAU, r"([\p{Han}]{2,20}?财政(?:局|厅|部门))");
                let name = lines
                    .iter()
                    .take(120)
                    .find_map(|l| b.captures(&compact(l)).map(|c| c[1].to_string()));
                return Evaluator::FinanceBureau(name);
            }
        }
    }
    Evaluator::SelfEval
}

/// A unit name without the numeric code some systems print before it ("219001-某镇人民政府").
pub fn strip_code(name: &str) -> String {
    let t = name.trim();
    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
    let digits = t.len() - rest.len();
    let sep = ['-', '－', '—', '_', ' ', '.', '、'];
    // A code is digits and a separator, or six digits or more (219001某镇); 2023年度 is a year.
    if digits > 0 && (rest.starts_with(sep) || digits >= 6) {
        let rest = rest.trim_start_matches(sep).trim();
        if !rest.is_empty() {
            return rest.to_string();
        }
    }
    t.to_string()
}

/// The unit named in a title or the issuing line (发文单位): "XX县XX局2022年度部门整体支出绩效
/// 自评报告", "填报单位：XX", "编制单位：XX". Returns (name, line).
pub fn unit_from_title(lines: &[String]) -> Option<(String, usize)> {
    static TITLE: OnceLock<Regex> = OnceLock::new();
    static ISSUER: OnceLock<Regex> = OnceLock::new();
    let title = re(
        &TITLE,
        r"^([\p{Han}（）()]{2,40}?(?:局|办|办公室|中心|委员会|人民政府|政府|街道办事处|街道|镇|乡|院|所|站|馆|队|协会|总工会|工会|处|厅|委|学校|医院|公司))(?:关于)?(?:20[0-9]{2})\s*年",
    );
    let issuer = re(
        &ISSUER,
        r"^(?:填报单位|编制单位|报送单位|单位名称|部门名称|部门\(单位\)名称|发文单位)[:：]\s*([\p{Han}（）()0-9-]{2,40})",
    );
    for (i, l) in lines.iter().enumerate().take(60) {
        // In a table row the name is the next cell; in text it runs to the next label.
        if l.contains('\t') {
            let cells: Vec<String> = l.split('\t').map(compact).collect();
            for (k, c) in cells.iter().enumerate() {
                if issuer.is_match(&format!("{}：X", c.trim_end_matches([':', '：']))) {
                    if let Some(v) = cells[k + 1..].iter().find(|v| !v.is_empty()) {
                        return Some((strip_code(v), i));
                    }
                }
            }
            continue;
        }
        let s = compact(l);
        if let Some(c) = issuer.captures(&s) {
            let name = c[1].to_string();
            let name = ["发布日期", "日期", "索引号", "文号", "主题", "发布"]
                .iter()
                .filter_map(|w| name.find(w))
                .min()
                .map(|p| name[..p].to_string())
                .unwrap_or(name);
            return Some((strip_code(&name), i));
        }
    }
    for (i, l) in lines.iter().enumerate().take(60) {
        if l.contains('\t') {
            continue;
        }
        let s = compact(l);
        if s.chars().count() > 60 {
            continue;
        }
        if let Some(c) = title.captures(&s) {
            return Some((c[1].to_string(), i));
        }
    }
    // Last, the body a web page says published it (来源:安居区市场监管局 发布时间:…), when that
    // is a unit's name, not a site's.
    static SOURCE: OnceLock<Regex> = OnceLock::new();
    let source = re(
        &SOURCE,
        r"^(?:来源|发布机构|信息来源)[:：]\s*([\p{Han}（）()]{2,40}?(?:局|办|办公室|中心|委员会|人民政府|政府|街道办事处|镇|乡|院|所|站|馆|协会|厅|委|学校|医院))(?:发布|$)",
    );
    lines.iter().enumerate().take(12).find_map(|(i, l)| {
        let s = compact(l);
        source.captures(&s).map(|c| (c[1].to_string(), i))
    })
}

/// The headline total: "绩效评价得分为99.2分", "综合得分 85.26 分", "最终得分“98”分",
/// "整体绩效自评分100分". Returns (score, line).
pub fn total_score(lines: &[String], from: usize, to: usize) -> Option<(Decimal, usize)> {
    static T: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &T,
        r"(?:绩效评价得分|综合评分|综合得分|最终得分|评分结果|绩效自评分|自评得分|评价得分|总体得分|总得分)\s*(?:为|是)?\s*[“”\x22]?\s*([0-9]{1,3}(?:\.[0-9]+)?)\s*[“”\x22]?\s*分",
    );
    (from..to.min(lines.len())).find_map(|i| {
        let line = &lines[i];
        // A sentence broken by PDF text after its label (…自评得分 / 90 分,…) reads on.
        let joined = match lines.get(i + 1) {
            Some(next) if !line.contains('\t') && !next.contains('\t') && ends_with_label(line) => {
                std::borrow::Cow::Owned(format!("{}{}", line.trim_end(), next.trim_start()))
            }
            _ => std::borrow::Cow::Borrowed(line.as_str()),
        };
        r.captures(&joined)
            .or_else(|| unit_first(&joined))
            .and_then(|c| Decimal::from_str(&c[1]).ok())
            .map(|d| (d, i))
    })
}

/// A self-evaluation total whose unit stands before it, in a form's cell run together with its
/// label (自评总分(分)97.6); not across table cells.
fn unit_first(line: &str) -> Option<regex::Captures<'_>> {
    static U: OnceLock<Regex> = OnceLock::new();
    re(
        &U,
        r"(?:自评总分|自评得分)[ ]*[（(]分[)）][ ]*([0-9]{1,3}(?:\.[0-9]+)?)(?:[^0-9.%]|$)",
    )
    .captures(line)
}

/// Does a line end with a total-score label (its number on the next line)?
fn ends_with_label(line: &str) -> bool {
    let t = line.trim_end();
    let t = t
        .strip_suffix('为')
        .or_else(|| t.strip_suffix('是'))
        .unwrap_or(t)
        .trim_end();
    [
        "绩效评价得分",
        "综合评分",
        "综合得分",
        "最终得分",
        "绩效自评分",
        "自评得分",
        "评价得分",
        "总体得分",
        "总得分",
    ]
    .iter()
    .any(|l| t.ends_with(l))
}

pub fn grade(lines: &[String], from: usize, to: usize) -> Option<(String, usize)> {
    static G: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &G,
        r"(?:评价等级|绩效评定结论|评定级别|评价等级|绩效等级|等级)\s*(?:为|是|:|：)?\s*[“”\x22\t]?\s*(优秀|良好|一般|较差|合格|不合格|优|良|中|差)",
    );
    (from..to.min(lines.len())).find_map(|i| r.captures(&lines[i]).map(|c| (c[1].to_string(), i)))
}

/// Grade thresholds stated in the text ("得分 ≥ 85 分为优秀；75 ≤ 得分 < 85 分为良好 …"):
/// (grade, min score) pairs, best first.
pub fn thresholds(lines: &[String]) -> Vec<(String, Decimal)> {
    static A: OnceLock<Regex> = OnceLock::new();
    static B: OnceLock<Regex> = OnceLock::new();
    let ge = re(
        &A,
        r"得分\s*[≥>]=?\s*([0-9]+(?:\.[0-9]+)?)\s*分?\s*(?:为|的为)\s*(优秀|良好|一般|较差|优|良|中|差)",
    );
    let le = re(
        &B,
        r"([0-9]+(?:\.[0-9]+)?)\s*[≤<]=?\s*得分\s*<\s*[0-9]+(?:\.[0-9]+)?\s*分?\s*(?:为|的为)\s*(优秀|良好|一般|较差|优|良|中|差)",
    );
    let mut out: Vec<(String, Decimal)> = Vec::new();
    for l in lines
        .iter()
        .filter(|l| l.contains("得分") && l.contains("分为"))
    {
        let l = l.replace("\\leq", "≤");
        for c in ge.captures_iter(&l).chain(le.captures_iter(&l)) {
            if let Ok(d) = Decimal::from_str(&c[1]) {
                if !out.iter().any(|(g, _)| g == &c[2]) {
                    out.push((c[2].to_string(), d));
                }
            }
        }
    }
    out.sort_by(|a, b| b.1.cmp(&a.1));
    out
}

#[derive(Debug, Clone, Default)]
pub struct Budget {
    pub initial: Option<Decimal>,
    pub full_year: Option<Decimal>,
    pub executed: Option<Decimal>,
    pub rate_stated: Option<Decimal>,
    pub line: Option<usize>,
}

/// Budget figures: a budget table's total row (年初预算 | 调整预算/全年预算 | 支出合计/决算数 |
/// 预算执行率), else sentences ("全年预算数…万元…决算数…万元", "安排预算资金…实际支出…执行率为…").
pub fn budget(lines: &[String], skip: &dyn Fn(usize) -> bool) -> Budget {
    for (i, l) in lines.iter().enumerate() {
        if !l.contains('\t') || !l.contains("年初预") || skip(i) {
            continue;
        }
        let h: Vec<String> = cells(l).iter().map(|c| compact(c)).collect();
        let find = |ws: &[&str]| h.iter().position(|c| ws.iter().any(|w| c.contains(w)));
        let (Some(ii), Some(fi)) = (find(&["年初预算"]), find(&["调整预算", "全年预算"]))
        else {
            continue;
        };
        let Some(ei) = find(&["支出合计", "决算数", "执行数", "实际支出"]) else {
            continue;
        };
        let ri = find(&["执行率"]);
        for (k, row) in lines.iter().enumerate().skip(i + 1).take(12) {
            let c = cells(row);
            let first = compact(c.first().copied().unwrap_or(""));
            if first.contains("合计") || first.starts_with("本年支出合计") {
                let get = |j: usize| c.get(j).and_then(|v| number(v));
                return Budget {
                    initial: get(ii),
                    full_year: get(fi),
                    executed: get(ei),
                    rate_stated: ri.and_then(|j| c.get(j)).and_then(|v| percent(v)),
                    line: Some(k),
                };
            }
        }
    }
    static FULL: OnceLock<Regex> = OnceLock::new();
    static EXEC: OnceLock<Regex> = OnceLock::new();
    static RATE: OnceLock<Regex> = OnceLock::new();
    let full = re(
        &FULL,
        r"(?:全年预算数|安排预算资金|预算资金)\s*(?:为)?\s*([0-9][0-9,.]*)\s*万元",
    );
    let exec = re(
        &EXEC,
        r"(?:决算数|实际支出|资金总体支出)\s*(?:为)?\s*([0-9][0-9,.]*)\s*万元",
    );
    let rate = re(
        &RATE,
        r"预算执行率\s*(?:为|达)?\s*([0-9]+(?:\.[0-9]+)?)\s*%",
    );
    for (i, l) in lines.iter().enumerate() {
        if let (Some(f), Some(e)) = (full.captures(l), exec.captures(l)) {
            return Budget {
                initial: None,
                full_year: money_wan(&f[1], true),
                executed: money_wan(&e[1], true),
                rate_stated: rate.captures(l).and_then(|r| Decimal::from_str(&r[1]).ok()),
                line: Some(i),
            };
        }
    }
    Budget::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn codes_titles_and_evaluators() {
        assert_eq!(
            strip_code("219001-池州市贵池区棠溪镇人民政府"),
            "池州市贵池区棠溪镇人民政府"
        );
        assert_eq!(strip_code("2023年度项目"), "2023年度项目");
        let l = v(&["岳阳市城市管理监督指挥中心2018年度绩效评价自评报告"]);
        assert_eq!(unit_from_title(&l).unwrap().0, "岳阳市城市管理监督指挥中心");
        let l = v(&["编制单位：某县农业农村局"]);
        assert_eq!(unit_from_title(&l).unwrap().0, "某县农业农村局");
        // The page's publisher, when nothing else names the unit, and only a unit's name.
        let l = v(&[
            "某项资金区域绩效目标自评表",
            "来源:某区市场监管局 发布时间:2022-08-15",
        ]);
        assert_eq!(unit_from_title(&l).unwrap().0, "某区市场监管局");
        let l = v(&[
            "某项资金区域绩效目标自评表",
            "来源:某某网 发布时间:2022-08-15",
        ]);
        assert_eq!(unit_from_title(&l), None);
        assert_eq!(
            evaluator(&v(&["某区财政局财政重点评价报告", "为加强预算绩效管理……"])),
            Evaluator::FinanceBureau(Some("某区财政局".into()))
        );
        assert_eq!(
            evaluator(&v(&["根据区财政局要求，我单位开展自评。"])),
            Evaluator::SelfEval
        );
        assert_eq!(
            evaluator(&v(&["XX评报字[2023]12号", "我所受区财政局委托"])),
            Evaluator::ThirdParty(None)
        );
        assert_eq!(
            evaluator(&v(&["评价机构：部门(单位)评价组"])),
            Evaluator::SelfEval
        );
        // The firm after the commission, and a report number of a firm (…咨报字〔2024〕).
        assert_eq!(
            evaluator(&v(&[
                "受某区预算绩效管理中心委托，某某会计师事务所(普通合伙)对某委的项目开展绩效评价。"
            ])),
            Evaluator::ThirdParty(Some("某某会计师事务所".into()))
        );
        assert_eq!(
            evaluator(&v(&["报告编号:某会咨报字〔2024〕第0019号"])),
            Evaluator::ThirdParty(None)
        );
    }

    #[test]
    fn a_value_under_an_upper_governments_label_is_not_the_unit() {
        let l = v(&[
            "专项名称",
            "",
            "食品监管补助资金",
            "",
            "省级主管部门",
            "",
            "四川省市场监管局",
        ]);
        assert_eq!(unit_name(&l), None);
        let l = v(&["主管部门", "", "某县市场监管局"]);
        assert_eq!(unit_name(&l).unwrap().0, "某县市场监管局");
    }

    #[test]
    fn names_and_places() {
        let l = v(&["", "部 门 名 称：天津市河东区人民政府示例服务办公室"]);
        assert_eq!(
            unit_name(&l).unwrap().0,
            "天津市河东区人民政府示例服务办公室"
        );
        let (p, c, d) = place("北京市丰台区人民政府示例街道办事处");
        assert_eq!(
            (p.as_deref(), c, d.as_deref()),
            (Some("北京市"), None, Some("丰台区"))
        );
        assert_eq!(
            short_name("北京市丰台区人民政府示例街道办事处"),
            "示例街道办事处"
        );
        assert_eq!(place("长安区西岭街道办事处").2.as_deref(), Some("长安区"));
    }

    #[test]
    fn totals_grades_thresholds() {
        let l = v(&["经综合评价，该部门绩效评价得分为 96.67 分，评价等级为“优”，有关情况如下。"]);
        assert_eq!(
            total_score(&l, 0, 1).unwrap().0,
            Decimal::from_str("96.67").unwrap()
        );
        assert_eq!(grade(&l, 0, 1).unwrap().0, "优");
        let t = v(&["分为 4 个等级：得分 ≥ 85 分为优秀； $75 \\leq$ 得分 < 85 分为良好； $60 \\leq$ 得分 < 75 分为一般"]);
        let t: Vec<String> = t
            .iter()
            .map(|s| crate::extract::text::clean_line(s))
            .collect();
        let th = thresholds(&t);
        assert_eq!(th[0], ("优秀".to_string(), Decimal::from(85)));
        assert_eq!(th[1], ("良好".to_string(), Decimal::from(75)));
    }
}
