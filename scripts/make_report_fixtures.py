#!/usr/bin/env python3
"""Build the DOCX/PDF reader fixtures in tests/fixtures/ (run via scripts/make_report_fixtures.sh).

Outputs
  tests/fixtures/reports/docx/<stem>.docx      the five datasets/reports/*.txt as Word documents
  tests/fixtures/reports/pdf/<stem>.pdf        the same printed by LibreOffice (embedded subset TrueType)
  tests/fixtures/reports/pdf-type0/<stem>.pdf  the same re-printed by pdftocairo (Type0 / Identity-H)
  tests/fixtures/hazards/*                     small hazard files + expected.csv
  tests/fixtures/README.md                     generated description (tool versions, sizes)

How a .txt report becomes a .docx
  * A line without TAB is one Word paragraph, text kept exactly (TAB-free by definition; empty
    lines become empty paragraphs).
  * A run of consecutive TAB lines is one Word table: one row per line, one cell per TAB-separated
    cell, rows padded at the end to the widest row. Blank lines between two TAB lines are dropped
    (they do not split the table). The first row is a repeated header row (w:tblHeader).
  * One-cell-per-line runs (every line is exactly "<blank>TAB<text>", as in report 002) are kept
    as paragraphs (with their TAB), because their table structure cannot be recovered.
  * Indicator tables: the first row of a run whose cells name 一级(指标) and 二级(指标) is the
    indicator header; its 一级/二级/三级 columns are "level columns". Below it, an empty level
    cell continues (w:vMerge) the merged cell above it when the cell above is labelled or itself a
    continuation, every level column to its left in the same row is a continuation too, and every
    other cell to its left is empty. Header-pattern rows (repeated headers) are never merge origins
    and never continue. So a merge never crosses a 一级 boundary, a drifted row (one that lost its
    leading TAB: col 0 non-empty), a title row or a 总分/合计 row.

Wrapped-continuation rule (CONT_* below)
  A non-empty line without TAB is a continuation of the table row above, and is appended to one of
  that row's cells instead of becoming a paragraph, when ALL of these hold:
    1. it follows a TAB line directly (no blank line in between) - or follows such a continuation
       line directly;
    2. the block of such consecutive non-TAB lines is at most CONT_MAX_LINES (3) lines long and
       each line is short: at most CONT_MAX_CHARS (30) characters after trimming;
    3. the next non-blank line after the block is a TAB line (the table goes on);
    4. the line does not look like a caption/heading (HEADING_RE: 附件/附表/表N/第N部分/(2023年度)/
       一、 ... or containing 自评表/指标体系/情况表/一览表).
  The text goes to the row's last non-empty cell whose text is not a bare number (digits, . , % -
  — only; an 得分 or 分值 cell is never the one that wrapped), or the last non-empty cell if all
  are numbers; it is joined with no separator (CJK wrap) except a single space between two ASCII
  letters/digits.
  Cases in the five reports: none qualify. Every non-TAB line that sits between two TAB lines is a
  title preceded by a blank line (000's repeated "…指标体系" page titles, 004's "项目支出绩效自评表
  (2023 年度)" form titles, 004 "指标体系及打分情况表"), which rule 1 (and 4) keep as paragraphs
  that split the tables. The one candidate by rule 1, 002 l.39, opens a 10-line block inside 002's
  one-cell-per-line run (rule 2 rejects it, and that run stays paragraphs anyway). The wrapped rows
  the gold README lists (004 l.742-744, l.431-433, l.446-448) carry TABs ("\t\t\t档\t\t\t\t"): they
  are table rows of their own and stay rows. `--selftest` exercises the rule on synthetic input.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from lxml import etree

FONT = "WenQuanYi Zen Hei"
FONT_HALF_POINTS = 21  # 10.5 pt
TWIP_PER_CM = 567
PAGE_W, PAGE_H = 11906, 16838  # A4 in twips
MARGIN_LR = int(2.2 * TWIP_PER_CM)
MARGIN_TB = int(2.5 * TWIP_PER_CM)
TEXT_W = PAGE_W - 2 * MARGIN_LR
CELL_MAR = 57  # 0.1 cm left/right cell margin

CONT_MAX_CHARS = 30
CONT_MAX_LINES = 3
HEADING_RE = re.compile(
    r"^\s*(附件|附表|表\s*\d|第[一二三四五六七八九十]+部分|[（(]\s*\d{4}\s*年度?\s*[）)]"
    r"|[一二三四五六七八九十]+\s*[、.．])|自评表|指标体系|情况表|一览表"
)
BARE_NUMBER_RE = re.compile(r"^[\s\d.,，%％+\-—–]*$")
LEVEL_NAMES = {"一级指标": 1, "二级指标": 2, "三级指标": 3, "一级": 1, "二级": 2, "三级": 3}

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def log(*a):
    print(*a, flush=True)


def nows(s: str) -> str:
    return re.sub(r"\s+", "", s)


# --------------------------------------------------------------------------------------------
# .txt -> blocks
# --------------------------------------------------------------------------------------------
@dataclass
class Row:
    line: int  # 1-based line number in the .txt
    cells: list[str]
    conts: list[tuple[int, str, int]] = field(default_factory=list)  # (line, text, cell index)


@dataclass
class Table:
    rows: list[Row]
    dropped_blank_lines: list[int] = field(default_factory=list)


def is_tab(line: str) -> bool:
    return "\t" in line


def is_continuation_text(t: str) -> bool:
    s = t.strip()
    return 0 < len(s) <= CONT_MAX_CHARS and not HEADING_RE.search(s)


def continuation_target(cells: list[str]) -> int:
    nonempty = [i for i, c in enumerate(cells) if c.strip()]
    words = [i for i in nonempty if not BARE_NUMBER_RE.match(cells[i])]
    if words:
        return words[-1]
    if nonempty:
        return nonempty[-1]
    return 0


def join_wrap(a: str, b: str) -> str:
    a2, b2 = a.rstrip(), b.strip()
    if a2 and b2 and re.match(r"[A-Za-z0-9]", a2[-1]) and re.match(r"[A-Za-z0-9]", b2[0]):
        return a2 + " " + b2
    return a2 + b2


def parse_txt(lines: list[str]):
    """Return blocks: ('p', lineno, text) | ('t', Table)."""
    blocks = []
    n = len(lines)
    i = 0
    while i < n:
        if not is_tab(lines[i]):
            blocks.append(("p", i + 1, lines[i]))
            i += 1
            continue
        members: list[tuple[str, int]] = []
        j = i
        while j < n:
            if is_tab(lines[j]):
                members.append(("row", j))
                j += 1
                continue
            if not lines[j].strip():
                k = j
                while k < n and not lines[k].strip():
                    k += 1
                if k < n and is_tab(lines[k]):
                    members += [("blank", x) for x in range(j, k)]
                    j = k
                    continue
                break
            # non-blank, non-TAB line
            if members and members[-1] == ("row", j - 1):
                k = j
                while k < n and lines[k].strip() and not is_tab(lines[k]):
                    k += 1
                m = k
                while m < n and not lines[m].strip():
                    m += 1
                if (k - j) <= CONT_MAX_LINES and m < n and is_tab(lines[m]) and all(
                    is_continuation_text(lines[x]) for x in range(j, k)
                ):
                    members += [("cont", x) for x in range(j, k)]
                    j = k
                    continue
            break
        rows_idx = [x for kind, x in members if kind == "row"]
        one_cell = all(
            lines[x].count("\t") == 1 and not lines[x].split("\t")[0].strip() for x in rows_idx
        )
        if one_cell:
            for _, x in members:
                blocks.append(("p", x + 1, lines[x]))
        else:
            t = Table(rows=[])
            for kind, x in members:
                if kind == "row":
                    t.rows.append(Row(line=x + 1, cells=lines[x].split("\t")))
                elif kind == "blank":
                    t.dropped_blank_lines.append(x + 1)
                else:
                    r = t.rows[-1]
                    ci = continuation_target(r.cells)
                    r.cells[ci] = join_wrap(r.cells[ci], lines[x])
                    r.conts.append((x + 1, lines[x], ci))
            blocks.append(("t", t))
        i = j
    return blocks


def is_header_row(cells: list[str]) -> bool:
    names = {nows(c) for c in cells}
    return bool(names & {"一级指标", "一级"}) and bool(names & {"二级指标", "二级"})


def vmerge_plan(rows: list[list[str]]) -> dict[tuple[int, int], str]:
    """(row, col) -> 'restart' | 'continue' for indicator tables (see module doc)."""
    plan: dict[tuple[int, int], str] = {}
    h = next((r for r, cells in enumerate(rows) if is_header_row(cells)), None)
    if h is None:
        return plan
    level_cols = sorted(c for c, v in enumerate(rows[h]) if nows(v) in LEVEL_NAMES)
    state: dict[tuple[int, int], str] = {}  # 'label' | 'cont'
    for r in range(h + 1, len(rows)):
        cells = rows[r]
        if is_header_row(cells):
            continue
        for c in level_cols:
            if c >= len(cells):
                continue
            if cells[c].strip():
                state[(r, c)] = "label"
                continue
            above = state.get((r - 1, c))
            if above is None:
                continue
            ok = True
            for c2 in range(c):
                if c2 in level_cols:
                    if state.get((r, c2)) != "cont":
                        ok = False
                elif c2 < len(cells) and cells[c2].strip():
                    ok = False
            if ok:
                state[(r, c)] = "cont"
    for (r, c), s in state.items():
        if s == "cont":
            plan[(r, c)] = "continue"
            r0 = r
            while state.get((r0, c)) == "cont":
                r0 -= 1
            plan[(r0, c)] = "restart"
    return plan


# --------------------------------------------------------------------------------------------
# DOCX building blocks
# --------------------------------------------------------------------------------------------
def el(tag: str, **attrs) -> etree._Element:
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(k.replace("_", ":", 1)), str(v))
    return e


def add_text(p, text: str):
    """Append one run holding text (TABs become w:tab) to a w:p element."""
    r = el("w:r")
    parts = text.split("\t")
    for k, part in enumerate(parts):
        if k:
            r.append(el("w:tab"))
        if part:
            t = el("w:t")
            t.text = part
            if part != part.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
    p.append(r)
    return r


def make_p(text: str = "", jc: str | None = None, size_hp: int | None = None, bold=False):
    p = el("w:p")
    if jc or (size_hp and not text):
        ppr = el("w:pPr")  # children in schema order: spacing, jc, rPr
        thin = bool(size_hp and not text)
        if thin:  # a thin empty paragraph: exact line height = mark size
            ppr.append(el("w:spacing", w_before=0, w_after=0, w_line=size_hp * 10, w_lineRule="exact"))
        if jc:
            ppr.append(el("w:jc", w_val=jc))
        if thin:
            mark = el("w:rPr")
            mark.append(el("w:sz", w_val=size_hp))
            mark.append(el("w:szCs", w_val=size_hp))
            ppr.append(mark)
        p.append(ppr)
    if text:
        r = add_text(p, text)
        if size_hp or bold:
            rpr = el("w:rPr")
            if bold:
                rpr.append(el("w:b"))
            if size_hp:
                rpr.append(el("w:sz", w_val=size_hp))
                rpr.append(el("w:szCs", w_val=size_hp))
            r.insert(0, rpr)
    return p


@dataclass
class Cell:
    text: str = ""
    span: int = 1
    vmerge: str | None = None  # 'restart' | 'continue'
    nested: list[list["Cell"]] | None = None
    nested_widths: list[int] | None = None
    jc: str | None = None


def make_tbl(rows: list[list[Cell]], widths: list[int], header_rows: int = 1, indent: int = 0):
    tbl = el("w:tbl")
    tblPr = el("w:tblPr")
    tblPr.append(el("w:tblW", w_w=sum(widths), w_type="dxa"))
    if indent:
        tblPr.append(el("w:tblInd", w_w=indent, w_type="dxa"))
    borders = el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(el(f"w:{side}", w_val="single", w_sz=4, w_space=0, w_color="000000"))
    tblPr.append(borders)
    tblPr.append(el("w:tblLayout", w_type="fixed"))
    mar = el("w:tblCellMar")
    mar.append(el("w:left", w_w=CELL_MAR, w_type="dxa"))
    mar.append(el("w:right", w_w=CELL_MAR, w_type="dxa"))
    tblPr.append(mar)
    tblPr.append(el("w:tblLook", w_val="04A0", w_firstRow=1, w_lastRow=0, w_firstColumn=1,
                    w_lastColumn=0, w_noHBand=0, w_noVBand=1))
    tbl.append(tblPr)
    grid = el("w:tblGrid")
    for w in widths:
        grid.append(el("w:gridCol", w_w=w))
    tbl.append(grid)
    for ri, row in enumerate(rows):
        tr = el("w:tr")
        if ri < header_rows:
            trPr = el("w:trPr")
            trPr.append(el("w:tblHeader"))
            tr.append(trPr)
        col = 0
        for cell in row:
            tc = el("w:tc")
            tcPr = el("w:tcPr")
            tcPr.append(el("w:tcW", w_w=sum(widths[col:col + cell.span]), w_type="dxa"))
            if cell.span > 1:
                tcPr.append(el("w:gridSpan", w_val=cell.span))
            if cell.vmerge == "restart":
                tcPr.append(el("w:vMerge", w_val="restart"))
            elif cell.vmerge == "continue":
                tcPr.append(el("w:vMerge"))
            tcPr.append(el("w:vAlign", w_val="center"))
            tc.append(tcPr)
            texts = cell.text.split("\n") if cell.vmerge != "continue" else [""]
            for t in texts:
                tc.append(make_p(t, jc=cell.jc))
            if cell.nested:
                tc.append(make_tbl(cell.nested, cell.nested_widths, header_rows=0))
                tc.append(make_p(""))  # a cell must end with a paragraph
            tr.append(tc)
            col += cell.span
        tbl.append(tr)
    return tbl


def add_field_run(p, instr: str, placeholder: str):
    def fld(kind):
        r = el("w:r")
        r.append(el("w:fldChar", w_fldCharType=kind))
        return r

    p.append(fld("begin"))
    r = el("w:r")
    it = el("w:instrText")
    it.text = f" {instr} "
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(it)
    p.append(r)
    p.append(fld("separate"))
    add_text(p, placeholder)
    p.append(fld("end"))


RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
             "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
             "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
             "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout"]


def new_document(running_header: str, title: str, epoch: int):
    doc = Document()
    # Fonts: explicit WenQuanYi Zen Hei everywhere (docDefaults and Normal), no theme fonts.
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    for node in (rpr_default, doc.styles["Normal"].element.get_or_add_rPr()):
        old = node.find(qn("w:rFonts"))
        if old is not None:
            node.remove(old)
        rf = el("w:rFonts", w_ascii=FONT, w_hAnsi=FONT, w_eastAsia=FONT, w_cs=FONT)
        node.insert(0, rf)
        for tag in ("w:sz", "w:szCs"):
            o = node.find(qn(tag))
            if o is not None:
                node.remove(o)
            node.append(el(tag, w_val=FONT_HALF_POINTS))
        lang = node.find(qn("w:lang"))
        if lang is None:
            lang = el("w:lang")
            node.append(lang)
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        order = {qn(f"w:{t}"): i for i, t in enumerate(RPR_ORDER)}
        kids = sorted(node, key=lambda e: order.get(e.tag, len(order)))
        for k in kids:  # re-append in schema order (Word rejects out-of-order rPr children)
            node.append(k)
    normal = doc.styles["Normal"]
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    ppr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:pPrDefault"))
    if ppr_default is not None:
        sp = ppr_default.find(qn("w:pPr") + "/" + qn("w:spacing"))
        if sp is not None:
            sp.getparent().remove(sp)

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(PAGE_W), Twips(PAGE_H)
    sec.left_margin = sec.right_margin = Twips(MARGIN_LR)
    sec.top_margin = sec.bottom_margin = Twips(MARGIN_TB)
    sec.header_distance = sec.footer_distance = Twips(int(1.5 * TWIP_PER_CM))
    hp = sec.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(hp._p, running_header)
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(fp._p, "- ")
    add_field_run(fp._p, "PAGE", "1")
    add_text(fp._p, " -")

    when = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(tzinfo=None)
    cp = doc.core_properties
    cp.title = title
    cp.author = cp.last_modified_by = "jixiao fixtures"
    cp.created = cp.modified = when
    cp.last_printed = when
    cp.revision = 1
    cp.comments = ""
    return doc


def body_append(doc, element):
    doc.element.body.sectPr.addprevious(element)


def normalize_zip(path: Path):
    """Rewrite a zip with fixed timestamps so python-docx output is byte-for-byte reproducible."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in items:
            zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data, compresslevel=9)


