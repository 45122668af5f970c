//! The evaluation facts every benchmark and check starts from: each evaluation joined with
//! its unit, its score on a 100-point scale, the grade tier its score earns under the
//! grading scheme of its province and year, the tier of the grade it states, its computed
//! execution rate, and a name key for matching projects across evaluators.

use polars::prelude::*;

use super::grading::{tier_of_grade_word, Grading};
use super::load::Dataset;
use crate::error::Result;

/// Column names added by `evaluation_facts`.
pub mod cols {
    pub const DISPLAY_NAME: &str = "display_name";
    pub const SCORE_100: &str = "score_100";
    pub const TIER: &str = "grade_tier";
    pub const STATED_TIER: &str = "stated_grade_tier";
    pub const EXECUTION_RATE: &str = "execution_rate";
    pub const NAME_KEY: &str = "name_key";
    pub const EVALUATOR_ID: &str = "evaluator_id";
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
    // unit_ids) and its columns gathered: at a million evaluations a hash join on the text
    // key took twice as long. A unit_id not in units gives blanks, as a left join would.
    let unit_columns = ds
        .units
        .clone()
        .lazy()
        .select([
            col("unit_id")
                .rank(
                    RankOptions {
                        method: RankMethod::Dense,
                        descending: false,
                    },
                    None,
                )
                .alias(super::keys::UNIT),
            col("unit_name"),
            col("short_name"),
            col("province"),
            col("district"),
            col("unit_type"),
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
    // Name keys are computed once per evaluation on the text column (one pass, no regex).
    let mut evals = ds.evaluations.clone();
    let keys: StringChunked = {
        use rayon::prelude::*;
        let names = evals.column("project_name")?.str()?;
        const CHUNK: usize = 1 << 16;
        let parts: Vec<StringChunked> = (0..names.len())
            .step_by(CHUNK)
            .collect::<Vec<_>>()
            .par_iter()
            .map(|&start| {
                names
                    .slice(start as i64, CHUNK)
                    .iter()
                    .map(|o| Some(o.map(name_key).unwrap_or_default()))
                    .collect()
            })
            .collect();
        let mut parts = parts.into_iter();
        let mut all = parts
            .next()
            .unwrap_or_else(|| StringChunked::full_null("".into(), 0));
        for p in parts {
            all.append(&p)?;
        }
        all
    };
    evals.with_column(keys.with_name(cols::NAME_KEY.into()).into_column())?;
    let evals = evals.hstack(units_of_evals.columns())?;

    let thresholds = thresholds_frame(ds)?;
    let stated = stated_tier_frame(&ds.evaluations)?;
    let lf = evals
        .lazy()
        .with_row_index(super::keys::EVAL, None)
        .with_columns([
            coalesce(&[col("short_name"), col("unit_name"), col("unit_id")])
                .alias(cols::DISPLAY_NAME),
            (col("total_score").cast(DataType::Float64) / col("max_score").cast(DataType::Float64)
                * lit(100.0))
            .alias(cols::SCORE_100),
            // Exact decimal quotient, rounded half-to-even at the contract's 6 places.
            when(col("budget_full_year").cast(DataType::Float64).gt(lit(0.0)))
                .then(
                    col("executed") * lit(100).cast(DataType::Decimal(38, 0))
                        / col("budget_full_year"),
                )
                .otherwise(lit(NULL).cast(super::load::decimal_dtype()))
                .alias(cols::EXECUTION_RATE),
            concat_str(
                [
                    col("evaluator_type"),
                    col("evaluator").fill_null(lit("(unnamed)")),
                ],
                ":",
                false,
            )
            .alias(cols::EVALUATOR_ID),
            col("province").fill_null(lit("*")).alias("__province_key"),
        ])
        .join(
            thresholds,
            [col("__province_key"), col("fiscal_year")],
            [col("__province_key"), col("fiscal_year")],
            keep_left_order(),
        )
        .with_columns([when(col(cols::SCORE_100).is_null())
            .then(lit(NULL).cast(DataType::Int32))
            .when(col(cols::SCORE_100).gt_eq(col("__t1")))
            .then(lit(1i32))
            .when(col(cols::SCORE_100).gt_eq(col("__t2")))
            .then(lit(2i32))
            .when(col(cols::SCORE_100).gt_eq(col("__t3")))
            .then(lit(3i32))
            .otherwise(lit(4i32))
            .alias(cols::TIER)])
        .join(stated, [col("grade")], [col("grade")], keep_left_order())
        .drop(cols_by_name(["__t1", "__t2", "__t3", "__province_key"]));
    Ok(lf)
}

/// A left join that keeps the left frame's row order: the facts stay in the evaluations'
/// order, so that row i is evaluation i (`keys::EVAL`) and indicators gather their
/// evaluation's facts by position (cheaper than sorting 10 M rows afterwards).
fn keep_left_order() -> JoinArgs {
    let mut args = JoinArgs::new(JoinType::Left);
    args.maintain_order = MaintainOrderJoin::Left;
    args
}

fn cols_by_name<const N: usize>(names: [&str; N]) -> Selector {
    by_name(names.iter().map(|s| s.to_string()), true, false)
}

/// One row per (province key, fiscal year) in the data with the scheme's tier thresholds.
fn thresholds_frame(ds: &Dataset) -> Result<LazyFrame> {
    // Every province in units with every year in evaluations (a superset of the pairs that
    // occur, found without joining the evaluations to their units).
    let provinces = ds
        .units
        .clone()
        .lazy()
        .select([col("province").fill_null(lit("*")).alias("__province_key")])
        .unique(None, UniqueKeepStrategy::First);
    let years = ds
        .evaluations
        .clone()
        .lazy()
        .select([col("fiscal_year")])
        .unique(None, UniqueKeepStrategy::First);
    let (provinces, years) = (provinces.collect()?, years.collect()?);
    let (mut p_col, mut y_col) = (Vec::new(), Vec::new());
    for p in provinces.column("__province_key")?.str()?.iter() {
        for y in years.column("fiscal_year")?.i32()?.iter() {
            p_col.push(p.map(str::to_string));
            y_col.push(y);
        }
    }
    let combos = DataFrame::new_infer_height(vec![
        Column::new("__province_key".into(), p_col),
        Column::new("fiscal_year".into(), y_col),
    ])?;
    let provs = combos.column("__province_key")?.str()?.clone();
    let years = combos.column("fiscal_year")?.i32()?.clone();
    let mut t: [Vec<Option<f64>>; 3] = [vec![], vec![], vec![]];
    for i in 0..combos.height() {
        let p = provs.get(i).unwrap_or("*");
        let scheme = years.get(i).and_then(|y| ds.grading.scheme_for(Some(p), y));
        for (k, tk) in t.iter_mut().enumerate() {
            tk.push(scheme.map(|s| {
                if k + 1 < s.bands.len() {
                    s.bands[k].min_score.try_into().unwrap_or(f64::INFINITY)
                } else {
                    f64::NEG_INFINITY
                }
            }));
        }
    }
    let df = DataFrame::new_infer_height(vec![
        combos.column("__province_key")?.clone(),
        combos.column("fiscal_year")?.clone(),
        Column::new("__t1".into(), &t[0]),
        Column::new("__t2".into(), &t[1]),
        Column::new("__t3".into(), &t[2]),
    ])?;
    Ok(df.lazy())
}

/// Tier of each distinct stated grade word (null for words the tier table does not know).
fn stated_tier_frame(evals: &DataFrame) -> Result<LazyFrame> {
    let grades = evals.column("grade")?.unique()?;
    let grades = grades.str()?;
    let tiers: Vec<Option<i32>> = grades
        .iter()
        .map(|g| g.and_then(tier_of_grade_word).map(|t| t as i32))
        .collect();
    let df = DataFrame::new_infer_height(vec![
        grades.clone().into_column(),
        Column::new(cols::STATED_TIER.into(), tiers),
    ])?;
    Ok(df.lazy().filter(col("grade").is_not_null()))
}

#[allow(dead_code)]
fn _grading_used(_: &Grading) {}

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
mod unit_columns {
    use polars::prelude::*;

    use super::evaluation_facts;
    use crate::dataset::load::load;

    /// Each evaluation gets its own unit's columns (gathered by position, not joined); a
    /// unit_id not in units gets blanks; an evaluations column named like a unit column keeps
    /// its values, the unit's comes with the suffix a join would give it.
    #[test]
    fn evaluations_get_their_units_columns() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/synthetic");
        let (mut ds, _) = load(&dir).unwrap();
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
}
