//! The leadership report: the findings generated from the numbers in proper Chinese, strings
//! from the data escaped, a page for every unit, titles a user gives (never a path), the Word
//! file read back, and the page in a real headless browser (Debian's chromium, installed by
//! scripts/test.sh): filters clicked, no script errors, a screenshot that is not blank, and the
//! PDF printed on A4 with a page per unit.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::*;
use jixiao::bench::{self, BenchOptions};
use jixiao::report::{self, zh, PartInput};

fn loaded(d: &Path) -> (jixiao::dataset::Dataset, jixiao::bench::BenchTables) {
    let (ds, _) = jixiao::dataset::load(d).unwrap();
    let t = bench::run(&ds, &BenchOptions::default()).unwrap();
    (ds, t)
}

fn model(
    ds: &jixiao::dataset::Dataset,
    t: &jixiao::bench::BenchTables,
    review: Option<&jixiao::review::Review>,
    title: Option<&str>,
) -> report::Report {
    let data = jixiao::charts::ChartData::from_tables(t, 2.0).unwrap();
    let charts = jixiao::charts::render_all(&data).unwrap();
    report::build(
        "测试报告",
        &[PartInput {
            ds,
            tables: t,
            review,
            charts,
            title: title.map(str::to_string),
            description: None,
            synthetic: false,
            threshold: 2.0,
            min_district_units: 5,
        }],
    )
    .unwrap()
}

fn synth(d: &Path, seed: u64) {
    let o = jixiao::synth::SynthOptions {
        districts: 3,
        units: 8,
        years: 2,
        projects: 3,
        seed,
        last_year: 2024,
    };
    jixiao::synth::generate(d, &o).unwrap();
}

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
    let (ds, t) = loaded(&d);
    let f = report::findings::sentences(&ds, &t, 2.0);
    assert!(
        f.iter()
            .any(|s| s.contains("<script>alert(1)</script>") && s.contains("70.0%")),
        "{f:?}"
    );
    let r = model(&ds, &t, None, Some("<i>t</i>"));
    let raw = report::page(&r).unwrap();
    // askama writes numeric character references (&#60;); read them as the named ones.
    let html = raw
        .replace("&#60;", "&lt;")
        .replace("&#62;", "&gt;")
        .replace("&#34;", "&quot;")
        .replace("&#38;", "&amp;");
    assert!(
        !html.contains("<script>alert(1)"),
        "raw script from the data in the page"
    );
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b>x</b>") && !html.contains("<i>t</i>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // The reason as written, in the unit page's deduction table.
    assert!(
        html.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "reason not shown"
    );
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "no network resources"
    );
    // The unit page is there, at its address.
    assert!(html.contains("id=\"unit-u1\""));
    // The Word file holds the same strings as text, not markup.
    let docx = report::docx::write(&r).unwrap();
    let xml = docx_part(&docx, "word/document.xml");
    assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

