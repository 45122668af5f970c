#!/usr/bin/env python3
"""Run jixiao's SQL (`jixiao sql`) on Apache Spark in local mode over a hive-partitioned
dataset and check it gives the same numbers as `jixiao bench` (CSV outputs).

    python scripts/spark_check.py DATASET_DIR BENCH_OUT_DIR SQL_FILE

Prints one line per check and "spark check: N passed, N failed"; exits non-zero on failure.
"""
import csv
import decimal
import sys

from pyspark.sql import SparkSession

dataset, bench_out, sql_file = sys.argv[1:4]
spark = (SparkSession.builder.master("local[2]").appName("jixiao-spark-check")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
for t in ["units", "evaluations", "indicators"]:
    spark.read.option("basePath", f"{dataset}/{t}").parquet(f"{dataset}/{t}").createOrReplaceTempView(t)
# Comment lines go first (they may hold semicolons), then statements split on ";".
text = "\n".join(l for l in open(sql_file, encoding="utf-8").read().splitlines() if not l.lstrip().startswith("--"))
statements = [s.strip() for s in text.split(";") if s.strip()]
for s in statements:
    spark.sql(s)

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name} {detail}")


def rows(name):
    with open(f"{bench_out}/{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def close(a, b, tol):
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    return abs(float(a) - float(b)) <= tol


# execution: every evaluation with a budget, its exact rate, peer median and flag
ex_j = {r["eval_id"]: r for r in rows("execution")}
ex_s = {r["eval_id"]: r for r in spark.sql("SELECT * FROM execution").collect()}
check("execution rows", len(ex_j) == len(ex_s), f"{len(ex_j)} vs {len(ex_s)}")
bad = [k for k, r in ex_j.items() if k not in ex_s or not close(r["execution_rate"], ex_s[k]["execution_rate"], 1e-6)
       or not close(r["peer_median"], ex_s[k]["peer_median"], 1e-4) or r["flag"] != ex_s[k]["flag"] or r["peer_group"] != ex_s[k]["peer_group"]]
check("execution rate, peer median, peer group, flag", not bad, f"{len(bad)} differ {bad[:3]}")

# scores (overall grouping)
sc_j = {(r["evaluator_type"], r["scope"], r["fiscal_year"]): r for r in rows("scores") if r["grouping"] != "district"}
sc_s = {(r["evaluator_type"], r["scope"], str(r["fiscal_year"])): r for r in spark.sql("SELECT * FROM scores").collect()}
check("score groups", set(sc_j) == set(sc_s), f"{len(sc_j)} vs {len(sc_s)}")
bad = [k for k in sc_j if k in sc_s and not (int(sc_j[k]["n"]) == sc_s[k]["n"] and close(sc_j[k]["mean"], sc_s[k]["mean"], 1e-4)
       and close(sc_j[k]["median"], sc_s[k]["median"], 1e-4) and close(sc_j[k]["p90"], sc_s[k]["p90"], 1e-4)
       and close(sc_j[k]["share_eq_max"], sc_s[k]["share_eq_max"], 1e-4))]
check("scores n, mean, median, p90, share_eq_max", not bad, f"{bad[:3]}")

# deductions: counts and exact decimal points lost per year and cause
de_j = {(r["fiscal_year"], r["cause"]): r for r in rows("deductions")}
de_s = {(str(r["fiscal_year"]), r["cause"]): r for r in spark.sql("SELECT * FROM deductions").collect()}
check("deduction causes", set(de_j) == set(de_s), f"{sorted(set(de_j) ^ set(de_s))[:4]}")
bad = [k for k in de_j if k in de_s and not (int(de_j[k]["n_deductions"]) == de_s[k]["n_deductions"]
       and decimal.Decimal(de_j[k]["points_lost"]) == de_s[k]["points_lost"])]
check("deductions n and exact points lost", not bad, f"{bad[:3]}")

# inflation pairs and their mean gap
inf_j = rows("inflation")
n_s = spark.sql("SELECT COUNT(*) AS n FROM inflation").collect()[0]["n"]
check("inflation pairs", len(inf_j) == n_s, f"{len(inf_j)} vs {n_s}")
su_j = {(r["reference_type"], r["scope"], r["fiscal_year"]): r for r in rows("inflation_summary")}
su_s = {(r["reference_type"], r["scope"], str(r["fiscal_year"])): r for r in spark.sql("SELECT * FROM inflation_summary").collect()}
bad = [k for k in su_j if k not in su_s or int(su_j[k]["n_pairs"]) != su_s[k]["n_pairs"] or not close(su_j[k]["mean_gap"], su_s[k]["mean_gap"], 1e-4)]
check("inflation summary n_pairs and mean gap", not bad and len(su_j) == len(su_s), f"{bad[:3]}")

print(f"spark check: {passed} passed, {failed} failed")
spark.stop()
sys.exit(1 if failed else 0)
