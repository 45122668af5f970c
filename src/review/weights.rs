//! The weights behind the risk score: one row per reason in `datasets/review_weights.csv`
//! (reason, weight, max_count, label, description), built into the binary and replaceable with
//! `--weights FILE` or `weights` under `[review]` in jixiao.toml. A reason adds
//! `weight × min(count, max_count)` to an evaluation's risk score; nothing else does.

use std::path::Path;

use rust_decimal::Decimal;

use super::Reason;
use crate::error::{JxError, Result};

pub const DEFAULT_WEIGHTS_CSV: &str = include_str!("../../datasets/review_weights.csv");

#[derive(Debug, Clone, PartialEq)]
pub struct Weight {
    pub reason: Reason,
    pub weight: Decimal,
    pub max_count: u32,
    /// Chinese name of the reason for people (xlsx, report).
    pub label: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// In `Reason::ALL` order.
    pub rows: Vec<Weight>,
    /// Where they came from (the built-in table or a file), for the summary.
    pub origin: String,
}

impl Default for Weights {
    fn default() -> Self {
        Weights::parse(
            DEFAULT_WEIGHTS_CSV,
            "datasets/review_weights.csv (built in)",
        )
        .expect("the built-in review weights parse")
    }
}

impl Weights {
    pub fn from_file(path: &Path) -> Result<Weights> {
        // Saved from Excel it may be GBK or UTF-16: decoded as the loader does.
        let bytes = std::fs::read(path).map_err(|e| {
            JxError::input(format!("{}: cannot read the weights: {e}", path.display()))
        })?;
        Weights::parse(
            &crate::encoding::decode(&bytes),
            &path.display().to_string(),
        )
    }

    /// Every reason must have a row (weight 0 switches one off), each once.
    pub fn parse(text: &str, name: &str) -> Result<Weights> {
        let mut r = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = r
            .headers()
            .map_err(|e| JxError::input(format!("{name}: {e}")))?
            .clone();
        let find = |c: &str| header.iter().position(|h| h == c);
        let (Some(ci), Some(wi)) = (find("reason"), find("weight")) else {
            return Err(JxError::input(format!(
                "{name}: the weights need the columns reason and weight (and optionally max_count, label, description); the header has: {}.",
                header.iter().collect::<Vec<_>>().join(", ")
            )));
        };
        let (mi, li, di) = (find("max_count"), find("label"), find("description"));
        let mut rows: Vec<Weight> = Vec::new();
        for (i, rec) in r.records().enumerate() {
            let row = i + 2;
            let rec = rec.map_err(|e| JxError::input(format!("{name}: row {row}: {e}")))?;
            let cell = |j: Option<usize>| j.and_then(|j| rec.get(j)).unwrap_or("").to_string();
            let code = cell(Some(ci));
            if code.is_empty() {
                continue;
            }
            let reason = Reason::from_code(&code).ok_or_else(|| {
                JxError::input(format!(
                    "{name}: row {row}: unknown reason '{code}'; the reasons are {}.",
                    Reason::ALL
                        .iter()
                        .map(|r| r.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            if rows.iter().any(|w| w.reason == reason) {
                return Err(JxError::input(format!(
                    "{name}: row {row}: reason '{code}' appears twice; keep one row per reason."
                )));
            }
            let w = cell(Some(wi));
            let weight: Decimal = w.parse().ok().filter(|d: &Decimal| !d.is_sign_negative()).ok_or_else(|| {
                JxError::input(format!(
                    "{name}: row {row}, column weight: '{w}' is not a number of points of at least 0 (e.g. 3 or 1.5)."
                ))
            })?;
            let m = cell(mi);
            let max_count = if m.is_empty() {
                1
            } else {
                m.parse::<u32>().ok().filter(|m| *m >= 1).ok_or_else(|| {
                    JxError::input(format!(
                        "{name}: row {row}, column max_count: '{m}' is not a whole number of at least 1."
                    ))
                })?
            };
            let label = Some(cell(li))
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| reason.default_label().to_string());
            rows.push(Weight {
                reason,
                weight,
                max_count,
                label,
                description: cell(di),
            });
        }
        let missing: Vec<&str> = Reason::ALL
            .iter()
            .filter(|r| !rows.iter().any(|w| w.reason == **r))
            .map(|r| r.code())
            .collect();
        if !missing.is_empty() {
            return Err(JxError::input(format!(
                "{name}: no weight for {}; add a row for each (weight 0 switches a reason off).",
                missing.join(", ")
            )));
        }
        rows.sort_by_key(|w| w.reason);
        Ok(Weights {
            rows,
            origin: name.to_string(),
        })
    }

    pub fn get(&self, reason: Reason) -> &Weight {
        self.rows
            .iter()
            .find(|w| w.reason == reason)
            .expect("every reason has a weight (checked at parse)")
    }

    /// What `count` instances of a reason add to the risk score.
    pub fn points(&self, reason: Reason, count: u32) -> Decimal {
        let w = self.get(reason);
        w.weight * Decimal::from(count.min(w.max_count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_weights_cover_every_reason() {
        let w = Weights::default();
        assert_eq!(w.rows.len(), Reason::ALL.len());
        assert_eq!(w.points(Reason::TargetMissedFullMarks, 5), Decimal::from(9));
        assert_eq!(w.points(Reason::Ceiling, 1), Decimal::from(2));
        assert_eq!(w.points(Reason::TargetNotComparable, 2), Decimal::ZERO);
        assert_eq!(w.get(Reason::SumMismatch).label, "总分与指标得分合计不符");
    }

    #[test]
    fn bad_weights_say_where() {
        let all = |extra: &str| {
            let mut s = String::from("reason,weight\n");
            for r in Reason::ALL {
                s.push_str(&format!("{},1\n", r.code()));
            }
            s.push_str(extra);
            s
        };
        assert!(Weights::parse(&all(""), "w.csv").is_ok());
        let e = Weights::parse(&all("ceilng,2\n"), "w.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 11") && e.contains("ceilng"), "{}", e);
        let e = Weights::parse("reason,weight\nceiling,-1\n", "w.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 2, column weight"), "{}", e);
        let e = Weights::parse("reason,weight\nceiling,2\n", "w.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no weight for target_missed_full_marks"),
            "{}",
            e
        );
        let e = Weights::parse("code,points\n", "w.csv").unwrap_err();
        assert!(matches!(e, crate::error::JxError::Input { .. }), "{e:?}");
        let e = e.to_string();
        assert!(e.contains("reason and weight"), "{e}");
    }
}