def save_docx(doc, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    normalize_zip(path)


# --------------------------------------------------------------------------------------------
# Reports: .txt -> .docx
# --------------------------------------------------------------------------------------------
def display_len(s: str) -> float:
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in s.strip())


def column_widths(rows: list[list[str]], ncols: int, total: int = TEXT_W) -> list[int]:
    """Column widths in twips: proportional to the 90th percentile of the non-empty cells' display
    length (CJK char = 1, other = 0.55), clamped to 2..18 characters, scaled to the text width."""
    weights = []
    for c in range(ncols):
        lens = sorted(display_len(r[c]) for r in rows if c < len(r) and r[c].strip())
        p90 = lens[int(0.9 * (len(lens) - 1))] if lens else 0
        weights.append(min(max(p90, 2.0), 18.0))
    s = sum(weights)
    ws = [max(int(total * w / s), 2 * 210 + 2 * CELL_MAR) for w in weights]
    # absorb rounding / minimum-width overflow in the widest column
    ws[ws.index(max(ws))] -= sum(ws) - total
    return ws


def report_to_docx(txt: Path, out: Path, epoch: int):
    text = txt.read_text(encoding="utf-8")
    lines = text.split("\n")
    first = next(l for l in lines if l.strip()).strip()
    doc = new_document(first[:20], first, epoch)
    # python-docx's template starts with no body paragraphs; keep it that way.
    blocks = parse_txt(lines)
    stats = {"paragraphs": 0, "tables": 0, "rows": 0, "vmerge_continue": 0, "continuations": [],
             "dropped_blank_lines": 0, "indicator_tables": 0}
    last_kind = None
    for b in blocks:
        if b[0] == "p":
            body_append(doc, make_p(b[2]))
            stats["paragraphs"] += 1
            last_kind = "p"
            continue
        t: Table = b[1]
        ncols = max(len(r.cells) for r in t.rows)
        grid = [r.cells + [""] * (ncols - len(r.cells)) for r in t.rows]
        plan = vmerge_plan(grid)
        if plan:
            stats["indicator_tables"] += 1
        rows = [[Cell(text=v, vmerge=plan.get((ri, ci))) for ci, v in enumerate(row)]
                for ri, row in enumerate(grid)]
        stats["vmerge_continue"] += sum(1 for v in plan.values() if v == "continue")
        body_append(doc, make_tbl(rows, column_widths(grid, ncols), header_rows=1))
        stats["tables"] += 1
        stats["rows"] += len(grid)
        stats["dropped_blank_lines"] += len(t.dropped_blank_lines)
        for r in t.rows:
            stats["continuations"] += [(ln, s, r.line, ci) for ln, s, ci in r.conts]
        last_kind = "t"
    if last_kind == "t":  # a body must not end with a table
        body_append(doc, make_p(""))
    save_docx(doc, out)
    return blocks, stats


