//! Who scored: the evaluator-type words of `datasets/evaluator_words.csv` (editable data, like
//! the header synonyms). Bureau sheets say whose score a column holds by a word in its header
//! (自评得分, 复核得分, 第三方评价得分), in the group header above it (自评情况 over 得分 | 等级), in
//! the sheet's title, or in a 评价类型 cell; a 复核机构 cell then says whether the re-check was the
//! bureau's own or done by a firm or an expert panel it commissioned.

use std::path::Path;

use crate::error::{JxError, Result};

pub const DEFAULT_WORDS_CSV: &str = include_str!("../../datasets/evaluator_words.csv");

/// The contract's evaluator types.
pub const TYPES: [&str; 4] = ["self", "third_party", "expert_panel", "finance_bureau"];

fn contract_type(s: &str) -> Option<&'static str> {
    TYPES.iter().find(|t| **t == s).copied()
}

/// What a word says about who scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// A contract type, as stated.
    Is(&'static str),
    /// A re-check (复核, 抽查, 再评价): the finance bureau's unless the evaluator's name is a
    /// firm (third_party) or an expert panel (expert_panel).
    Recheck,
}

#[derive(Debug, Clone)]
pub struct EvaluatorWords {
    /// Words in headers, titles and 评价类型 cells; longest first, so the longest found wins.
    who: Vec<(String, Who)>,
    /// Words in evaluator names; longest first.
    names: Vec<(String, &'static str)>,
}

impl Default for EvaluatorWords {
    fn default() -> Self {
        EvaluatorWords::parse(DEFAULT_WORDS_CSV, "built-in evaluator_words.csv")
            .expect("built-in evaluator words parse")
    }
}

/// Text compared without white space (headers wrap over lines in merged cells).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl EvaluatorWords {
    pub fn from_file(path: &Path) -> Result<EvaluatorWords> {
        let bytes = std::fs::read(path)
            .map_err(|e| JxError::input(format!("{}: cannot read: {e}", path.display())))?;
        EvaluatorWords::parse(
            &crate::encoding::decode(&bytes),
            &path.display().to_string(),
        )
    }

