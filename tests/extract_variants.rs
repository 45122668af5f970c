//! The extractor generalises: the same layouts with other units, years, numbers and encodings
//! come out right (variants made from the bundled reports by substitution).

mod common;

use std::str::FromStr;

use common::*;
use jixiao::extract;
use rust_decimal::Decimal;

fn report(name: &str) -> String {
    std::fs::read_to_string(repo().join("datasets/reports").join(name)).unwrap()
}

fn run(dir: &std::path::Path) -> extract::Extracted {
    let files = extract::collect_inputs(&[dir.to_path_buf()]).unwrap();
    extract::extract_files(&files, &|| {})
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn third_party_variant_other_unit_year_score_and_gbk() {
    let t = report("000_56b7fdc5f543855c.txt")
        .replace("劝业场", "新港湾")
        .replace("2024", "2021")
        .replace("2025", "2022")
        .replace("99.2分", "97.35分")
        .replace("天津安信管理咨询有限公司", "河北明正评估咨询有限公司")
        .replace("和平区", "河东区");
    let dir = tmpdir("variant-000");
    let (gbk, _, _) = encoding_rs::GB18030.encode(&t);
    std::fs::write(dir.join("a.txt"), &gbk).unwrap();
    let ex = run(&dir);
    assert_eq!(ex.manifest[0].encoding, "GB18030");
    let e = ex
        .evaluations
        .iter()
        .find(|e| e.scope == "department")
        .unwrap();
    assert_eq!(e.fiscal_year, Some(2021));
    assert_eq!(e.total_score, Some(d("97.35")));
    assert_eq!(e.evaluator_type, "third_party");
    assert_eq!(e.evaluator.as_deref(), Some("河北明正评估咨询有限公司"));
    let u = &ex.units[0];
    assert_eq!(u.unit_name, "天津市河东区人民政府新港湾街道办事处");
    assert_eq!(u.district.as_deref(), Some("河东区"));
    // the asset deduction is still found
    assert!(e
        .indicators
        .iter()
        .any(|i| i.max_points == Some(d("4")) && i.score == Some(d("3.2"))));
}

#[test]
fn self_tables_variant_numbers_and_utf16() {
    let t = report("004_db61ce0a276f3835.txt")
        .replace("和义", "长安")
        .replace("949.821024", "123.456789")
        .replace("2023", "2020");
    let dir = tmpdir("variant-004");
    let mut le = vec![0xFF, 0xFE];
    for u in t.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(dir.join("b.txt"), &le).unwrap();
    let ex = run(&dir);
    assert_eq!(ex.manifest[0].encoding, "UTF-16LE");
    let selfs: Vec<_> = ex
        .evaluations
        .iter()
        .filter(|e| e.evaluator_type == "self")
        .collect();
    assert_eq!(selfs.len(), 139);
    assert_eq!(selfs[0].budget_full_year, Some(d("123.456789")));
    // One table states (2022 年度) itself; every other follows the changed year.
    assert_eq!(
        selfs.iter().filter(|e| e.fiscal_year == Some(2020)).count(),
        138
    );
    let dept = ex
        .evaluations
        .iter()
        .find(|e| e.scope == "department")
        .unwrap();
    assert_eq!(dept.total_score, Some(d("85.26")));
    assert_eq!(dept.evaluator_type, "expert_panel");
    assert_eq!(ex.units[0].unit_name, "北京市丰台区人民政府长安街道办事处");
}

#[test]
fn self_report_variant_with_bom_and_changed_score() {
    let t = report("003_42ea0c3de7c87117.txt")
        .replace("东里", "西岭")
        .replace("“98”分", "“88.5”分")
        .replace("2022", "2019");
    let dir = tmpdir("variant-003");
    let mut b = vec![0xEF, 0xBB, 0xBF];
    b.extend_from_slice(t.as_bytes());
    std::fs::write(dir.join("c.txt"), &b).unwrap();
    let ex = run(&dir);
    let e = ex
        .evaluations
        .iter()
        .find(|e| e.scope == "department")
        .unwrap();
    assert_eq!(e.total_score, Some(d("88.5")));
    assert_eq!(e.fiscal_year, Some(2019));
    assert_eq!(e.evaluator_type, "self");
    assert_eq!(e.grade.as_deref(), Some("优秀"));
    assert_eq!(ex.units[0].unit_name, "桥西区西岭街道办事处");
    // 88.5 is 优秀 under the report's own thresholds (>= 85): no grade finding
    assert!(!ex.audit.iter().any(|a| a.check == "grade"));
}

#[test]
fn unreadable_and_empty_reports_are_accounted_for() {
    let dir = tmpdir("variant-bad");
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    let junk: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(dir.join("binary.txt"), &junk).unwrap();
    std::fs::write(dir.join("prose.txt"), "这是一份没有任何评分的文字材料。\n").unwrap();
    let ex = run(&dir);
    assert_eq!(ex.manifest.len(), 3);
    let status = |f: &str| {
        ex.manifest
            .iter()
            .find(|m| m.file.ends_with(f))
            .unwrap()
            .status
    };
    assert_eq!(status("binary.txt"), "unreadable");
    assert_eq!(status("empty.txt"), "nothing found");
    assert_eq!(status("prose.txt"), "nothing found");
    assert!(ex.evaluations.is_empty());
}

/// Issue 23: a UTF-8 report with two damaged bytes inside an indicator row stays UTF-8; the
/// manifest names the bytes and their line, and the rest of the report is read as before.
#[test]
fn damaged_bytes_are_named_by_line_and_the_rest_is_read() {
    let clean = report("003_42ea0c3de7c87117.txt");
    let lines: Vec<&str> = clean.split('\n').collect();
    // The first indicator row with a 产出指标 cell: damage it after its first character.
    let k = lines
        .iter()
        .position(|l| l.starts_with("产出指标\t"))
        .unwrap();
    let mut bytes = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            bytes.push(b'\n');
        }
        if i == k {
            let cut = l.char_indices().nth(1).unwrap().0;
            bytes.extend_from_slice(&l.as_bytes()[..cut]);
            bytes.extend_from_slice(&[0xFF, 0xFE]);
            bytes.extend_from_slice(&l.as_bytes()[cut..]);
        } else {
            bytes.extend_from_slice(l.as_bytes());
        }
    }
    let dir = tmpdir("damaged-bytes");
    std::fs::write(dir.join("a.txt"), &clean).unwrap();
    let dir2 = tmpdir("damaged-bytes-2");
    std::fs::write(dir2.join("a.txt"), &bytes).unwrap();
    let (before, after) = (run(&dir), run(&dir2));
    let m = &after.manifest[0];
    assert_eq!(m.encoding, "UTF-8");
    assert!(
        m.note.contains(&format!("FF at line {}", k + 1))
            && m.note.contains(&format!("FE at line {}", k + 1)),
        "{}",
        m.note
    );
    assert_eq!(after.evaluations.len(), before.evaluations.len());
    assert_eq!(
        after.evaluations[0].total_score,
        before.evaluations[0].total_score
    );
    // Every indicator row is still read; the damaged one keeps its numbers.
    let score = |ex: &extract::Extracted| -> Vec<(Option<Decimal>, Option<Decimal>)> {
        ex.evaluations
            .iter()
            .flat_map(|e| e.indicators.iter().map(|i| (i.max_points, i.score)))
            .collect()
    };
    assert!(score(&before).len() >= 8);
    assert_eq!(score(&after), score(&before));
    assert!(before.evaluations[0].total_score.is_some());
}