def docx_lines(path: Path) -> list[tuple[str, str]]:
    """Read a docx the way a reader would: ('p', text) per body paragraph, ('r', TAB-joined) per
    table row; vMerge continue cells are empty, a gridSpan cell is followed by span-1 empty cells."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    W = "{%s}" % W_NS

    def ptext(p):
        out = []
        for node in p.iter(W + "t", W + "tab", W + "br"):
            if node.tag == W + "t":
                out.append(node.text or "")
            elif node.tag == W + "tab":
                out.append("\t")
            else:
                out.append("\n")
        return "".join(out)

    res = []
    body = root.find(W + "body")
    for child in body:
        if child.tag == W + "p":
            res.append(("p", ptext(child)))
        elif child.tag == W + "tbl":
            for tr in child.findall(W + "tr"):
                cells = []
                for tc in tr.findall(W + "tc"):
                    vm = tc.find(f"{W}tcPr/{W}vMerge")
                    span = tc.find(f"{W}tcPr/{W}gridSpan")
                    if vm is not None and vm.get(W + "val", "continue") != "restart":
                        txt = ""
                    else:
                        txt = "\n".join(ptext(p) for p in tc.findall(W + "p"))
                    cells.append(txt)
                    if span is not None:
                        cells += [""] * (int(span.get(W + "val")) - 1)
                res.append(("r", "\t".join(cells)))
    return res


def docx_part_lines(path: Path, part: str) -> list[tuple[str, str]]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read(f"word/{part}"))
    W = "{%s}" % W_NS
    return [("p", "".join(t.text or "" for t in p.iter(W + "t"))) for p in root.iter(W + "p")]


def strip_trailing_empty(cells: list[str]) -> list[str]:
    c = list(cells)
    while c and c[-1] == "":
        c.pop()
    return c


def verify_report_docx(txt: Path, docx: Path, blocks) -> list[str]:
    """Compare the docx text with the .txt; returns a list of problems."""
    lines = txt.read_text(encoding="utf-8").split("\n")
    got = docx_lines(docx)
    expected: list[tuple[str, str, int]] = []
    moved = set()
    for b in blocks:
        if b[0] == "p":
            expected.append(("p", b[2], b[1]))
        else:
            for r in b[1].rows:
                cells = lines[r.line - 1].split("\t")
                for ln, s, ci in r.conts:
                    cells[ci] = join_wrap(cells[ci], s)
                    moved.add(ln)
                expected.append(("r", "\t".join(cells), r.line))
    if got and got[-1] == ("p", "") and (not expected or expected[-1][0] == "r"):
        got = got[:-1]
    problems = []
    if len(got) != len(expected):
        problems.append(f"line count: docx {len(got)} vs expected {len(expected)}")
    for (gk, gt), (ek, et, ln) in zip(got, expected):
        if gk != ek:
            problems.append(f"l.{ln}: kind {gk} vs {ek}")
        elif ek == "p" and gt != et:
            problems.append(f"l.{ln}: paragraph differs: {gt!r} vs {et!r}")
        elif ek == "r" and strip_trailing_empty(gt.split("\t")) != strip_trailing_empty(et.split("\t")):
            problems.append(f"l.{ln}: row differs: {gt!r} vs {et!r}")
    # every TAB line of the .txt must be accounted for, as a row or (002) as a paragraph
    used = {ln for _, _, ln in expected}
    for i, l in enumerate(lines, 1):
        if l.strip() and i not in used and i not in moved:
            problems.append(f"l.{i}: not reproduced: {l[:60]!r}")
    return problems


# --------------------------------------------------------------------------------------------
# External tools
# --------------------------------------------------------------------------------------------
def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


LO_PROFILE = "file:///tmp/jixiao-fixture-lo-profile"


def soffice_to_pdf(docxs: list[Path], outdir: Path):
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        run(["soffice", f"-env:UserInstallation={LO_PROFILE}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", tmp, *map(str, docxs)], timeout=1800)
        for d in docxs:
            src = Path(tmp) / (d.stem + ".pdf")
            if not src.exists():
                raise SystemExit(f"LibreOffice did not produce {src.name}")
            dst = outdir / src.name
            shutil.move(str(src), dst)
            pin_pdf_metadata(dst)


def pin_pdf_metadata(path: Path):
    """Same-length in-place rewrite of dates and /ID so that re-runs give identical bytes
    (xref offsets stay valid because nothing changes length)."""
    b = path.read_bytes()
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "1704067200"))
    t = dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    b = re.sub(rb"D:\d{14}", b"D:" + t.strftime("%Y%m%d%H%M%S").encode(), b)
    b = re.sub(rb"(?<=[>\"'])\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", t.strftime("%Y-%m-%dT%H:%M:%S").encode(), b)
    b = re.sub(rb"uuid:[0-9a-fA-F-]{36}", lambda m: b"uuid:" + uuid_like(path.name, m.group(0)), b)
    seed = hashlib.sha256(path.name.encode()).hexdigest().upper().encode()

    def fix_id(m):
        a, c = m.group(1), m.group(2)
        return m.group(0).replace(a, seed[: len(a)]).replace(c, seed[: len(c)])

    b = re.sub(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]", fix_id, b)
    # LibreOffice also writes an MD5 /DocChecksum of the (time-stamped) file into the trailer.
    b = re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)", lambda m: m.group(1) + seed[: len(m.group(2))], b)
    path.write_bytes(b)


def uuid_like(name: str, old: bytes) -> bytes:
    h = hashlib.sha256(name.encode() + old[:0]).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}".encode()


def cairo_reprint(src: Path, dst: Path):
    dst.parent.mkdir(parents=True, exist_ok=True)
    run(["pdftocairo", "-pdf", str(src), str(dst)], timeout=1800)
    pin_pdf_metadata(dst)


def pdffonts(path: Path) -> list[dict]:
    out = run(["pdffonts", str(path)]).stdout.splitlines()
    rows = []
    # name type encoding emb sub uni object ID ; type may contain spaces ("CID TrueType")
    for l in out[2:]:
        m = re.match(r"^(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", l)
        if m:
            rows.append(dict(name=m.group(1), type=m.group(2).strip(), encoding=m.group(3),
                             emb=m.group(4), sub=m.group(5), uni=m.group(6)))
    return rows


def pdftotext(path: Path, *opts) -> str:
    return run(["pdftotext", *opts, str(path), "-"]).stdout


def pdf_pages(path: Path) -> int:
    out = run(["pdfinfo", str(path)]).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def check_pdf_text(docx: Path, pdf: Path) -> dict:
    """How much of the docx text comes out of pdftotext (white space removed)."""
    raw = pdftotext(pdf)
    # drop the page furniture (running header, "- N -" footer) before matching
    furniture = {nows(t) for k, t in docx_part_lines(docx, "header1.xml")}
    flat = nows("\n".join(l for l in raw.split("\n")
                          if nows(l) not in furniture and not re.fullmatch(r"\s*-\s*\d+\s*-\s*", l)))
    items = docx_lines(docx)
    paras = [nows(t) for k, t in items if k == "p" and nows(t)]
    cells = [nows(c) for k, t in items if k == "r" for c in t.split("\t") if nows(c)]
    # (a paragraph equal to the running header is matched against the raw text; pdftotext drops a
    # hyphen that ends a line, which can cost a paragraph holding "-" at a wrap point)
    p_ok = sum(1 for p in paras if p in flat or p in nows(raw))
    c_ok = sum(1 for c in cells if c in flat)
    doc_chars = {ch for k, t in items for ch in t if ord(ch) > 0x2E80}
    pdf_chars = {ch for ch in raw if ord(ch) > 0x2E80}
    return dict(paragraphs=len(paras), paragraphs_found=p_ok, cells=len(cells), cells_found=c_ok,
                cjk_chars=len(doc_chars), cjk_missing="".join(sorted(doc_chars - pdf_chars)),
                replacement_chars=raw.count("\ufffd"))


# --------------------------------------------------------------------------------------------
# Hazard forms (real 项目支出绩效自评表 of report 004, as an author would type them)
# --------------------------------------------------------------------------------------------
# Each form: values copied from datasets/reports/004_…txt (line numbers given); the extraction
# artifacts are undone: split numbers/labels joined ("949.8 2 万元" -> "949.82万元", "年初预 算数"
# -> "年初预算数"), drifted rows put back under their columns, truncated labels completed
# ("年度" -> "年度总体目标"; 满意度 row labels -> 满意度指标 / 服务对象满意度指标).
FORMS = {
    1: dict(  # table #1, l.773-791
        line=773, year="2023", name="2021年度老旧小区完善类改造项目", dept="城市管理办公室",
        unit="和义街道", person="裴旭", phone="67904043",
        money=[("年度资金总额", "949.821024", "949.821024", "949.821024", "10", "100%", "10"),
               ("其中：当年财政拨款", "949.821024", "949.821024", "949.821024", "—", "", "—"),
               ("上年结转资金", "0", "0", "0", "—", "", "—"),
               ("其他资金", "0", "0", "0", "—", "", "—")],
        goal=("2021年完善类改造项目-和义东里三、四、五区，按照工程完成进度支付工程款及二类费用。",
              "2021年完善类改造项目-和义东里三、四、五区，按照工程完成进度支付工程款至60%及二类（清点编制、招标代理费支付至50%）费用。"),
        inds=[("产出指标", "数量指标", "涉及楼数", "35栋", "35栋", "10", "10"),
              ("产出指标", "质量指标", "工程符合质量标准", "是否", "是", "10", "10"),
              ("产出指标", "时效指标", "预计支出时间", "≤12月", "9月", "10", "10"),
              ("产出指标", "成本指标", "全年总成本", "949.82万元", "949.82万元", "20", "20"),
              ("效益指标", "社会效益指标", "改善老旧小区上下水、室内线缆管槽，楼外线缆梳理、环境整治", "优良中差", "优", "15", "13"),
              ("效益指标", "社会效益指标", "解决了上下水管道老化等问题，提高小区环境", "优良中差", "优", "15", "12"),
              ("满意度指标", "服务对象满意度指标", "投诉率", "≤5%", "≤5%", "10", "9")],
        total=("100", "94"),
    ),
    119: dict(  # table #119, l.3612-3631
        line=3612, year="2023", name="社区书记工作室建设项目", dept="和义街道办事处", unit="党群办",
        person="陈玉莲", phone="67904022",
        money=[("年度资金总额", "10", "10", "10", "10", "100%", "10"),
               ("其中：当年财政拨款", "10", "10", "10", "—", "100%", "—"),
               ("上年结转资金", "", "", "", "—", "", "—"),
               ("其他资金", "", "", "", "—", "", "—")],
        goal=("进一步发挥市级社区书记工作室作用，不断提升我区社区书记工作室规范化建设水平和党建引领社区治理能力",
              "充分发挥了社区党组织书记的传帮带多用，探索适应本地实际的社区书记工作室工作方法，开展了有特色、有实效、有创新的工作和活动，提升党建引领社区治理水平"),
        inds=[("产出指标", "数量指标", "建立社区书记工作室数量", "1个", "1个", "10", "10"),
              ("产出指标", "质量指标", "基础设施到位，保障工作正常运行", "优良中差", "优", "10", "10"),
              ("产出指标", "时效指标", "支出时间", "12月", "12月", "10", "10"),
              ("产出指标", "成本指标", "全年总成本", "100000元", "100000元", "10", "10"),
              ("效益指标", "社会效益指标", "培训社区骨干，研讨解决社区治理问题", "优良中差", "优", "20", "18"),
              ("效益指标", "社会效益指标", "充分发挥党组织书记传帮带作用", "优良中差", "优", "20", "17"),
              ("满意度指标", "服务对象满意度", "投诉率", "≤5%", "0", "10", "10")],
        total=("100", "95"),
    ),
    120: dict(  # table #120, l.3637-3661
        line=3637, year="2023", name="街镇社会工作服务中心建设项目（23年社会建设市级经费）",
        dept="和义街道办事处", unit="社区建设办公室", person="杨玥", phone="67904036",
        money=[("年度资金总额", "13", "13", "13", "10", "100%", "10"),
               ("其中：当年财政拨款", "13", "13", "13", "—", "100%", "—"),
               ("上年结转资金", "—", "—", "—", "—", "—", "—"),
               ("其他资金", "—", "—", "—", "—", "—", "—")],
        goal=("通过开展个案服务、社区活动等方式，构建三级社会工作服务体系，带动实施一批满足群众需求的特色项目，进一步提升基层社会工作服务质量和基层治理现代化水平。",
              "开展个案服务累计受益178人次；开展小组和社区活动共计27场。打造了三级社会工作服务体系，带动实施一批满足群众需求的特色项目，进一步提升基层社会工作服务质量和基层治理现代化水平。"),
        inds=[("产出指标", "数量指标", "小组和社区活动次数", "24场", "27场", "5", "5"),
              ("产出指标", "数量指标", "专业督导时长", "50小时", "63小时", "5", "5"),
              ("产出指标", "数量指标", "个案服务数量", "10个", "11个", "5", "5"),
              ("产出指标", "质量指标", "个案目标完成度", "100%", "100%", "5", "5"),
              ("产出指标", "质量指标", "社工站点增设", "4个", "4个", "5", "5"),
              ("产出指标", "质量指标", "活动覆盖面", "400人次", "497人", "5", "5"),
              ("产出指标", "时效指标", "按期完成支付", "10月", "9月", "10", "10"),
              ("产出指标", "成本指标", "总成本", "13万", "13万", "10", "10"),
              ("效益指标", "社会效益指标", "为弱势困境群体提供实际帮助，提供人文关怀，提高他们面对困境的能力", "优良中差", "优", "10", "9"),
              ("效益指标", "社会效益指标", "丰富居民的生活，提升居民生活幸福感，营造良好的社区氛围", "优良中差", "优", "10", "9"),
              ("效益指标", "社会效益指标", "加强社会工作督导，提高社工专业服务能", "优良中差", "优", "10", "9"),
              ("满意度指标", "服务对象满意度", "居民满意度", ">90%", "94%", "10", "10")],
        total=("100", "97"),
    ),
}
IND_HEADER = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
              "偏差原因分析及改进措施"]


def check_forms_against_txt(lines: list[str]):
    """Every authored value must occur (white space removed) in the form's lines of the .txt."""
    for no, f in FORMS.items():
        start = f["line"] - 1
        end = next(i for i in range(start, len(lines)) if lines[i].startswith("总分"))
        src = nows("".join(lines[start:end + 1]))
        vals = [f["name"], f["dept"], f["unit"], f["person"], f["phone"], *f["goal"], *f["total"]]
        for m in f["money"]:
            vals += [v for v in m if v]
        for ind in f["inds"]:
            vals += list(ind[2:])
        for v in vals:
            if nows(v) not in src:
                raise SystemExit(f"form #{no}: {v!r} not found in 004 l.{f['line']}-{end + 1}")


