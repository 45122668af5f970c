//! Writes datasets/samples/messy_scores.xlsx: score sheets as finance bureaus keep them.
//! Sheet 1 (2023年评价结果): a title row, a two-row header with a merged group (项目资金(万元)),
//! unit names merged down their indicator rows, a column outside the contract (联系人), a
//! percent-formatted 执行率, a totals row, a blank row and a notes block.
//! Sheet 2 (抽查复核): the year only in the title, 自评得分 | 自评等级 beside 复核得分 | 复核等级 |
//! 复核机构 per project, amounts in 元, one project not re-checked, a totals row and a note.
//! Run: cargo run --release --example make_sample_workbook

use rust_xlsxwriter::{Format, FormatAlign, Workbook};

fn main() -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2023年评价结果")?;
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let merged = Format::new().set_align(FormatAlign::VerticalCenter);
    let pct = Format::new().set_num_format("0.00%");
    ws.merge_range(
        0,
        0,
        0,
        13,
        "示例区2023年度部门整体支出绩效评价结果汇总表(示例数据)",
        &title,
    )?;
    // Two-row header: most names merged over both rows; 项目资金(万元) over three columns.
    let singles = [
        (0, "单位名称"),
        (1, "年度"),
        (2, "评价类型"),
        (3, "评价机构"),
        (4, "总分"),
        (8, "执行率"),
        (9, "一级指标"),
        (10, "分值"),
        (11, "得分"),
        (12, "扣分原因"),
        (13, "联系人"),
    ];
    for (c, h) in singles {
        ws.merge_range(1, c, 2, c, h, &head)?;
    }
    ws.merge_range(1, 5, 1, 7, "项目资金(万元)", &head)?;
    for (c, h) in [(5, "年初预算数"), (6, "全年预算数"), (7, "全年执行数")] {
        ws.write_string_with_format(2, c, h, &head)?;
    }
    // unit, year, type, evaluator, total, budgets, rate, indicators (level1, max, score, reason), contact
    struct Eval<'a> {
        unit: &'a str,
        kind: &'a str,
        firm: &'a str,
        total: f64,
        money: [f64; 3],
        rate: f64,
        rows: &'a [(&'a str, f64, f64, &'a str)],
        contact: &'a str,
    }
    let evals = [
        Eval {
            unit: "示例区甲街道办事处",
            kind: "自评",
            firm: "甲街道办事处",
            total: 96.5,
            money: [1200.0, 1350.25, 1320.5],
            rate: 0.978,
            rows: &[
                ("决策", 20.0, 19.5, "绩效目标不够细化"),
                ("过程", 30.0, 29.0, "佐证资料不齐全"),
                ("产出", 30.0, 30.0, ""),
                ("效益", 20.0, 18.0, "满意度调查样本不足"),
            ],
            contact: "张三",
        },
        Eval {
            unit: "示例区甲街道办事处",
            kind: "第三方",
            firm: "示例评估咨询有限公司",
            total: 88.75,
            money: [1200.0, 1350.25, 1320.5],
            rate: 0.978,
            rows: &[
                ("决策", 20.0, 17.5, "预算测算依据不充分"),
                ("过程", 30.0, 26.25, "部分合同要素填写不完整"),
                ("产出", 30.0, 28.0, "产出数量未达预期"),
                ("效益", 20.0, 17.0, "群众满意度有待提高"),
            ],
            contact: "李四",
        },
        Eval {
            unit: "示例区乙街道办事处",
            kind: "自评",
            firm: "乙街道办事处",
            total: 98.0,
            money: [800.0, 812.4, 650.0],
            rate: 0.8001,
            rows: &[
                ("决策", 20.0, 20.0, ""),
                ("过程", 30.0, 29.0, "资产台账不完整"),
                ("产出", 30.0, 30.0, ""),
                ("效益", 20.0, 19.0, "社会效益指标不够量化"),
            ],
            contact: "王五",
        },
    ];
    let mut r = 3u32;
    for e in &evals {
        let n = e.rows.len() as u32;
        let last = r + n - 1;
        ws.merge_range(r, 0, last, 0, e.unit, &merged)?;
        ws.merge_range(r, 1, last, 1, "", &merged)?;
        ws.write_number(r, 1, 2023)?;
        ws.merge_range(r, 2, last, 2, e.kind, &merged)?;
        ws.merge_range(r, 3, last, 3, e.firm, &merged)?;
        ws.merge_range(r, 4, last, 4, "", &merged)?;
        ws.write_number(r, 4, e.total)?;
        for (k, m) in e.money.iter().enumerate() {
            ws.write_number(r, 5 + k as u16, *m)?;
        }
        ws.write_number_with_format(r, 8, e.rate, &pct)?;
        for (k, (l1, max, score, reason)) in e.rows.iter().enumerate() {
            let rr = r + k as u32;
            ws.write_string(rr, 9, *l1)?;
            ws.write_number(rr, 10, *max)?;
            ws.write_number(rr, 11, *score)?;
            if !reason.is_empty() {
                ws.write_string(rr, 12, *reason)?;
            }
        }
        ws.write_string(r, 13, e.contact)?;
        r += n;
    }
    ws.write_string(r, 0, "合计")?;
    ws.write_number(r, 4, 283.25)?;
    ws.write_number(r, 6, 3512.9)?;
    // a blank row, then the notes
    ws.write_string(
        r + 2,
        0,
        "注：1. 执行率=全年执行数/全年预算数；2. 本表为示例数据，不代表真实单位。",
    )?;
    ws.write_string(r + 3, 0, "填表人：示例")?;
    ws.set_column_width(0, 22)?;
    recheck_sheet(&mut wb, &title, &head)?;
    wb.save("datasets/samples/messy_scores.xlsx")?;
    Ok(())
}

