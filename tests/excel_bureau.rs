//! import-xlsx on workbooks shaped as finance bureaus (财政局) keep them (issue #18): the year
//! only in the title, a sheet a year, 自评得分 beside 复核得分 with their grades and a 复核机构,
//! amounts in 元, merged titles and two-row headers, subheadings, totals rows, notes blocks and
//! blank rows. Each workbook is made here with rust_xlsxwriter, imported through the binary,
//! compared value by value with what the sheet states, then validated and benched.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use jixiao::extract::stable_id;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet};

type Row = HashMap<String, String>;

fn head() -> Format {
    Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
}

fn title(ws: &mut Worksheet, last_col: u16, text: &str) {
    let f = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    ws.merge_range(0, 0, 0, last_col, text, &f).unwrap();
}

/// A cell value: text, a number, or nothing.
#[derive(Clone, Copy)]
enum V<'a> {
    T(&'a str),
    N(f64),
    Pct(f64),
    E,
}

fn put(ws: &mut Worksheet, r: u32, c: u16, v: V) {
    let pct = Format::new().set_num_format("0.00%");
    match v {
        V::T(s) => {
            ws.write_string(r, c, s).unwrap();
        }
        V::N(x) => {
            ws.write_number(r, c, x).unwrap();
        }
        V::Pct(x) => {
            ws.write_number_with_format(r, c, x, &pct).unwrap();
        }
        V::E => {}
    }
}

fn import(book: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "import-xlsx".to_string(),
        book.display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Command::new(bin()).args(&args).output().unwrap()
}

fn ok(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.success(), "{err}");
    err
}

/// evaluations.csv rows as (column -> value), keyed for the comparisons below.
fn evaluations(out: &Path) -> Vec<Row> {
    read_csv(&out.join("evaluations.csv"))
}

/// Compare the named columns of every row with the expected values, cell by cell; returns
/// the number of non-blank values compared (the facts the sheet states and the import read).
fn expect(got: &[Row], cols: &[&str], want: &[Vec<&str>]) -> usize {
    assert_eq!(got.len(), want.len(), "rows: {got:?}");
    let mut facts = 0;
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        for (c, v) in cols.iter().zip(w) {
            let have = g
                .get(*c)
                .unwrap_or_else(|| panic!("no column {c} in {g:?}"));
            assert_eq!(have, v, "row {i}, column {c}: {g:?}");
            if !v.is_empty() {
                facts += 1;
            }
        }
    }
    facts
}

fn bench_ok(dataset: &Path, out: &Path) -> String {
    let o = Command::new(bin())
        .args([
            "bench",
            dataset.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.success(), "bench refused the import: {err}");
    err
}

/// 自评结果汇总表: the fiscal year only in the merged title, a 填报单位 line with 单位：元, a
/// two-row header (项目资金 over 年初预算数 | 全年预算数 | 全年执行数), 序号, units merged down their
/// projects, a subheading row, a project not yet scored, a totals row, a blank row and notes.
fn self_summary(dir: &Path) -> PathBuf {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let h = head();
    title(ws, 9, "某区2023年度项目支出绩效自评结果汇总表");
    ws.write_string(1, 0, "填报单位：某区财政局（盖章）")
        .unwrap();
    ws.write_string(1, 8, "单位：元").unwrap();
    for (c, t) in [
        (0, "序号"),
        (1, "单位名称"),
        (2, "项目名称"),
        (6, "执行率"),
        (7, "自评得分"),
        (8, "自评等级"),
        (9, "备注"),
    ] {
        ws.merge_range(2, c, 3, c, t, &h).unwrap();
    }
    ws.merge_range(2, 3, 2, 5, "项目资金", &h).unwrap();
    for (c, t) in [(3, "年初预算数"), (4, "全年预算数"), (5, "全年执行数")] {
        ws.write_string_with_format(3, c, t, &h).unwrap();
    }
    put(ws, 4, 0, V::T("一"));
    put(ws, 4, 1, V::T("教育民生类项目"));
    use V::*;
    let rows: [[V; 10]; 4] = [
        [
            N(1.0),
            T("某区教育局"),
            T("义务教育学校运转保障"),
            N(12000000.0),
            N(13000000.0),
            N(12870000.0),
            Pct(0.99),
            N(95.5),
            T("优"),
            E,
        ],
        [
            N(2.0),
            E, // merged with the unit above
            T("校舍安全维修"),
            N(3000000.0),
            N(3500000.0),
            N(2975000.0),
            Pct(0.85),
            N(82.0),
            T("良"),
            T("部分工程未完工"),
        ],
        [
            N(3.0),
            T("某区卫生健康委员会"),
            T("基层医疗机构补助"),
            N(8765432.1),
            N(8765432.1),
            N(8500000.0),
            Pct(0.9697),
            N(91.25),
            T("优"),
            E,
        ],
        [
            N(4.0),
            T("某区民政局"),
            T("困难群众救助"),
            N(5000000.0),
            N(5200000.0),
            E,
            E,
            E,
            E,
            T("项目尚未完成自评"),
        ],
    ];
    for (k, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            put(ws, 5 + k as u32, c as u16, *v);
        }
    }
    ws.merge_range(5, 1, 6, 1, "某区教育局", &Format::new())
        .unwrap();
    put(ws, 9, 0, T("合计"));
    put(ws, 9, 3, N(28765432.1));
    put(ws, 9, 4, N(30465432.1));
    // a blank row, then the notes
    put(
        ws,
        11,
        0,
        T("注：1. 自评等级：90分及以上为优，80-90分为良，60-80分为中，60分以下为差。"),
    );
    put(ws, 12, 0, T("2. 执行率=全年执行数/全年预算数。"));
    let p = dir.join("自评结果汇总表.xlsx");
    wb.save(&p).unwrap();
    p
}