def form_rows(f: dict, merged: bool, nested: bool = False, vmerge: bool = True):
    """The 项目支出绩效自评表 on a 9-column grid. merged=False: the layout of the .txt (labels once,
    empty cells below, no spans); merged=True: gridSpan for the wide cells and (vmerge=True) vMerge
    for 绩效指标/项目资金/年度总体目标/一级/二级, as a Word form is authored; with vmerge=False a
    label stands in the first row of its group and the cells below it are empty (as in the .txt)."""
    if merged and not vmerge:
        rows = form_rows(f, merged=True, nested=nested)
        for row in rows:
            for c in row:
                c.vmerge = None
        return rows
    C = Cell
    if not merged:
        rows = [[C("项目名称"), C(f["name"])] + [C() for _ in range(7)],
                [C("主管部门"), C(f["dept"]), C(), C(), C("实施单位"), C(f["unit"]), C(), C(), C()],
                [C("项目负责人"), C(f["person"]), C(), C(), C("联系电话"), C(f["phone"]), C(), C(), C()],
                [C("项目资金（万元）"), C(), C("年初预算数"), C("全年预算数"), C("全年执行数"), C("分值"),
                 C("执行率"), C("得分"), C()]]
        for m in f["money"]:
            rows.append([C()] + [C(v) for v in m] + [C()])
        rows.append([C("年度总体目标"), C("预期目标"), C(), C(), C("实际完成情况"), C(), C(), C(), C()])
        rows.append([C(), C(f["goal"][0]), C(), C(), C(f["goal"][1]), C(), C(), C(), C()])
        rows.append([C(h) for h in IND_HEADER])
        prev = (None, None)
        for l1, l2, *rest in f["inds"]:
            rows.append([C(), C(l1 if l1 != prev[0] else ""),
                         C(l2 if (l1, l2) != prev else "")] + [C(v) for v in rest] + [C()])
            prev = (l1, l2)
        rows.append([C("总分"), C(), C(), C(), C(), C(), C(f["total"][0]), C(f["total"][1]), C()])
        return rows
    rows = [[C("项目名称"), C(f["name"], span=8)],
            [C("主管部门"), C(f["dept"], span=3), C("实施单位"), C(f["unit"], span=4)],
            [C("项目负责人"), C(f["person"], span=3), C("联系电话"), C(f["phone"], span=4)],
            [C("项目资金（万元）", vmerge="restart"), C(), C("年初预算数"), C("全年预算数"), C("全年执行数"),
             C("分值"), C("执行率"), C("得分", span=2)]]
    for m in f["money"]:
        rows.append([C(vmerge="continue")] + [C(v) for v in m[:-1]] + [C(m[-1], span=2)])
    goal_done = C(f["goal"][1], span=5)
    if nested:
        # A small table inside the 实际完成情况 cell: the two payment milestones of that sentence.
        goal_done.nested = [[C("支付进度"), C("工程款"), C("二类费用（清点编制、招标代理费）")],
                            [C("完成比例"), C("60%"), C("50%")]]
        goal_done.nested_widths = [1100, 1000, 2400]
    rows.append([C("年度总体目标", vmerge="restart"), C("预期目标", span=3), C("实际完成情况", span=5)])
    rows.append([C(vmerge="continue"), C(f["goal"][0], span=3), goal_done])
    rows.append([C("绩效指标", vmerge="restart")] + [C(h) for h in IND_HEADER[1:]])
    inds = f["inds"]
    for i, (l1, l2, *rest) in enumerate(inds):
        same1 = i > 0 and inds[i - 1][0] == l1
        same2 = same1 and inds[i - 1][1] == l2
        nxt1 = i + 1 < len(inds) and inds[i + 1][0] == l1
        nxt2 = nxt1 and inds[i + 1][1] == l2
        c1 = C(vmerge="continue") if same1 else C(l1, vmerge="restart" if nxt1 else None)
        c2 = C(vmerge="continue") if same2 else C(l2, vmerge="restart" if nxt2 else None)
        rows.append([C(vmerge="continue"), c1, c2] + [C(v) for v in rest] + [C()])
    rows.append([C("总分", span=6), C(f["total"][0]), C(f["total"][1]), C()])
    return rows


