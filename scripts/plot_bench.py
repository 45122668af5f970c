#!/usr/bin/env python3
"""Plot bench time against dataset size (charts/perf/bench_results.csv, measured with
scripts/bench.sh on the 2-core, 24 GiB machine) into charts/perf/bench_scaling.png."""
import csv
import pathlib
import sys

import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager
import matplotlib.pyplot as plt

root = pathlib.Path(__file__).resolve().parent.parent
font = root / "assets" / "fonts" / "NotoSansSC-jixiao-subset.otf"
font_manager.fontManager.addfont(str(font))
matplotlib.rcParams["font.family"] = font_manager.FontProperties(fname=str(font)).get_name()
rows = list(csv.DictReader(open(root / "charts" / "perf" / "bench_results.csv", encoding="utf-8")))
fig, ax = plt.subplots(figsize=(7, 4.5))
for fmt, style in (("parquet", "o-"), ("csv", "^-")):
    sel = [r for r in rows if r["format"] == fmt]
    ax.loglog([int(r["indicator_rows"]) for r in sel], [float(r["total_s"]) for r in sel], style,
              label=f"jixiao bench, {fmt} input (all phases)")
pq = [r for r in rows if r["format"] == "parquet"]
n1 = int(pq[-1]["indicator_rows"])
pn = [(int(r["indicator_rows"]), float(r["pandas_s"])) for r in rows if r["pandas_s"]]
ax.loglog([p[0] for p in pn], [p[1] for p in pn], "s--", label="plain pandas, same main tables")
n_mid, t_mid = [(int(r["indicator_rows"]), float(r["total_s"])) for r in pq][1]
ax.loglog([n_mid, n1], [t_mid, t_mid * n1 / n_mid], ":", color="grey", label="linear growth")
ax.axhline(5, color="firebrick", lw=1, ls="--", label="target at 10 M rows: 5 s")
ax.set_xlabel("指标行数 (indicator rows)")
ax.set_ylabel("秒 (seconds)")
ax.set_title("jixiao bench: 时间与数据规模 (2 核, 24 GiB)")
ax.legend(fontsize=8)
out = root / "charts" / "perf" / "bench_scaling.png"
fig.tight_layout()
fig.savefig(out, dpi=110)
print(out)
