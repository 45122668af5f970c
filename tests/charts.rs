//! Charts render from the real bundled data, from synthetic panels of 50 units, and from a
//! dataset with one unit and one year; every character any chart prints is in the bundled font.

mod common;

use common::*;
use jixiao::bench::{self, BenchOptions};
use jixiao::charts::{self, ChartData, Rendered};
use jixiao::dataset;

fn render(dir: &std::path::Path) -> Vec<Rendered> {
    let (ds, _) = dataset::load(dir).unwrap();
    let t = bench::run(&ds, &BenchOptions::default()).unwrap();
    let d = ChartData::from_tables(&t, 2.0).unwrap();
    charts::render_all(&d).unwrap()
}

/// Text drawn in an SVG: the contents of its <text> elements, entities decoded.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(a) = rest.find("<text") {
        let after = &rest[a..];
        let Some(gt) = after.find('>') else { break };
        let Some(end) = after.find("</text>") else {
            break;
        };
        out.push(
            after[gt + 1..end]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#39;", "'"),
        );
        rest = &after[end..];
    }
    out
}

fn non_white_share(png_bytes: &[u8]) -> f64 {
    let dec = png::Decoder::new(png_bytes);
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size()];
    let info = r.next_frame(&mut buf).unwrap();
    let px = &buf[..info.buffer_size()];
    let n = px.chunks(3).filter(|p| p.iter().any(|v| *v < 245)).count();
    n as f64 / (px.len() / 3) as f64
}

fn check_glyphs(rendered: &[Rendered]) {
    use ab_glyph::{Font, FontRef};
    let font = FontRef::try_from_slice(charts::FONT_BYTES).unwrap();
    let mut missing = std::collections::BTreeSet::new();
    let mut n_chars = 0;
    for r in rendered {
        for t in svg_texts(&r.svg) {
            for c in t.chars().filter(|c| !c.is_whitespace()) {
                n_chars += 1;
                if font.glyph_id(c).0 == 0 {
                    missing.insert((c, r.name));
                }
            }
        }
    }
    assert!(n_chars > 500, "too little text to check: {n_chars}");
    assert!(
        missing.is_empty(),
        "characters the bundled font lacks: {missing:?}"
    );
}

#[test]
fn real_bundled_data_renders_with_every_glyph() {
    let r = render(&repo().join("datasets/extracted"));
    assert_eq!(r.len(), 10);
    check_glyphs(&r);
    for c in &r {
        assert!(non_white_share(&c.png) > 0.01, "{} looks blank", c.name);
        assert!(
            c.svg.contains(c.title) || c.svg.contains("年"),
            "{} has no title",
            c.name
        );
    }
    // No pairs in the real reports: the comparison falls back to the distributions.
    let scatter = r.iter().find(|c| c.name == "self_vs_independent").unwrap();
    assert!(
        scatter.svg.contains("分布比较"),
        "the Beijing report's 139 self tables vs its expert scores"
    );
}

#[test]
fn synthetic_fifty_units_render_and_grow() {
    let d = tmpdir("charts-50");
    let o = jixiao::synth::SynthOptions {
        districts: 5,
        units: 10,
        years: 3,
        projects: 2,
        seed: 3,
        last_year: 2024,
    };
    jixiao::synth::generate(&d, &o).unwrap();
    let r = render(&d);
    check_glyphs(&r);
    let ranking = r.iter().find(|c| c.name == "unit_ranking").unwrap();
    assert!(
        ranking.size.1 >= 50 * 22,
        "ranking too short for 50 units: {:?}",
        ranking.size
    );
    let svg_units = svg_texts(&ranking.svg)
        .iter()
        .filter(|t| t.contains("号街道"))
        .count();
    assert!(svg_units >= 50, "every unit labelled: {svg_units}");
    let len = r.iter().find(|c| c.name == "evaluator_leniency").unwrap();
    assert!(len.svg.contains("合成第三方甲公司"));
    for c in &r {
        assert!(non_white_share(&c.png) > 0.01, "{} looks blank", c.name);
    }
}

#[test]
fn one_unit_one_year_says_what_is_missing() {
    let d = tmpdir("charts-one");
    write(
        &d,
        "units.csv",
        "unit_id,unit_name,short_name\nu1,测试街道办事处,测试街道\n",
    );
    write(&d, "evaluations.csv", "eval_id,unit_id,fiscal_year,scope,evaluator_type,evaluator,max_score,total_score,budget_full_year,executed\ne1,u1,2024,department,self,测试街道,100,95,100,90\ne2,u1,2024,department,third_party,某公司,100,90,,\n");
    write(
        &d,
        "indicators.csv",
        "eval_id,level1,max_points,score,reason\ne2,决策,50,45,预算测算不准\ne2,产出,50,45,\n",
    );
    let r = render(&d);
    assert_eq!(r.len(), 10);
    let ba = r.iter().find(|c| c.name == "bland_altman").unwrap();
    assert!(
        ba.svg.contains("只有1对配对"),
        "{}",
        &ba.svg[..ba.svg.len().min(400)]
    );
    let len = r.iter().find(|c| c.name == "evaluator_leniency").unwrap();
    assert!(len.svg.contains("无法比较"));
    let tr = r.iter().find(|c| c.name == "score_trends").unwrap();
    assert!(tr.svg.contains("只有 2024 一个年度"));
    check_glyphs(&r);
}

/// The Bland–Altman chart draws bench's figures: recomputed here by hand from the pairs of
/// `inflation` (one gap per self score: the mean of its pairs' gaps), they match the chart's
/// bias and limits and summary.json's headline.
#[test]
fn bland_altman_reads_the_bench_figures() {
    use polars::prelude::*;
    let d = tmpdir("charts-ba");
    jixiao::synth::generate(&d, &jixiao::synth::SynthOptions::default()).unwrap();
    let (ds, _) = dataset::load(&d).unwrap();
    let t = bench::run(&ds, &BenchOptions::default()).unwrap();
    let gaps = t
        .inflation
        .clone()
        .lazy()
        .group_by([col("self_eval_id")])
        .agg([col("gap_100").cast(DataType::Float64).mean()])
        .collect()
        .unwrap();
    let g: Vec<f64> = gaps
        .column("gap_100")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    let n = g.len() as f64;
    assert!(
        n > 10.0 && (n as usize) < t.inflation.height(),
        "some self scores have two references"
    );
    let mean = g.iter().sum::<f64>() / n;
    let sd = (g.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let data = ChartData::from_tables(&t, 2.0).unwrap();
    let ag = data.agreement.clone().unwrap();
    assert_eq!(ag.n_self, g.len());
    assert!((ag.bias - mean).abs() < 1e-9, "{} vs {mean}", ag.bias);
    assert!((ag.loa.0 - (mean - 1.96 * sd)).abs() < 1e-9);
    assert!((ag.loa.1 - (mean + 1.96 * sd)).abs() < 1e-9);
    let headline = t.summary["inflation"]["mean_gap"].as_f64().unwrap();
    assert!((headline - ag.bias).abs() < 1e-4);
    let r = charts::render_all(&data).unwrap();
    let ba = r.iter().find(|c| c.name == "bland_altman").unwrap();
    let subtitle = format!("95% 一致性界限 {:.2} 至 {:.2} 分", ag.loa.0, ag.loa.1);
    assert!(
        svg_texts(&ba.svg).iter().any(|t| t.contains(&subtitle)),
        "{subtitle}"
    );
}