#[test]
fn the_year_in_the_title_and_amounts_in_yuan() {
    let d = tmpdir("bureau-title-year");
    let book = self_summary(&d);
    let out = d.join("imported");
    let err = ok(&import(&book, &out, &[]));
    assert!(err.contains("fiscal year 2023 (title row 1)"), "{err}");
    assert!(err.contains("4 rows -> 4 evaluations"), "{err}");
    assert!(
        err.contains("column A \"序号\": row numbers, not read"),
        "{err}"
    );
    assert!(err.contains("totals rows skipped: [10]"), "{err}");
    assert!(
        err.contains("row 5 (一) has no score, grade or amount"),
        "the subheading row is reported: {err}"
    );
    assert!(
        err.contains("amounts read in 元 as row 2 states"),
        "the unit line is reported: {err}"
    );
    assert!(err.contains("note below the table: 2. 执行率"), "{err}");
    assert!(err.contains("0 errors, 1 warnings"), "{err}");
    // what is missing is said at once, at the cell it comes from
    assert!(
        err.contains("warning: 自评结果汇总表.xlsx:Sheet1!H9: total_score is blank"),
        "{err}"
    );
    let ev = evaluations(&out);
    let cols = [
        "unit_id",
        "fiscal_year",
        "scope",
        "project_name",
        "evaluator_type",
        "evaluator",
        "max_score",
        "total_score",
        "grade",
        "budget_initial",
        "budget_full_year",
        "executed",
        "execution_rate_stated",
        "source",
        "备注",
    ];
    let (edu, health, civil) = (
        stable_id("u", "某区教育局"),
        stable_id("u", "某区卫生健康委员会"),
        stable_id("u", "某区民政局"),
    );
    let f = |cell: &str| format!("自评结果汇总表.xlsx:Sheet1!{cell}");
    let row = |v: [&str; 15]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut want: Vec<Vec<String>> = vec![
        row([
            "",
            "2023",
            "project",
            "义务教育学校运转保障",
            "self",
            "",
            "100",
            "95.5",
            "优",
            "1200",
            "1300",
            "1287",
            "99",
            "",
            "",
        ]),
        row([
            "",
            "2023",
            "project",
            "校舍安全维修",
            "self",
            "",
            "100",
            "82",
            "良",
            "300",
            "350",
            "297.5",
            "85",
            "",
            "部分工程未完工",
        ]),
        // 8765432.1 元 is 876.54321 万元, exactly
        row([
            "",
            "2023",
            "project",
            "基层医疗机构补助",
            "self",
            "",
            "100",
            "91.25",
            "优",
            "876.54321",
            "876.54321",
            "850",
            "96.97",
            "",
            "",
        ]),
        // not yet scored: the blanks stay blank
        row([
            "",
            "2023",
            "project",
            "困难群众救助",
            "self",
            "",
            "100",
            "",
            "",
            "500",
            "520",
            "",
            "",
            "",
            "项目尚未完成自评",
        ]),
    ];
    for (k, (unit, cell)) in [(&edu, "H6"), (&edu, "H7"), (&health, "H8"), (&civil, "H9")]
        .into_iter()
        .enumerate()
    {
        want[k][0] = unit.clone();
        want[k][13] = f(cell);
    }
    let want_ref: Vec<Vec<&str>> = want
        .iter()
        .map(|r| r.iter().map(|s| s.as_str()).collect())
        .collect();
    let facts = expect(&ev, &cols, &want_ref);
    assert_eq!(facts, 4 * 15 - 10, "facts compared");
    let units = read_csv(&out.join("units.csv"));
    let names: Vec<(&str, &str)> = units
        .iter()
        .map(|u| (u["unit_id"].as_str(), u["unit_name"].as_str()))
        .collect();
    let mut want_units = vec![
        (edu.as_str(), "某区教育局"),
        (health.as_str(), "某区卫生健康委员会"),
        (civil.as_str(), "某区民政局"),
    ];
    want_units.sort();
    assert_eq!(names, want_units);
    // Stable ids: the same workbook imported again gives the same ids, and one differs from
    // another.
    assert_eq!(
        ev[0]["eval_id"],
        stable_id("x", &format!("{edu}|2023|self|义务教育学校运转保障|"))
    );
    let mut ids: Vec<&str> = ev.iter().map(|r| r["eval_id"].as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 4);
    assert!(read_csv(&out.join("indicators.csv")).is_empty());
    let berr = bench_ok(&out, &d.join("bench"));
    assert!(!berr.contains("error:"), "{berr}");
    // the scored projects' execution rates as bench computes them from the 万元 amounts
    let exec = read_csv(&d.join("bench/execution.csv"));
    let rate = |p: &str| {
        exec.iter()
            .find(|r| r["project_name"] == p)
            .map(|r| r["execution_rate"].clone())
            .unwrap_or_default()
    };
    assert_eq!(rate("义务教育学校运转保障"), "99");
    assert_eq!(rate("校舍安全维修"), "85");
}

