#!/usr/bin/env python3
"""Make the bundled chart font: Noto Sans CJK SC (SIL OFL 1.1) subset to GB2312 (all 7,445
hanzi), ASCII, common CJK punctuation and every character in the bundled reports.

Needs Debian's fonts-noto-cjk and PyPI's fonttools. Run from the repo root:
    python3 scripts/make_font_subset.py
"""
import pathlib
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
chars = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update(chr(c) for c in range(0x20, 0x7F))
chars.update("，。、；：？！“”‘’（）《》【】〔〕—–−…·％＋－×÷≤≥＜＞～￥℃①②③④⑤⑥⑦⑧⑨⑩")
for p in sorted((root / "datasets" / "reports").glob("*.txt")):
    chars.update(c for c in p.read_text(encoding="utf-8") if not c.isspace())
text = "".join(sorted(chars))
(root / "assets" / "fonts" / "subset-chars.txt").write_text(text, encoding="utf-8")
out = root / "assets" / "fonts" / "NotoSansSC-jixiao-subset.otf"
cmd = [
    sys.executable, "-m", "fontTools.subset",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "--font-number=2",
    f"--text-file={root / 'assets' / 'fonts' / 'subset-chars.txt'}",
    "--layout-features=", "--no-hinting", "--desubroutinize", f"--output-file={out}",
]
subprocess.run(cmd, check=True)
print(out, out.stat().st_size, "bytes,", len(text), "characters")
