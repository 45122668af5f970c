//! The leadership report: findings generated from the numbers, strings from the data escaped,
//! and the page loading in a real headless browser (Debian's chromium, installed by
//! scripts/test.sh) without errors and with a screenshot that is not blank.

mod common;

use std::process::Command;

use common::*;
use jixiao::bench::{self, BenchOptions};
use jixiao::report::{self, Section};

#[test]
fn data_strings_are_escaped() {
    let d = tmpdir("report-escape");
    write(
        &d,
        "units.csv",
        "unit_id,unit_name,short_name\nu1,<script>alert(1)</script>,<script>alert(1)</script>\n",
    );
    write(&d, "evaluations.csv", "eval_id,unit_id,fiscal_year,scope,evaluator_type,evaluator,max_score,total_score,budget_full_year,executed\ne1,u1,2024,department,self,\"<b>x</b>\",100,95,100,70\n");
    write(
        &d,
        "indicators.csv",
        "eval_id,level1,max_points,score,reason\ne1,决策,100,95,<img src=x onerror=alert(2)>\n",
    );
    let (ds, _) = jixiao::dataset::load(&d).unwrap();
    let t = bench::run(&ds, &BenchOptions::default()).unwrap();
    let f = report::findings::sentences(&ds, &t, 2.0);
    assert!(
        f.iter()
            .any(|s| s.contains("<script>alert(1)</script>") && s.contains("70.0%")),
        "{f:?}"
    );
    let data = jixiao::charts::ChartData::from_tables(&t, 2.0).unwrap();
    let charts = jixiao::charts::render_all(&data).unwrap();
    let html = report::page(
        "测试",
        &[Section {
            title: "<i>t</i>".into(),
            synthetic: false,
            findings: f,
            charts,
            tables: vec![("扣分".into(), t.deductions_detail.clone(), 10)],
            review: None,
        }],
    )
    .unwrap();
    assert!(
        !html.contains("<script>alert(1)"),
        "raw script from the data in the page"
    );
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "no network resources"
    );
}

#[test]
fn findings_follow_the_planted_truth() {
    let d = tmpdir("report-synth");
    let o = jixiao::synth::SynthOptions {
        districts: 3,
        units: 8,
        years: 2,
        projects: 3,
        seed: 11,
        last_year: 2024,
    };
    jixiao::synth::generate(&d, &o).unwrap();
    let (ds, _) = jixiao::dataset::load(&d).unwrap();
    let t = bench::run(&ds, &BenchOptions::default()).unwrap();
    let f = report::findings::sentences(&ds, &t, 2.0);
    let all = f.join("\n");
    assert!(all.contains("自评平均高出"), "{all}");
    assert!(
        all.contains("合成第三方甲公司") && all.contains("系统性偏宽"),
        "{all}"
    );
    assert!(!all.contains("合成第三方乙公司"), "{all}");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("truth.json")).unwrap()).unwrap();
    let n_low = truth["low_execution"].as_array().unwrap().len();
    if n_low > 0 {
        assert!(all.contains("预算执行率低于 80%"), "{all}");
    }
}

fn browser() -> Option<String> {
    if let Ok(b) = std::env::var("JIXIAO_BROWSER") {
        return Some(b);
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|b| {
            Command::new("which")
                .arg(b)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        })
}

#[test]
fn report_opens_in_a_headless_browser() {
    let out = tmpdir("report-browser");
    let charts = out.join("gallery");
    let st = Command::new(bin())
        .current_dir(repo())
        .args([
            "report",
            "--out",
            out.to_str().unwrap(),
            "--charts",
            charts.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let html = out.join("report.html");
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("主要发现") && text.contains("合成数据"));
    assert!(
        !text.contains("src=\"http") && !text.contains("href=\"http"),
        "no network resources"
    );
    assert!(charts.join("extracted/unit_ranking.png").is_file());

    let Some(b) = browser() else {
        if std::env::var("JIXIAO_SKIP_BROWSER").is_ok() {
            eprintln!("JIXIAO_SKIP_BROWSER set: browser check skipped");
            return;
        }
        panic!("no chromium found: scripts/test.sh installs Debian's chromium; set JIXIAO_SKIP_BROWSER=1 to skip this check by hand");
    };
    let profile = out.join("profile");
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let url = format!("file://{}", html.display());
    let dom = Command::new(&b)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=5000", "--dump-dom", &url])
        .output()
        .unwrap();
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom_text.contains("data-js=\"ok\""),
        "the page script did not finish: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    assert!(
        !dom_text.contains("data-js-error=\""),
        "script error in the page"
    );
    let shot = out.join("shot.png");
    let st = Command::new(&b)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args([
            "--window-size=1280,2400",
            &format!("--screenshot={}", shot.display()),
            &url,
        ])
        .output()
        .unwrap();
    assert!(
        shot.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&st.stderr)
    );
    let dec = png::Decoder::new(std::fs::File::open(&shot).unwrap());
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size()];
    let info = r.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    let px = &buf[..info.buffer_size()];
    let dark = px
        .chunks(ch)
        .filter(|p| p[..3].iter().any(|v| *v < 200))
        .count();
    let share = dark as f64 / (px.len() / ch) as f64;
    assert!(
        share > 0.02,
        "screenshot looks blank ({share:.4} non-white)"
    );
}
