//! Synthetic panels in the dataset contract, with planted truth (`truth.json`): one lenient
//! third-party firm, self-evaluation inflation, units with low budget execution, deduction
//! causes at known frequencies, and blank self scores. Everything is labelled synthetic
//! (province 合成省, ids `syn-…`). Deterministic for a seed.

pub mod calibrate;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::dataset::write::{ensure_dir, write_atomic};
use crate::error::{JxError, Result};

#[derive(Debug, Clone)]
pub struct SynthOptions {
    pub districts: usize,
    pub units: usize,
    pub years: usize,
    pub projects: usize,
    pub seed: u64,
    pub last_year: i32,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            districts: 3,
            units: 8,
            years: 3,
            projects: 4,
            seed: 42,
            last_year: 2024,
        }
    }
}

/// Who scores the independent evaluations. The default is the built-in roster; the firm
/// design is the calibration design (`jixiao calibrate`): every unit-year is scored by one
/// third-party firm drawn at random (all of that unit's objects that year) and each object
/// also by the expert panel with probability `panel_share`, each evaluator with its own noise.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// None: the roster in `EVALUATORS` (two independent evaluators per department, one on
    /// three projects in ten, noise SD 1.5, one firm +5).
    pub firms: Option<FirmDesign>,
    /// Mean object quality (points); near 100 the ceiling censors scores.
    pub quality_mean: f64,
}

