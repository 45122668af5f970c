//! The evaluation facts every benchmark and check starts from: each evaluation joined with
//! its unit, its score on a 100-point scale, the grade tier its score earns under the
//! grading scheme of its province and year, the tier of the grade it states, its computed
//! execution rate, and a name key for matching projects across evaluators.

use polars::prelude::*;
use rustc_hash::FxHashMap;

use super::grading::tier_of_grade_word;
use super::load::Dataset;
use crate::error::Result;

impl Dataset {
    /// The evaluation facts (`enrich::evaluation_facts`), one row per evaluation in the
    /// evaluations' order; computed once.
    pub fn facts(&self) -> Result<DataFrame> {
        if let Some(f) = self.facts.get() {
            return Ok(f.clone());
        }
        let mut f = evaluation_facts(self)?.collect()?;
        // Row i must be evaluation i (the joins keep the order; checked, as it is cheap).
        let in_order = f
            .column(super::keys::EVAL)?
            .u32()?
            .iter()
            .enumerate()
            .all(|(i, e)| e == Some(i as u32));
        if !in_order || f.height() != self.evaluations.height() {
            f = f.sort([super::keys::EVAL], Default::default())?;
        }
        Ok(self.facts.get_or_init(|| f).clone())
    }
}

/// Column names added by `evaluation_facts`.
pub mod cols {
    pub const DISPLAY_NAME: &str = "display_name";
    pub const SCORE_100: &str = "score_100";
    pub const TIER: &str = "grade_tier";
    pub const STATED_TIER: &str = "stated_grade_tier";
    pub const EXECUTION_RATE: &str = "execution_rate";
    pub const NAME_KEY: &str = "name_key";
}

/// Normalise a project name for matching: drop white space and punctuation of either width,
/// fold full-width letters and digits to ASCII, lower-case Latin letters.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter_map(|c| {
            let c = match c as u32 {
                0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                0x3000 => ' ',
                _ => c,
            };
            if c.is_whitespace() || c.is_ascii_punctuation() || is_cjk_punct(c) {
                None
            } else {
                Some(c.to_ascii_lowercase())
            }
        })
        .collect()
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3001..=0x303F | 0x2010..=0x2027 | 0x2030..=0x205E | 0xFE30..=0xFE4F | 0x00B7)
}

