#!/usr/bin/env bash
# The byte-identical check of the engine rebuild (issue 21): every output file of the current
# build against the outputs of a baseline build (by default the commit the rebuild started
# from, adb7d88), on the bundled datasets, a 1 M-row synthetic panel (CSV and Parquet in) and
# a few damaged inputs, with each run's exit code, stdout (--json) and stderr (-q: the error
# line only); then tests/batches.rs (batch sizes). CSV, JSON, text and charts are compared
# byte for byte; a Parquet file by its content (schema and every row in order, read by
# DuckDB from .venv), since a change of Parquet writer changes the bytes but not the table.
# Usage: scripts/check_identical.sh [--no-tests]
#   JIXIAO_BASELINE: the baseline commit (default b52bac6, the last step before the Parquet
#   writer changed; adb7d88 started the rebuild, but issue 19's changes of method since then
#   change results on purpose).
#   JIXIAO_BASELINE_BIN: the baseline binary (default: built once from the baseline commit in
#   a temporary worktree and kept under ~/.cache/jixiao-identical).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BASE_COMMIT=${JIXIAO_BASELINE:-b52bac6}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jixiao-target}"
C="${JIXIAO_IDENTICAL_CACHE:-$HOME/.cache/jixiao-identical}"
mkdir -p "$C"

BASE_BIN="${JIXIAO_BASELINE_BIN:-$C/jixiao-$BASE_COMMIT}"
if [ ! -x "$BASE_BIN" ]; then
  echo "check_identical: building the baseline $BASE_COMMIT (once)"
  tmp=$(mktemp -d)
  git worktree add -q --detach "$tmp/src" "$BASE_COMMIT"
  (cd "$tmp/src" && cargo build --release -q)
  cp "$CARGO_TARGET_DIR/release/jixiao" "$BASE_BIN"
  git worktree remove --force "$tmp/src"
  rm -rf "$tmp"
fi
cargo build --release -q
NEW_BIN="$CARGO_TARGET_DIR/release/jixiao"

# Inputs made once by the baseline: a 1 M-row panel in CSV and in Parquet, and damaged copies
# of the synthetic panel (a ragged row set aside; a score that is not a number, an error).
IN="$C/inputs"
if [ ! -f "$IN/.done" ]; then
  rm -rf "$IN"; mkdir -p "$IN"
  for fmt in csv parquet; do
    "$BASE_BIN" synth --out "$IN/panel-1m-$fmt" --districts 15 --units 50 --years 5 \
      --projects 19 --format "$fmt" -q
  done
  cp -r datasets/synthetic "$IN/ragged"
  sed -i '100s/$/,extra/' "$IN/ragged/indicators.csv"
  cp -r datasets/synthetic "$IN/errors"
  awk -F, 'NR==50 {OFS=","; $7="abc"} {print}' OFS=, datasets/synthetic/indicators.csv \
    >"$IN/errors/indicators.csv"
  touch "$IN/.done"
fi

# A copy planted with one row for each evaluation check's message: a repeated unit, an
# evaluation of an unknown unit, an indicator of an unknown evaluation, a max_score of 0,
# negative amounts, a blank total, an unknown grade word and a grade that does not match.
if [ ! -f "$IN/planted/.done" ]; then
  rm -rf "$IN/planted"; cp -r datasets/synthetic "$IN/planted"
  python3 - "$IN/planted" <<'PY'
