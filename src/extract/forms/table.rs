//! Scored indicator tables (指标体系及打分情况表, 评价指标体系, 自评表 indicator blocks): a
//! header naming the level columns (一级…四级指标), 分值 and 得分/专家打分, then rows whose
//! cells drift (lost leading tabs, text in the wrong column, wrapped cells). Rows are read by
//! their numbers: the 分值 and 得分 cells are found among the numeric cells, labels are the
//! text before them, right-aligned to the deepest level, upper levels carried from above.

use rust_decimal::Decimal;

use crate::extract::text::{cells, compact, number, split_points, squash};

pub use crate::dataset::contract::Indicator;

/// A subtotal a label states, e.g. "部门决策 (14分)": (level 0-based, name, points, line).
pub type Subtotal = (usize, String, Decimal, usize);

#[derive(Debug, Clone)]
pub struct Header {
    pub n_levels: usize,
    /// text columns between the last level column and 分值 (评分标准, 年度指标值 …)
    pub extra: usize,
    /// 分值 and 得分 stand side by side
    pub adjacent: bool,
    /// the reason column is a stated reason (扣分原因/偏差原因), not an analysis
    pub reason_is_stated: bool,
    pub has_reason: bool,
    /// scores are an expert's (专家打分/专家评分)
    pub expert: bool,
    /// number of header lines (2 when 一级/二级 sit on a second line)
    pub lines: usize,
    /// no 分值 column: each indicator's points stand in its label (相关性(5分))
    pub points_in_labels: bool,
    /// 年度指标值 and 实际完成值 stand after 分值 (分值 | 年度指标值 | 全年实际值 | 得分): their
    /// offsets from the 分值 column
    pub values_after_max: Option<(usize, usize)>,
}

const SUBHEADER_WORDS: &[&str] = &[
    "指标性质",
    "指标值",
    "度量单位",
    "计量单位",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "权重",
];
const TARGET_WORDS: &[&str] = &["年度指标值", "指标值", "目标值"];
const ACTUAL_WORDS: &[&str] = &[
    "实际完成值",
    "全年实际值",
    "实际值",
    "完成值",
    "实际完成情况",
];

fn is_level_label(c: &str) -> Option<usize> {
    let c = c.trim_end_matches("指标");
    match c {
        "一级" => Some(0),
        "二级" => Some(1),
        "三级" => Some(2),
        "四级" => Some(3),
        _ => None,
    }
}

const SCORE_WORDS: &[&str] = &[
    "专家打分",
    "专家评分",
    "自评得分",
    "评价得分",
    "得分",
    "打分",
];