    pub fn parse(text: &str, name: &str) -> Result<EvaluatorWords> {
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| JxError::input(format!("{name}: cannot read header: {e}")))?
            .clone();
        let idx = |c: &str| headers.iter().position(|h| h == c);
        let (Some(ik), Some(iw), Some(it)) = (idx("kind"), idx("word"), idx("evaluator_type"))
        else {
            return Err(JxError::input(format!(
                "{name}: the evaluator words table needs columns kind, word, evaluator_type."
            )));
        };
        let mut w = EvaluatorWords {
            who: Vec::new(),
            names: Vec::new(),
        };
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| JxError::input(format!("{name}: row {}: {e}", i + 2)))?;
            let (kind, word, ty) = (
                rec.get(ik).unwrap_or(""),
                squeeze(rec.get(iw).unwrap_or("")),
                rec.get(it).unwrap_or(""),
            );
            let bad = |what: &str| {
                JxError::input(format!(
                    "{name}: word '{word}': {what} (evaluator_type is one of self, third_party, expert_panel, finance_bureau, recheck; kind is who or name)."
                ))
            };
            if word.is_empty() {
                continue;
            }
            match kind {
                "who" => w.who.push((
                    word.clone(),
                    match ty {
                        "recheck" => Who::Recheck,
                        t => {
                            Who::Is(contract_type(t).ok_or_else(|| bad("unknown evaluator_type"))?)
                        }
                    },
                )),
                "name" => w.names.push((
                    word.clone(),
                    contract_type(ty).ok_or_else(|| bad("unknown evaluator_type for a name"))?,
                )),
                _ => return Err(bad("unknown kind")),
            }
        }
        if w.who.is_empty() {
            return Err(JxError::input(format!(
                "{name}: the evaluator words table has no 'who' rows."
            )));
        }
        // Stable sort: among words of one length, the table's order decides.
        w.who
            .sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));
        w.names
            .sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));
        Ok(w)
    }

    /// The longest evaluator word in a header or cell, with what it says.
    pub fn who_in(&self, text: &str) -> Option<(&str, Who)> {
        let t = squeeze(text);
        self.who
            .iter()
            .find(|(w, _)| t.contains(w.as_str()))
            .map(|(w, who)| (w.as_str(), *who))
    }

    /// Everything the words in a title say, each reading once (a title naming both 自评 and
    /// 复核 says nothing about one column).
    pub fn whos_in(&self, text: &str) -> Vec<Who> {
        let t = squeeze(text);
        let mut out: Vec<Who> = Vec::new();
        // Longest first, and a word inside a longer one already found does not count again
        // (自评 inside 单位自评).
        let mut found: Vec<&str> = Vec::new();
        for (w, who) in &self.who {
            if t.contains(w.as_str()) && !found.iter().any(|f| f.contains(w.as_str())) {
                found.push(w);
                if !out.contains(who) {
                    out.push(*who);
                }
            }
        }
        out
    }

    /// A 评价类型 cell: a contract name as written, else the evaluator word in it.
    pub fn type_cell(&self, text: &str) -> Option<Who> {
        let t = text.trim();
        contract_type(t)
            .map(Who::Is)
            .or_else(|| self.who_in(t).map(|(_, w)| w))
    }

    /// What an evaluator's name says it is. A firm or panel word wins over a finance-bureau
    /// word: 某区财政局委托某咨询公司 names the firm that scored.
    pub fn type_of_name(&self, name: &str) -> Option<&'static str> {
        let t = squeeze(name);
        let found = |want_bureau: bool| {
            self.names
                .iter()
                .filter(|(_, ty)| (*ty == "finance_bureau") == want_bureau)
                .find(|(w, _)| t.contains(w.as_str()))
                .map(|(_, ty)| *ty)
        };
        found(false).or_else(|| found(true))
    }

    /// The contract type of a score: a stated type as it is; a re-check is the finance
    /// bureau's (also when the evaluator cell is blank or names the bureau) unless the
    /// evaluator's name is a firm or a panel.
    pub fn resolve(&self, who: Who, evaluator: &str) -> &'static str {
        match who {
            Who::Is(t) => t,
            Who::Recheck => match self.type_of_name(evaluator) {
                Some(t) => t,
                None => "finance_bureau",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_say_who_scored() {
        let w = EvaluatorWords::default();
        assert_eq!(w.who_in("自评得分"), Some(("自评", Who::Is("self"))));
        assert_eq!(w.who_in("复核 等级"), Some(("复核", Who::Recheck)));
        assert_eq!(
            w.who_in("第三方复核得分"),
            Some(("第三方", Who::Is("third_party"))),
            "the longest word wins"
        );
        assert_eq!(w.who_in("评价得分"), None);
        assert_eq!(
            w.who_in("专家评分"),
            Some(("专家", Who::Is("expert_panel")))
        );
        assert_eq!(
            w.type_cell("finance_bureau"),
            Some(Who::Is("finance_bureau"))
        );
        assert_eq!(w.type_cell("财政部门"), Some(Who::Is("finance_bureau")));
        assert_eq!(w.type_cell("抽查"), Some(Who::Recheck));
        assert_eq!(w.type_cell("绩效"), None);
        assert_eq!(
            w.whos_in("某区2023年度项目支出绩效自评抽查复核结果"),
            [Who::Is("self"), Who::Recheck]
        );
        assert_eq!(w.whos_in("某区单位自评结果汇总表"), [Who::Is("self")]);
    }

    #[test]
    fn a_recheck_is_the_bureaus_unless_a_firm_or_panel_did_it() {
        let w = EvaluatorWords::default();
        let r = |name: &str| w.resolve(Who::Recheck, name);
        assert_eq!(r(""), "finance_bureau");
        assert_eq!(r("某区财政局"), "finance_bureau");
        assert_eq!(r("某会计师事务所"), "third_party");
        assert_eq!(r("某某咨询有限公司"), "third_party");
        assert_eq!(r("某大学公共政策研究院"), "third_party");
        assert_eq!(r("区绩效评价专家组"), "expert_panel");
        assert_eq!(r("某区财政局委托某咨询公司"), "third_party");
        assert_eq!(w.resolve(Who::Is("self"), "某咨询公司"), "self");
    }

    #[test]
    fn a_bad_words_table_is_an_error_naming_it() {
        let e = EvaluatorWords::parse("kind,word,evaluator_type\nwho,复核,auditor\n", "w.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("w.csv") && e.contains("复核"), "{}", e);
        assert!(EvaluatorWords::parse("a,b\n1,2\n", "w.csv").is_err());
    }
}