def form_title_paras(f):
    return [make_p("项目支出绩效自评表", jc="center", size_hp=32, bold=True),
            make_p(f"({f['year']}年度)", jc="center"), make_p("", size_hp=12)]


HAZARD_HEADER = "2023年度项目支出绩效自评表"


def build_wrapped_cell(path: Path, epoch: int):
    doc = new_document(HAZARD_HEADER, "wrapped_cell", epoch)
    f = FORMS[1]
    for p in form_title_paras(f):
        body_append(doc, p)
    # Narrow columns (in CJK characters of 10.5 pt ~ 210 twips): 一级 4 chars, 二级 3, 三级 7,
    # 年度指标值/实际完成值 3, so indicator names and targets wrap over 2-4 lines; the budget
    # labels and amounts wrap too ("年初预/算数", "949.8/2102/4"), as in the .txt ("年初预 算数").
    # Wide cells (project name, goals) span columns; no vertical merges (labels once, then empty).
    ch = 210
    widths = [4 * ch, 4 * ch, 3 * ch, 7 * ch, 3 * ch, 3 * ch, 2 * ch, 2 * ch, 0]
    widths = [w + 2 * CELL_MAR for w in widths]
    widths[-1] = TEXT_W - sum(widths[:-1])
    body_append(doc, make_tbl(form_rows(f, merged=True, vmerge=False), widths, header_rows=1))
    body_append(doc, make_p("", size_hp=2))  # the body must end with a paragraph
    save_docx(doc, path)


def build_merged_cells(path: Path, epoch: int):
    doc = new_document(HAZARD_HEADER, "merged_cells", epoch)
    f = FORMS[1]
    for p in form_title_paras(f):
        body_append(doc, p)
    widths = [1300, 1000, 1300, 2300, 1100, 1100, 600, 600, 0]
    widths[-1] = TEXT_W - sum(widths[:-1])
    body_append(doc, make_tbl(form_rows(f, merged=True, nested=True), widths, header_rows=1))
    body_append(doc, make_p("", size_hp=2))  # the body must end with a paragraph
    save_docx(doc, path)


# Neutral narrative from report 004 (l.37-57, "（2）职责工作任务情况": no amounts, no scores),
# put in front of the forms to move the page break into the indicator table of the first form.
PAGE_BREAK_LEAD = (37, 57)


def build_page_break(path: Path, epoch: int, lead: list[str]):
    """Narrative paragraphs, then forms #120 and #119. Each form is two Word tables: the form
    head (项目名称 … 年度总体目标) and its indicator table, whose first row (绩效指标 | 一级指标 | …)
    is a repeated header row (a Word form splits there so that this header repeats). `lead` is
    chosen by make_page_break() so that #120's indicator table runs over the page break."""
    doc = new_document(HAZARD_HEADER, "page_break_table", epoch)
    widths = [1300, 1000, 1300, 2300, 1100, 1100, 600, 600, 0]
    widths[-1] = TEXT_W - sum(widths[:-1])
    for t in lead:
        body_append(doc, make_p(t))
    for k, no in enumerate((120, 119)):
        f = FORMS[no]
        if k or lead:
            body_append(doc, make_p(""))
        for p in form_title_paras(f):
            body_append(doc, p)
        rows = form_rows(f, merged=True)
        split = next(i for i, r in enumerate(rows) if r[0].text == "绩效指标")
        head, inds = rows[:split], rows[split:]
        inds[0][0] = Cell("绩效指标")  # the header row can't be part of a vertical merge
        inds[1][0] = Cell(vmerge="restart")
        body_append(doc, make_tbl(head, widths, header_rows=1))
        # A 2 pt empty paragraph keeps the two tables apart (Word would join adjacent tables).
        body_append(doc, make_p("", size_hp=4))
        body_append(doc, make_tbl(inds, widths, header_rows=1))
    body_append(doc, make_p("", size_hp=2))  # the body must end with a paragraph
    save_docx(doc, path)


