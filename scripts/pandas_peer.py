#!/usr/bin/env python3
"""The peer comparison for scripts/bench.sh: what a researcher would write in plain pandas to
compute jixiao's main tables (execution with peers, score distributions, deduction causes,
self/independent pairs) from the same files. Prints its timings; checks a few numbers against
jixiao's output so the comparison is like for like.

    python scripts/pandas_peer.py DATASET_DIR JIXIAO_BENCH_OUT_DIR
"""
import csv
import pathlib
import re
import sys
import time

import pandas as pd

dataset, jixiao_out = sys.argv[1:3]
t0 = time.perf_counter()


def read(name):
    for ext in ("parquet", "csv"):
        try:
            return pd.read_parquet(f"{dataset}/{name}.{ext}") if ext == "parquet" else pd.read_csv(f"{dataset}/{name}.{ext}")
        except FileNotFoundError:
            continue
    raise SystemExit(f"no {name} table in {dataset}")


units, ev, ind = read("units"), read("evaluations"), read("indicators")
for c in ["max_score", "total_score", "budget_full_year", "executed"]:
    ev[c] = pd.to_numeric(ev[c])
for c in ["max_points", "score"]:
    ind[c] = pd.to_numeric(ind[c])
t_load = time.perf_counter() - t0

t1 = time.perf_counter()
facts = ev.merge(units[["unit_id", "short_name", "province", "district"]], on="unit_id", how="left")
facts["score_100"] = facts["total_score"] / facts["max_score"] * 100
facts["execution_rate"] = facts["executed"] / facts["budget_full_year"] * 100

# execution against peers
ex = facts[(facts["budget_full_year"] > 0) & facts["executed"].notna()].copy()
n_units = ex.groupby(["scope", "fiscal_year", "district"])["unit_id"].transform("nunique")
ex["peer_group"] = "province:" + ex["province"].fillna("")
ex.loc[ex["district"].notna() & (n_units >= 5), "peer_group"] = "district:" + ex["district"]
g = ex.groupby(["scope", "fiscal_year", "peer_group"])["execution_rate"]
ex["peer_median"] = g.transform("median")
ex["peer_p25"] = g.transform(lambda s: s.quantile(0.25))
ex["peer_p75"] = g.transform(lambda s: s.quantile(0.75))
ex["percentile"] = g.rank(method="max") / g.transform("count") * 100
ex["flag"] = "ok"
ex.loc[ex["execution_rate"] > 100, "flag"] = "above_100"
ex.loc[ex["execution_rate"] < 90, "flag"] = "below_90"
ex.loc[ex["execution_rate"] < 80, "flag"] = "below_80"

# score distributions
scored = facts[facts["total_score"].notna()]
scores = scored.groupby(["evaluator_type", "scope", "fiscal_year"])["score_100"].agg(
    n="count", mean="mean", sd="std", min="min", median="median", max="max",
    p10=lambda s: s.quantile(0.1), p90=lambda s: s.quantile(0.9),
    share_ge_90=lambda s: (s >= 90).mean(), share_ge_95=lambda s: (s >= 95).mean())

# deduction causes with the same rules (reason first, then indicator names)
rules = list(csv.DictReader(open("datasets/deduction_causes.csv", encoding="utf-8")))
patterns = [(r["cause"], re.compile("|".join(map(re.escape, r["keywords"].split("|"))))) for r in rules]


def cause(reason, names):
    for text in (reason, names):
        for c, p in patterns:
            if p.search(text):
                return c
    return "其他"


lost = ind[ind["score"].notna()].copy()
lost["points_lost"] = lost["max_points"] - lost["score"]
lost = lost[lost["points_lost"] > 0]
names = lost[["level1", "level2", "level3", "level4"]].fillna("").agg(" ".join, axis=1)
lost["cause"] = [cause(r, n) for r, n in zip(lost["reason"].fillna(""), names)]
lost = lost.merge(facts[["eval_id", "fiscal_year"]], on="eval_id")
deductions = lost.groupby(["fiscal_year", "cause"]).agg(n_deductions=("eval_id", "size"), points_lost=("points_lost", "sum"))

# self vs independent pairs
facts["name_key"] = facts["project_name"].fillna("").str.lower().str.replace(r"[\s\W_]+", "", regex=True)
keys = ["unit_id", "fiscal_year", "scope", "name_key"]
s = scored.assign(name_key=facts.loc[scored.index, "name_key"])
pairs = s[s["evaluator_type"] == "self"].merge(s[s["evaluator_type"] != "self"], on=keys, suffixes=("_self", "_ref"))
pairs["gap"] = pairs["score_100_self"] - pairs["score_100_ref"]
summary = pairs.groupby(["evaluator_type_ref", "scope", "fiscal_year"])["gap"].agg(["count", "mean", "std"])
t_bench = time.perf_counter() - t1

# like for like: the same numbers as jixiao's tables
def jixiao_table(name):
    # jixiao's tables as CSV or Parquet (decimals compared as floats here)
    p = pathlib.Path(jixiao_out) / f"{name}.parquet"
    if p.exists():
        t = pd.read_parquet(p)
        for c in t.columns:
            if t[c].dtype == object and c in ("execution_rate", "points_lost"):
                t[c] = t[c].astype(float)
        return t
    return pd.read_csv(f"{jixiao_out}/{name}.csv")


j_ex = jixiao_table("execution")
j_de = jixiao_table("deductions")
ok = len(j_ex) == len(ex) and abs(j_ex["execution_rate"].sum() - ex["execution_rate"].sum()) < 1e-3 * len(ex)
ok = ok and abs(j_de["points_lost"].sum() - deductions["points_lost"].sum()) < 1e-6 * max(1, len(lost))
ok = ok and int(j_de["n_deductions"].sum()) == int(deductions["n_deductions"].sum())
print(f"pandas: load {t_load:.3f} s, benchmarks {t_bench:.3f} s, total {t_load + t_bench:.3f} s; "
      f"{len(ind)} indicator rows; same numbers as jixiao: {'yes' if ok else 'NO'}")
sys.exit(0 if ok else 1)