/// A sheet a year (2021年, 2022年) with no year in the titles, a prose 说明 sheet and an empty
/// one; the 2022 sheet names its columns differently (得分 | 等级 | 满分).
fn sheet_a_year(dir: &Path) -> PathBuf {
    use V::*;
    let mut wb = Workbook::new();
    let h = head();
    let ws = wb.add_worksheet();
    ws.set_name("2021年").unwrap();
    title(ws, 5, "某区部门整体支出绩效自评结果");
    for (c, t) in [
        "单位名称",
        "评价得分",
        "评价等级",
        "全年预算数（万元）",
        "全年执行数（万元）",
        "执行率",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(1, c as u16, *t, &h).unwrap();
    }
    let rows21: [[V; 6]; 2] = [
        [
            T("某区教育局"),
            N(92.5),
            T("优"),
            N(15000.5),
            N(14800.25),
            T("98.67%"),
        ],
        [
            T("某区民政局"),
            N(78.0),
            T("中"),
            N(3200.0),
            N(2900.0),
            T("90.63%"),
        ],
    ];
    for (k, row) in rows21.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            put(ws, 2 + k as u32, c as u16, *v);
        }
    }
    put(ws, 4, 0, T("平均"));
    put(ws, 4, 1, N(85.25));
    put(ws, 6, 0, T("注：评价等级按百分制划分。"));

    let ws = wb.add_worksheet();
    ws.set_name("2022年").unwrap();
    title(ws, 4, "某区部门整体支出绩效自评结果");
    for (c, t) in ["序号", "单位名称", "得分", "等级", "满分"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(1, c as u16, *t, &h).unwrap();
    }
    let rows22: [[V; 5]; 2] = [
        [N(1.0), T("某区教育局"), N(88.0), T("良"), N(100.0)],
        [N(2.0), T("某区民政局"), N(85.5), T("良"), N(100.0)],
    ];
    for (k, row) in rows22.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            put(ws, 2 + k as u32, c as u16, *v);
        }
    }
    put(ws, 4, 1, T("合计"));
    put(ws, 4, 2, N(173.5));

    let ws = wb.add_worksheet();
    ws.set_name("说明").unwrap();
    ws.write_string(0, 0, "本工作簿按年度分表，每表一个年度。")
        .unwrap();
    ws.write_string(1, 0, "得分为单位自评得分。").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet4").unwrap();
    let p = dir.join("历年自评.xlsx");
    wb.save(&p).unwrap();
    p
}