/// Evaluations with unit columns and derived facts, as a lazy frame, one row per evaluation
/// in the evaluations' order.
pub fn evaluation_facts(ds: &Dataset) -> Result<LazyFrame> {
    // Each evaluation's unit by position (`keys::eval_positions`: one lookup per run of equal
    // unit_ids) and its columns gathered, faster than a hash join on the text (README, Measured
    // figures). A unit_id not in units gives blanks, as a left join would.
    let unit_columns = ds
        .units
        .clone()
        .lazy()
        .select([
            col("unit_name"),
            col("short_name"),
            col("province"),
            col("district"),
            col("unit_type"),
            // The name a unit is shown by, made once per unit rather than per evaluation.
            coalesce(&[col("short_name"), col("unit_name"), col("unit_id")]).alias(UNIT_DISPLAY),
        ])
        .collect()?;
    let unit_rows = super::keys::eval_positions(
        ds.evaluations.column("unit_id")?.str()?,
        ds.units.column("unit_id")?.str()?,
    );
    let mut units_of_evals = unit_columns.take(&unit_rows)?;
    // An evaluations column that a unit column shares the name of (an extra column in the
    // file) keeps its name; the unit's gets the suffix a join would give it.
    for name in unit_columns.get_column_names_owned() {
        if ds.evaluations.column(&name).is_ok() {
            units_of_evals.rename(&name, format!("{name}_right").into())?;
        }
    }
    // The display name: the unit's, or the evaluation's own unit_id when its unit is missing.
    // An evaluations file with its own short_name or unit_name columns names its rows by those
    // (the coalesce below reads them before the unit's).
    let own_names = ["short_name", "unit_name"]
        .iter()
        .any(|c| ds.evaluations.column(c).is_ok());
    let display = if own_names {
        coalesce(&[col("short_name"), col("unit_name"), col("unit_id")])
    } else {
        col(UNIT_DISPLAY).fill_null(col("unit_id"))
    };
    // Name keys are computed once per evaluation on the text column (one pass, no regex), in
    // one chunk like every other facts column; a blank name gets an empty key.
    let mut evals = ds.evaluations.clone();
    let name_keys = || -> Result<StringChunked> {
        let names = evals.column("project_name")?.str()?;
        Ok(names
            .iter()
            .map(|o| Some(o.map(name_key).unwrap_or_default()))
            .collect())
    };
    // Each row's tier thresholds and stated tier, looked up once per distinct (province,
    // year) and grade word rather than joined on their text (README, Measured figures). One thread
    // does this while the other starts on the name keys. The facts' province: the evaluations' own
    // column of that name if they have one.
    let provinces = match ds.evaluations.column("province") {
        Ok(own) => own,
        Err(_) => units_of_evals.column("province")?,
    }
    .str()?;
    let tiers = || -> Result<_> {
        let thresholds = tier_thresholds(ds, provinces, evals.column("fiscal_year")?.i32()?);
        Ok((thresholds, stated_tiers(evals.column("grade")?.str()?)))
    };
    let (keys, tiers) = rayon::join(name_keys, tiers);
    let ([t1, t2, t3], stated) = tiers?;
    evals.with_column(keys?.with_name(cols::NAME_KEY.into()).into_column())?;
    let evals = evals.hstack(units_of_evals.columns())?;
    let evals = evals.hstack(&[
        t1.with_name("__t1".into()).into_column(),
        t2.with_name("__t2".into()).into_column(),
        t3.with_name("__t3".into()).into_column(),
        stated.into_column(),
    ])?;
    let lf = evals
        .lazy()
        .with_row_index(super::keys::EVAL, None)
        .with_columns([
            display.alias(cols::DISPLAY_NAME),
            (col("total_score").cast(DataType::Float64) / col("max_score").cast(DataType::Float64)
                * lit(100.0))
            .alias(cols::SCORE_100),
            // Exact decimal quotient, rounded half-to-even at the contract's 6 places.
            // The divisor is made blank where it is not positive: polars computes the
            // quotient for every row before `when` picks, and a zero budget stopped the run
            // with "division by zero".
            (col("executed") * lit(100).cast(DataType::Decimal(38, 0))
                / when(col("budget_full_year").cast(DataType::Float64).gt(lit(0.0)))
                    .then(col("budget_full_year"))
                    .otherwise(lit(NULL).cast(super::schema::decimal_dtype())))
            .alias(cols::EXECUTION_RATE),
        ])
        // No scheme for the province and year (a grading.csv that starts later): no tier.
        .with_columns([
            when(col(cols::SCORE_100).is_null().or(col("__t1").is_null()))
                .then(lit(NULL).cast(DataType::Int32))
                .when(col(cols::SCORE_100).gt_eq(col("__t1")))
                .then(lit(1i32))
                .when(col(cols::SCORE_100).gt_eq(col("__t2")))
                .then(lit(2i32))
                .when(col(cols::SCORE_100).gt_eq(col("__t3")))
                .then(lit(3i32))
                .otherwise(lit(4i32))
                .alias(cols::TIER),
        ])
        .drop(cols_by_name(["__t1", "__t2", "__t3", UNIT_DISPLAY]));
    Ok(lf)
}

/// Hidden: the unit's display name, gathered with the unit's other columns.
const UNIT_DISPLAY: &str = "__unit_display";

fn cols_by_name<const N: usize>(names: [&str; N]) -> Selector {
    by_name(names.iter().map(|s| s.to_string()), true, false)
}

/// Each row's three tier thresholds (scores out of 100) under the grading scheme of its
/// province (its unit's; `*` when blank) and fiscal year: null where no scheme applies; the
/// lowest band's minimum is -inf so that every score earns a tier.
fn tier_thresholds(
    ds: &Dataset,
    provinces: &StringChunked,
    years: &Int32Chunked,
) -> [Float64Chunked; 3] {
    let thresholds = |p: Option<&str>, y: Option<i32>| -> [Option<f64>; 3] {
        let scheme = y.and_then(|y| ds.grading.scheme_for(Some(p.unwrap_or("*")), y));
        std::array::from_fn(|k| {
            scheme.map(|s| {
                if k + 1 < s.bands.len() {
                    s.bands[k].min_score.try_into().unwrap_or(f64::INFINITY)
                } else {
                    f64::NEG_INFINITY
                }
            })
        })
    };
    let mut known: FxHashMap<(Option<&str>, Option<i32>), [Option<f64>; 3]> = Default::default();
    let mut above = None;
    let mut out: [Vec<Option<f64>>; 3] = std::array::from_fn(|_| Vec::with_capacity(years.len()));
    for key in provinces.iter().zip(years.iter()) {
        let t = match above {
            Some((k, t)) if k == key => t,
            _ => {
                let t = *known.entry(key).or_insert_with(|| thresholds(key.0, key.1));
                above = Some((key, t));
                t
            }
        };
        for (column, value) in out.iter_mut().zip(t) {
            column.push(value);
        }
    }
    out.map(|column| Float64Chunked::from_iter_options(PlSmallStr::EMPTY, column.into_iter()))
}