/// 自评抽查复核: each project's self score beside the bureau's re-check score.
fn recheck_sheet(
    wb: &mut Workbook,
    title: &Format,
    head: &Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("抽查复核")?;
    ws.merge_range(
        0,
        0,
        0,
        9,
        "示例区2023年度项目支出绩效自评抽查复核结果表(示例数据)",
        title,
    )?;
    ws.write_string(1, 8, "单位：元")?;
    for (c, h) in [
        (0, "序号"),
        (1, "单位名称"),
        (2, "项目名称"),
        (5, "自评得分"),
        (6, "自评等级"),
        (7, "复核得分"),
        (8, "复核等级"),
        (9, "复核机构"),
    ] {
        ws.merge_range(2, c, 3, c, h, head)?;
    }
    ws.merge_range(2, 3, 2, 4, "项目资金", head)?;
    ws.write_string_with_format(3, 3, "全年预算数", head)?;
    ws.write_string_with_format(3, 4, "全年执行数", head)?;
    // unit, project, budget and executed in 元, self score and grade, re-check (score, grade, by)
    type Recheck<'a> = Option<(f64, &'a str, &'a str)>;
    let rows: [(&str, &str, f64, f64, f64, &str, Recheck); 4] = [
        (
            "示例区丙街道办事处",
            "老旧小区微改造",
            3_200_000.0,
            3_050_000.0,
            97.0,
            "优",
            Some((86.0, "良", "示例区财政局")),
        ),
        (
            "示例区丙街道办事处",
            "社区养老服务补贴",
            856_400.5,
            856_400.5,
            95.5,
            "优",
            Some((91.0, "优", "示例会计师事务所")),
        ),
        (
            "示例区丁街道办事处",
            "背街小巷环境整治",
            1_500_000.0,
            1_120_000.0,
            92.0,
            "优",
            Some((78.5, "中", "示例区绩效评价专家组")),
        ),
        (
            "示例区丁街道办事处",
            "垃圾分类宣传",
            120_000.0,
            118_800.0,
            98.0,
            "优",
            None,
        ),
    ];
    for (k, (unit, project, budget, executed, score, grade, re)) in rows.iter().enumerate() {
        let r = 4 + k as u32;
        ws.write_number(r, 0, (k + 1) as f64)?;
        ws.write_string(r, 1, *unit)?;
        ws.write_string(r, 2, *project)?;
        ws.write_number(r, 3, *budget)?;
        ws.write_number(r, 4, *executed)?;
        ws.write_number(r, 5, *score)?;
        ws.write_string(r, 6, *grade)?;
        if let Some((s, g, by)) = re {
            ws.write_number(r, 7, *s)?;
            ws.write_string(r, 8, *g)?;
            ws.write_string(r, 9, *by)?;
        }
    }
    ws.write_string(8, 0, "合计")?;
    ws.write_number(8, 3, 5_676_400.5)?;
    ws.write_number(8, 4, 5_145_200.5)?;
    ws.write_string(
        10,
        0,
        "注：复核得分为示例区财政局组织抽查复核的结果；垃圾分类宣传项目未抽中复核。",
    )?;
    ws.set_column_width(1, 22)?;
    ws.set_column_width(2, 18)?;
    Ok(())
}
