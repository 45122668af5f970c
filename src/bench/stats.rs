//! Small statistics shared by the leniency, inflation and ranking tables: t quantiles (statrs),
//! the mean with a standard error clustered by unit, and rounding to the tables' 4 places.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Two-sided critical value of Student's t for `level` (0.95 for a 95% interval) on `df`
/// degrees of freedom; None when there are none.
pub fn t_critical(level: f64, df: f64) -> Option<f64> {
    if !(df > 0.0) || !df.is_finite() {
        return None;
    }
    let t = StudentsT::new(0.0, 1.0, df).ok()?;
    Some(t.inverse_cdf(1.0 - (1.0 - level) / 2.0))
}

/// Statistics are rounded to 4 places in the tables.
pub fn r4(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
        .map(|x| (x * 10000.0).round() / 10000.0)
}

/// A mean with its standard error clustered by a key (the unit): observations of one unit
/// are not independent (a unit that inflates one project inflates the others).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusteredMean {
    pub n: usize,
    /// Distinct clusters.
    pub clusters: usize,
    pub mean: f64,
    /// CR1 (the small-sample factor G/(G−1), as statsmodels and Stata apply to a mean);
    /// None with fewer than two clusters.
    pub se: Option<f64>,
    /// 95% interval on t with G − 1 degrees of freedom.
    pub ci: Option<(f64, f64)>,
    /// The values' sample SD (n − 1); None for one value.
    pub sd: Option<f64>,
}

/// `values`: (cluster, value). None when empty.
pub fn clustered_mean<K: std::hash::Hash + Eq + Clone>(
    values: &[(K, f64)],
) -> Option<ClusteredMean> {
    if values.is_empty() {
        return None;
    }
    let n = values.len();
    let mean = values.iter().map(|v| v.1).sum::<f64>() / n as f64;
    // Clusters in order of first appearance (a hash map's order would vary the last digit).
    let mut at: rustc_hash::FxHashMap<K, usize> = Default::default();
    let mut sums: Vec<f64> = Vec::new();
    for (k, v) in values {
        let i = *at.entry(k.clone()).or_insert_with(|| {
            sums.push(0.0);
            sums.len() - 1
        });
        sums[i] += v - mean;
    }
    let g = sums.len();
    let sd = (n >= 2).then(|| {
        let ss: f64 = values.iter().map(|v| (v.1 - mean).powi(2)).sum();
        (ss / (n as f64 - 1.0)).sqrt()
    });
    let (se, ci) = if g >= 2 {
        let s2: f64 = sums.iter().map(|s| s * s).sum();
        let var = g as f64 / (g as f64 - 1.0) * s2 / (n as f64 * n as f64);
        let se = var.max(0.0).sqrt();
        let t = t_critical(0.95, g as f64 - 1.0);
        (Some(se), t.map(|t| (mean - t * se, mean + t * se)))
    } else {
        (None, None)
    };
    Some(ClusteredMean {
        n,
        clusters: g,
        mean,
        se,
        ci,
        sd,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        // Printed tables: t(0.975; 1) = 12.706, t(0.975; 10) = 2.228, t(0.975; 1e6) ≈ 1.960.
        assert!((t_critical(0.95, 1.0).unwrap() - 12.7062).abs() < 1e-3);
        assert!((t_critical(0.95, 10.0).unwrap() - 2.2281).abs() < 1e-3);
        assert!((t_critical(0.95, 1e6).unwrap() - 1.95997).abs() < 1e-3);
        assert_eq!(t_critical(0.95, 0.0), None);
    }

    /// Hand computation: values 1, 3 (unit a) and 8 (unit b): mean 4, residuals −3, −1 | 4,
    /// cluster sums −4 and 4, Σ = 32, var = 2/1 · 32 / 9 = 7.111…, se = 2.6667.
    #[test]
    fn clustered_mean_by_hand() {
        let m = clustered_mean(&[("a", 1.0), ("a", 3.0), ("b", 8.0)]).unwrap();
        assert_eq!((m.n, m.clusters), (3, 2));
        assert!((m.mean - 4.0).abs() < 1e-12);
        assert!((m.se.unwrap() - (64.0f64 / 9.0).sqrt()).abs() < 1e-12);
        let (lo, hi) = m.ci.unwrap();
        assert!((hi - 4.0 - 12.7062 * 2.6667).abs() < 1e-2, "{lo} {hi}");
        assert_eq!(clustered_mean(&[("a", 1.0), ("a", 2.0)]).unwrap().se, None);
        // SD: squares 9 + 1 + 16 = 26 over n − 1 = 2: √13.
        assert!((m.sd.unwrap() - 13f64.sqrt()).abs() < 1e-12);
        assert_eq!(clustered_mean(&[("a", 1.0)]).unwrap().sd, None);
    }
}
