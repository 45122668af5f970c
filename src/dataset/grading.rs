//! Grading schemes (`grading.csv`: province, from_year, grade, min_score). The built-in
//! default is `datasets/grading.csv`: 90/80/60 (优/良/中/差) anywhere, plus the 85/75/60
//! scheme (优秀/良好/一般/较差) as an example of a provincial one. A dataset folder may carry
//! its own `grading.csv`, and `--grading FILE` replaces it.

use std::path::Path;

use rust_decimal::Decimal;

use crate::error::{JxError, Result};

pub const DEFAULT_GRADING_CSV: &str = include_str!("../../datasets/grading.csv");

#[derive(Debug, Clone, PartialEq)]
pub struct GradeBand {
    pub grade: String,
    pub min_score: Decimal,
}

#[derive(Debug, Clone)]
pub struct Scheme {
    /// `*` applies anywhere.
    pub province: String,
    pub from_year: i32,
    /// Bands from best to worst (min_score descending).
    pub bands: Vec<GradeBand>,
}

#[derive(Debug, Clone)]
pub struct Grading {
    pub schemes: Vec<Scheme>,
}

impl Grading {
    pub fn default_scheme() -> Grading {
        Grading::parse(DEFAULT_GRADING_CSV, "built-in grading.csv")
            .expect("built-in grading table parses")
    }

    pub fn load_for_dataset(dir: &Path) -> Result<Grading> {
        let p = dir.join("grading.csv");
        if p.is_file() {
            Grading::from_file(&p)
        } else {
            Ok(Grading::default_scheme())
        }
    }

    pub fn from_file(path: &Path) -> Result<Grading> {
        let bytes = std::fs::read(path).map_err(|e| {
            JxError::input(format!("{}: cannot read: {e}", path.display())).caused_by(e)
        })?;
        let text = crate::encoding::decode(&bytes);
        Grading::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, name: &str) -> Result<Grading> {
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| JxError::input(format!("{name}: cannot read header: {e}")).caused_by(e))?
            .clone();
        let idx = |c: &str| headers.iter().position(|h| h == c);
        let (Some(ip), Some(iy), Some(ig), Some(im)) = (
            idx("province"),
            idx("from_year"),
            idx("grade"),
            idx("min_score"),
        ) else {
            return Err(JxError::input(format!(
                "{name}: the grading table needs columns province, from_year, grade, min_score."
            )));
        };
        let mut schemes: Vec<Scheme> = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let row = i + 2;
            let rec =
                rec.map_err(|e| JxError::input(format!("{name}: row {row}: {e}")).caused_by(e))?;
            let province = rec.get(ip).unwrap_or("").to_string();
            let province = if province.is_empty() {
                "*".to_string()
            } else {
                province
            };
            let year: i32 = rec.get(iy).unwrap_or("").parse().map_err(|_| {
                JxError::input(format!("{name}: row {row}, column from_year: not a year"))
            })?;
            let min: Decimal = rec.get(im).unwrap_or("").parse().map_err(|_| {
                JxError::input(format!(
                    "{name}: row {row}, column min_score: not a decimal number"
                ))
            })?;
            let grade = rec.get(ig).unwrap_or("").to_string();
            if grade.is_empty() {
                return Err(JxError::input(format!(
                    "{name}: row {row}, column grade: blank"
                )));
            }
            let band = GradeBand {
                grade,
                min_score: min,
            };
            match schemes
                .iter_mut()
                .find(|s| s.province == province && s.from_year == year)
            {
                Some(s) => s.bands.push(band),
                None => schemes.push(Scheme {
                    province,
                    from_year: year,
                    bands: vec![band],
                }),
            }
        }
        for s in &mut schemes {
            s.bands.sort_by(|a, b| b.min_score.cmp(&a.min_score));
        }
        if schemes.is_empty() {
            return Err(JxError::input(format!(
                "{name}: the grading table has no rows."
            )));
        }
        Ok(Grading { schemes })
    }

    /// The scheme for a province and fiscal year: an exact province beats `*`; the latest
    /// `from_year` not after the fiscal year wins.
    pub fn scheme_for(&self, province: Option<&str>, year: i32) -> Option<&Scheme> {
        let pick = |want: &str| {
            self.schemes
                .iter()
                .filter(|s| s.province == want && s.from_year <= year)
                .max_by_key(|s| s.from_year)
        };
        province.and_then(|p| pick(p)).or_else(|| pick("*"))
    }

    /// The grade tier (1 = best) a score earns under a scheme, scored on a 100-point scale.
    pub fn tier(scheme: &Scheme, score_100: Decimal) -> usize {
        for (i, b) in scheme.bands.iter().enumerate() {
            if score_100 >= b.min_score {
                return i + 1;
            }
        }
        scheme.bands.len()
    }
}

/// The tier (1 = best of four) of a grade word as reports write it, so that 优 and 优秀, 中 and
/// 一般 compare across schemes. None for words it does not know.
pub fn tier_of_grade_word(word: &str) -> Option<usize> {
    let w: String = word
        .chars()
        .filter(|c| !c.is_whitespace() && !"“”\"'「」".contains(*c))
        .collect();
    match w.as_str() {
        "优" | "优秀" | "A" | "A级" => Some(1),
        "良" | "良好" | "B" | "B级" => Some(2),
        "中" | "一般" | "合格" | "及格" | "中等" | "C" | "C级" => Some(3),
        "差" | "较差" | "不合格" | "不及格" | "D" | "D级" => Some(4),
        _ => None,
    }
}

/// English names of the four tiers, used as column suffixes (share_excellent …).
pub const TIER_NAMES: [&str; 4] = ["excellent", "good", "pass", "fail"];

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn default_and_provincial_schemes() {
        let g = Grading::default_scheme();
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let any = g.scheme_for(Some("天津市"), 2024).unwrap();
        assert_eq!(any.province, "*");
        assert_eq!(Grading::tier(any, d("90")), 1);
        assert_eq!(Grading::tier(any, d("89.99")), 2);
        assert_eq!(Grading::tier(any, d("59.99")), 4);
        let hb = g.scheme_for(Some("河北省"), 2022).unwrap();
        assert_eq!(hb.bands[0].grade, "优秀");
        assert_eq!(Grading::tier(hb, d("85")), 1);
        assert_eq!(Grading::tier(hb, d("84.99")), 2);
        // Before the provincial scheme starts, the default applies.
        assert_eq!(g.scheme_for(Some("河北省"), 2021).unwrap().province, "*");
        assert_eq!(tier_of_grade_word("“良好”"), Some(2));
        assert_eq!(tier_of_grade_word("优"), Some(1));
        assert_eq!(tier_of_grade_word("很好"), None);
    }
}
