//! Deduction cause rules (`datasets/deduction_causes.csv`: cause, keywords separated by `|`).
//! The built-in table is compiled in; `--causes FILE` replaces it. A deduction takes the first
//! rule whose keywords appear in its stated reason; failing that, the first whose keywords
//! appear in its indicator names; failing both, 其他 (never dropped).

use std::path::Path;

use polars::prelude::*;

use crate::error::{JxError, Result};

pub const DEFAULT_CAUSES_CSV: &str = include_str!("../../datasets/deduction_causes.csv");
pub const OTHER: &str = "其他";

#[derive(Debug, Clone)]
pub struct CauseRule {
    pub cause: String,
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CauseRules {
    pub rules: Vec<CauseRule>,
}

impl Default for CauseRules {
    fn default() -> Self {
        CauseRules::parse(DEFAULT_CAUSES_CSV, "built-in deduction_causes.csv")
            .expect("built-in rules parse")
    }
}

impl CauseRules {
    pub fn from_file(path: &Path) -> Result<CauseRules> {
        let bytes = std::fs::read(path).map_err(|e| {
            JxError::input(format!(
                "{}: cannot read the cause rules: {e}",
                path.display()
            ))
        })?;
        CauseRules::parse(
            &crate::encoding::decode(&bytes).text,
            &path.display().to_string(),
        )
    }

    pub fn parse(text: &str, name: &str) -> Result<CauseRules> {
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let h = rdr
            .headers()
            .map_err(|e| JxError::input(format!("{name}: {e}")))?
            .clone();
        let (Some(ic), Some(ik)) = (
            h.iter().position(|x| x == "cause"),
            h.iter().position(|x| x == "keywords"),
        ) else {
            return Err(JxError::input(format!(
                "{name}: the cause table needs columns cause, keywords."
            )));
        };
        let mut rules = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| JxError::input(format!("{name}: row {}: {e}", i + 2)))?;
            let cause = rec.get(ic).unwrap_or("").to_string();
            let keywords: Vec<String> = rec
                .get(ik)
                .unwrap_or("")
                .split('|')
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect();
            if cause.is_empty() || keywords.is_empty() {
                return Err(JxError::input(format!(
                    "{name}: row {}: a rule needs a cause and at least one keyword.",
                    i + 2
                )));
            }
            rules.push(CauseRule { cause, keywords });
        }
        Ok(CauseRules { rules })
    }

    /// Classify one text the way the polars expression does (used by tests and the extractor).
    pub fn classify(&self, reason: &str, names: &str) -> String {
        for text in [reason, names] {
            for r in &self.rules {
                if r.keywords.iter().any(|k| text.contains(k.as_str())) {
                    return r.cause.clone();
                }
            }
        }
        OTHER.to_string()
    }

    /// The same classification as a SQL CASE expression (Spark SQL: RLIKE, Java regex).
    pub fn sql_case(&self, reason: &str, names: &str) -> String {
        let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"));
        let mut out = String::from("CASE");
        for text in [reason, names] {
            for r in &self.rules {
                let pattern = r
                    .keywords
                    .iter()
                    .map(|k| regex::escape(k))
                    .collect::<Vec<_>>()
                    .join("|");
                out.push_str(&format!(
                    "\n         WHEN {text} RLIKE {} THEN {}",
                    quote(&pattern),
                    quote(&r.cause)
                ));
            }
        }
        out.push_str(&format!("\n         ELSE {} END", quote(OTHER)));
        out
    }

    /// Polars expression giving the cause of each row from `reason` and `names` expressions.
    pub fn expr(&self, reason: Expr, names: Expr) -> Expr {
        let pattern = |r: &CauseRule| {
            r.keywords
                .iter()
                .map(|k| regex::escape(k))
                .collect::<Vec<_>>()
                .join("|")
        };
        let mut branches: Vec<(Expr, String)> = Vec::new();
        for text in [reason, names] {
            for r in &self.rules {
                branches.push((
                    text.clone()
                        .str()
                        .contains(lit(pattern(r)), false)
                        .fill_null(lit(false)),
                    r.cause.clone(),
                ));
            }
        }
        // Built from the last branch outwards: when(c1) then v1 otherwise (when(c2) …).
        branches.into_iter().rev().fold(lit(OTHER), |rest, (c, v)| {
            when(c).then(lit(v)).otherwise(rest)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_first_then_names_then_other() {
        let r = CauseRules::default();
        assert_eq!(
            r.classify("单位实际配置台式计算机存在超标准配置情况", ""),
            "资产管理"
        );
        assert_eq!(
            r.classify("存在部分合同要素填写不完整的问题", ""),
            "合同与采购"
        );
        assert_eq!(r.classify("", "部门效益 效益 服务对象满意度"), "满意度");
        assert_eq!(r.classify("情况一般", "指标甲"), OTHER);
        // The polars expression agrees with the Rust classifier.
        let df = df!("reason" => [Some("支出预算执行率为97.17%"), None, Some("情况一般")],
                     "names" => ["x", "绩效目标合理性", "指标甲"])
        .unwrap();
        let out = df
            .lazy()
            .select([r.expr(col("reason"), col("names")).alias("c")])
            .collect()
            .unwrap();
        let got: Vec<&str> = out
            .column("c")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|s| s.unwrap())
            .collect();
        assert_eq!(got, ["预算执行", "绩效目标", OTHER]);
    }
}