#[test]
fn a_sheet_a_year_each_with_its_own_year() {
    let d = tmpdir("bureau-sheet-years");
    let book = sheet_a_year(&d);
    let out = d.join("imported");
    let err = ok(&import(&book, &out, &[]));
    assert!(
        err.contains("2 sheet(s) read, 2 without a table; 4 rows became 4 evaluations"),
        "{err}"
    );
    assert!(err.contains("sheet '2021年': header in row 2; fiscal year 2021 (sheet name)"));
    assert!(err.contains("sheet '2022年': header in row 2; fiscal year 2022 (sheet name)"));
    assert!(
        err.contains("sheet '说明' not read: no header row"),
        "{err}"
    );
    assert!(
        err.contains("sheet 'Sheet4' not read: the sheet is empty"),
        "{err}"
    );
    assert!(
        err.contains("totals rows skipped: [5]"),
        "平均 and 合计 rows: {err}"
    );
    let ev = evaluations(&out);
    let cols = [
        "unit_id",
        "fiscal_year",
        "scope",
        "project_name",
        "evaluator_type",
        "max_score",
        "total_score",
        "grade",
        "budget_full_year",
        "executed",
        "execution_rate_stated",
        "source",
    ];
    let (edu, civil) = (stable_id("u", "某区教育局"), stable_id("u", "某区民政局"));
    let s = |x: &str| x.to_string();
    let want: Vec<Vec<String>> = vec![
        vec![
            edu.clone(),
            s("2021"),
            s("department"),
            s(""),
            s("self"),
            s("100"),
            s("92.5"),
            s("优"),
            s("15000.5"),
            s("14800.25"),
            s("98.67"),
            s("历年自评.xlsx:2021年!B3"),
        ],
        vec![
            civil.clone(),
            s("2021"),
            s("department"),
            s(""),
            s("self"),
            s("100"),
            s("78"),
            s("中"),
            s("3200"),
            s("2900"),
            s("90.63"),
            s("历年自评.xlsx:2021年!B4"),
        ],
        vec![
            edu.clone(),
            s("2022"),
            s("department"),
            s(""),
            s("self"),
            s("100"),
            s("88"),
            s("良"),
            s(""),
            s(""),
            s(""),
            s("历年自评.xlsx:2022年!C3"),
        ],
        vec![
            civil.clone(),
            s("2022"),
            s("department"),
            s(""),
            s("self"),
            s("100"),
            s("85.5"),
            s("良"),
            s(""),
            s(""),
            s(""),
            s("历年自评.xlsx:2022年!C4"),
        ],
    ];
    let want_ref: Vec<Vec<&str>> = want
        .iter()
        .map(|r| r.iter().map(|s| s.as_str()).collect())
        .collect();
    assert_eq!(expect(&ev, &cols, &want_ref), 4 * 12 - 4 - 6);
    // The titles say 自评: the scores are self-evaluations, with no default to remark on.
    assert!(!err.contains("nothing says who scored"), "{err}");
    bench_ok(&out, &d.join("bench"));

    // --sheet picks one sheet; --year overrides the sheet name's year.
    let one = d.join("one");
    let err = ok(&import(
        &book,
        &one,
        &["--sheet", "2022年", "--year", "2020"],
    ));
    assert!(err.contains("fiscal year 2020 (--year)"), "{err}");
    let ev = evaluations(&one);
    assert_eq!(
        ev.iter()
            .map(|r| (r["fiscal_year"].as_str(), r["total_score"].as_str()))
            .collect::<Vec<_>>(),
        [("2020", "88"), ("2020", "85.5")]
    );
    // a sheet without a table, asked for by name, is an error naming it
    let o = import(&book, &d.join("none"), &["--sheet", "说明"]);
    assert_eq!(o.status.code(), Some(3));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("历年自评.xlsx: sheet '说明': no header row"),
        "{e}"
    );
}