impl Default for Design {
    fn default() -> Self {
        Design {
            firms: None,
            quality_mean: 84.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FirmDesign {
    pub firms: usize,
    /// Noise SD of the firms, spread evenly from the first to the last firm.
    pub noise: (f64, f64),
    /// Planted bias of the first firm (points; the others have none).
    pub bias: f64,
    pub panel_share: f64,
    pub panel_noise: f64,
}

impl Default for FirmDesign {
    fn default() -> Self {
        FirmDesign {
            firms: 4,
            noise: (NOISE_SD, NOISE_SD),
            bias: 0.0,
            panel_share: 0.3,
            panel_noise: NOISE_SD,
        }
    }
}

/// Noise SD of one independent score in the built-in roster.
pub const NOISE_SD: f64 = 1.5;
pub const PANEL_NAME: &str = "合成专家组";

/// The firm design's evaluators: (type, name, bias, noise SD); the panel last.
pub fn firm_roster(f: &FirmDesign) -> Vec<(&'static str, String, f64, f64)> {
    let mut v: Vec<(&'static str, String, f64, f64)> = (0..f.firms)
        .map(|i| {
            let t = if f.firms > 1 {
                i as f64 / (f.firms - 1) as f64
            } else {
                0.0
            };
            (
                "third_party",
                format!("合成第三方{:02}号公司", i + 1),
                if i == 0 { f.bias } else { 0.0 },
                f.noise.0 + (f.noise.1 - f.noise.0) * t,
            )
        })
        .collect();
    v.push(("expert_panel", PANEL_NAME.to_string(), 0.0, f.panel_noise));
    v
}

/// What leniency should read for an evaluator with `bias` when the others' biases are
/// `all` (itself included): its bias against the mean of the others'.
pub fn expected_effect(bias: f64, all: &[f64]) -> f64 {
    let k = all.len() as f64;
    bias - (all.iter().sum::<f64>() - bias) / (k - 1.0)
}

pub const PROVINCE: &str = "合成省";
const DISTRICTS: &[&str] = &[
    "甲区", "乙区", "丙区", "丁区", "戊区", "己区", "庚区", "辛区", "壬区", "癸区",
];

/// Independent evaluators with their planted bias in points.
pub const EVALUATORS: &[(&str, &str, f64)] = &[
    ("third_party", "合成第三方甲公司", 5.0),
    ("third_party", "合成第三方乙公司", 0.0),
    ("third_party", "合成第三方丙公司", 0.0),
    ("expert_panel", "合成专家组", 0.0),
    ("finance_bureau", "合成省财政局", 0.0),
];
pub const SELF_INFLATION: f64 = 4.0;

/// Indicator grid: (level1, level3, max points). Names match no cause keyword on purpose, so a
/// deduction's cause comes from its reason alone and the planted frequencies are exact.
const GRID: &[(&str, &str, i64)] = &[
    ("决策", "立项规范", 10),
    ("决策", "程序规范", 10),
    ("过程", "资金规范", 10),
    ("过程", "组织保障", 10),
    ("履职", "任务完成", 10),
    ("履职", "工作质量", 10),
    ("履职", "工作进度", 10),
    ("履职", "支出控制", 10),
    ("效果", "社会成效", 10),
    ("效果", "群众评价", 10),
];

/// Planted deduction causes: (cause the rules should find, share, reason templates).
pub const CAUSES: &[(&str, f64, &[&str])] = &[
    (
        "预算编制",
        0.25,
        &["预算测算依据不充分", "部分项目预算编制不够精准"],
    ),
    (
        "预算执行",
        0.15,
        &["部分项目预算执行进度偏慢", "年末结转结余资金较多"],
    ),
    (
        "绩效目标",
        0.15,
        &["绩效目标设置不够细化", "指标值不可衡量"],
    ),
    (
        "绩效监控与自评",
        0.10,
        &["绩效监控记录不完整", "自评结果与实际不符"],
    ),
    ("资料与佐证", 0.12, &["佐证资料不齐全", "档案管理不规范"]),
    (
        "满意度",
        0.08,
        &["服务对象满意度调查样本不足", "群众满意度有待提高"],
    ),
    (
        "合同与采购",
        0.05,
        &["部分合同要素填写不完整", "采购程序不规范"],
    ),
    ("资产管理", 0.05, &["固定资产管理不规范", "存在闲置资产"]),
    ("其他", 0.05, &["其他方面存在不足", "个别工作安排不够周密"]),
];

/// splitmix64: small, fast, reproducible; no dependency needed (also used by tests).
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let u1 = self.unit().max(1e-300);
        let u2 = self.unit();
        mean + sd * (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// Hundredths as an exact decimal string: 8526 -> "85.26", 9000 -> "90".
pub fn cents(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.abs();
    match a % 100 {
        0 => format!("{sign}{}", a / 100),
        r if r % 10 == 0 => format!("{sign}{}.{}", a / 100, r / 10),
        r => format!("{sign}{}.{:02}", a / 100, r),
    }
}

fn grade_of(score_cents: i64) -> &'static str {
    match score_cents {
        s if s >= 9000 => "优",
        s if s >= 8000 => "良",
        s if s >= 6000 => "中",
        _ => "差",
    }
}

/// Split `total` hundredths over `k` of the 10 grid indicators, each at most its max.
fn split_loss(rng: &mut Rng, total: i64) -> Vec<(usize, i64)> {
    if total <= 0 {
        return vec![];
    }
    let k = ((total + 249) / 250).clamp(1, GRID.len() as i64) as usize;
    let mut idx: Vec<usize> = (0..GRID.len()).collect();
    for i in 0..k {
        let j = i + rng.below(GRID.len() - i);
        idx.swap(i, j);
    }
    let weights: Vec<f64> = (0..k).map(|_| rng.range(0.5, 1.5)).collect();
    let wsum: f64 = weights.iter().sum();
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|w| ((total as f64) * w / wsum).floor() as i64)
        .collect();
    let mut rest = total - parts.iter().sum::<i64>();
    let cap = |i: usize| GRID[idx[i]].2 * 100;
    // Give the remainder and any excess over a cap to indicators with room.
    for i in 0..k {
        if parts[i] > cap(i) {
            rest += parts[i] - cap(i);
            parts[i] = cap(i);
        }
    }
    let mut i = 0;
    while rest > 0 {
        let room = cap(i % k) - parts[i % k];
        let add = room.min(rest);
        parts[i % k] += add;
        rest -= add;
        i += 1;
        if i > 10 * k {
            break;
        }
    }
    (0..k)
        .filter(|&i| parts[i] > 0)
        .map(|i| (idx[i], parts[i]))
        .collect()
}

struct Writers {
    units: csv::Writer<std::io::BufWriter<std::fs::File>>,
    evals: csv::Writer<std::io::BufWriter<std::fs::File>>,
    inds: csv::Writer<std::io::BufWriter<std::fs::File>>,
}

fn open(path: &Path) -> Result<csv::Writer<std::io::BufWriter<std::fs::File>>> {
    let f = std::fs::File::create(path)
        .map_err(|e| JxError::output(format!("{}: cannot create: {e}", path.display())))?;
    Ok(csv::Writer::from_writer(std::io::BufWriter::with_capacity(
        1 << 20,
        f,
    )))
}

fn werr(e: impl std::fmt::Display) -> JxError {
    JxError::output(format!("cannot write synthetic data: {e}"))
}

/// Counts of what was generated, returned for the caller's message.
#[derive(Debug, Default, Clone, Copy)]
pub struct SynthCounts {
    pub units: usize,
    pub evaluations: usize,
    pub indicators: usize,
}

pub fn generate(out: &Path, o: &SynthOptions) -> Result<SynthCounts> {
    generate_with(out, o, &Design::default())
}

/// `generate` with another evaluator design (`Design`).
pub fn generate_with(out: &Path, o: &SynthOptions, design: &Design) -> Result<SynthCounts> {
    ensure_dir(out)?;
    let roster: Vec<(&'static str, String, f64, f64)> = match &design.firms {
        None => EVALUATORS
            .iter()
            .map(|e| (e.0, e.1.to_string(), e.2, NOISE_SD))
            .collect(),
        Some(f) => firm_roster(f),
    };
    let tmp = |n: &str| out.join(format!(".{n}.csv.tmp"));
    let mut w = Writers {
        units: open(&tmp("units"))?,
        evals: open(&tmp("evaluations"))?,
        inds: open(&tmp("indicators"))?,
    };
    w.units
        .write_record(crate::dataset::schema::UNITS.names())
        .map_err(werr)?;
    w.evals
        .write_record(crate::dataset::schema::EVALUATIONS.names())
        .map_err(werr)?;
    w.inds
        .write_record(crate::dataset::schema::INDICATORS.names())
        .map_err(werr)?;

    let mut rng = Rng(o.seed ^ 0x6A69_7869_616F);
    let mut counts = SynthCounts::default();
    let mut cause_counts = vec![0u64; CAUSES.len()];
    let mut low_exec = Vec::new();
    let mut blank_self = 0u64;
    let first_year = o.last_year - o.years as i32 + 1;
    for d in 0..o.districts {
        let district = DISTRICTS
            .get(d)
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("第{}区", d + 1));
        for u in 0..o.units {
            let unit_id = format!("syn-d{:02}-u{:03}", d + 1, u + 1);
            let short = format!("{district}{}号街道", u + 1);
            w.units
                .write_record([
                    unit_id.as_str(),
                    &format!("{PROVINCE}{district}第{}街道办事处（合成数据）", u + 1),
                    &short,
                    PROVINCE,
                    "合成市",
                    &district,
                    "street_office",
                ])
                .map_err(werr)?;
            counts.units += 1;
            // One unit in eight executes its budget poorly, every year (planted).
            let low_unit = rng.unit() < 0.125;
            for y in 0..o.years {
                let year = first_year + y as i32;
                // The firm design: this unit-year's firm.
                let firm = design.firms.as_ref().map(|f| rng.below(f.firms));
                for p in 0..=o.projects {
                    let scope = if p == 0 { "department" } else { "project" };
                    let project = if p == 0 {
                        String::new()
                    } else {
                        format!("{year}年合成项目{p:02}")
                    };
                    let object = format!(
                        "{unit_id}-{year}-{}",
                        if p == 0 {
                            "dept".to_string()
                        } else {
                            format!("p{p:02}")
                        }
                    );
                    let quality = rng.normal(design.quality_mean, 4.5);
                    // Budget (万元, cents) and execution on the self-evaluation.
                    let budget = if p == 0 {
                        (rng.range(2000.0, 20000.0) * 100.0).round() as i64
                    } else {
                        (rng.range(5.0, 500.0) * 100.0).round() as i64
                    };
                    let rate = if low_unit {
                        rng.range(60.0, 78.0)
                    } else {
                        rng.normal(97.0, 2.0).min(100.0)
                    };
                    let executed = ((budget as f64) * rate / 100.0).round() as i64;
                    let initial = ((budget as f64) * rng.range(0.85, 1.0)).round() as i64;
                    let stated = ((executed as f64) / (budget as f64) * 10000.0).round() as i64;
                    if low_unit && p == 0 {
                        low_exec.push(json!({"unit_id": unit_id, "fiscal_year": year}));
                    }
                    // Evaluators of this object: self always; two independent for departments,
                    // one for three projects in ten.
                    let mut evals: Vec<(usize, f64, f64)> =
                        vec![(usize::MAX, SELF_INFLATION, NOISE_SD)];
                    match (&design.firms, firm) {
                        (Some(f), Some(firm)) => {
                            let panel = roster.len() - 1;
                            evals.push((firm, roster[firm].2, roster[firm].3));
                            if rng.unit() < f.panel_share {
                                evals.push((panel, roster[panel].2, roster[panel].3));
                            }
                        }
                        _ => {
                            let n_indep = if p == 0 {
                                2
                            } else if rng.unit() < 0.3 {
                                1
                            } else {
                                0
                            };
                            let mut pool: Vec<usize> = (0..roster.len()).collect();
                            for i in 0..n_indep {
                                let j = i + rng.below(pool.len() - i);
                                pool.swap(i, j);
                                evals.push((pool[i], roster[pool[i]].2, roster[pool[i]].3));
                            }
                        }
                    }
                    for (e, bias, noise) in evals {
                        let is_self = e == usize::MAX;
                        let (etype, ename, code) = if is_self {
                            ("self", short.clone(), "self".to_string())
                        } else {
                            (roster[e].0, roster[e].1.clone(), format!("e{e}"))
                        };
                        let eval_id = format!("{object}-{code}");
                        let score = ((quality + bias + rng.normal(0.0, noise)).clamp(40.0, 100.0)
                            * 100.0)
                            .round() as i64;
                        // One self project score in a hundred is left blank, as in real tables.
                        let blank = is_self && p > 0 && rng.unit() < 0.01;
                        if blank {
                            blank_self += 1;
                        }
                        let with_budget = is_self;
                        w.evals
                            .write_record([
                                eval_id.as_str(),
                                &unit_id,
                                &year.to_string(),
                                scope,
                                &project,
                                etype,
                                &ename,
                                "100",
                                &if blank { String::new() } else { cents(score) },
                                if blank { "" } else { grade_of(score) },
                                &if with_budget {
                                    cents(initial)
                                } else {
                                    String::new()
                                },
                                &if with_budget {
                                    cents(budget)
                                } else {
                                    String::new()
                                },
                                &if with_budget {
                                    cents(executed)
                                } else {
                                    String::new()
                                },
                                &if with_budget {
                                    cents(stated)
                                } else {
                                    String::new()
                                },
                                "synthetic",
                            ])
                            .map_err(werr)?;
                        counts.evaluations += 1;
                        let losses = if blank {
                            vec![]
                        } else {
                            split_loss(&mut rng, 10000 - score)
                        };
                        for (gi, (l1, l3, max)) in GRID.iter().enumerate() {
                            let lost = losses
                                .iter()
                                .find(|(i, _)| *i == gi)
                                .map(|x| x.1)
                                .unwrap_or(0);
                            let (score_s, reason) = if blank {
                                (String::new(), String::new())
                            } else if lost > 0 {
                                let c = pick_cause(&mut rng);
                                cause_counts[c] += 1;
                                let t = CAUSES[c].2;
                                (cents(max * 100 - lost), t[rng.below(t.len())].to_string())
                            } else {
                                (cents(max * 100), String::new())
                            };
                            w.inds
                                .write_record([
                                    eval_id.as_str(),
                                    l1,
                                    "",
                                    l3,
                                    "",
                                    &max.to_string(),
                                    &score_s,
                                    "",
                                    "",
                                    &reason,
                                    "synthetic",
                                ])
                                .map_err(werr)?;
                            counts.indicators += 1;
                        }
                    }
                }
            }
        }
    }
    for (mut wr, name) in [
        (w.units, "units"),
        (w.evals, "evaluations"),
        (w.inds, "indicators"),
    ] {
        wr.flush().map_err(werr)?;
        drop(wr);
        std::fs::rename(tmp(name), out.join(format!("{name}.csv"))).map_err(werr)?;
    }
    let total: u64 = cause_counts.iter().sum();
    // Effects are read against the other evaluators (bench::leniency).
    let biases: Vec<f64> = roster.iter().map(|e| e.2).collect();
    let lenient = roster
        .iter()
        .find(|e| e.2 != 0.0)
        .map(|e| {
            json!({"evaluator_type": e.0, "evaluator": e.1, "planted_bias": e.2,
                   "expected_effect": expected_effect(e.2, &biases)})
        })
        .unwrap_or(serde_json::Value::Null);
    let mut truth = json!({
        "synthetic": true,
        "seed": o.seed,
        "options": {"districts": o.districts, "units_per_district": o.units, "years": o.years, "projects": o.projects},
        "lenient_evaluator": lenient,
        "unbiased_evaluators": roster.iter().filter(|e| e.2 == 0.0).map(|e| json!({"evaluator_type": e.0, "evaluator": e.1,
            "expected_effect": expected_effect(0.0, &biases)})).collect::<Vec<_>>(),
        "self_inflation": SELF_INFLATION,
        "low_execution": low_exec,
        "cause_shares_planted": CAUSES.iter().map(|c| (c.0.to_string(), json!(c.1))).collect::<serde_json::Map<_, _>>(),
        "cause_counts": CAUSES.iter().zip(&cause_counts).map(|(c, n)| (c.0.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "deductions": total,
        "blank_self_evaluations": blank_self,
    });
    if design != &Design::default() {
        truth["design"] = json!({
            "quality_mean": design.quality_mean,
            "evaluators": roster.iter().map(|e| json!({"evaluator_type": e.0, "evaluator": e.1,
                "bias": e.2, "noise_sd": e.3})).collect::<Vec<_>>(),
            "panel_share": design.firms.as_ref().map(|f| f.panel_share),
        });
    }
    let text = serde_json::to_string_pretty(&truth).unwrap_or_default() + "\n";
    write_atomic(&out.join("truth.json"), text.as_bytes())?;
    let readme = "合成数据 SYNTHETIC DATA made by `jixiao synth`: not real units or scores.\n\
Province 合成省, ids syn-*. truth.json records what was planted.\n";
    let mut f = std::fs::File::create(out.join("README.txt")).map_err(werr)?;
    f.write_all(readme.as_bytes()).map_err(werr)?;
    Ok(counts)
}

fn pick_cause(rng: &mut Rng) -> usize {
    let x = rng.unit();
    let mut acc = 0.0;
    for (i, c) in CAUSES.iter().enumerate() {
        acc += c.1;
        if x < acc {
            return i;
        }
    }
    CAUSES.len() - 1
}

/// Convert the CSV tables to Parquet (see `dataset::write::csv_tables_to_parquet`).
pub fn to_parquet(dir: &Path) -> Result<Vec<PathBuf>> {
    crate::dataset::write::csv_tables_to_parquet(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_are_exact() {
        assert_eq!(cents(8526), "85.26");
        assert_eq!(cents(9000), "90");
        assert_eq!(cents(9050), "90.5");
        assert_eq!(cents(5), "0.05");
        assert_eq!(cents(-120), "-1.2");
    }

    #[test]
    fn losses_add_up_and_respect_caps() {
        let mut rng = Rng(7);
        for total in [0i64, 1, 250, 1499, 5999, 6000] {
            let parts = split_loss(&mut rng, total);
            assert_eq!(parts.iter().map(|p| p.1).sum::<i64>(), total);
            assert!(parts.iter().all(|p| p.1 > 0 && p.1 <= 1000));
        }
    }

    #[test]
    fn planted_reasons_classify_to_their_cause() {
        let rules = crate::bench::causes::CauseRules::default();
        for (cause, _, templates) in CAUSES {
            for t in *templates {
                for (l1, l3, _) in GRID {
                    assert_eq!(rules.classify(t, &format!("{l1} {l3}")), *cause, "{t}");
                }
            }
        }
        let total: f64 = CAUSES.iter().map(|c| c.1).sum();
        assert!((total - 1.0).abs() < 1e-9);
    }
}
