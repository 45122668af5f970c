#!/usr/bin/env python3
"""Build the Word and PDF reports of datasets/reports/ from two published forms of other provinces
(run via scripts/make_dataset_reports.sh; not run in CI, the outputs are committed).

The main job reads datasets/reports/, so it should meet a report as an analyst receives one: a
Word file and a PDF, not only text. These two are real self-evaluation forms published on
government pages (the same ones as tests/realworld/08 and /12, sources in
datasets/reports/SOURCES.md), laid out again as the Word tables their page renders: every cell
text as published, rows and merged cells as the page shows them. Nothing is filled in that the
page does not show; where the page is ambiguous or cut off, SOURCES.md says what was done.

  yunnan_yongde_minglang_2022.pdf   national 项目支出绩效自评表 (永德县明朗中学), printed by LibreOffice
  anhui_xiaoxian_zhangzhuangzhai_2023.docx  绩效目标自评表 (张庄寨镇人民政府), a Word table
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_report_fixtures import (  # noqa: E402
    TEXT_W, Cell, body_append, make_p, make_tbl, new_document, save_docx, soffice_to_pdf,
)

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "datasets" / "reports"
EPOCH = 1704067200


def grid_rows(spec: list[list[str]]) -> list[list[Cell]]:
    """Rows given on a full grid: '<' continues the cell to its left (gridSpan), '^' the cell
    above (vMerge). Returns Word cells with spans and vertical merges."""
    n = len(spec[0])
    assert all(len(r) == n for r in spec), [len(r) for r in spec]
    out = []
    for ri, r in enumerate(spec):
        cells: list[Cell] = []
        ci = 0
        while ci < n:
            span = 1
            while ci + span < n and r[ci + span] == "<":
                span += 1
            t = r[ci]
            if t == "^":
                cells.append(Cell(text="", span=span, vmerge="continue"))
            else:
                below = ri + 1 < len(spec) and spec[ri + 1][ci] == "^"
                cells.append(Cell(text=t, span=span, vmerge="restart" if below else None))
            ci += span
        out.append(cells)
    return out


def widths(weights: list[float]) -> list[int]:
    s = sum(weights)
    ws = [int(TEXT_W * w / s) for w in weights]
    ws[ws.index(max(ws))] -= sum(ws) - TEXT_W
    return ws


def document(title_lines: list[str], spec: list[list[str]], weights: list[float], header_rows=0):
    doc = new_document(title_lines[0], title_lines[0], EPOCH)
    for t in title_lines:
        body_append(doc, make_p(t, jc="center"))
    body_append(doc, make_tbl(grid_rows(spec), widths(weights), header_rows=header_rows))
    body_append(doc, make_p(""))
    return doc


def yongde():
    """tests/realworld/08: https://www.yongde.gov.cn/info/3003/116104.htm"""
    X = ""
    spec = [
        ["项目名称", "<", "义务教育营养改善计划专项资金", "<", "<", "<", "<", "<", "<", "<", "<"],
        ["主管部门", "<", "永德县教育体育局", "<", "<", "<", "实施单位", "永德县明朗中学", "<", "<", "<"],
        ["项目资金（元）", "<", X, "<", "年初预算数", "<", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["^", "^", "年度资金总额", "<", X, "<", "387664.62", "387664.62", "10", "100%", "10"],
        ["^", "^", "其中：当年财政拨款", "<", X, "<", "387664.62", "387664.62", "—", X, "—"],
        ["^", "^", "上年结转资金", "<", X, "<", X, X, "—", X, "—"],
        ["^", "^", "其他资金", "<", "—", "<", "—", "—", "—", X, "—"],
        ["年度总体目标", "<", "预期目标", "<", "<", "<", "<", "实际完成情况", "<", "<", "<"],
        ["^", "^", "确保每一个学生都能享受到国家政策福利，改善学生体质", "<", "<", "<", "<",
         "确保每一个学生都能享受到国家政策福利，改善学生体质", "<", "<", "<"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "<", "<", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施"],
        ["^", "^", "^", "^", "指标性质", "指标值", "度量单位", "^", "^", "^", "^"],
        ["^", "产出指标", "数量指标", "学生受资助人数", "≧", "735", "人次", "735", "10", "10", X],
        ["^", "^", "质量指标", "营养改善计划覆盖率", "≧", "100", "%", "100%", "10", "10", X],
        ["^", "^", "时效指标", "资金到位及时率", "≧", "100", "%", "100%", "10", "7", X],
        ["^", "^", "成本指标", "生均补助标准达标率", "═", "100", "%", "100%", "10", "10", X],
        ["^", "效益指标", "经济效益指标", "减轻贫困学生家庭经济负担", X, "有效", X, "有效", "10", "10", X],
        ["^", "^", "社会效益指标", "政策知晓率", "═", "100", "%", "98%", "10", "9", X],
        ["^", "^", "生态效益指标", X, X, X, X, X, X, X, X],
        ["^", "^", "可持续影响指标", "促进学校教育事业健康发展", "≧", "100", "%", "100%", "10", "10", X],
        ["^", "满意度指标", "服务对象满意度指标等", "学生满意度", "≧", "95", "%", "100%", "10", "10", X],
        ["^", "^", "^", "家长满意度", "≧", "95", "%", "100%", "10", "10", X],
        ["其他需要说明事项", "<", "无", "<", "<", "<", "<", "<", "<", "<", "<"],
        ["总分", "<", "<", "<", "<", "<", "<", "<", "100", "96", "优"],
    ]
    w = [1.5, 1.8, 2.4, 4.2, 1.3, 1.5, 2.7, 2.7, 1.2, 1.6, 2.4]
    return document(["2022年度项目支出绩效自评表", "部门：临沧市永德县明朗中学　　公开14表"], spec, w)


def xiaoxian():
    """tests/realworld/12: https://www.ahxx.gov.cn/grassroots/279/158998981.html"""
    X = ""
    spec = [
        ["项目名称", "<", "河西村特色种养补贴到户项目", "<", "<", "项目负责人及电话", "<", "李宁0557-5788003", "<"],
        ["主管部门", "<", "县农业农村局", "<", "<", "实施单位", "<", "张庄寨镇人民政府", "<"],
        ["资金情况（万元）", "<", X, "<", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],
        ["^", "^", "年度资金总额：", "<", "9.48", "9.48", "10", "100%", "10"],
        ["^", "^", "其中：本年财政拨款", "<", "9.48", "9.48", "10", "100%", "10"],
        ["^", "^", "其他资金", "<", "-", "-", X, X, X],
        ["年度总体目标", "<", "年初设定目标", "<", "<", "年度总体目标完成情况综述", "<", "<", "<"],
        ["^", "^", "落实39户特色种养业奖补政策，增加脱贫户家庭收入", "<", "<",
         "落实39户特色种养业奖补政策，增加脱贫户家庭收入", "<", "<", "<"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
         "未完成原因及拟采取的改进措施"],
        ["^", "产出指标（50分）", "数量指标", "★补助各类瓜果蔬菜种植面积", "20", "29.5亩", "29.5亩", "20", X],
        ["^", "^", "^", "其中桃树种植面积", X, "1.5亩", "1.5亩", X, X],
        ["^", "^", "^", "其中苹果树种植面积", X, "5亩", "5亩", X, X],
        ["^", "^", "^", "其中露天蔬菜", X, "20亩", "20亩", X, X],
        ["^", "^", "^", "其中大棚蔬菜", X, "3亩", "3亩", X, X],
        ["^", "^", "^", "★补助鱼塘面积", "10", "3亩", "3亩", "10", X],
        ["^", "^", "^", "其中鱼塘养殖面积", X, "3亩", "3亩", X, X],
        ["^", "^", "^", "★补助家畜家禽养殖数量", "10", "192只", "192只", "10", X],
        ["^", "^", "^", "其中羊养殖数量", X, "180只", "180只", X, X],
        ["^", "^", "^", "其中猪养殖数量", X, "12头", "12头", X, X],
        ["^", "^", "质量指标", "种植作物成活率", "5", "95%", "95%", "5", X],
        ["^", "^", "^", "养殖家畜家禽成活率", "5", "95%", "100%", "5", X],
        ["^", "^", "^", "……", X, X, X, X, X],
        ["^", "效益指标（30分）", "经济效益指标", "特色产业带动增加受益农户收入(总收入)", "20", "≥11.376万元", "12万元", "20", X],
        ["^", "^", "社会效益指标", "受益人口数量", "10", "90人", "90人", "10", X],
        ["^", "^", "生态效益指标", X, X, X, X, X, X],
        ["^", "^", "可持续影响指标", X, X, X, X, X, X],
        ["^", "^", "……", X, X, X, X, X, X],
    ]
    w = [2.0, 2.4, 2.6, 6.0, 1.4, 2.4, 2.4, 1.4, 3.4]
    return document(["绩效目标自评表", "（2023年度）"], spec, w)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    save_docx(xiaoxian(), OUT / "anhui_xiaoxian_zhangzhuangzhai_2023.docx")
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "yunnan_yongde_minglang_2022.docx"
        save_docx(yongde(), d)
        soffice_to_pdf([d], OUT)
    for f in sorted(OUT.glob("*.docx")) + sorted(OUT.glob("*.pdf")):
        print(f"{f.relative_to(REPO)}: {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
