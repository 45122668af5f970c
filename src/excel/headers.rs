//! Chinese names of columns (for workbooks people read) and the synonym table that maps the
//! headers of real score sheets to the contract (`datasets/header_synonyms.csv`, editable).

use std::path::Path;

use crate::error::{JxError, Result};

pub const DEFAULT_SYNONYMS_CSV: &str = include_str!("../../datasets/header_synonyms.csv");

/// The Chinese header shown for a column name; the name itself when there is none.
pub fn chinese(name: &str) -> &str {
    match name {
        "unit_id" => "单位编号",
        "unit_name" => "单位名称",
        "short_name" => "单位简称",
        "province" => "省份",
        "city" => "城市",
        "district" => "区县",
        "unit_type" => "单位类型",
        "eval_id" => "评价编号",
        "fiscal_year" => "年度",
        "scope" => "评价范围",
        "project_name" => "项目名称",
        "evaluator_type" => "评价类型",
        "evaluator" => "评价主体",
        "max_score" => "满分",
        "total_score" => "总分",
        "grade" => "等级",
        "budget_initial" => "年初预算数(万元)",
        "budget_full_year" => "全年预算数(万元)",
        "executed" => "全年执行数(万元)",
        "execution_rate_stated" => "执行率(报告值,%)",
        "execution_rate" => "执行率(%)",
        "level1" => "一级指标",
        "level2" => "二级指标",
        "level3" => "三级指标",
        "level4" => "四级指标",
        "max_points" => "分值",
        "score" => "得分",
        "target_value" => "年度指标值",
        "actual_value" => "实际完成值",
        "reason" => "扣分原因",
        "source" => "来源",
        "peer_median" => "同类中位数(%)",
        "peer_p25" => "同类25分位(%)",
        "peer_p75" => "同类75分位(%)",
        "percentile" => "同类百分位",
        "flag" => "提示",
        "peer_group" => "同类组",
        "n_peers" => "同类数",
        "n" => "个数",
        "mean" => "均值",
        "sd" => "标准差",
        "median" => "中位数",
        "share_ge_90" => "90分以上占比",
        "share_ge_95" => "95分以上占比",
        "share_eq_max" => "满分占比",
        "rank" => "排名",
        "score_rate" => "得分率",
        "cause" => "扣分原因类别",
        "n_deductions" => "扣分次数",
        "n_evaluations" => "评价次数",
        "points_lost" => "扣分",
        "share_of_points_lost" => "扣分占比",
        "top_level1" => "扣分最多的一级指标",
        "self_score" => "自评得分",
        "reference_type" => "对照评价类型",
        "reference_evaluator" => "对照评价主体",
        "reference_score" => "对照得分",
        "gap" => "差值",
        "n_pairs" => "配对数",
        "mean_gap" => "平均差值",
        "effect" => "效应(分)",
        "lenient" => "偏宽",
        "severity" => "严重程度",
        "table" => "表",
        "key" => "编号",
        "row" => "行",
        "check" => "检查项",
        "message" => "说明",
        _ => name,
    }
}

/// Excel number format for a column: percent numbers, fractions shown as percent, money, scores.
pub fn number_format(name: &str) -> Option<&'static str> {
    if name.starts_with("share_")
        || name == "grade_agreement"
        || name == "score_rate"
        || name.starts_with("rate_")
    {
        Some("0.0%")
    } else if name.contains("execution_rate")
        || name.starts_with("peer_") && name != "peer_group"
        || name == "percentile"
    {
        Some("0.00\"%\"")
    } else if name.starts_with("budget") || name == "executed" {
        Some("#,##0.00####")
    } else if [
        "total_score",
        "max_score",
        "max_points",
        "score",
        "points_lost",
        "gap",
        "self_score",
        "reference_score",
    ]
    .contains(&name)
    {
        Some("0.00##")
    } else {
        None
    }
}

#[derive(Debug, Clone)]
pub struct Synonyms {
    /// (contract field, normalised synonym)
    pairs: Vec<(String, String)>,
}

/// Header text compared without white space, line breaks, units in brackets or case.
pub fn normalise(h: &str) -> String {
    let mut s: String = h.chars().filter(|c| !c.is_whitespace()).collect();
    for (open, close) in [('(', ')'), ('（', '）'), ('[', ']'), ('【', '】')] {
        while let (Some(a), Some(b)) = (s.find(open), s.find(close)) {
            if b < a {
                break;
            }
            s.replace_range(a..b + close.len_utf8(), "");
        }
    }
    s.to_lowercase()
}

impl Default for Synonyms {
    fn default() -> Self {
        Synonyms::parse(DEFAULT_SYNONYMS_CSV, "built-in header_synonyms.csv")
            .expect("built-in synonyms parse")
    }
}

impl Synonyms {
    pub fn from_file(path: &Path) -> Result<Synonyms> {
        let bytes = std::fs::read(path)
            .map_err(|e| JxError::input(format!("{}: cannot read: {e}", path.display())))?;
        Synonyms::parse(
            &crate::encoding::decode(&bytes),
            &path.display().to_string(),
        )
    }

    pub fn parse(text: &str, name: &str) -> Result<Synonyms> {
        // '#' lines document the table (the built-in one says how headers are looked up).
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let mut pairs = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| JxError::input(format!("{name}: row {}: {e}", i + 2)))?;
            let field = rec.get(0).unwrap_or("").to_string();
            for syn in rec
                .get(1)
                .unwrap_or("")
                .split('|')
                .filter(|s| !s.trim().is_empty())
            {
                pairs.push((field.clone(), normalise(syn)));
            }
        }
        if pairs.is_empty() {
            return Err(JxError::input(format!(
                "{name}: the synonym table (field, synonyms) has no rows."
            )));
        }
        Ok(Synonyms { pairs })
    }

    /// The contract field a header names, if any.
    pub fn field(&self, header: &str) -> Option<&str> {
        let h = normalise(header);
        if h.is_empty() {
            return None;
        }
        self.pairs
            .iter()
            .find(|(_, s)| *s == h)
            .map(|(f, _)| f.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_map_through_synonyms() {
        let s = Synonyms::default();
        assert_eq!(s.field("单位 名称"), Some("unit_name"));
        assert_eq!(s.field("全年预算数（万元）"), Some("budget_full_year"));
        assert_eq!(s.field("年初预算数\n(万元)"), Some("budget_initial"));
        assert_eq!(s.field("扣分原因"), Some("reason"));
        assert_eq!(s.field("联系人"), None);
        // the usual names of scores, grades and evaluators in bureau sheets
        for (h, f) in [
            ("自评得分", "total_score"),
            ("自评分", "total_score"),
            ("综合得分", "total_score"),
            ("评价得分", "total_score"),
            ("自评等级", "grade"),
            ("评定级别", "grade"),
            ("复核机构", "evaluator"),
            ("满分", "max_score"),
            ("序号", "skip"),
        ] {
            assert_eq!(s.field(h), Some(f), "{h}");
        }
        assert_eq!(chinese("total_score"), "总分");
    }
}