/// Three street offices of one district, one 2024 self-evaluation each, numbers chosen by hand:
/// scores 95, 85 and 80 (median 85.0), execution 70/100, 95/100 and 90/100 (one below 80%).
#[test]
fn findings_state_hand_computed_numbers_in_chinese() {
    let d = tmpdir("report-hand");
    write(
        &d,
        "units.csv",
        "unit_id,unit_name,short_name,province,district,unit_type\n\
         a1,甲街道办事处,甲街道,某省,东区,street_office\n\
         a2,乙街道办事处,乙街道,某省,东区,street_office\n\
         a3,丙街道办事处,丙街道,某省,东区,street_office\n",
    );
    write(
        &d,
        "evaluations.csv",
        "eval_id,unit_id,fiscal_year,scope,evaluator_type,evaluator,max_score,total_score,budget_full_year,executed\n\
         e1,a1,2024,department,self,甲街道,100,95,100,70\n\
         e2,a2,2024,department,self,乙街道,100,85,100,95\n\
         e3,a3,2024,department,self,丙街道,100,80,100,90\n",
    );
    write(
        &d,
        "indicators.csv",
        "eval_id,level1,max_points,score,reason\n\
         e1,决策,100,95,目标不够细化\n\
         e2,决策,100,85,预算编制不准确\n\
         e3,决策,100,80,预算调整频繁\n",
    );
    let (ds, t) = loaded(&d);
    let r = model(&ds, &t, None, None);
    let p = &r.parts[0];
    let f: Vec<String> = p.findings.iter().map(|f| f.plain()).collect();
    let all = f.join("\n");
    assert_eq!(
        f[0], "本数据集覆盖东区的 3 个单位、3 次评价（2024 年度），其中自评 3 次。",
        "{all}"
    );
    assert!(
        all.contains("2024 年度自评的部门整体得分中位数为 85.0 分"),
        "{all}"
    );
    assert!(
        all.contains("2024 年度 3 个单位中有 1 个部门整体预算执行率低于 80%：甲街道 70.0%"),
        "{all}"
    );
    for s in &f {
        assert!(s.ends_with('。'), "not a sentence: {s}");
        let bad = zh::ascii_punct_between_cjk(s);
        assert!(bad.is_empty(), "ASCII punctuation in {s:?}: {bad:?}");
    }
    // The unit's page says the same, and its name links to it from the finding.
    let a1 = p
        .units
        .iter()
        .find(|u| u.unit_id == "a1")
        .expect("a page for a1");
    assert_eq!(a1.anchor, "unit-a1");
    assert!(
        a1.summary
            .iter()
            .any(|s| s.starts_with("2024 年度部门整体预算执行率 70.0%") && s.contains("低于 80%")),
        "{:?}",
        a1.summary
    );
    let html = report::page(&r).unwrap();
    assert!(
        html.contains("<a href=\"#unit-a1\">甲街道</a> 70.0%"),
        "a link from the finding"
    );
}

/// A dataset of units without a single evaluation: the report is written, says so in a
/// sentence (no empty brackets or dangling 其中), and still gives every unit its page.
#[test]
fn units_without_evaluations_give_a_report_that_says_so() {
    let d = tmpdir("report-no-evals");
    write(
        &d,
        "units.csv",
        "unit_id,unit_name,short_name\nu1,某单位,某单位\n",
    );
    write(
        &d,
        "evaluations.csv",
        "eval_id,unit_id,fiscal_year,scope,evaluator_type,evaluator,max_score,total_score,budget_full_year,executed\n",
    );
    write(
        &d,
        "indicators.csv",
        "eval_id,level1,max_points,score,reason\n",
    );
    let (ds, t) = loaded(&d);
    let r = model(&ds, &t, None, None);
    let f: Vec<String> = r.parts[0].findings.iter().map(|f| f.plain()).collect();
    assert_eq!(
        f[0], "本数据集有 1 个单位，但没有评价记录，无法比较。",
        "{f:?}"
    );
    for s in &f {
        assert!(!s.contains("（）") && !s.contains("其中。"), "{s}");
    }
    assert_eq!(r.parts[0].title, "1 个单位的绩效评价");
    let html = report::page(&r).unwrap();
    assert!(html.contains("<article class=\"unit\" id=\"unit-u1\""));
    let docx = report::docx::write(&r).unwrap();
    assert!(docx_part(&docx, "word/document.xml").contains("单位画像：某单位"));
}

#[test]
fn findings_follow_the_planted_truth() {
    let d = tmpdir("report-synth");
    synth(&d, 11);
    let (ds, t) = loaded(&d);
    let f = report::findings::sentences(&ds, &t, 2.0);
    let all = f.join("\n");
    // Self-evaluation against independent scores, department and project apart.
    assert!(
        all.contains("部门整体自评与同一对象的独立评价相比"),
        "{all}"
    );
    assert!(all.contains("项目自评与同一对象的独立评价相比"), "{all}");
    assert!(all.contains("比第三方评价高"), "{all}");
    assert!(
        all.contains("合成第三方甲公司") && all.contains("系统性偏宽"),
        "{all}"
    );
    assert!(!all.contains("合成第三方乙公司"), "{all}");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("truth.json")).unwrap()).unwrap();
    let low: Vec<String> = truth["low_execution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.to_string())
        .collect();
    if !low.is_empty() {
        assert!(all.contains("预算执行率低于 80%"), "{all}");
    }
    // Deductions: independent evaluators and self-evaluations apart, by scope.
    let causes = f.iter().find(|s| s.contains("扣分最多的原因")).expect(&all);
    assert!(
        causes.contains("独立评价的部门整体评价中") && causes.contains("自评的部门整体评价中"),
        "{causes}"
    );
}