/// 自评抽查复核结果: each project's 自评得分 | 自评等级 beside the bureau's 复核得分 | 复核等级, the
/// 复核机构 (the bureau, a firm, an expert panel, blank) and a 复核意见; one project not
/// sampled; amounts under 项目资金(元); the year in a title that also names the evaluators.
fn self_and_recheck(dir: &Path) -> PathBuf {
    use V::*;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("抽查复核").unwrap();
    let h = head();
    title(ws, 11, "某区2023年度项目支出绩效自评抽查复核结果表");
    for (c, t) in [
        (0, "序号"),
        (1, "单位名称"),
        (2, "项目名称"),
        (5, "自评得分"),
        (6, "自评等级"),
        (7, "复核得分"),
        (8, "复核等级"),
        (9, "复核机构"),
        (10, "复核意见"),
    ] {
        ws.merge_range(1, c, 2, c, t, &h).unwrap();
    }
    ws.merge_range(1, 3, 1, 4, "项目资金(元)", &h).unwrap();
    ws.write_string_with_format(2, 3, "全年预算数", &h).unwrap();
    ws.write_string_with_format(2, 4, "全年执行数", &h).unwrap();
    let rows: [[V; 11]; 5] = [
        [
            N(1.0),
            T("某区教育局"),
            T("义务教育学校运转保障"),
            N(13000000.0),
            N(12870000.0),
            N(98.0),
            T("优"),
            N(86.5),
            T("良"),
            T("某区财政局"),
            T("绩效目标不够细化"),
        ],
        [
            N(2.0),
            T("某区卫生健康委员会"),
            T("基层医疗机构补助"),
            N(8765432.1),
            N(8500000.0),
            N(96.0),
            T("优"),
            N(88.0),
            T("良"),
            T("某某会计师事务所"),
            T("满意度调查样本不足"),
        ],
        [
            N(3.0),
            T("某区民政局"),
            T("困难群众救助"),
            N(5200000.0),
            N(5100000.0),
            N(95.0),
            T("优"),
            N(79.5),
            T("中"),
            T("区绩效评价专家组"),
            E,
        ],
        [
            N(4.0),
            T("某区住房和城乡建设局"),
            T("老旧小区改造"),
            N(20000000.0),
            N(15000000.0),
            N(90.0),
            T("优"),
            N(72.0),
            T("中"),
            E,
            T("资金执行率偏低"),
        ],
        [
            N(5.0),
            T("某区农业农村局"),
            T("高标准农田建设"),
            N(6000000.0),
            N(6000000.0),
            N(93.0),
            T("优"),
            E,
            E,
            E,
            E,
        ],
    ];
    for (k, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            put(ws, 3 + k as u32, c as u16, *v);
        }
    }
    put(ws, 8, 0, T("合计"));
    put(ws, 8, 3, N(52965432.1));
    put(ws, 11, 0, T("注：复核得分为区财政局组织抽查复核的结果。"));
    put(ws, 12, 0, T("制表：某区财政局绩效管理科"));
    let p = dir.join("抽查复核.xlsx");
    wb.save(&p).unwrap();
    p
}