/// Each row's stated grade tier (`tier_of_grade_word` of its grade; null for a blank or
/// unknown word), the word looked up once.
fn stated_tiers(grades: &StringChunked) -> Int32Chunked {
    let mut known: FxHashMap<&str, Option<i32>> = Default::default();
    let tiers: Int32Chunked = grades
        .iter()
        .map(|g| {
            g.and_then(|g| {
                *known
                    .entry(g)
                    .or_insert_with(|| tier_of_grade_word(g).map(|t| t as i32))
            })
        })
        .collect();
    tiers.with_name(cols::STATED_TIER.into())
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn name_keys_ignore_width_spaces_and_brackets() {
        assert_eq!(
            name_key("丰台区耕地保护补偿资金发放（第二批）"),
            name_key("丰台区 耕地保护补偿资金发放(第二批)")
        );
        assert_eq!(
            name_key("２０２３年 “四就近” 补助"),
            name_key("2023年\"四就近\"补助")
        );
        assert_ne!(name_key("三馆免费开放补助"), name_key("三馆免费开放补贴"));
    }
}

#[cfg(test)]
mod facts {
    use polars::prelude::*;

    use super::{cols, evaluation_facts};
    use crate::dataset::grading::Grading;
    use crate::dataset::load::load;

    /// The synthetic dataset, loaded.
    fn synthetic() -> crate::dataset::Dataset {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/synthetic");
        load(&dir).unwrap().0
    }