/// The issue's rule: no ASCII comma, full stop, colon, semicolon or parenthesis between
/// Chinese characters, in the findings and on every unit page; every finding is a sentence.
#[test]
fn findings_and_unit_pages_use_chinese_punctuation() {
    let d = tmpdir("report-typography");
    synth(&d, 3);
    let mut sets = vec![loaded(&d)];
    sets.push(loaded(&repo().join("datasets/extracted")));
    for (ds, t) in &sets {
        let review = jixiao::review::from_dataset(ds, &Default::default()).unwrap();
        let r = model(ds, t, Some(&review), None);
        let p = &r.parts[0];
        assert!(
            (5..=8).contains(&p.findings.len()),
            "{} findings: {:?}",
            p.findings.len(),
            p.findings.iter().map(|f| f.plain()).collect::<Vec<_>>()
        );
        let mut texts: Vec<String> = p.findings.iter().map(|f| f.plain()).collect();
        for f in &texts {
            assert!(f.ends_with('。'), "not a sentence: {f}");
        }
        for u in &p.units {
            texts.extend(u.summary.iter().cloned());
            for t in [&u.scores, &u.execution, &u.level1, &u.causes, &u.gap] {
                texts.push(t.caption.clone());
                texts.extend(t.note.iter().cloned());
            }
        }
        // The re-check part's sentences too.
        let rv = p.review.as_ref().expect("a review part");
        assert!(!rv.sentences.is_empty());
        texts.extend(rv.sentences.iter().cloned());
        texts.push(p.title.clone());
        texts.push(r.subtitle.clone());
        for s in &texts {
            let bad = zh::ascii_punct_between_cjk(s);
            assert!(bad.is_empty(), "ASCII punctuation in {s:?}: {bad:?}");
        }
    }
}

#[test]
fn every_unit_has_its_page() {
    let d = tmpdir("report-units");
    synth(&d, 5);
    let (ds, t) = loaded(&d);
    let r = model(&ds, &t, None, None);
    let html = report::page(&r).unwrap();
    let ids: Vec<String> = common::read_csv(&d.join("units.csv"))
        .into_iter()
        .map(|u| u["unit_id"].clone())
        .collect();
    assert_eq!(r.parts[0].units.len(), ids.len());
    for id in &ids {
        assert!(
            html.contains(&format!("<article class=\"unit\" id=\"unit-{id}\"")),
            "no page for {id}"
        );
        assert!(
            html.contains(&format!("href=\"#unit-{id}\"")),
            "the overview does not link {id}"
        );
    }
    // Each page compares the unit with its peers and over the years.
    let u = &r.parts[0].units[0];
    assert!(
        u.summary.iter().any(|s| s.contains("同类单位")),
        "{:?}",
        u.summary
    );
    assert!(
        u.summary.iter().any(|s| s.contains("历年")),
        "{:?}",
        u.summary
    );
    assert!(u.figure.is_some() && !u.scores.rows.is_empty() && !u.level1.rows.is_empty());
    assert!(!u.causes.rows.is_empty() && !u.gap.rows.is_empty());
}