#[test]
fn self_and_recheck_scores_become_paired_evaluations() {
    let d = tmpdir("bureau-recheck");
    let book = self_and_recheck(&d);
    let out = d.join("imported");
    let err = ok(&import(&book, &out, &[]));
    assert!(err.contains("5 rows became 9 evaluations"), "{err}");
    assert!(err.contains("fiscal year 2023 (title row 1)"), "{err}");
    for (c, h, f) in [
        ("F", "自评得分", "total_score (自评)"),
        ("G", "自评等级", "grade (自评)"),
        ("H", "复核得分", "total_score (复核)"),
        ("I", "复核等级", "grade (复核)"),
        ("J", "复核机构", "evaluator (复核)"),
        ("D", "项目资金(元)/全年预算数", "budget_full_year"),
    ] {
        assert!(
            err.contains(&format!("column {c} \"{h}\" -> {f}")),
            "{c} {h}: {err}"
        );
    }
    assert!(
        err.contains("1 row(s) state no 复核 score, grade or evaluator"),
        "{err}"
    );
    let ev = evaluations(&out);
    let cols = [
        "unit_id",
        "fiscal_year",
        "scope",
        "project_name",
        "evaluator_type",
        "evaluator",
        "total_score",
        "grade",
        "budget_full_year",
        "executed",
        "source",
        "复核意见",
    ];
    let u = |n: &str| stable_id("u", n);
    let s = |x: &str| x.to_string();
    let f = "抽查复核.xlsx:抽查复核!";
    let row = |unit: &str,
               project: &str,
               ty: &str,
               who: &str,
               score: &str,
               grade: &str,
               money: (&str, &str),
               cell: &str,
               note: &str| {
        vec![
            u(unit),
            s("2023"),
            s("project"),
            s(project),
            s(ty),
            s(who),
            s(score),
            s(grade),
            s(money.0),
            s(money.1),
            format!("{f}{cell}"),
            s(note),
        ]
    };
    let want: Vec<Vec<String>> = vec![
        row(
            "某区教育局",
            "义务教育学校运转保障",
            "self",
            "",
            "98",
            "优",
            ("1300", "1287"),
            "F4",
            "",
        ),
        row(
            "某区教育局",
            "义务教育学校运转保障",
            "finance_bureau",
            "某区财政局",
            "86.5",
            "良",
            ("1300", "1287"),
            "H4",
            "绩效目标不够细化",
        ),
        row(
            "某区卫生健康委员会",
            "基层医疗机构补助",
            "self",
            "",
            "96",
            "优",
            ("876.54321", "850"),
            "F5",
            "",
        ),
        row(
            "某区卫生健康委员会",
            "基层医疗机构补助",
            "third_party",
            "某某会计师事务所",
            "88",
            "良",
            ("876.54321", "850"),
            "H5",
            "满意度调查样本不足",
        ),
        row(
            "某区民政局",
            "困难群众救助",
            "self",
            "",
            "95",
            "优",
            ("520", "510"),
            "F6",
            "",
        ),
        row(
            "某区民政局",
            "困难群众救助",
            "expert_panel",
            "区绩效评价专家组",
            "79.5",
            "中",
            ("520", "510"),
            "H6",
            "",
        ),
        row(
            "某区住房和城乡建设局",
            "老旧小区改造",
            "self",
            "",
            "90",
            "优",
            ("2000", "1500"),
            "F7",
            "",
        ),
        // a blank 复核机构: the bureau's own re-check, evaluator left blank
        row(
            "某区住房和城乡建设局",
            "老旧小区改造",
            "finance_bureau",
            "",
            "72",
            "中",
            ("2000", "1500"),
            "H7",
            "资金执行率偏低",
        ),
        // not sampled: the self-evaluation only
        row(
            "某区农业农村局",
            "高标准农田建设",
            "self",
            "",
            "93",
            "优",
            ("600", "600"),
            "F8",
            "",
        ),
    ];
    let want_ref: Vec<Vec<&str>> = want
        .iter()
        .map(|r| r.iter().map(|s| s.as_str()).collect())
        .collect();
    assert_eq!(expect(&ev, &cols, &want_ref), 9 * 12 - 12);
    let mut ids: Vec<&str> = ev.iter().map(|r| r["eval_id"].as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 9, "unique eval_ids");

    // The inflation tables pair each self score with its re-check: the gap per unit.
    let berr = bench_ok(&out, &d.join("bench"));
    assert!(!berr.contains("error:"), "{berr}");
    let inf = read_csv(&d.join("bench/inflation.csv"));
    let mut got: Vec<(String, String, String, String, String)> = inf
        .iter()
        .map(|r| {
            (
                r["unit_id"].clone(),
                r["self_score"].clone(),
                r["reference_type"].clone(),
                r["reference_score"].clone(),
                r["gap"].clone(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String, String, String, String)> = [
        ("某区教育局", "98", "finance_bureau", "86.5", "11.5"),
        ("某区卫生健康委员会", "96", "third_party", "88", "8"),
        ("某区民政局", "95", "expert_panel", "79.5", "15.5"),
        ("某区住房和城乡建设局", "90", "finance_bureau", "72", "18"),
    ]
    .iter()
    .map(|(a, b, c, d, e)| (u(a), s(b), s(c), s(d), s(e)))
    .collect();
    want.sort();
    assert_eq!(got, want);
}

/// The errors a user meets, each naming the file, the sheet, and the row and column.
#[test]
fn bad_sheets_are_clear_errors() {
    use V::*;
    let d = tmpdir("bureau-errors");
    let make = |name: &str, title_text: &str, headers: &[&str], rows: &[Vec<V>]| {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("结果").unwrap();
        title(ws, headers.len() as u16 - 1, title_text);
        for (c, t) in headers.iter().enumerate() {
            ws.write_string(1, c as u16, *t).unwrap();
        }
        for (k, r) in rows.iter().enumerate() {
            for (c, v) in r.iter().enumerate() {
                put(ws, 2 + k as u32, c as u16, *v);
            }
        }
        let p = d.join(name);
        wb.save(&p).unwrap();
        p
    };
    let fails = |book: &Path, extra: &[&str]| {
        let o = import(book, &d.join("out"), extra);
        assert!(!o.status.success());
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };

    // No year anywhere: one error naming the sheet, nothing written that fails later.
    let no_year = make(
        "no_year.xlsx",
        "某区项目支出绩效自评结果",
        &["单位名称", "项目名称", "自评得分"],
        &[vec![T("某区教育局"), T("校舍安全维修"), N(82.0)]],
    );
    let (code, e) = fails(&no_year, &[]);
    assert_eq!(code, Some(3));
    assert!(
        e.contains("no_year.xlsx: sheet '结果': no fiscal year (年度)") && e.contains("--year"),
        "{e}"
    );
    let out = d.join("with-year");
    ok(&import(&no_year, &out, &["--year", "2023"]));
    assert_eq!(evaluations(&out)[0]["fiscal_year"], "2023");

    // A score that is not a number.
    let bad = make(
        "bad_score.xlsx",
        "2023年度自评结果",
        &["单位名称", "项目名称", "自评得分"],
        &[vec![T("某区教育局"), T("校舍安全维修"), T("八十二")]],
    );
    let (code, e) = fails(&bad, &[]);
    assert_eq!(code, Some(3));
    assert!(
        e.contains(
            "bad_score.xlsx: sheet '结果', row 3, column C (自评得分): '八十二' is not a number"
        ),
        "{e}"
    );

    // The same evaluation twice in a summary sheet.
    let dup = make(
        "dup.xlsx",
        "2023年度自评结果",
        &["单位名称", "项目名称", "自评得分"],
        &[
            vec![T("某区教育局"), T("校舍安全维修"), N(82.0)],
            vec![T("某区教育局"), T("校舍安全维修"), N(85.0)],
        ],
    );
    let (_, e) = fails(&dup, &[]);
    assert!(
        e.contains("sheet '结果', row 4: the self evaluation of 某区教育局, 2023, 校舍安全维修 is also in sheet '结果', row 3"),
        "{e}"
    );

    // A 年度 cell that contradicts --year, and one that is not a year.
    let years = make(
        "years.xlsx",
        "自评结果",
        &["单位名称", "年度", "自评得分"],
        &[vec![T("某区教育局"), N(2022.0), N(82.0)]],
    );
    let (_, e) = fails(&years, &["--year", "2023"]);
    assert!(
        e.contains("row 3, column B (年度): the row says 2022 but --year gives 2023"),
        "{e}"
    );
    let years = make(
        "years2.xlsx",
        "自评结果",
        &["单位名称", "年度", "自评得分"],
        &[vec![T("某区教育局"), T("今年"), N(82.0)]],
    );
    let (_, e) = fails(&years, &[]);
    assert!(e.contains("column B (年度): '今年' is not a year"), "{e}");

    // An evaluator type no word names.
    let ty = make(
        "type.xlsx",
        "2023年度评价结果",
        &["单位名称", "评价类型", "得分"],
        &[vec![T("某区教育局"), T("审计"), N(82.0)]],
    );
    let (_, e) = fails(&ty, &[]);
    assert!(
        e.contains("column B (评价类型): '审计' names no evaluator type"),
        "{e}"
    );

    // A grade beside two scores belongs to neither: kept as an extra column, and said so.
    let amb = make(
        "ambiguous.xlsx",
        "2023年度自评复核结果",
        &["单位名称", "自评得分", "复核得分", "等级"],
        &[vec![T("某区教育局"), N(95.0), N(85.0), T("良")]],
    );
    let out = d.join("amb");
    let err = ok(&import(&amb, &out, &[]));
    assert!(
        err.contains("column D \"等级\" kept as an extra column of evaluations.csv (it could be any of the evaluators (自评, 复核)"),
        "{err}"
    );
    let ev = evaluations(&out);
    assert_eq!(
        ev.iter()
            .map(|r| (
                r["evaluator_type"].as_str(),
                r["total_score"].as_str(),
                r["grade"].as_str(),
                r["等级"].as_str()
            ))
            .collect::<Vec<_>>(),
        [("self", "95", "", "良"), ("finance_bureau", "85", "", "良")]
    );
}

/// An indicator table with the self score and the re-check score of each indicator row
/// (一级指标 | 分值 | 自评得分 | 复核得分 | 复核扣分原因): two evaluations, each with its own
/// indicator scores, and the reason with the re-check's.
#[test]
fn indicator_rows_with_self_and_recheck_scores() {
    use V::*;
    let d = tmpdir("bureau-indicators");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2023年").unwrap();
    let headers = [
        "单位名称",
        "一级指标",
        "分值",
        "自评得分",
        "复核得分",
        "复核扣分原因",
        "复核机构",
    ];
    for (c, t) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *t).unwrap();
    }
    let rows: [[V; 7]; 3] = [
        [
            T("某区教育局"),
            T("决策"),
            N(20.0),
            N(20.0),
            N(17.5),
            T("目标不够细化"),
            T("某评估咨询有限公司"),
        ],
        [E, T("过程"), N(30.0), N(29.0), N(26.0), T("资料不全"), E],
        [E, T("产出"), N(50.0), N(49.5), N(45.0), E, E],
    ];
    for (k, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            put(ws, 1 + k as u32, c as u16, *v);
        }
    }
    ws.merge_range(1, 0, 3, 0, "某区教育局", &Format::new())
        .unwrap();
    ws.merge_range(1, 6, 3, 6, "某评估咨询有限公司", &Format::new())
        .unwrap();
    let book = d.join("indicators.xlsx");
    wb.save(&book).unwrap();
    let out = d.join("imported");
    let err = ok(&import(&book, &out, &[]));
    assert!(
        err.contains("3 rows -> 2 evaluations, 6 indicator rows"),
        "{err}"
    );
    let ev = evaluations(&out);
    assert_eq!(
        ev.iter()
            .map(|r| (
                r["evaluator_type"].as_str(),
                r["evaluator"].as_str(),
                r["fiscal_year"].as_str()
            ))
            .collect::<Vec<_>>(),
        [
            ("self", "", "2023"),
            ("third_party", "某评估咨询有限公司", "2023")
        ]
    );
    let ind = read_csv(&out.join("indicators.csv"));
    let got: Vec<(&str, &str, &str, &str, &str)> = ind
        .iter()
        .map(|r| {
            (
                if r["eval_id"] == ev[0]["eval_id"] {
                    "self"
                } else {
                    "third_party"
                },
                r["level1"].as_str(),
                r["max_points"].as_str(),
                r["score"].as_str(),
                r["reason"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("self", "决策", "20", "20", ""),
            ("self", "过程", "30", "29", ""),
            ("self", "产出", "50", "49.5", ""),
            ("third_party", "决策", "20", "17.5", "目标不够细化"),
            ("third_party", "过程", "30", "26", "资料不全"),
            ("third_party", "产出", "50", "45", ""),
        ]
    );
    assert_eq!(ind[1]["source"], "indicators.xlsx:2023年!D3");
    assert_eq!(ind[3]["source"], "indicators.xlsx:2023年!E2");
}

/// Group headers say whose columns stand below them: 自评情况 over 得分 | 等级 and 复核情况 over
/// 得分 | 等级 | 机构, the year in a 年度 column as 2023年度.
#[test]
fn group_headers_name_the_evaluator() {
    use V::*;
    let d = tmpdir("bureau-groups");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let h = head();
    for (c, t) in [(0, "单位名称"), (1, "年度"), (2, "项目名称")] {
        ws.merge_range(0, c, 1, c, t, &h).unwrap();
    }
    ws.merge_range(0, 3, 0, 4, "自评情况", &h).unwrap();
    ws.merge_range(0, 5, 0, 7, "复核情况", &h).unwrap();
    for (c, t) in [
        (3, "得分"),
        (4, "等级"),
        (5, "得分"),
        (6, "等级"),
        (7, "机构"),
    ] {
        ws.write_string_with_format(1, c, t, &h).unwrap();
    }
    let rows: [[V; 8]; 2] = [
        [
            T("某区教育局"),
            T("2023年度"),
            T("校舍安全维修"),
            N(92.0),
            T("优"),
            N(84.0),
            T("良"),
            T("某某咨询有限公司"),
        ],
        [
            T("某区民政局"),
            N(2023.0),
            T("困难群众救助"),
            N(88.0),
            T("良"),
            N(88.0),
            T("良"),
            T("某区财政局"),
        ],
    ];
    for (k, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            put(ws, 2 + k as u32, c as u16, *v);
        }
    }
    let book = d.join("groups.xlsx");
    wb.save(&book).unwrap();
    let out = d.join("imported");
    let err = ok(&import(&book, &out, &[]));
    assert!(
        err.contains("column D \"自评情况/得分\" -> total_score (自评)"),
        "{err}"
    );
    assert!(
        err.contains("column H \"复核情况/机构\" -> evaluator (复核)"),
        "{err}"
    );
    let ev = evaluations(&out);
    assert_eq!(
        ev.iter()
            .map(|r| (
                r["fiscal_year"].as_str(),
                r["project_name"].as_str(),
                r["evaluator_type"].as_str(),
                r["evaluator"].as_str(),
                r["total_score"].as_str(),
                r["grade"].as_str(),
            ))
            .collect::<Vec<_>>(),
        [
            ("2023", "校舍安全维修", "self", "", "92", "优"),
            (
                "2023",
                "校舍安全维修",
                "third_party",
                "某某咨询有限公司",
                "84",
                "良"
            ),
            ("2023", "困难群众救助", "self", "", "88", "良"),
            (
                "2023",
                "困难群众救助",
                "finance_bureau",
                "某区财政局",
                "88",
                "良"
            ),
        ]
    );
}