import csv, sys
d = sys.argv[1]
def edit(name, f):
    with open(f"{d}/{name}.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0].keys())
    rows = f(rows)
    with open(f"{d}/{name}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fields, lineterminator="\n"); w.writeheader(); w.writerows(rows)
def units(rows): return rows + [dict(rows[0])]
def evals(rows):
    rows[1]["unit_id"] = "no-such-unit"
    rows[2]["max_score"] = "0"
    rows[3]["budget_initial"] = "-5"; rows[3]["executed"] = "-1.50"
    rows[4]["total_score"] = ""
    rows[5]["grade"] = "甲等"
    rows[6]["grade"] = "差"
    return rows
def inds(rows):
    rows[7]["eval_id"] = "no-such-eval"
    return rows
edit("units", units); edit("evaluations", evals); edit("indicators", inds)
PY
  touch "$IN/planted/.done"
fi

# name|command arguments (OUT stands for the run's output folder)
cases=(
  "bench-extracted-csv|bench datasets/extracted --out OUT --format csv"
  "bench-extracted-parquet|bench datasets/extracted --out OUT --format parquet"
  "bench-synthetic-csv|bench datasets/synthetic --out OUT --format csv"
  "bench-synthetic-parquet|bench datasets/synthetic --out OUT --format parquet"
  "bench-synthetic-csv-batches|bench datasets/synthetic --out OUT --format csv --batch-rows 997"
  "bench-synthetic-parquet-batches|bench datasets/synthetic --out OUT --format parquet --batch-rows 997"
  "bench-synthetic-partitioned|bench datasets/synthetic --out OUT --format parquet --partition-by fiscal_year"
  "bench-extracted-partitioned-2|bench datasets/extracted --out OUT --format parquet --partition-by province,fiscal_year"
  "synth-partitioned|synth --out OUT --districts 3 --units 4 --years 2 --projects 1 --format parquet --partition-by province,fiscal_year"
  "bench-synthetic-json|bench datasets/synthetic --out OUT --json"
  "bench-panel-csv|bench $IN/panel-1m-csv --out OUT --format csv"
  "bench-panel-parquet|bench $IN/panel-1m-parquet --out OUT --format parquet"
  "bench-panel-parquet-csvout|bench $IN/panel-1m-parquet --out OUT --format csv"
  "bench-ragged|bench $IN/ragged --out OUT"
  "bench-errors|bench $IN/errors --out OUT"
  "bench-missing|bench $IN/no-such-folder --out OUT"
  "validate-extracted|validate datasets/extracted --out OUT --json"
  "validate-synthetic|validate datasets/synthetic --out OUT"
  "validate-ragged|validate $IN/ragged --out OUT"
  "validate-ragged-strict|validate $IN/ragged --out OUT --strict"
  "validate-errors|validate $IN/errors --out OUT"
  "validate-planted|validate $IN/planted --out OUT"
  "review-extracted|review datasets/extracted --out OUT"
  "review-synthetic|review datasets/synthetic --out OUT --json"
  "review-errors|review $IN/errors --out OUT"
  "charts-synthetic-errors|charts $IN/errors --out OUT"
  "charts-synthetic|charts datasets/synthetic --out OUT"
  "charts-extracted|charts datasets/extracted --out OUT"
  "report-both|report datasets/extracted datasets/synthetic --out OUT --json"
  "report-errors|report $IN/errors --out OUT"
  "import-xlsx|import-xlsx datasets/samples/messy_scores.xlsx --out OUT --json"
  "sql|sql --print"
  "sql-causes|sql --causes datasets/deduction_causes.csv"
)

run_case() { # binary, result folder, case
  local bin=$1 res=$2 c=$3 name args
  name=${c%%|*}; args=${c#*|}
  rm -rf "${res:?}/$name"; mkdir -p "$res/$name/out"
  # shellcheck disable=SC2086
  set +e
  "$bin" ${args//OUT/$res/$name/out} -q >"$res/$name/stdout" 2>"$res/$name/stderr"
  echo $? >"$res/$name/exit"
  set -e
  # Folder names inside messages differ between the two runs.
  sed -i "s#$res/$name/out#OUT#g" "$res/$name/stdout" "$res/$name/stderr"
}

BASE_RES="$C/results-$BASE_COMMIT"
# The baseline's results are kept; a case added to the list is run by the baseline once.
mkdir -p "$BASE_RES"
for c in "${cases[@]}"; do
  [ -f "$BASE_RES/${c%%|*}/exit" ] || run_case "$BASE_BIN" "$BASE_RES" "$c"
done
NEW_RES="$C/results-current"
rm -rf "$NEW_RES"; mkdir -p "$NEW_RES"
t0=$(date +%s)
for c in "${cases[@]}"; do run_case "$NEW_BIN" "$NEW_RES" "$c"; done
files=$(find "$BASE_RES" -type f ! -name .done ! -name '*.parquet.txt' | wc -l)
# Parquet files as text: the baseline's once, the current run's every time.
PY=.venv/bin/python
[ -x "$PY" ] || python3 -m venv .venv
"$PY" -c "import duckdb" 2>/dev/null || .venv/bin/pip install -q "duckdb==2.0.1"
"$PY" scripts/parquet_as_text.py "$BASE_RES" "$NEW_RES"
if diff -r -q -x .done -x '*.parquet' "$BASE_RES" "$NEW_RES"; then
  echo "check_identical: identical: ${#cases[@]} runs, $files files (exit codes, stdout, stderr, every output) ($(($(date +%s) - t0)) s)"
else
  echo "check_identical: DIFFERENT from $BASE_COMMIT (above)"
  exit 1
fi
if [ "${1:-}" != --no-tests ]; then
  cargo test --release -q --test batches 2>&1 | grep -E "test result|FAILED|panicked" || true
  cargo test --release -q --test batches >/dev/null 2>&1 || { echo "check_identical: tests/batches.rs FAILED"; exit 1; }
fi
