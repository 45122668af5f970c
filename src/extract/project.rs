//! Project self-evaluation tables (项目支出绩效自评表): 项目名称, the funds block (年初预算数 |
//! 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分), the indicator block and the 总分 row.

use rust_decimal::Decimal;

use super::table::{self, Carry, Indicator};
use super::text::{cells, compact, money_wan, number, percent, squash};

#[derive(Debug, Clone, Default)]
pub struct ProjectTable {
    pub title_line: usize,
    pub name: Option<String>,
    pub name_line: usize,
    pub year: Option<i32>,
    pub implementing_unit: Option<String>,
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
    pub total_max: Option<Decimal>,
    pub total: Option<Decimal>,
    pub total_line: Option<usize>,
    pub end: usize,
}

pub const TITLE: &str = "项目支出绩效自评表";

pub fn is_title(line: &str) -> bool {
    line.contains("自评") && compact(line).contains(TITLE)
}

fn year_in(s: &str) -> Option<i32> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let p = t.find("年度")?;
    let digits: String = t[..p]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let y: String = digits.chars().rev().collect();
    if y.len() == 4 {
        y.parse().ok()
    } else {
        None
    }
}

/// First non-empty cell after the label cell; a value written inside the label cell
/// ("实施单位 民生保障办") counts too.
fn value_after(c: &[&str], label: &str) -> Option<String> {
    let k = c.iter().position(|x| compact(x).starts_with(label))?;
    let own = compact(&c[k]);
    if own.len() > label.len() && !own.ends_with("单") {
        let rest = own[label.len()..].trim().to_string();
        if !rest.is_empty() {
            return Some(rest);
        }
    }
    c.iter()
        .skip(k + 1)
        .find(|x| !x.trim().is_empty())
        .map(|x| squash(x))
}

pub fn find_all(lines: &[String]) -> Vec<ProjectTable> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !is_title(&lines[i]) || lines[i].contains('\t') {
            i += 1;
            continue;
        }
        let mut t = ProjectTable {
            title_line: i,
            ..Default::default()
        };
        t.year = (i..(i + 4).min(lines.len())).find_map(|k| year_in(&lines[k]));
        let mut wan = true;
        let mut k = i + 1;
        while k < lines.len() && !(is_title(&lines[k]) && !lines[k].contains('\t')) {
            // Only lines that can hold a label this parser wants are split into cells.
            let bare: String = if lines[k].contains(['名', '部', '单', '资', '拨', '结']) {
                lines[k].chars().filter(|c| !c.is_whitespace()).collect()
            } else {
                String::new()
            };
            let wanted = [
                "项目名称",
                "主管部门",
                "实施单",
                "项目资金",
                "年度资金总额",
                "财政拨款",
                "上年结转",
                "其他资金",
            ]
            .iter()
            .any(|w| bare.contains(w));
            if !wanted && table::header(lines, k).is_none() {
                k += 1;
                continue;
            }
            let c = cells(&lines[k]);
            let first = c
                .iter()
                .find(|x| !x.is_empty())
                .map(|x| compact(x))
                .unwrap_or_default();
            if t.name.is_none() && first.starts_with("项目名称") {
                t.name = value_after(&c, "项目名称");
                t.name_line = k;
            } else if first.starts_with("主管部门")
                || c.iter().any(|x| compact(x).starts_with("实施单"))
            {
                t.implementing_unit =
                    value_after(&c, "实施单位").or_else(|| value_after(&c, "实施单"));
            } else if first.starts_with("项目资金") {
                wan = !first.contains("(元)") && !first.contains("（元）");
            } else if let Some(p) = c.iter().position(|x| compact(x).contains("年度资金总额"))
            {
                let v = |j: usize| c.get(p + j).copied().unwrap_or("");
                t.budget_initial = money_wan(v(1), wan);
                t.budget_full_year = money_wan(v(2), wan);
                t.executed = money_wan(v(3), wan);
                t.exec_max = number(v(4));
                t.rate_stated = percent(v(5));
                t.exec_score = number(v(6));
                t.funds_line = Some(k);
            } else if let Some(p) = c.iter().position(|x| {
                let b = compact(x);
                t.funds_line.is_some()
                    && (b.contains("财政拨款") || b.contains("上年结转") || b.contains("其他资金"))
            }) {
                let label = compact(c[p]);
                if let Some(v) = c.get(p + 2).and_then(|v| money_wan(v, wan)) {
                    t.budget_parts.push((label, v, k));
                }
            } else if let Some(h) = table::header(lines, k) {
                let mut carry = Carry::default();
                let read = table::read(lines, k, &h, &mut carry);
                t.indicators = read.indicators;
                if let Some((m, s, l)) = read.total {
                    t.total_max = m;
                    t.total = s;
                    t.total_line = Some(l);
                }
                k = read.end;
                break;
            }
            k += 1;
        }
        t.end = k;
        // A heading that names the tables ("三、项目支出绩效自评表") is not a table itself.
        if t.name.is_some() || t.funds_line.is_some() {
            out.push(t);
        }
        i = k.max(i + 1);
    }
    out
}
