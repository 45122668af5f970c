#!/usr/bin/env python3
"""The DuckDB peer for scripts/bench.sh: jixiao's own SQL (`jixiao sql`, Spark SQL) run by
DuckDB over the same Parquet dataset, every view written to Parquet as bench writes its
tables. Prints its time and DuckDB's peak memory; checks the deduction totals and the
execution rows against jixiao's tables so the comparison is like for like.

    python scripts/duckdb_peer.py DATASET_DIR SQL_FILE JIXIAO_BENCH_OUT_DIR OUT_DIR [THREADS]

The SQL's few Spark-only spellings are translated (percentile -> quantile_cont, RLIKE ->
regexp_matches, <=> -> IS NOT DISTINCT FROM, Spark's escaped backslashes and a global
regexp_replace). The views cover execution with peers, score distributions, deduction
detail and causes, self/independent pairs and their summary, and the leniency sums; jixiao's
bench computes more (rankings, leniency fit, grade agreement, distribution comparison).
"""
import pathlib
import re
import resource
import sys
import time

import duckdb

dataset, sql_file, jixiao_out, out = sys.argv[1:5]
threads = int(sys.argv[5]) if len(sys.argv) > 5 else None
pathlib.Path(out).mkdir(parents=True, exist_ok=True)


def translate(sql):
    sql = re.sub(r"\bpercentile\(", "quantile_cont(", sql)
    sql = re.sub(r"(COALESCE\(i\.reason, ''\)|concat_ws\(' ', (?:COALESCE\(i\.level\d, ''\)(?:, )?)+\)) RLIKE ('[^']*')",
                 r"regexp_matches(\1, \2)", sql)
    sql = sql.replace("<=>", "IS NOT DISTINCT FROM")
    sql = sql.replace("'[\\\\s\\\\p{P}\\\\p{S}]', '')", "'[\\s\\p{P}\\p{S}]', '', 'g')")
    if "RLIKE" in sql or "percentile(" in sql:
        raise SystemExit("duckdb_peer: SQL left untranslated")
    return sql


text = "\n".join(l for l in open(sql_file, encoding="utf-8").read().splitlines() if not l.lstrip().startswith("--"))
statements = [s.strip() for s in translate(text).split(";") if s.strip()]
views = [re.match(r"CREATE OR REPLACE TEMP VIEW (\w+)", s).group(1) for s in statements]

t0 = time.perf_counter()
con = duckdb.connect()
if threads:
    con.execute(f"SET threads = {threads}")
for t in ["units", "evaluations", "indicators"]:
    p = pathlib.Path(dataset) / t
    src = f"'{p}/**/*.parquet', hive_partitioning = true" if p.is_dir() else f"'{dataset}/{t}.parquet'"
    con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet({src})")
for s in statements:
    con.execute(s)
each = []
for v in views:
    if v in ("facts", "district_size", "execution_base"):
        continue  # intermediate views, not tables bench writes
    t = time.perf_counter()
    con.execute(f"COPY (SELECT * FROM {v}) TO '{out}/{v}.parquet' (FORMAT parquet, COMPRESSION zstd)")
    each.append(f"{v} {time.perf_counter() - t:.2f} s")
print("duckdb views: " + ", ".join(each), file=sys.stderr)
total = time.perf_counter() - t0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

# like for like: the same numbers as jixiao's tables (read back by DuckDB itself)
def totals(d):
    return con.execute(
        f"SELECT SUM(n_deductions), SUM(CAST(points_lost AS DOUBLE)) FROM read_parquet('{d}/deductions.parquet')"
    ).fetchone() + con.execute(f"SELECT COUNT(*) FROM read_parquet('{d}/execution.parquet')").fetchone()


(jn, jp, je), (dn, dp, de) = totals(jixiao_out), totals(out)
ok = jn == dn and je == de and abs(jp - dp) < 1e-6 * max(1, jn)
print(f"duckdb {duckdb.__version__}: total {total:.3f} s, peak memory {peak_mb:.0f} MB; "
      f"same numbers as jixiao: {'yes' if ok else 'NO'}")
sys.exit(0 if ok else 1)
