//! The leniency flag's calibration at small N (`jixiao calibrate` runs 200 panels a
//! scenario; README gives those figures). Seeds are fixed, so these counts are reproducible;
//! the bounds leave room for the small N but fail if the method regresses to the old
//! behaviour (false flags in a fifth of the null panels, 22% power, the ceiling unnoticed).

mod common;

use std::process::Command;

use common::*;
use jixiao::bench::leniency::LeniencyOptions;
use jixiao::synth::calibrate::{run, scenarios};
use jixiao::synth::SynthOptions;

fn scenario(name: &str) -> jixiao::synth::calibrate::Scenario {
    scenarios().into_iter().find(|s| s.name == name).unwrap()
}

fn opts() -> LeniencyOptions {
    LeniencyOptions {
        threshold: 2.0,
        reference: None,
    }
}

#[test]
fn no_false_flags_without_bias_and_power_with_it() {
    let work = tmpdir("calibration");
    let base = SynthOptions::default();
    // 20 firms with uneven noise and no bias: at most one panel of 30 with any false flag.
    let null = run(&scenario("null-20"), &base, 30, 1, &opts(), &work).unwrap();
    assert!(null.false_flag_panels <= 1, "{null:?}");
    assert_eq!(null.planted_flagged, 0);
    // One firm at +3 among four and a panel: read against the others it is near +3 on
    // average (centred it read +2.4) and flagged in about 60% of panels (22% before).
    let power = run(&scenario("power-4"), &base, 30, 1, &opts(), &work).unwrap();
    let mean = power.mean_effect().unwrap();
    assert!((mean - 3.0).abs() < 0.3, "{power:?}");
    assert!(power.planted_flagged >= 12, "{power:?}");
    assert!(power.false_flag_panels <= 1, "{power:?}");
    // Near the ceiling least squares understates the +3.6 firm; the censored fit does not.
    let ceiling = run(&scenario("ceiling"), &base, 20, 1, &opts(), &work).unwrap();
    let (ols, tobit) = (
        ceiling.mean_effect().unwrap(),
        ceiling.mean_tobit().unwrap(),
    );
    assert!(ols < 3.25, "least squares {ols}");
    assert!((tobit - 3.6).abs() < 0.25, "tobit {tobit}");
    assert!(ceiling.mean_at_100().unwrap() > 0.15);
}

#[test]
fn calibrate_command_writes_its_figures() {
    let out = tmpdir("calibrate-cli");
    let csv = out.join("calibration.csv");
    let o = Command::new(bin())
        .args([
            "calibrate",
            "--panels",
            "4",
            "--scenario",
            "power-20,null-4",
            "--out",
            csv.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let rows = read_csv(&csv);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["scenario"], "power-20");
    assert_eq!(rows[0]["panels"], "4");
    let o = Command::new(bin())
        .args(["calibrate", "--scenario", "nope"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn synth_firm_design_plants_what_it_says() {
    let d = tmpdir("synth-firms");
    let st = Command::new(bin())
        .args([
            "synth",
            "--out",
            d.to_str().unwrap(),
            "--firms",
            "3",
            "--firm-noise",
            "1:3",
            "--firm-bias",
            "4",
            "-q",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("truth.json")).unwrap()).unwrap();
    let ev = truth["design"]["evaluators"].as_array().unwrap();
    assert_eq!(ev.len(), 4, "three firms and the panel");
    assert_eq!(ev[0]["bias"], 4.0);
    assert_eq!(
        (ev[0]["noise_sd"].as_f64(), ev[2]["noise_sd"].as_f64()),
        (Some(1.0), Some(3.0))
    );
    assert_eq!(ev[1]["noise_sd"], 2.0);
    // +4 against the mean of the others' 0.
    assert_eq!(truth["lenient_evaluator"]["expected_effect"], 4.0);
    // One firm per unit-year: every independent department and project evaluation of a
    // unit-year is by the same firm.
    let evals = read_csv(&d.join("evaluations.csv"));
    let mut firm_of = std::collections::HashMap::new();
    for r in evals
        .iter()
        .filter(|r| r["evaluator_type"] == "third_party")
    {
        let key = (r["unit_id"].clone(), r["fiscal_year"].clone());
        let prev = firm_of.insert(key, r["evaluator"].clone());
        assert!(prev.is_none() || prev.as_ref() == Some(&r["evaluator"]));
    }
}