#[test]
fn titles_come_from_the_user_never_a_path() {
    let d = tmpdir("report-title");
    synth(&d, 7);
    std::fs::write(
        d.join("dataset.toml"),
        "title = \"甲乙丙三区街道\"\ndescription = \"演示用的合成数据。\"\n",
    )
    .unwrap();
    let out = tmpdir("report-title-out");
    let st = Command::new(bin())
        .args([
            "report",
            d.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--title",
            "丰台区街道绩效评价简报",
            "--quiet",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<title>丰台区街道绩效评价简报</title>"));
    assert!(
        html.contains("<h2>甲乙丙三区街道</h2>"),
        "dataset.toml title"
    );
    assert!(html.contains("演示用的合成数据。"));
    let dir = d.display().to_string();
    for tag in ["<h1>", "<h2>", "<h3>"] {
        for h in html.split(tag).skip(1) {
            let h = h.split('<').next().unwrap();
            assert!(
                !h.contains(&dir) && !h.contains('/'),
                "a path in a heading: {h}"
            );
        }
    }
    // Without dataset.toml the name is made from the data; jixiao.toml gives the title.
    std::fs::remove_file(d.join("dataset.toml")).unwrap();
    std::fs::write(
        out.join("jixiao.toml"),
        "[report]\ntitle = \"配置里的标题\"\n",
    )
    .unwrap();
    let st = Command::new(bin())
        .args([
            "--config",
            out.join("jixiao.toml").to_str().unwrap(),
            "report",
            d.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<h1>配置里的标题</h1>"));
    assert!(
        html.contains("个单位的绩效评价</h2>"),
        "a name made from the data"
    );
}

fn docx_part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The paragraphs of a Word file with their style: (style id, text).
fn docx_paragraphs(bytes: &[u8]) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let xml = docx_part(bytes, "word/document.xml");
    let mut r = quick_xml::Reader::from_str(&xml);
    let mut out = Vec::new();
    let (mut style, mut text, mut in_p, mut in_t) = (String::new(), String::new(), false, false);
    fn name(e: &quick_xml::events::BytesStart) -> String {
        let n = e.name();
        let n: &str = n.as_ref();
        n.to_string()
    }
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) if name(&e) == "w:p" => {
                in_p = true;
                style.clear();
                text.clear();
            }
            Event::End(e)
                if {
                    let n = e.name();
                    let n: &str = n.as_ref();
                    n == "w:p" || n == "w:t"
                } =>
            {
                let n = e.name();
                let n: &str = n.as_ref();
                if n == "w:t" {
                    in_t = false;
                } else {
                    if in_p {
                        out.push((style.clone(), text.clone()));
                    }
                    in_p = false;
                }
            }
            Event::Empty(e) | Event::Start(e) if name(&e) == "w:pStyle" => {
                for a in e.attributes().flatten() {
                    let k: &str = a.key.as_ref();
                    if k == "w:val" {
                        style = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .to_string();
                    }
                }
            }
            Event::Start(e) if name(&e) == "w:t" => in_t = true,
            Event::Text(t) if in_t => text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) if in_t => {
                let g: &str = g.as_ref();
                text.push_str(match g {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                })
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn browser() -> Option<String> {
    if let Ok(b) = std::env::var("JIXIAO_BROWSER") {
        return Some(b);
    }
    jixiao::report::pdf::browser().map(|p| p.display().to_string())
}

fn headless(b: &str, profile: &Path) -> Command {
    let mut c = Command::new(b);
    c.args(jixiao::report::pdf::headless_flags(profile));
    c
}

/// The share of pixels that are not near-white.
fn ink(png_path: &Path) -> f64 {
    let dec = png::Decoder::new(std::fs::File::open(png_path).unwrap());
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size()];
    let info = r.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    let px = &buf[..info.buffer_size()];
    let dark = px
        .chunks(ch)
        .filter(|p| p[..3].iter().any(|v| *v < 200))
        .count();
    dark as f64 / (px.len() / ch) as f64
}

/// A script appended to a copy of the page (never to the report itself): it chooses filters
/// as a person would (setting a select and firing its change event, clicking the reset
/// button) and writes what each choice left visible on the body for --dump-dom to read.
const CLICK_FILTERS: &str = r#"<script>
(function () {
  var out = [];
  try {
    var bar = document.querySelector('form.filters');
    var part = document.getElementById(bar.getAttribute('data-for'));
    function visible(sel) {
      var n = 0;
      part.querySelectorAll(sel).forEach(function (e) { if (e.offsetParent !== null) n++; });
      return n;
    }
    function choose(key, index) {
      var s = bar.querySelector('select[data-filter="' + key + '"]');
      s.selectedIndex = index;
      s.dispatchEvent(new Event('change', { bubbles: true }));
      return s.value;
    }
    out.push('all=' + visible('.overview tbody tr') + ',' + visible('.unit'));
    var d = choose('district', 1);
    var rows = part.querySelectorAll('.overview tbody tr'), wrong = 0;
    rows.forEach(function (r) { if (r.offsetParent !== null && r.getAttribute('data-district') !== d) wrong++; });
    out.push('district=' + visible('.overview tbody tr') + ',' + visible('.unit') + ',wrong' + wrong);
    choose('year', 1);
    out.push('year=' + visible('.overview tbody tr'));
    choose('evaluator', 1);
    var selfRows = 0;
    rows.forEach(function (r) { if (r.offsetParent !== null && r.getAttribute('data-evaluator') === 'self') selfRows++; });
    out.push('independent=' + visible('.overview tbody tr') + ',self' + selfRows);
    bar.querySelector('button.reset').click();
    out.push('reset=' + visible('.overview tbody tr') + ',' + visible('.unit'));
    var sc = choose('scope', 1), wrongScope = 0;
    rows.forEach(function (r) {
      if (r.offsetParent !== null && r.getAttribute('data-scope') !== sc) wrongScope++;
    });
    out.push('scope=' + visible('.overview tbody tr') + ',wrong' + wrongScope);
  } catch (e) { out.push('error=' + e); }
  document.body.setAttribute('data-clicked', out.join(';'));
})();
</script>"#;

fn clicked(dom: &str) -> std::collections::HashMap<String, Vec<String>> {
    let s = dom
        .split("data-clicked=\"")
        .nth(1)
        .expect("the click script ran");
    let s = s.split('"').next().unwrap();
    s.split(';')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.split(',').map(str::to_string).collect()))
        .collect()
}

