#!/usr/bin/env bash
# The distributed path, proved on Spark in local mode: a synthetic panel written as
# hive-partitioned Parquet, `jixiao bench` on it, `jixiao sql` run by Spark over the same
# folders, and the numbers compared (scripts/spark_check.py). Needs Java 17 (on the machine)
# and pyspark from PyPI (installed into .venv here; about 450 MB). Not part of the default
# test command because of that download. Usage: scripts/spark_check.sh [districts units years]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jixiao-target}"
cargo build --release -q
J="$CARGO_TARGET_DIR/release/jixiao"
VENV="${JIXIAO_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import pyspark" 2>/dev/null || "$VENV/bin/pip" install -q "pyspark==4.3.0"
W="${TMPDIR:-/tmp}/jixiao-spark"
rm -rf "$W"; mkdir -p "$W"
"$J" synth --out "$W/data" --districts "${1:-6}" --units "${2:-10}" --years "${3:-3}" --format parquet --partition-by province,fiscal_year -q
"$J" bench "$W/data" --out "$W/bench" -q
"$J" sql > "$W/benchmarks.sql"
"$VENV/bin/python" scripts/spark_check.py "$W/data" "$W/bench" "$W/benchmarks.sql"
