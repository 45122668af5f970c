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
            .caused_by(e)
        })?;
        CauseRules::parse(
            &crate::encoding::decode(&bytes),
            &path.display().to_string(),
        )
    }

    pub fn parse(text: &str, name: &str) -> Result<CauseRules> {
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let h = rdr
            .headers()
            .map_err(|e| JxError::input(format!("{name}: {e}")).caused_by(e))?
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
            let rec = rec
                .map_err(|e| JxError::input(format!("{name}: row {}: {e}", i + 2)).caused_by(e))?;
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

    /// Classify one deduction: the first rule whose keywords are in its reason, else in its
    /// indicator names, else 其他.
    pub fn classify(&self, reason: &str, names: &str) -> String {
        let i = self.rule_for(reason).or_else(|| self.rule_for(names));
        i.map(|i| self.rules[i].cause.clone())
            .unwrap_or_else(|| OTHER.to_string())
    }

    fn rule_for(&self, text: &str) -> Option<usize> {
        self.rules
            .iter()
            .position(|r| r.keywords.iter().any(|k| text.contains(k.as_str())))
    }

    /// The distinct causes in rule order, then 其他 (unless a rule names it): what
    /// `classify_rows` codes point into.
    pub fn cause_names(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for c in self
            .rules
            .iter()
            .map(|r| &r.cause)
            .chain([&OTHER.to_string()])
        {
            if !v.contains(c) {
                v.push(c.clone());
            }
        }
        v
    }

    /// `classify` for every row of a table (reason and level1..level4 columns, blank = ""),
    /// as positions in `cause_names`. Reasons and names repeat, so each distinct text is
    /// matched against the rules once; chunks of rows go to the cores in parallel.
    pub fn classify_rows(&self, reason: &StringChunked, levels: [&StringChunked; 4]) -> Vec<u32> {
        use rayon::prelude::*;
        use rustc_hash::FxHashMap;
        const CHUNK: usize = 1 << 18;
        let n = reason.len();
        let other = self.rules.len() as u32;
        let starts: Vec<usize> = (0..n).step_by(CHUNK).collect();
        let parts: Vec<Vec<u32>> = starts
            .par_iter()
            .map(|&start| {
                let len = CHUNK.min(n - start);
                let reason = reason.slice(start as i64, len);
                let levels = levels.map(|l| l.slice(start as i64, len));
                let mut by_reason: FxHashMap<&str, Option<u32>> = FxHashMap::default();
                let mut by_names: FxHashMap<String, u32> = FxHashMap::default();
                let mut names = String::new();
                let mut level_iters = levels.each_ref().map(|l| l.iter());
                let mut out = Vec::with_capacity(len);
                for r in reason.iter() {
                    let r = r.unwrap_or("");
                    let from_reason = *by_reason
                        .entry(r)
                        .or_insert_with(|| self.rule_for(r).map(|i| i as u32));
                    // Every row steps the level iterators; their names are joined only
                    // when the reason matched no rule.
                    let level_names = level_iters.each_mut().map(|it| it.next().flatten());
                    let code = match from_reason {
                        Some(c) => c,
                        None => {
                            names.clear();
                            for (k, name) in level_names.iter().enumerate() {
                                if k > 0 {
                                    names.push(' ');
                                }
                                names.push_str(name.unwrap_or(""));
                            }
                            match by_names.get(names.as_str()) {
                                Some(&c) => c,
                                None => {
                                    let c =
                                        self.rule_for(&names).map(|i| i as u32).unwrap_or(other);
                                    by_names.insert(names.clone(), c);
                                    c
                                }
                            }
                        }
                    };
                    out.push(code);
                }
                out
            })
            .collect();
        // Rule positions (and "no rule") to positions in `cause_names`.
        let names = self.cause_names();
        let code_of: Vec<u32> = self
            .rules
            .iter()
            .map(|r| &r.cause)
            .chain([&OTHER.to_string()])
            .map(|c| names.iter().position(|n| n == c).unwrap_or(0) as u32)
            .collect();
        parts
            .concat()
            .into_iter()
            .map(|r| code_of[r as usize])
            .collect()
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
        // The row classifier (reason first, names from the levels, blanks as "") agrees.
        let reason =
            StringChunked::from_iter([Some("支出预算执行率为97.17%"), None, Some("情况一般")]);
        let l1 = StringChunked::from_iter([Some("x"), Some("决策"), Some("指标甲")]);
        let l2 = StringChunked::from_iter([None, Some("绩效目标合理性"), None]);
        let blank = StringChunked::full_null("b".into(), 3);
        let names = r.cause_names();
        let rows: Vec<&str> = r
            .classify_rows(&reason, [&l1, &l2, &blank, &blank])
            .into_iter()
            .map(|c| names[c as usize].as_str())
            .collect();
        assert_eq!(rows, ["预算执行", "绩效目标", OTHER]);
    }
}