/// Recognise a header line (and an optional second line with the level names).
pub fn header(lines: &[String], i: usize) -> Option<Header> {
    // Cheap rejection first: every header is tab-separated and names 分值/得分/打分/评分.
    let raw = &lines[i];
    if !raw.contains('\t') || !raw.contains('分') {
        return None;
    }
    let h: Vec<String> = cells(&lines[i]).iter().map(|c| compact(c)).collect();
    if h.len() < 3 {
        return None;
    }
    let score_idx = h
        .iter()
        .position(|c| SCORE_WORDS.iter().any(|w| c.contains(w)) && !c.contains("得分率"))?;
    let max_idx = h
        .iter()
        .position(|c| c == "分值" || c == "标准分值" || c == "权重");
    let mut levels: Vec<usize> = h
        .iter()
        .enumerate()
        .filter_map(|(k, c)| is_level_label(c).map(|_| k))
        .collect();
    let mut n_lines = 1;
    if levels.is_empty() {
        // Two-line header: 评价指标 … then 一级 二级 三级 on the next line.
        let next = lines
            .get(i + 1)
            .map(|l| cells(l).iter().map(|c| compact(c)).collect::<Vec<_>>())?;
        levels = next
            .iter()
            .enumerate()
            .filter_map(|(k, c)| is_level_label(c).map(|_| k))
            .collect();
        if levels.is_empty() {
            return None;
        }
        n_lines = 2;
    }
    // A header naming 二级 and 三级 but not 一级 is the second half of a header cut over two
    // lines (一级 on the line above): its columns do not line up with the rows.
    let has_first = |cells: &[String]| cells.iter().any(|c| is_level_label(c) == Some(0));
    if n_lines == 1 && !has_first(&h) {
        return None;
    }
    // A scored indicator table needs 分值 or a 评分标准 column holding the points.
    let has_points_col = max_idx.is_some() || h.iter().any(|c| c.contains("评分标准"));
    // A table of two levels or more with a 得分 column and no 分值 column states its points in
    // its labels (部门决策(25分) | 目标任务(15分) | 相关性(5分) | 得分).
    let points_in_labels = !has_points_col && levels.len() >= 2;
    if !has_points_col && !points_in_labels {
        return None;
    }
    let last_level = *levels.iter().max().unwrap();
    let extra = max_idx
        .map(|m| m.saturating_sub(last_level + 1))
        .unwrap_or(0);
    let reason_idx = h
        .iter()
        .position(|c| c.contains("原因") || c.contains("分析结果"));
    let values_after_max = max_idx.and_then(|m| {
        let t = (m + 1..score_idx).find(|&k| TARGET_WORDS.iter().any(|w| h[k].starts_with(w)))?;
        let a = (t + 1..score_idx).find(|&k| ACTUAL_WORDS.iter().any(|w| h[k].starts_with(w)))?;
        Some((t - m, a - m))
    });
    Some(Header {
        n_levels: levels.len(),
        extra,
        adjacent: max_idx.map(|m| score_idx == m + 1).unwrap_or(false),
        reason_is_stated: reason_idx.map(|r| h[r].contains("原因")).unwrap_or(false),
        has_reason: reason_idx.is_some(),
        expert: h[score_idx].contains("专家"),
        lines: n_lines,
        points_in_labels,
        values_after_max,
    })
}

/// Level labels carried from row to row (and across page breaks of one table).
#[derive(Debug, Clone, Default)]
pub struct Carry {
    pub levels: [Option<String>; 4],
}

#[derive(Debug, Default)]
pub struct TableRead {
    pub indicators: Vec<Indicator>,
    pub subtotals: Vec<Subtotal>,
    /// the 合计/总分 row: (max, score, line)
    pub total: Option<(Option<Decimal>, Option<Decimal>, usize)>,
    /// index of the first line after the table
    pub end: usize,
    pub expert: bool,
}

fn is_total_row(first: &str) -> bool {
    if !first.contains(['合', '总']) {
        return false;
    }
    let f = compact(first);
    f.starts_with("合计") || f.starts_with("总分") || f.starts_with("总计")
}