def make_page_break(hz: Path, epoch: int, lines_004: list[str]) -> int:
    """Build page_break_table.docx/.pdf with the smallest number of lead paragraphs for which
    page 1 ends inside #120's indicator table (>= 2 indicator rows on each side of the break)."""
    paras = [l for l in lines_004[PAGE_BREAK_LEAD[0] - 1:PAGE_BREAK_LEAD[1]] if l.strip()]
    inds = [nows(i[2]) for i in FORMS[120]["inds"]]
    docx = hz / "page_break_table.docx"
    pdf = hz / "page_break_table.pdf"
    best = None
    for k in range(len(paras) + 1):
        build_page_break(docx, epoch, paras[:k])
        soffice_to_pdf([docx], hz)
        pages = [nows(pdftotext(pdf, "-f", str(i), "-l", str(i))) for i in range(1, pdf_pages(pdf) + 1)]
        if not 2 <= len(pages) <= 3:
            continue
        on1 = sum(1 for i in inds if i in pages[0])
        on2 = sum(1 for i in inds if i in pages[1])
        if on1 >= 2 and on2 >= 2 and "三级指标" in pages[1] and nows(FORMS[120]["name"]) not in pages[1]:
            if best is None or min(on1, on2) > min(best[1], best[2]):
                best = (k, on1, on2, len(pages))
    if best is None:
        raise SystemExit("page_break_table: could not place the page break inside the indicator table")
    k, on1, on2, npages = best
    build_page_break(docx, epoch, paras[:k])
    soffice_to_pdf([docx], hz)
    log(f"page_break_table: {k} lead paragraphs; {on1} indicator rows of #120 on page 1, "
        f"{on2} on page 2 under the repeated header row; {npages} pages")
    return k


