//! Property-based fuzzing (proptest) of the report extractor and the CSV loader: any input
//! gives a result or an error naming the file, never a panic, and what is extracted keeps its
//! invariants. Cases: 256 by default; PROPTEST_CASES=100000 for a long session. Failing inputs
//! are saved by proptest under tests/proptest-regressions/ and replayed first on every run.

mod common;

use proptest::prelude::*;

use common::*;

/// Lines that look like report text: table rows with tabs, labels cut by spaces, numbers split
/// by stray spaces, headline sentences, totals rows, HTML residue.
fn report_line() -> impl Strategy<Value = String> {
    let cell = prop_oneof![
        Just("一级指标".to_string()),
        Just("二级 指标".to_string()),
        Just("分 值".to_string()),
        Just("得分".to_string()),
        Just("专家打分".to_string()),
        Just("扣分原因".to_string()),
        Just("合计".to_string()),
        Just("总分".to_string()),
        Just("项目名称".to_string()),
        Just("年度资金总额".to_string()),
        Just("部门决策 (14分)".to_string()),
        Just("<p>说明</p>".to_string()),
        Just(String::new()),
        "[0-9]{1,3}(\\.[0-9]{1,2})?".prop_map(|s| s),
        "[0-9]{1,4} [0-9]{1,3}".prop_map(|s| s),
        "[0-9]{1,3}%".prop_map(|s| s),
        "\\PC{0,12}".prop_map(|s| s),
    ];
    prop_oneof![
        prop::collection::vec(cell, 1..10).prop_map(|v| v.join("\t")),
        Just("经综合评价，该部门绩效评价得分为99.2分，评价等级为“优”。".to_string()),
        Just("项目支出绩效自评表".to_string()),
        Just("(2023 年度)".to_string()),
        Just("部门名称: 某市某区人民政府某街道办事处".to_string()),
        "\\PC{0,40}".prop_map(|s| s),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct("tests/proptest-regressions/proptest_fuzz.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn extractor_never_panics(lines in prop::collection::vec(report_line(), 0..120)) {
        let cleaned: Vec<String> = lines.iter().map(|l| jixiao::extract::text::clean_line(l)).collect();
        let r = jixiao::extract::extract_text("fuzz.txt", &cleaned);
        for e in &r.evaluations {
            prop_assert!(e.source.starts_with("fuzz.txt:"));
            // Every indicator points at a line that exists.
            for i in &e.indicators {
                prop_assert!(i.line < cleaned.len().max(1));
            }
        }
    }

    #[test]
    fn csv_loader_never_panics(body in prop::collection::vec(any::<u8>(), 0..2000), header in prop_oneof![
        Just("eval_id,unit_id,fiscal_year,scope,evaluator_type,max_score,total_score\n".to_string()),
        Just("eval_id,unit_id\n".to_string()),
        Just(String::new()),
    ]) {
        let d = tmpdir(&format!("prop-{}", std::thread::current().name().unwrap_or("t").replace("::", "-")));
        write(&d, "units.csv", "unit_id,unit_name\nu1,甲\n");
        write(&d, "indicators.csv", "eval_id,level1,max_points,score\n");
        let mut bytes = header.into_bytes();
        bytes.extend_from_slice(&body);
        std::fs::write(d.join("evaluations.csv"), &bytes).unwrap();
        match jixiao::dataset::load(&d) {
            Ok((ds, mut f)) => {
                jixiao::dataset::validate::validate(&ds, &mut f).unwrap();
            }
            Err(e) => prop_assert!(e.to_string().contains("evaluations.csv"), "{}", e.to_string()),
        }
    }
}