#[test]
fn report_in_a_headless_browser_word_and_pdf() {
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
            "--format",
            "html,docx",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let html = out.join("report.html");
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("简报：主要发现") && text.contains("合成数据"));
    assert!(!text.contains("数据集: datasets"), "a path as a title");
    assert!(
        !text.contains("src=\"http") && !text.contains("href=\"http"),
        "no network resources"
    );
    assert!(charts.join("extracted/unit_ranking.png").is_file());

    // The Word file: the headings, the findings, the charts as images, the tables.
    let docx = std::fs::read(out.join("report.docx")).unwrap();
    let paras = docx_paragraphs(&docx);
    let headings = |style: &str| -> Vec<&str> {
        paras
            .iter()
            .filter(|p| p.0 == style)
            .map(|p| p.1.as_str())
            .collect()
    };
    assert_eq!(headings("Title"), ["绩效评价对标简报"]);
    let h1 = headings("Heading1");
    assert_eq!(h1[0], "简报：主要发现");
    assert!(h1.iter().any(|h| h.contains("合成面板")), "{h1:?}");
    let h2 = headings("Heading2");
    for h in [
        "单位总览",
        "图表",
        "单位画像",
        "自评抽查复核优先清单",
        "明细表",
    ] {
        assert!(h2.contains(&h), "no {h} heading: {h2:?}");
    }
    let h3 = headings("Heading3");
    assert!(h3.contains(&"单位画像：甲区3号街道"), "{h3:?}");
    assert!(h3.contains(&"单位画像：和义街道办事处"), "{h3:?}");
    assert!(
        paras.iter().any(|p| p.1.contains("【执行】")),
        "the findings are in the Word file"
    );
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
    let media: Vec<String> = (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .collect();
    // The gallery's charts that have something to draw, and a chart per unit page.
    assert!(media.len() >= 24 + 5 + 10, "{} images", media.len());
    let mut first = Vec::new();
    z.by_name(&media[0])
        .unwrap()
        .read_to_end(&mut first)
        .unwrap();
    assert_eq!(&first[..8], b"\x89PNG\r\n\x1a\n");
    let xml = docx_part(&docx, "word/document.xml");
    assert!(xml.matches("<w:tbl>").count() >= 30, "the key tables");
    assert!(xml.contains("<w:drawing>"));

    let Some(b) = browser() else {
        if std::env::var("JIXIAO_SKIP_BROWSER").is_ok() {
            eprintln!("JIXIAO_SKIP_BROWSER set: browser check skipped");
            return;
        }
        panic!("no chromium found: scripts/test.sh installs Debian's chromium; set JIXIAO_SKIP_BROWSER=1 to skip this check by hand");
    };
    let profile = out.join("profile");
    let url = format!("file://{}", html.display());
    let dom = headless(&b, &profile)
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

    // The filters, chosen as a person would, in a copy of the page with a test script.
    let probe = out.join("probe.html");
    std::fs::write(
        &probe,
        text.replace("</body>", &format!("{CLICK_FILTERS}</body>")),
    )
    .unwrap();
    let dom = headless(&b, &profile)
        .args([
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
            &format!("file://{}", probe.display()),
        ])
        .output()
        .unwrap();
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    let stderr = String::from_utf8_lossy(&dom.stderr);
    assert!(
        !stderr.contains("Uncaught") && !dom_text.contains("data-js-error=\""),
        "console errors: {stderr}"
    );
    let c = clicked(&dom_text);
    assert!(!c.contains_key("error"), "{c:?}");
    let n = |k: &str, i: usize| -> usize { c[k][i].parse().unwrap() };
    // The first part (the bundled real reports): a unit page per unit; a district chosen shows
    // its own unit only (a unit whose district is unknown is hidden then).
    let units = read_csv(&repo().join("datasets/extracted/units.csv")).len();
    assert!(units >= 7, "{units}");
    assert!(n("all", 0) > 5 && n("all", 1) == units, "{c:?}");
    assert!(n("district", 0) < n("all", 0), "district filter: {c:?}");
    assert!(n("district", 1) == 1, "one unit page in a district: {c:?}");
    assert_eq!(c["district"][2], "wrong0", "{c:?}");
    assert!(n("year", 0) <= n("district", 0), "{c:?}");
    assert_eq!(
        c["independent"][1], "self0",
        "self rows under 独立评价: {c:?}"
    );
    assert_eq!(n("reset", 0), n("all", 0), "reset: {c:?}");
    assert_eq!(n("reset", 1), n("all", 1), "reset: {c:?}");
    // One scope (部门整体): fewer rows, none of the other scope.
    assert!(
        0 < n("scope", 0) && n("scope", 0) < n("all", 0),
        "scope: {c:?}"
    );
    assert_eq!(c["scope"][1], "wrong0", "{c:?}");

    // The page on screen, and one unit page alone, are not blank.
    let shot = out.join("shot.png");
    let st = headless(&b, &profile)
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
    let share = ink(&shot);
    assert!(
        share > 0.02,
        "screenshot looks blank ({share:.4} non-white)"
    );
    let unit_shot = out.join("unit.png");
    headless(&b, &profile)
        .args([
            "--window-size=1100,1400",
            "--virtual-time-budget=3000",
            &format!("--screenshot={}", unit_shot.display()),
            &format!("{url}?only=unit-syn-d01-u003"),
        ])
        .output()
        .unwrap();
    let share = ink(&unit_shot);
    assert!(share > 0.02, "unit page looks blank ({share:.4} non-white)");

    // The PDF: printed on A4, a page per unit at least.
    let st = Command::new(bin())
        .current_dir(repo())
        .env("JIXIAO_BROWSER", &b)
        .args([
            "report",
            "--out",
            out.to_str().unwrap(),
            "--charts",
            charts.to_str().unwrap(),
            "--format",
            "pdf",
            "--quiet",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let pdf = lopdf::Document::load(out.join("report.pdf")).unwrap();
    let pages = pdf.get_pages();
    assert!(pages.len() >= 1 + 5 + 24, "{} pages", pages.len());
    let first = *pages.values().next().unwrap();
    let mb = pdf
        .get_object(first)
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_float().unwrap_or_else(|_| v.as_i64().unwrap() as f32))
        .collect::<Vec<f32>>();
    assert!(
        (mb[2] - 595.0).abs() < 2.0 && (mb[3] - 842.0).abs() < 2.0,
        "not A4: {mb:?}"
    );
}