def build_stsong(path: Path, epoch: int):
    """The form drawn by reportlab with the non-embedded CID font STSong-Light (UniGB-UCS2-H),
    like report-server PDFs: grid lines, spans, no ToUnicode map."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # encoding UniGB-UCS2-H
    base = ParagraphStyle("cell", fontName="STSong-Light", fontSize=10, leading=13, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=1)
    center = ParagraphStyle("c", parent=base, alignment=1)
    f = FORMS[1]
    rows = form_rows(f, merged=True)
    data, spans = [], []
    for ri, row in enumerate(rows):
        out, col = [], 0
        for cell in row:
            out.append(Paragraph(cell.text, base) if cell.text else "")
            if cell.span > 1:
                spans.append(("SPAN", (col, ri), (col + cell.span - 1, ri)))
            out += [""] * (cell.span - 1)
            col += cell.span
        data.append(out)
    # vertical spans from the vMerge plan
    ncols = 9
    grid_v = [[None] * ncols for _ in rows]
    for ri, row in enumerate(rows):
        col = 0
        for cell in row:
            grid_v[ri][col] = cell.vmerge
            col += cell.span
    for c in range(ncols):
        r = 0
        while r < len(rows):
            if grid_v[r][c] == "restart":
                r2 = r + 1
                while r2 < len(rows) and grid_v[r2][c] == "continue":
                    r2 += 1
                spans.append(("SPAN", (c, r), (c, r2 - 1)))
                r = r2
            else:
                r += 1
    widths = [w * cm for w in (2.0, 1.6, 2.1, 3.6, 1.8, 1.8, 1.0, 1.0, 2.1)]
    tbl = Table(data, colWidths=widths, repeatRows=0)
    tbl.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                             ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 2),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 2)] + spans))

    def furniture(canvas, doc_):
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 1.5 * cm, HAZARD_HEADER)
        canvas.drawCentredString(A4[0] / 2, 1.5 * cm, f"- {doc_.page} -")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm,
                            topMargin=2.5 * cm, bottomMargin=2.5 * cm, invariant=1,
                            initialFontName="STSong-Light", initialFontSize=10,
                            title="stsong", author="jixiao fixtures", creator="reportlab")
    doc.build([Paragraph("项目支出绩效自评表", title), Paragraph(f"({f['year']}年度)", center),
               Spacer(1, 0.4 * cm), tbl], onFirstPage=furniture, onLaterPages=furniture)


def build_scanned(src_pdf: Path, path: Path):
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", str(src_pdf),
             f"{tmp}/page"])
        png = sorted(Path(tmp).glob("page*.png"))[0]
        im = Image.open(png).convert("L")
        when = time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", "1704067200")))
        im.save(path, "PDF", resolution=150.0, title="scanned", author="jixiao fixtures",
                creationDate=when, modDate=when)


def qpdf_encrypt(src: Path, dst: Path, user: str, owner: str):
    # --static-id pins /ID, but AES-256 salts, IVs and the file key are random on every run (qpdf 11
    # has no switch for them). So an existing dst is kept when it decrypts to the same PDF as src
    # (both normalised by qpdf); only a changed src gives a new encrypted file.
    if dst.exists():
        with tempfile.TemporaryDirectory() as tmp:
            a, b = Path(tmp) / "a.pdf", Path(tmp) / "b.pdf"
            norm = ["--static-id", "--force-version=1.7"]
            ok = subprocess.run(["qpdf", f"--password={owner}", "--decrypt", *norm, str(dst), str(a)],
                                capture_output=True).returncode == 0
            if ok and subprocess.run(["qpdf", *norm, str(src), str(b)], capture_output=True).returncode == 0 \
                    and a.read_bytes() == b.read_bytes() and encryption_matches(dst, user, owner):
                return
    run(["qpdf", "--static-id", "--encrypt", user, owner, "256", "--", str(src), str(dst)])


def encryption_matches(path: Path, user: str, owner: str) -> bool:
    def show(*pw):
        return subprocess.run(["qpdf", "--show-encryption", *pw, str(path)], text=True, capture_output=True)

    with_user = show(f"--password={user}")
    if with_user.returncode != 0 or "R = 6" not in with_user.stdout:
        return False
    if "Supplied password is user password" not in with_user.stdout:
        return False
    # --requires-password: 0 = a password is needed to open, 3 = encrypted but opens without one
    needs = subprocess.run(["qpdf", "--requires-password", str(path)], capture_output=True).returncode
    return needs == (0 if user else 3)


# --------------------------------------------------------------------------------------------
# expected.csv
# --------------------------------------------------------------------------------------------
def form_facts(f: dict) -> list[tuple[str, str, str]]:
    m = f["money"][0]
    facts = [("unit", f["unit"], "实施单位"),
             ("fiscal_year", f["year"], ""),
             ("scope", "project", ""),
             ("project_name", nows(f["name"]), ""),
             ("evaluator_type", "self", "项目支出绩效自评表"),
             ("total_score", f["total"][1], f"max {f['total'][0]}"),
             ("budget_initial", m[1], "万元"),
             ("budget_full_year", m[2], "万元"),
             ("executed", m[3], "万元"),
             ("execution_rate", m[5], ""),
             ("exec_points", f"{m[4]}|{m[6]}", "执行率 row max|score")]
    for ind in f["inds"]:
        facts.append((f"ind:{nows(ind[2])}", f"{ind[5]}|{ind[6]}", f"{ind[0]}/{ind[1]}"))
    return facts


def write_expected(path: Path):
    rows = []

    def add(file, forms, note=""):
        for e, no in enumerate(forms, 1):
            for fact, value, n in form_facts(FORMS[no]):
                rows.append((file, e, fact, value,
                             "; ".join(x for x in (f"004 table #{no} l.{FORMS[no]['line']}", n, note) if x)))

    add("wrapped_cell.docx", [1])
    add("wrapped_cell.pdf", [1], "LibreOffice print of wrapped_cell.docx")
    add("merged_cells.docx", [1])
    add("merged_cells.pdf", [1], "LibreOffice print of merged_cells.docx")
    add("page_break_table.docx", [120, 119])
    add("page_break_table.pdf", [120, 119], "LibreOffice print; #120's indicator table crosses the page break")
    add("stsong.pdf", [1], "reportlab, non-embedded STSong-Light")
    add("encrypted_owner_only.pdf", [1], "wrapped_cell.pdf with owner password only (user password empty)")
    rows.append(("scanned.pdf", 1, "status", "no text layer (scanned)", "page 1 of merged_cells.pdf as a 150 dpi image"))
    rows.append(("encrypted.pdf", 1, "status", "encrypted", "wrapped_cell.pdf, user password 'user', owner 'owner', AES-256"))
    rows.append(("truncated.pdf", 1, "status", "truncated or damaged", "first 50% of the bytes of page_break_table.pdf"))
    rows.append(("truncated.docx", 1, "status", "truncated or damaged", "first 50% of the bytes of merged_cells.docx"))
    rows.append(("not_a_pdf.pdf", 1, "status", "not a PDF", "UTF-8 text file"))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "eval", "fact", "value", "note"])
        w.writerows(rows)
    return len(rows)


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------
def tool_versions() -> dict:
    def first_line(cmd):
        try:
            p = subprocess.run(cmd, text=True, capture_output=True)
            return (p.stdout or p.stderr).strip().splitlines()[0]
        except Exception as e:  # noqa: BLE001
            return f"unavailable ({e})"

    import docx as _docx
    import lxml
    import PIL
    import reportlab

    fc = subprocess.run(["fc-list", "-f", "%{family[0]}: %{file}\n", "WenQuanYi Zen Hei"],
                        text=True, capture_output=True).stdout.strip().splitlines()
    dpkg = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\n", "fonts-wqy-zenhei",
                           "libreoffice-writer-nogui", "libreoffice-writer", "poppler-utils", "qpdf",
                           "poppler-data", "libcairo2"], text=True, capture_output=True).stdout
    return {
        "LibreOffice": first_line(["soffice", "--version"]),
        "pdftocairo": first_line(["pdftocairo", "-v"]),
        "qpdf": first_line(["qpdf", "--version"]),
        "python": sys.version.split()[0],
        "python-docx": getattr(_docx, "__version__", "?"),
        "lxml": lxml.__version__,
        "reportlab": reportlab.Version,
        "Pillow": PIL.__version__,
        "font": fc[0] if fc else "?",
        "dpkg": dpkg.strip(),
    }


def human(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.2f} MiB"


def selftest():
    lines = ["标题", "一级指标\t二级指标\t三级指标\t分值\t得分",
             "产出指标\t数量指标\t项目合同书、验收报告等资料是否齐全并及时归\t1.50\t1.42",
             "档", "", "\t质量指标\t达标率\t10\t9", "总分\t\t\t100\t94", "",
             "项目支出绩效自评表 (2023 年度)", "", "a\tb"]
    blocks = parse_txt(lines)
    t = blocks[1][1]
    assert blocks[0] == ("p", 1, "标题"), blocks[0]
    assert t.rows[1].cells[2].endswith("及时归档"), t.rows[1].cells
    assert t.rows[1].conts == [(4, "档", 2)]
    assert t.dropped_blank_lines == [5]
    grid = [r.cells for r in t.rows]
    plan = vmerge_plan(grid)
    assert plan == {(1, 0): "restart", (2, 0): "continue"}, plan
    assert [b[0] for b in blocks] == ["p", "t", "p", "p", "p", "t"], [b[0] for b in blocks]
    log("selftest ok")


def font_kinds(fonts) -> str:
    if not isinstance(fonts, list) or not fonts:
        return "none"
    kinds = sorted({(f["type"], f["encoding"], f["emb"], f["sub"], f["uni"]) if isinstance(f, dict)
                    else tuple(f[1:]) for f in fonts})
    return "; ".join(f"{t} / {e} (embedded {em}, subset {su}, ToUnicode {u})" for t, e, em, su, u in kinds)


def write_readme(fx: Path, repo: Path, summary: dict):
    v = summary["versions"]
    files = summary["files"]

    def size(rel):
        return human(files[rel]) if rel in files else "?"

    rep = summary["reports"]
    lines = []
    a = lines.append
    a("# Reader fixtures: DOCX and PDF reports, hazard files")
    a("")
    a("Generated by `scripts/make_report_fixtures.sh` (which calls `scripts/make_report_fixtures.py`);")
    a("do not edit by hand. Rebuild with")
    a("")
    a("```sh")
    a("scripts/make_report_fixtures.sh            # installs LibreOffice, fonts-wqy-zenhei, poppler-utils,")
    a("                                           # qpdf, poppler-data (apt) and a venv in /tmp if missing")
    a("scripts/make_report_fixtures.sh --no-install")
    a("```")
    a("")
    a("Not run in CI; the outputs are committed. A rebuild with the tool versions below reproduces every")
    a("file byte for byte (fixed timestamps; LibreOffice's and cairo's dates, `/ID` and `/DocChecksum` are")
    a("pinned by a same-length rewrite), except `hazards/encrypted*.pdf` (qpdf 11 draws fresh AES-256")
    a("salts and keys on every run) and anything a different LibreOffice/cairo/font version lays out")
    a("differently.")
    a("")
    a("## `reports/`: the five `datasets/reports/*.txt` as office documents")
    a("")
    a("| report | docx | pdf (LibreOffice) | pdf-type0 (cairo) | pages | docx tables / vMerge-continue cells |")
    a("|---|---|---|---|---|---|")
    for stem, r in sorted(rep.items()):
        a(f"| `{stem}` | {size(f'tests/fixtures/reports/docx/{stem}.docx')} | "
          f"{size(f'tests/fixtures/reports/pdf/{stem}.pdf')} | {size(f'tests/fixtures/reports/pdf-type0/{stem}.pdf')} | "
          f"{r.get('pdf', {}).get('pages', '?')} | {r['docx']['tables']} / {r['docx']['vmerge_continue']} |")
    a("")
    a("- `docx/<stem>.docx` (python-docx): one paragraph per non-TAB line, text kept exactly (empty lines")
    a("  are empty paragraphs); every run of TAB lines is a real Word table, one row per line, one cell per")
    a("  TAB-separated cell, rows padded at the end to the widest row; blank lines inside a run are dropped.")
    a("  The first row of every table is a repeated header row (`w:tblHeader`). In indicator tables (a row")
    a("  naming 一级(指标) and 二级(指标)) the empty 一级/二级/三级 cells under a label are vertically merged")
    a("  (`w:vMerge`) with it, never across a 一级 boundary, a drifted row, a title or 总分 row (rule in the")
    a("  script's docstring). Report 002's one-cell-per-line tables (every line `<blank>TAB<text>`) stay")
    a("  paragraphs, TAB included. A4, WenQuanYi Zen Hei 10.5 pt everywhere, all table borders, running")
    a("  header = the report's first non-empty line cut to 20 characters, footer `- N -` (PAGE field).")
    a("  Reading the docx back (cells joined by TAB, merged continue-cells empty) reproduces every line of")
    a("  the .txt, modulo trailing empty cells; the build checks this.")
    a("- `pdf/<stem>.pdf`: `soffice --headless --convert-to pdf` of the docx. Fonts: "
      + font_kinds([f for r in rep.values() for f in r.get("pdf", {}).get("fonts", [])]) + ".")
    a("  LibreOffice splits the CJK font into several simple TrueType subsets of <= 256 glyphs")
    a("  (`BAAAAA+WenQuanYiZenHei`, `CAAAAA+…`), each with a custom encoding and a ToUnicode map.")
    a("- `pdf-type0/<stem>.pdf`: the LibreOffice PDF re-printed with `pdftocairo -pdf`. Fonts: "
      + font_kinds([f for r in rep.values() for f in r.get("pdf-type0", {}).get("fonts", [])]) + ".")
    a("  The CJK text is in Type0 / CIDFontType2 fonts with Identity-H and ToUnicode (the Word/WPS")
    a("  shape); cairo keeps pure-ASCII subsets as simple TrueType fonts.")
    a("")
    a("`pdftotext` gives the Chinese text right for both PDF kinds: every CJK character of each docx comes")
    a("out (no U+FFFD), and the body paragraphs are found verbatim once white space, the running header")
    a("and the `- N -` footers are removed (pdftotext drops a hyphen that ends a line, which costs 000")
    a("one paragraph). Table cells come out in reading order, so wrapped cells interleave:")
    a("")
    a("| report | paragraphs found (pdf / pdf-type0) | table cells found verbatim (pdf / pdf-type0) |")
    a("|---|---|---|")
    for stem, r in sorted(rep.items()):
        t1, t2 = r.get("pdf", {}).get("text", {}), r.get("pdf-type0", {}).get("text", {})
        a(f"| `{stem}` | {t1.get('paragraphs_found')}/{t1.get('paragraphs')} / "
          f"{t2.get('paragraphs_found')}/{t2.get('paragraphs')} | {t1.get('cells_found')}/{t1.get('cells')} / "
          f"{t2.get('cells_found')}/{t2.get('cells')} |")
    a("")
    a("## `hazards/`: small files for reader edge cases; facts in `hazards/expected.csv`")
    a("")
    a("The forms are real 项目支出绩效自评表 of report 004 (`datasets/reports/004_…txt`): table #1")
    a("(l.773-791, 2021年度老旧小区完善类改造项目), #119 (l.3612-3631) and #120 (l.3637-3661), typed as")
    a("an author would have: split numbers and labels joined (`949.8 2 万元` -> `949.82万元`, `年初预 算数`")
    a("-> `年初预算数`), drifted rows put back under their columns, truncated labels completed (`年度` ->")
    a("`年度总体目标`, the 满意度 row -> 满意度指标 / 服务对象满意度指标). The build asserts that every")
    a("value occurs in those lines of the .txt.")
    a("")
    a("| file | size | what | how |")
    a("|---|---|---|---|")
    hz = summary["hazards"]
    desc = [
        ("wrapped_cell.docx", "form #1 with narrow columns: indicator names, targets, amounts and budget labels wrap over 2-4 lines (`949.8/2102/4`, `年初预/算数`); wide cells span columns; no vertical merges (labels once, empty cells below)", "python-docx"),
        ("wrapped_cell.pdf", "the same printed", "LibreOffice"),
        ("merged_cells.docx", "form #1 with vertical merges (项目资金, 年度总体目标, 绩效指标, 一级, 二级 `w:vMerge`), horizontal merges (`w:gridSpan`: 项目名称, 年度总体目标 row 3+5 columns, 得分, 总分 over 6 columns) and a nested table (支付进度 / 工程款 60% / 二类费用 50%) inside the 实际完成情况 cell", "python-docx"),
        ("merged_cells.pdf", "the same printed", "LibreOffice"),
        ("page_break_table.docx", f"{summary.get('page_break_lead', '?')} narrative paragraphs of 004 (from l.37-57, no amounts), then forms #120 and #119; each form is a head table and an indicator table whose first row (绩效指标 一级指标 …) is `w:tblHeader`; the number of narrative paragraphs is chosen by the build so that #120's indicator table breaks across pages 1-2 (#119's breaks across 2-3)", "python-docx"),
        ("page_break_table.pdf", "the same printed: header row repeated at the top of the next page, running header `2023年度项目支出绩效自评表` on every page, `- N -` footers", "LibreOffice"),
        ("stsong.pdf", "form #1 (same merges, no nested table) drawn with the non-embedded CID font STSong-Light, encoding UniGB-UCS2-H, no ToUnicode; grid lines; running header and `- 1 -` footer. Fonts: " + font_kinds(hz.get("stsong.pdf", {}).get("fonts")), "reportlab `UnicodeCIDFont`"),
        ("scanned.pdf", "page 1 of merged_cells.pdf as a 150 dpi grayscale image, no text layer", "pdftoppm + Pillow"),
        ("encrypted.pdf", "wrapped_cell.pdf encrypted with user password `user`, owner password `owner` (AES-256, R6): cannot be opened without the password", "`qpdf --encrypt user owner 256 --`"),
        ("encrypted_owner_only.pdf", "wrapped_cell.pdf with owner password `owner` and an empty user password: readers can open and extract it", "`qpdf --encrypt '' owner 256 --`"),
        ("truncated.pdf", "the first 50% of the bytes of page_break_table.pdf (no xref, no trailer)", "head -c"),
        ("truncated.docx", "the first 50% of the bytes of merged_cells.docx (zip central directory missing)", "head -c"),
        ("not_a_pdf.pdf", "a UTF-8 text file (some form lines) with a .pdf name", "echo"),
    ]
    for name, what, how in desc:
        a(f"| `{name}` | {size(f'tests/fixtures/hazards/{name}')} | {what} | {how} |")
    a("")
    a("`expected.csv` (`file,eval,fact,value,note`): `eval` is the 1-based ordinal of the form in the file.")
    a("Facts per form: `unit` (实施单位 as written), `fiscal_year`, `scope` (project), `project_name` (white")
    a("space removed), `evaluator_type` (self), `total_score`, `budget_initial`, `budget_full_year`,")
    a("`executed` (万元, exact decimals), `execution_rate` (as stated), `exec_points` (`max|score` of the")
    a("执行率 row) and `ind:<三级指标, white space removed>` = `max|score` for every scored indicator row.")
    a("Unreadable files have one `status` line: `no text layer (scanned)`, `encrypted`, `truncated or")
    a("damaged`, `not a PDF`.")
    a("")
    a("## Tool versions used for the committed files")
    a("")
    for k in ("LibreOffice", "pdftocairo", "qpdf", "python", "python-docx", "lxml", "reportlab", "Pillow", "font"):
        a(f"- {k}: {v.get(k)}")
    a("- Debian packages: " + ", ".join(l for l in v.get("dpkg", "").splitlines() if len(l.split()) == 2))
    a("")
    (fx / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--only", choices=["all", "reports", "hazards"], default="all")
    ap.add_argument("--selftest", action="store_true")
    args = ap.parse_args()
    selftest()
    if args.selftest:
        return
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "1704067200"))
    repo = Path(args.repo)
    src_dir = repo / "datasets/reports"
    fx = repo / "tests/fixtures"
    rep_docx, rep_pdf, rep_t0 = fx / "reports/docx", fx / "reports/pdf", fx / "reports/pdf-type0"
    hz = fx / "hazards"
    summary = {"reports": {}, "hazards": {}}
    txts = sorted(src_dir.glob("*.txt"))

    if args.only in ("all", "reports"):
        for d in (rep_docx, rep_pdf, rep_t0):
            d.mkdir(parents=True, exist_ok=True)
        docxs = []
        for txt in txts:
            out = rep_docx / (txt.stem + ".docx")
            blocks, stats = report_to_docx(txt, out, epoch)
            problems = verify_report_docx(txt, out, blocks)
            summary["reports"][txt.stem] = {"docx": stats, "docx_problems": problems}
            log(f"{out.name}: {stats['paragraphs']} paragraphs, {stats['tables']} tables "
                f"({stats['indicator_tables']} indicator), {stats['rows']} rows, "
                f"{stats['vmerge_continue']} vMerge-continue cells, "
                f"{len(stats['continuations'])} continuation lines, "
                f"{stats['dropped_blank_lines']} blank lines inside tables; "
                f"verify: {'OK' if not problems else problems}")
            docxs.append(out)
        log("LibreOffice: printing the reports ...")
        soffice_to_pdf(docxs, rep_pdf)
        for d in docxs:
            pdf = rep_pdf / (d.stem + ".pdf")
            t0 = rep_t0 / (d.stem + ".pdf")
            cairo_reprint(pdf, t0)
            s = summary["reports"][d.stem]
            for kind, p in (("pdf", pdf), ("pdf-type0", t0)):
                s[kind] = dict(pages=pdf_pages(p), fonts=pdffonts(p), text=check_pdf_text(d, p))
                log(f"{kind}/{p.name}: {s[kind]['pages']} pages; fonts "
                    f"{[(x['name'], x['type'], x['encoding'], x['emb'], x['sub'], x['uni']) for x in s[kind]['fonts']]}; "
                    f"text {s[kind]['text']}")

    if args.only in ("all", "hazards"):
        hz.mkdir(parents=True, exist_ok=True)
        lines_004 = (src_dir / "004_db61ce0a276f3835.txt").read_text(encoding="utf-8").split("\n")
        check_forms_against_txt(lines_004)
        build_wrapped_cell(hz / "wrapped_cell.docx", epoch)
        build_merged_cells(hz / "merged_cells.docx", epoch)
        soffice_to_pdf([hz / "wrapped_cell.docx", hz / "merged_cells.docx"], hz)
        summary["page_break_lead"] = make_page_break(hz, epoch, lines_004)
        build_stsong(hz / "stsong.pdf", epoch)
        build_scanned(hz / "merged_cells.pdf", hz / "scanned.pdf")
        qpdf_encrypt(hz / "wrapped_cell.pdf", hz / "encrypted.pdf", "user", "owner")
        qpdf_encrypt(hz / "wrapped_cell.pdf", hz / "encrypted_owner_only.pdf", "", "owner")
        b = (hz / "page_break_table.pdf").read_bytes()
        (hz / "truncated.pdf").write_bytes(b[: len(b) // 2])
        b = (hz / "merged_cells.docx").read_bytes()
        (hz / "truncated.docx").write_bytes(b[: len(b) // 2])
        (hz / "not_a_pdf.pdf").write_text(
            "This is a plain UTF-8 text file with a .pdf name, not a PDF.\n"
            "项目支出绩效自评表\n(2023年度)\n项目名称\t2021年度老旧小区完善类改造项目\n总分\t100\t94\n",
            encoding="utf-8")
        n = write_expected(hz / "expected.csv")
        log(f"expected.csv: {n} facts")
        for p in sorted(hz.glob("*.pdf")):
            info = {}
            try:
                info["pages"] = pdf_pages(p)
            except subprocess.CalledProcessError as e:
                info["pdfinfo_error"] = (e.stderr or "").strip().splitlines()[:1]
            try:
                info["fonts"] = [(x["name"], x["type"], x["encoding"], x["emb"], x["sub"], x["uni"])
                                 for x in pdffonts(p)]
            except subprocess.CalledProcessError:
                info["fonts"] = "pdffonts failed"
            summary["hazards"][p.name] = info
            log(f"hazards/{p.name}: {info}")

    summary["versions"] = tool_versions()
    summary["files"] = {str(p.relative_to(repo)): p.stat().st_size
                        for p in sorted(fx.rglob("*")) if p.is_file() and p.name != "README.md"}
    if args.only == "all":
        write_readme(fx, repo, summary)
    (Path(tempfile.gettempdir()) / "jixiao-fixture-summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    for k, v in summary["files"].items():
        log(f"{human(v):>10}  {k}")
    tot = sum(v for k, v in summary["files"].items() if "/reports/pdf" in k)
    log(f"report PDFs together: {human(tot)}")


if __name__ == "__main__":
    main()