/// A form whose wording the built-in vocabulary lacks (工程名称 for 项目名称) reads with a label
/// added by `--labels FILE` or by `labels = FILE` in jixiao.toml; a bad file is refused naming
/// the file and the line.
#[test]
fn a_label_added_by_the_user_reads_a_form() {
    use std::process::Command;
    let d = tmpdir("labels");
    let reports = d.join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    write(
        &reports,
        "form.txt",
        "项目支出绩效自评表\n（2023年度）\n工程名称\t河道清淤工程\n主管部门\t某区水务局\n实施单位\t某区河道管理所\n\
         项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\
         年度资金总额\t10\t10\t9\t10\t90%\t9\n\
         一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n\
         产出指标\t数量指标\t清淤长度\t≥10公里\t12公里\t50\t50\t\n\
         效益指标\t生态效益指标\t水质改善\t明显\t明显\t30\t30\t\n\
         满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\t95%\t10\t10\t\n\
         总分\t100\t99\t\n",
    );
    let project_names = |out: &std::path::Path| -> Vec<String> {
        read_csv(&out.join("evaluations.csv"))
            .into_iter()
            .map(|r| r["project_name"].clone())
            .collect()
    };
    let run = |args: &[&str], cwd: &std::path::Path| {
        Command::new(bin())
            .args(args)
            .current_dir(cwd)
            .output()
            .unwrap()
    };
    let r = reports.to_str().unwrap();
    // Without the label the form is still read, but its project is not named.
    let plain = d.join("plain");
    let o = run(&["-q", "extract", r, "--out", plain.to_str().unwrap()], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(project_names(&plain), [""]);
    write(
        &d,
        "labels.csv",
        "field,labels\nproject_name,工程名称|工程项目名称\n",
    );
    let flagged = d.join("flagged");
    let o = run(
        &[
            "-q",
            "extract",
            r,
            "--out",
            flagged.to_str().unwrap(),
            "--labels",
            d.join("labels.csv").to_str().unwrap(),
        ],
        &d,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(project_names(&flagged), ["河道清淤工程"]);
    // From jixiao.toml, the path read from the file's folder (run from elsewhere).
    let conf = d.join("conf");
    std::fs::create_dir_all(&conf).unwrap();
    write(&conf, "labels.csv", "field,labels\nproject_name,工程名称\n");
    write(&conf, "jixiao.toml", "labels = \"labels.csv\"\n");
    let configured = d.join("configured");
    let o = run(
        &[
            "-q",
            "--config",
            conf.join("jixiao.toml").to_str().unwrap(),
            "extract",
            r,
            "--out",
            configured.to_str().unwrap(),
        ],
        &reports,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(project_names(&configured), ["河道清淤工程"]);
    // The flag wins over the settings file: a bad flagged file is refused even with a good one
    // configured.
    write(
        &d,
        "bad.csv",
        "field,labels\nproject_name,工程名称\nprojct_name,工程\n",
    );
    let o = run(
        &[
            "--config",
            conf.join("jixiao.toml").to_str().unwrap(),
            "extract",
            r,
            "--out",
            d.join("bad_out").to_str().unwrap(),
            "--labels",
            d.join("bad.csv").to_str().unwrap(),
        ],
        &d,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("bad.csv") && err.contains("line 3") && err.contains("projct_name"),
        "{err}"
    );
    assert!(!d.join("bad_out").join("evaluations.csv").exists());
}

/// A funds block with its amounts after their labels (预算数 6.84 … 执行数 6.84) takes their
/// unit from the form: in 元 they are converted to 万元 exactly; with no unit stated they are
/// not read (never assumed to be 万元). A variant of a published Hebei form.
#[test]
fn inline_funds_read_in_the_unit_the_form_states() {
    let form =
        std::fs::read_to_string(repo().join("tests/realworld/17_hebei_chengan_mzj_gaoling.txt"))
            .unwrap();
    assert!(form.contains("金额单位: 万元"));
    let read = |text: &str, name: &str| {
        let dir = tmpdir(name);
        std::fs::write(dir.join("a.txt"), text).unwrap();
        let ex = run(&dir);
        let e = ex
            .evaluations
            .iter()
            .find(|e| e.project_name.as_deref() == Some("19名百岁老人高龄津贴"))
            .cloned()
            .unwrap();
        (e.budget_full_year, e.executed)
    };
    assert_eq!(read(&form, "funds-wan"), (Some(d("6.84")), Some(d("6.84"))));
    let yuan = form.replace("金额单位: 万元", "金额单位: 元").replace(
        "预算数 6.84 到位数 6.84 执行数 6.84",
        "预算数 68400 到位数 68400 执行数 68400",
    );
    assert_eq!(
        read(&yuan, "funds-yuan"),
        (Some(d("6.84")), Some(d("6.84")))
    );
    let none = form.replace("金额单位: 万元", "");
    assert_eq!(read(&none, "funds-none"), (None, None));
}

/// An indicator named after the funds (项目资金到位率) is a row of the table, not the start of
/// a funds block: the rows after it and the total are still read. A variant of a published
/// Yunnan form.
#[test]
fn an_indicator_named_after_the_funds_does_not_end_the_table() {
    let form = std::fs::read_to_string(
        repo().join("tests/realworld/08_yunnan_yongde_minglang_yingyang.txt"),
    )
    .unwrap();
    assert!(form.contains("资金到位及时率"));
    let dir = tmpdir("funds-named-indicator");
    std::fs::write(
        dir.join("a.txt"),
        form.replace("资金到位及时率", "项目资金到位率"),
    )
    .unwrap();
    let ex = run(&dir);
    let e = &ex.evaluations[0];
    assert_eq!(e.total_score, Some(d("96")));
    assert_eq!(e.budget_full_year, Some(d("38.766462")));
    let row = |name: &str| {
        e.indicators
            .iter()
            .find(|i| i.levels.iter().flatten().any(|l| l == name))
            .map(|i| (i.max_points, i.score))
    };
    assert_eq!(row("项目资金到位率"), Some((Some(d("10")), Some(d("7")))));
    assert_eq!(row("家长满意度"), Some((Some(d("10")), Some(d("10")))));
}

#[test]
fn a_department_table_whose_header_wraps_and_whose_names_state_points() {
    // A 部门整体 self-evaluation as a web page renders it: an empty 单位 row before the 序号
    // header, headers and names wrapped over lines and split by spaces, upper names stating
    // their points (规划 (15分) over 基础信息 (4分)), a criteria column before the score, and a
    // score wrapped onto a line of its own.
    let dir = tmpdir("wrapped-department-table");
    let form = [
        "2024年度部门整体支出绩效评价自评表",
        "单位 | |||||||",
        "序号 | 一级 指标 |",
        "二级 指标 |",
        "三级 指标 |",
        "指标分值 | 指标解释 | 指标说明及评分标准 | 自评得分 |",
        "1 | 规划 (15分) |",
        "基础信息 (4分) | 基础信息 完整性 | 4 | 预算基础信息是否真实、完整。 | 1、是否真实(2分); 2、是否完整(2分)。 |",
        "3 |",
        "2 | 工作计划 (6分) | 年度工作 计划完整性 | 3 | 年度工作计划是否完整可行。 | 是否完整可行(3分) | 2.5 | |",
        "3 | 年度工作 计划明确性 | 3 | 年度工作计划是否明确。 | 是否明确可操作(3分) | 3 | ||",
        "4 | 绩效目标 (6分) | 年度绩效 目标合理性 | 4 | 单位是否设置年度绩效目标,绩效目标设定是否符合实际。 | 1、设置年度绩效目标(2分) 2、依据充分(2分) | 3.5 | |",
    ];
    std::fs::write(dir.join("a.txt"), form.join("\n")).unwrap();
    let ex = run(&dir);
    assert_eq!(ex.evaluations.len(), 1);
    let e = &ex.evaluations[0];
    assert_eq!(e.fiscal_year, Some(2024));
    assert_eq!(e.total_score, None, "no total is written: it stays blank");
    let rows: Vec<String> = e
        .indicators
        .iter()
        .map(|i| {
            let names: Vec<&str> = i.levels.iter().flatten().map(|s| s.as_str()).collect();
            format!(
                "{} {}|{}",
                names.join("/"),
                i.max_points.unwrap(),
                i.score.unwrap()
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "规划/基础信息/基础信息完整性 4|3",
            "规划/工作计划/年度工作计划完整性 3|2.5",
            "规划/工作计划/年度工作计划明确性 3|3",
            // 年度绩效目标 is a label too: here it begins a name, and the criteria sentence
            // mentioning it stays one cell.
            "规划/绩效目标/年度绩效目标合理性 4|3.5",
        ]
    );
    assert!(e
        .stated_subtotals
        .iter()
        .any(|s| s.0 == 0 && s.1 == "规划" && s.2 == Some(d("15"))));
    assert!(
        e.stated_subtotals
            .iter()
            .any(|s| s.0 == 1 && s.1 == "基础信息" && s.2 == Some(d("4"))),
        "{:?}",
        e.stated_subtotals
    );
}

#[test]
fn a_score_without_its_points_is_named_in_the_audit() {
    // Indicator rows with 得分 and no 分值 column: the contract needs 分值, so the rows stay out
    // of indicators.csv, and the audit names each with the score that was read.
    let dir = tmpdir("score-without-points");
    let form = [
        "2023年度项目支出绩效自评表",
        "项目名称",
        "养殖场建设项目",
        "主管部门",
        "某县供销合作社联合社",
        "项目实施单位",
        "某专业合作社",
        "预算执行情况(万元)",
        "预算数(A)",
        "执行数(B)",
        "执行率(B/A)",
        "得分",
        "(20分*执行率)",
        "年度财政资金总额",
        "50",
        "10",
        "20%",
        "4",
        "年度绩效目标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年初目标值(A)",
        "实际完成值(B)",
        "得分",
        "产出指标(40分)",
        "数量指标",
        "新建圈舍",
        "2栋",
        "1栋",
        "10",
    ];
    std::fs::write(dir.join("a.txt"), form.join("\n")).unwrap();
    let ex = run(&dir);
    // One evaluation: the form's indicator block is its own, not a department table beside it.
    assert_eq!(ex.evaluations.len(), 1, "{:?}", ex.evaluations);
    let e = &ex.evaluations[0];
    // The rate's row (its points stated in the header) and the score-only row are read; the
    // writer keeps the second out of indicators.csv.
    assert_eq!(e.indicators.len(), 2, "{:?}", e.indicators);
    let rate = &e.indicators[0];
    assert_eq!((rate.max_points, rate.score), (Some(d("20")), Some(d("4"))));
    let named: Vec<&str> = ex
        .audit
        .iter()
        .filter(|a| a.check == "blank_points")
        .map(|a| a.message.as_str())
        .collect();
    assert_eq!(
        named,
        ["indicator 新建圈舍: 分值 is blank (得分 10); the row is kept out of indicators.csv"]
    );
}

#[test]
fn a_project_score_table_titled_without_its_project_is_a_projects() {
    // The title says what is scored (项目支出绩效) and the year, but names no project: the
    // evaluation is a project's, of that year, with its name blank.
    let dir = tmpdir("project-kind-title");
    let form = [
        "某县民政局2023年项目支出绩效自评指标计分表",
        "一级指标\t二级指标\t三级指标\t分值\t得分",
        "项目决策\t项目目标\t目标内容\t4\t4",
        "项目管理\t资金到位\t到位率\t3\t2",
    ];
    std::fs::write(dir.join("a.txt"), form.join("\n")).unwrap();
    let ex = run(&dir);
    assert_eq!(ex.evaluations.len(), 1);
    let e = &ex.evaluations[0];
    assert_eq!((e.scope, e.fiscal_year), ("project", Some(2023)));
    assert_eq!(e.project_name, None);
    assert_eq!(e.indicators.len(), 2);
    // A department's title keeps the department's scope.
    let dir = tmpdir("department-kind-title");
    let form = form.map(|l| l.replace("项目支出绩效自评指标计分表", "部门整体支出绩效自评表"));
    std::fs::write(dir.join("a.txt"), form.join("\n")).unwrap();
    assert_eq!(run(&dir).evaluations[0].scope, "department");
}

#[test]
fn a_row_without_a_level1_is_written_under_the_generic_one_and_audited() {
    // The contract needs a 一级指标; where the source states none, the row is written under
    // 绩效指标, not under its own or its 二级 name, and the audit says how many rows.
    use jixiao::dataset::contract::Indicator;
    use jixiao::extract::{EvalRec, Extracted};
    let ind = |l2: &str, l3: &str| Indicator {
        levels: [None, Some(l2.into()), Some(l3.into()), None],
        max_points: Some(d("3")),
        score: Some(d("2")),
        line: 4,
        ..Default::default()
    };
    let e = EvalRec {
        eval_id: "a-d".into(),
        unit_id: "u1".into(),
        scope: "department",
        evaluator_type: "self",
        max_score: d("100"),
        source: "a.txt:1".into(),
        indicators: vec![ind("工作计划", "计划完整性"), ind("工作计划", "计划明确性")],
        ..Default::default()
    };
    let lines = vec![String::new(); 6];
    let audit = extract::audit::audit("a.txt", &lines, std::slice::from_ref(&e), &[]);
    let said: Vec<&str> = audit
        .iter()
        .filter(|a| a.check == "level1_missing")
        .map(|a| a.message.as_str())
        .collect();
    assert_eq!(
        said,
        ["2 indicator rows have no 一级指标 in the source; written under 绩效指标"]
    );
    let ex = Extracted {
        evaluations: vec![e],
        ..Default::default()
    };
    let dir = tmpdir("no-level1");
    extract::output::write(&ex, &dir).unwrap();
    let csv = std::fs::read_to_string(dir.join("indicators.csv")).unwrap();
    let level1: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(level1, ["绩效指标", "绩效指标"]);
}
