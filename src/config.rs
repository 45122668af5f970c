//! `jixiao.toml`: the settings a bureau sets once (read from `--config FILE`, else from
//! `jixiao.toml` in the current folder when present). Command-line flags win over it.
//!
//! ```toml
//! grading = "grading.csv"            # grade thresholds (province, from_year, grade, min_score)
//! causes = "deduction_causes.csv"    # deduction cause rules (cause, keywords)
//! leniency_threshold = 2.0           # points
//! leniency_reference = "专家组"       # read leniency against this evaluator (name or type:name)
//! min_district_units = 5             # peers: district when it has this many units, else province
//! units = ["u1", "甲街道"]            # units shown in the per-unit charts, in this order
//! synonyms = "header_synonyms.csv"   # Excel header synonyms for import-xlsx
//! labels = "labels.csv"              # form labels added to the built-in vocabulary (extract)
//!
//! [review]                           # jixiao review: the re-check list and sample
//! sample = 20                        # N, evaluations to re-check
//! random_share = 0.2                 # F, the share of N drawn at random
//! seed = 1                           # the random draw's seed
//! weights = "review_weights.csv"     # reason weights (reason, weight, max_count, label)
//! high_score = 90                    # low_execution_high_score: a total at or above this
//! low_execution = 80                 # ... on an execution rate (%) below this
//! history_gap = 5                    # history: earlier self − independent gap (points/100)
//! inflated_above = 5                 # a re-check this many points (/100) below self: inflated
//!
//! [report]                           # jixiao report
//! title = "丰台区街道绩效评价简报"     # the report's title (a dataset's name: its dataset.toml)
//! ```
//! Relative paths are read from the config file's folder.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{JxError, Result};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub grading: Option<PathBuf>,
    pub causes: Option<PathBuf>,
    pub leniency_threshold: Option<f64>,
    /// Read leniency effects against this evaluator (`--leniency-reference` wins).
    pub leniency_reference: Option<String>,
    pub min_district_units: Option<u32>,
    pub units: Option<Vec<String>>,
    pub synonyms: Option<PathBuf>,
    /// Form labels added to the built-in vocabulary by `jixiao extract` (`--labels` wins).
    pub labels: Option<PathBuf>,
    /// `jixiao review` settings (the `[review]` table).
    pub review: Option<ReviewSettings>,
    /// `jixiao report` settings (the `[report]` table).
    pub report: Option<ReportSettings>,
    /// The file it came from (not a setting).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// `[review]`: the re-check list (`jixiao review`); flags win over these.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewSettings {
    pub sample: Option<usize>,
    pub random_share: Option<f64>,
    pub seed: Option<u64>,
    pub weights: Option<PathBuf>,
    pub high_score: Option<f64>,
    pub low_execution: Option<f64>,
    pub history_gap: Option<f64>,
    pub inflated_above: Option<f64>,
}

/// `[report]`: the leadership report (`jixiao report`); flags win over these.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// The report's title (封面标题), e.g. "丰台区2024年度街道绩效评价简报".
    pub title: Option<String>,
}

static CURRENT: OnceLock<Config> = OnceLock::new();

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            JxError::input(format!("{}: cannot read the config: {e}", path.display()))
        })?;
        let mut c: Config = toml::from_str(&text)
            .map_err(|e| JxError::input(format!("{}: {e}", path.display())))?;
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let review_weights = c.review.as_mut().and_then(|r| r.weights.as_mut());
        for p in [
            &mut c.grading,
            &mut c.causes,
            &mut c.synonyms,
            &mut c.labels,
        ]
        .into_iter()
        .flatten()
        .chain(review_weights)
        {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        c.path = Some(path.to_path_buf());
        Ok(c)
    }

    /// Resolve once at start-up: an explicit --config, else ./jixiao.toml if it exists.
    pub fn init(explicit: Option<&Path>) -> Result<()> {
        let c = match explicit {
            Some(p) => Config::load(p)?,
            None if Path::new("jixiao.toml").is_file() => Config::load(Path::new("jixiao.toml"))?,
            None => Config::default(),
        };
        let _ = CURRENT.set(c);
        Ok(())
    }
}

/// The settings in force (defaults when none were loaded).
pub fn current() -> &'static Config {
    CURRENT.get_or_init(Config::default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_resolves_relative_paths() {
        let d = std::env::temp_dir().join(format!("jixiao-config-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("jixiao.toml"),
            "leniency_threshold = 3.5\nleniency_reference = \"专家组\"\ngrading = \"g.csv\"\nlabels = \"l.csv\"\nunits = [\"a\", \"b\"]\n",
        )
        .unwrap();
        let c = Config::load(&d.join("jixiao.toml")).unwrap();
        assert_eq!(c.leniency_threshold, Some(3.5));
        assert_eq!(c.leniency_reference.as_deref(), Some("专家组"));
        assert_eq!(c.grading, Some(d.join("g.csv")));
        assert_eq!(c.labels, Some(d.join("l.csv")));
        assert_eq!(c.units.unwrap(), ["a", "b"]);
        std::fs::write(
            d.join("review.toml"),
            "[review]\nsample = 30\nrandom_share = 0.25\nseed = 7\nweights = \"w.csv\"\n",
        )
        .unwrap();
        let r = Config::load(&d.join("review.toml"))
            .unwrap()
            .review
            .unwrap();
        assert_eq!(
            (r.sample, r.random_share, r.seed),
            (Some(30), Some(0.25), Some(7))
        );
        assert_eq!(r.weights, Some(d.join("w.csv")));
        std::fs::write(d.join("bad_review.toml"), "[review]\nsampel = 3\n").unwrap();
        let e = Config::load(&d.join("bad_review.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("sampel"), "{}", e);
        std::fs::write(d.join("bad.toml"), "lenency = 1\n").unwrap();
        let e = Config::load(&d.join("bad.toml")).unwrap_err().to_string();
        assert!(e.contains("bad.toml") && e.contains("lenency"), "{}", e);
    }
}