/// Read a table whose header is at `start`.
pub fn read(lines: &[String], start: usize, hdr: &Header, carry: &mut Carry) -> TableRead {
    let mut out = TableRead {
        expert: hdr.expert,
        ..Default::default()
    };
    let mut i = start + hdr.lines;
    let mut last_was_row = false;
    // The column of the deepest label of the last scored row: a row whose text starts left of
    // it cannot be that label's wrapped rest.
    let mut label_col: Option<usize> = None;
    while i < lines.len() {
        let line = &lines[i];
        if line.trim().is_empty() {
            // A blank line inside a table is kept reading when a row follows.
            let next = (i + 1..lines.len()).find(|&k| !lines[k].trim().is_empty());
            match next {
                Some(k)
                    if lines[k].contains('\t')
                        && header(lines, k).is_none()
                        && !looks_like_other_table(&lines[k]) =>
                {
                    // A blank line inside a table is a page artifact: a wrapped cell after it
                    // still continues the row above.
                    i = k;
                    continue;
                }
                _ => break,
            }
        }
        if !line.contains('\t') {
            // A wrapped cell continues on its own line right after its row.
            if last_was_row && !out.indicators.is_empty() && line.trim().chars().count() <= 40 {
                append_text(out.indicators.last_mut().unwrap(), line.trim());
                i += 1;
                continue;
            }
            break;
        }
        if header(lines, i).is_some() {
            i += 1;
            continue;
        }
        let c = cells(line);
        let first = c
            .iter()
            .find(|x| !x.is_empty())
            .cloned()
            .unwrap_or_default();
        let nums: Vec<usize> = (0..c.len()).filter(|&k| number(&c[k]).is_some()).collect();
        if hdr.points_in_labels && !is_total_row(&first) {
            // Labels right-aligned to the deepest level; the deepest one's points are the
            // indicator's 分值, the number in the row its 得分 (blank when unfilled).
            let labels: Vec<&str> = c
                .iter()
                .filter(|x| !x.is_empty() && number(x).is_none())
                .copied()
                .collect();
            if labels.is_empty() && nums.is_empty() {
                i += 1;
                continue;
            }
            let max = labels.last().and_then(|l| split_points(l).1);
            let (levels, subs) = assign_levels(&labels, hdr.n_levels, carry, i);
            out.subtotals.extend(subs);
            out.indicators.push(Indicator {
                levels,
                max_points: max,
                score: nums.last().and_then(|&k| number(&c[k])),
                line: i,
                ..Default::default()
            });
            last_was_row = true;
            i += 1;
            continue;
        }
        if is_total_row(&first) {
            let mut max = nums.first().and_then(|&k| number(&c[k]));
            let mut score = if nums.len() >= 2 {
                nums.last().and_then(|&k| number(&c[k]))
            } else {
                None
            };
            // Alone, a fraction is a score (总分 71.7), not full marks.
            if nums.len() == 1 && max.is_some_and(|m| !m.fract().is_zero()) {
                score = max.take();
            }
            out.total = Some((max, score, i));
            i += 1;
            break;
        }
        if nums.is_empty() {
            // No numbers: the rest of a wrapped row, or a row whose 分值 and 得分 are blank.
            let texts: Vec<String> = c
                .iter()
                .filter(|x| !x.is_empty())
                .map(|x| squash(x))
                .collect();
            if texts.is_empty() {
                i += 1;
                continue;
            }
            // Placeholder rows (……) and a header's second line (指标性质 | 指标值 | 度量单位).
            if texts.iter().all(|t| {
                t.chars().all(|ch| "…. 。-—".contains(ch)) || SUBHEADER_WORDS.contains(&t.as_str())
            }) {
                i += 1;
                continue;
            }
            if texts.len() == 1 && texts[0].contains("指标体系") {
                // A page title repeated inside the table (tab-separated by the conversion).
                i += 1;
                continue;
            }
            let first_col = c.iter().position(|x| !x.is_empty()).unwrap_or(0);
            if matches!(label_col, Some(l) if first_col < l)
                && !c.iter().any(|x| split_points(x).1.is_some())
            {
                // A shallower label alone on its row (生态效益指标 with no indicator under it):
                // nothing scored, nothing to continue.
                i += 1;
                continue;
            }
            // A sub-row with values of its own (其中… | 1.5亩 | 1.5亩) is a row, not a wrap.
            let values_of_its_own = matches!(label_col, Some(l) if first_col == l)
                && c.iter()
                    .skip(first_col + 1)
                    .filter(|x| !x.trim().is_empty())
                    .count()
                    >= 2
                && c.iter()
                    .skip(first_col + 1)
                    .all(|x| x.trim().chars().count() <= 12);
            // A row without numbers is a new indicator with blank points only when a label in
            // it states its points ("基层安全服务 (8)"); otherwise it is the wrapped rest of the
            // row above, whose first cell continues that row's deepest label.
            let states_points = c
                .iter()
                .take(hdr.n_levels + 1)
                .any(|x| split_points(x).1.is_some());
            if !states_points && !values_of_its_own && !out.indicators.is_empty() {
                append_text(out.indicators.last_mut().unwrap(), &texts[0]);
            } else {
                // Labels with blank points: kept as an indicator with blank max and score.
                let labels = c
                    .iter()
                    .take(hdr.n_levels + 1)
                    .filter(|x| !x.is_empty())
                    .cloned()
                    .collect::<Vec<_>>();
                let (levels, subs) = assign_levels(&labels, hdr.n_levels, carry, i);
                out.subtotals.extend(subs);
                out.indicators.push(Indicator {
                    levels,
                    line: i,
                    ..Default::default()
                });
            }
            last_was_row = true;
            i += 1;
            continue;
        }
        let (max_i, score_i) = if hdr.adjacent {
            match nums.windows(2).rev().find(|w| w[1] == w[0] + 1) {
                Some(w) => (w[0], Some(w[1])),
                None => (*nums.last().unwrap(), None),
            }
        } else {
            (nums[0], nums.get(1).copied())
        };
        let region: Vec<&str> = c[..max_i].to_vec();
        let keep = region.len().saturating_sub(hdr.extra);
        let (label_cells, extra_cells) = region.split_at(keep);
        let labels: Vec<&str> = label_cells
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect();
        let (levels, subs) = assign_levels(&labels, hdr.n_levels, carry, i);
        out.subtotals.extend(subs);
        let nonempty = |v: &str| {
            if v.trim().is_empty() {
                None
            } else {
                Some(squash(v))
            }
        };
        label_col = label_cells.iter().rposition(|x| !x.is_empty());
        let (target, actual) = match (hdr.values_after_max, extra_cells.len()) {
            (Some((t, a)), _) => (
                c.get(max_i + t).and_then(|v| nonempty(v)),
                c.get(max_i + a).and_then(|v| nonempty(v)),
            ),
            (None, 0 | 1) => (None, None),
            // 年度指标值 over several cells (指标性质 | 指标值 | 度量单位): read as one.
            (None, n) => {
                let t: String = extra_cells[..n - 1].iter().map(|x| squash(x)).collect();
                (nonempty(&t), nonempty(&extra_cells[n - 1]))
            }
        };
        let max = number(&c[max_i]);
        let score = score_i.and_then(|k| number(&c[k]));
        let reason = if hdr.has_reason {
            if hdr.adjacent || score_i.is_none() {
                let after = score_i.unwrap_or(max_i) + 1;
                c.iter()
                    .skip(after)
                    .find(|x| !x.is_empty())
                    .map(|x| squash(x))
            } else {
                let s = score_i.unwrap();
                let values = hdr.values_after_max.map(|(_, a)| a).unwrap_or(0);
                c[(max_i + 1 + values).min(s)..s]
                    .iter()
                    .rev()
                    .find(|x| !x.is_empty())
                    .map(|x| squash(x))
                    .or_else(|| {
                        // The reason column after 得分 (… | 得分 | 未完成原因).
                        (values > 0)
                            .then(|| c.iter().skip(s + 1).find(|x| !x.is_empty()))
                            .flatten()
                            .map(|x| squash(x))
                    })
            }
        } else {
            None
        };
        let lost = matches!((max, score), (Some(m), Some(s)) if m > s);
        let reason = if hdr.reason_is_stated || lost {
            reason
        } else {
            None
        };
        out.indicators.push(Indicator {
            levels,
            max_points: max,
            score,
            target_value: target,
            actual_value: actual,
            reason,
            line: i,
            source: None,
        });
        last_was_row = true;
        i += 1;
    }
    out.end = i;
    out
}