    /// Each evaluation gets its own unit's columns (gathered by position, not joined); a
    /// unit_id not in units gets blanks; an evaluations column named like a unit column keeps
    /// its values, the unit's comes with the suffix a join would give it.
    #[test]
    fn evaluations_get_their_units_columns() {
        let mut ds = synthetic();
        let n = ds.evaluations.height();
        let mut ids: Vec<Option<String>> = ds
            .evaluations
            .column("unit_id")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|s| s.map(str::to_string))
            .collect();
        ids[1] = Some("no-such-unit".to_string());
        ds.evaluations
            .with_column(Column::new("unit_id".into(), ids.clone()))
            .unwrap();
        ds.evaluations
            .with_column(Column::new("district".into(), vec!["extra"; n]))
            .unwrap();
        let facts = evaluation_facts(&ds).unwrap().collect().unwrap();
        assert_eq!(facts.height(), n);
        let text = |df: &DataFrame, c: &str, i: usize| {
            df.column(c)
                .unwrap()
                .str()
                .unwrap()
                .get(i)
                .map(str::to_string)
        };
        let units = &ds.units;
        for i in [0, 1, n / 2, n - 1] {
            let unit = (0..units.height()).find(|&u| text(units, "unit_id", u) == ids[i]);
            let expected = |c: &str| unit.and_then(|u| text(units, c, u));
            assert_eq!(
                text(&facts, "unit_name", i),
                expected("unit_name"),
                "row {i}"
            );
            assert_eq!(
                text(&facts, "district_right", i),
                expected("district"),
                "row {i}"
            );
            assert_eq!(text(&facts, "district", i).as_deref(), Some("extra"));
        }
        assert_eq!(text(&facts, "unit_name", 1), None);
    }

    /// The display name is the unit's short name, else its full name, else the unit_id (also
    /// for an evaluation whose unit is missing); an evaluations file with a short_name column
    /// of its own is named by that.
    #[test]
    fn display_names_fall_back_to_unit_name_then_unit_id() {
        let mut ds = synthetic();
        let n_units = ds.units.height();
        let blank_from = |keep: usize, skip: usize| -> Vec<Option<String>> {
            (0..n_units)
                .map(|u| {
                    let c = if keep == 0 { "short_name" } else { "unit_name" };
                    let v = ds.units.column(c).unwrap().str().unwrap().get(u);
                    v.filter(|_| u >= skip).map(str::to_string)
                })
                .collect()
        };
        // Unit 0 has no short name; unit 1 has neither name.
        let short = blank_from(0, 2);
        let mut full = blank_from(1, 0);
        full[1] = None;
        ds.units
            .with_column(Column::new("short_name".into(), short.clone()))
            .unwrap();
        ds.units
            .with_column(Column::new("unit_name".into(), full.clone()))
            .unwrap();
        let unit_ids: Vec<String> = (0..n_units)
            .map(|u| {
                let c = ds.units.column("unit_id").unwrap().str().unwrap();
                c.get(u).unwrap().to_string()
            })
            .collect();
        let n = ds.evaluations.height();
        let mut ids: Vec<Option<String>> = (0..n)
            .map(|i| {
                let c = ds.evaluations.column("unit_id").unwrap().str().unwrap();
                c.get(i).map(str::to_string)
            })
            .collect();
        ids[n - 1] = Some("no-such-unit".to_string());
        ds.evaluations
            .with_column(Column::new("unit_id".into(), ids.clone()))
            .unwrap();
        let facts = evaluation_facts(&ds).unwrap().collect().unwrap();
        let shown = facts.column(cols::DISPLAY_NAME).unwrap().str().unwrap();
        let mut seen = [0; 4];
        for i in 0..n {
            let id = ids[i].as_deref().unwrap();
            let expected = match unit_ids.iter().position(|u| u == id) {
                Some(0) => {
                    seen[0] += 1;
                    full[0].clone().unwrap()
                }
                Some(1) => {
                    seen[1] += 1;
                    unit_ids[1].clone()
                }
                Some(u) => {
                    seen[2] += 1;
                    short[u].clone().unwrap()
                }
                None => {
                    seen[3] += 1;
                    "no-such-unit".to_string()
                }
            };
            assert_eq!(shown.get(i), Some(expected.as_str()), "row {i}");
        }
        assert!(seen.iter().all(|&k| k > 0), "{seen:?}");
        // The evaluations' own short_name column names their rows.
        ds.evaluations
            .with_column(Column::new("short_name".into(), vec!["own"; n]))
            .unwrap();
        let facts = evaluation_facts(&ds).unwrap().collect().unwrap();
        let shown = facts.column(cols::DISPLAY_NAME).unwrap().str().unwrap();
        assert!(shown.iter().all(|s| s == Some("own")));
    }

    /// Tiers follow the scheme of the unit's province and the year (a province's own scheme
    /// over `*`, the latest from_year not after the year); a year before every scheme has
    /// none. Stated tiers come from the grade word, blank for a blank or unknown word.
    #[test]
    fn tiers_follow_province_and_year_schemes() {
        let mut ds = synthetic();
        let n = ds.evaluations.height();
        let province = ds.units.column("province").unwrap().str().unwrap().get(0);
        let province = province.unwrap().to_string();
        let grading = format!(
            "province,from_year,grade,min_score\n\
             *,2023,优,90\n*,2023,良,80\n*,2023,中,60\n*,2023,差,0\n\
             {province},2024,A,95\n{province},2024,B,50\n"
        );
        ds.set_grading(Grading::parse(&grading, "test grading").unwrap());
        let words = ["优秀", "良", "", "甲等", "差"];
        let grades: Vec<Option<&str>> = (0..n)
            .map(|i| Some(words[i % words.len()]).filter(|w| !w.is_empty()))
            .collect();
        ds.evaluations
            .with_column(Column::new("grade".into(), grades.clone()))
            .unwrap();
        let facts = evaluation_facts(&ds).unwrap().collect().unwrap();
        let score = facts.column(cols::SCORE_100).unwrap().f64().unwrap();
        let year = facts.column("fiscal_year").unwrap().i32().unwrap();
        let prov = facts.column("province").unwrap().str().unwrap();
        let tier = facts.column(cols::TIER).unwrap().i32().unwrap();
        let stated = facts.column(cols::STATED_TIER).unwrap().i32().unwrap();
        let (mut own, mut before, mut star) = (0, 0, 0);
        for i in 0..n {
            let (s, y) = (score.get(i), year.get(i).unwrap());
            let expected = match s {
                None => None,
                Some(_) if y < 2023 => {
                    before += 1;
                    None
                }
                Some(s) if y >= 2024 && prov.get(i) == Some(province.as_str()) => {
                    own += 1;
                    Some(if s >= 95.0 { 1 } else { 2 })
                }
                Some(s) => {
                    star += 1;
                    Some(match s {
                        s if s >= 90.0 => 1,
                        s if s >= 80.0 => 2,
                        s if s >= 60.0 => 3,
                        _ => 4,
                    })
                }
            };
            assert_eq!(tier.get(i), expected, "row {i}: score {s:?}, year {y}");
            let want = match grades[i] {
                Some("优秀") => Some(1),
                Some("良") => Some(2),
                Some("差") => Some(4),
                _ => None,
            };
            assert_eq!(stated.get(i), want, "row {i}: grade {:?}", grades[i]);
        }
        assert!(own > 0 && before > 0 && star > 0, "{own} {before} {star}");
    }
}