fn looks_like_other_table(line: &str) -> bool {
    let f = squash(line.split('\t').next().unwrap_or(""));
    f.starts_with("项目名称") || f.starts_with("评价内容")
}

fn append_text(ind: &mut Indicator, text: &str) {
    let t = squash(text);
    if let Some(l) = ind.levels.iter_mut().rev().find(|l| l.is_some()) {
        if let Some(s) = l {
            s.push_str(&t);
        }
    }
}

/// Right-align the row's labels to the deepest level; upper levels come from the carry.
fn assign_levels(
    labels: &[&str],
    n: usize,
    carry: &mut Carry,
    line: usize,
) -> ([Option<String>; 4], Vec<Subtotal>) {
    let n = n.clamp(1, 4);
    let mut subs = Vec::new();
    let labels: Vec<&&str> = labels
        .iter()
        .rev()
        .take(n)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let first_level = n - labels.len();
    let mut levels = carry.levels.clone();
    for (k, lab) in labels.iter().enumerate() {
        let lvl = first_level + k;
        let (name, pts) = split_points(lab);
        if let Some(p) = pts {
            if lvl + 1 < n {
                subs.push((lvl, name.clone(), p, line));
            }
        }
        levels[lvl] = Some(name);
    }
    for l in levels.iter_mut().skip(n) {
        *l = None;
    }
    carry.levels = levels.clone();
    (levels, subs)
}
