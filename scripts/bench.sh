#!/usr/bin/env bash
# Benchmarks (figures go in README): extraction throughput on a corpus of copies of the
# bundled reports (text: MB/s; Word and PDF: pages/s); load+validate / benchmarks / write times with peak memory for synthetic
# panels of growing size, CSV and Parquet; and two peers: the same tables computed by a plain
# pandas script (scripts/pandas_peer.py, in .venv), and jixiao's own SQL (`jixiao sql`) run by
# DuckDB on the same Parquet (scripts/duckdb_peer.py; the wheel is installed in .venv).
# Usage: [JIXIAO_BIN=path] scripts/bench.sh [quick|full|huge|peers]   (bench times are the best of three runs;
# default: 11 thousand and 1 million rows; full adds
# 10 million, a few minutes; huge runs 100 million rows from Parquet, about 8 minutes;
# peers: 1 and 10 million rows of Parquet against DuckDB, without the extraction figures)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jixiao-target}"
# JIXIAO_BIN: another build to measure (an earlier commit's, for a side-by-side figure).
if [ -n "${JIXIAO_BIN:-}" ]; then
  J=$JIXIAO_BIN
else
  cargo build --release -q
  J="$CARGO_TARGET_DIR/release/jixiao"
fi
W="${TMPDIR:-/tmp}/jixiao-bench"
rm -rf "$W"; mkdir -p "$W"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(date -u +%F)"

if [ "${1:-}" != peers ]; then
echo "== extract: files, MB, seconds, MB/s (1 thread and all threads)"
for n in 50 100 200; do
  c="$W/corpus-$n"; mkdir -p "$c"
  for i in $(seq 1 "$n"); do for f in datasets/reports/*.txt; do cp "$f" "$c/r${i}_$(basename "$f")"; done; done
  echo "files=$((n * 5)) $(RAYON_NUM_THREADS=1 "$J" extract "$c" --out "$W/x" -q -v 2>&1 | sed 's/^extract: //')"
  echo "files=$((n * 5)) $("$J" extract "$c" --out "$W/x" -q -v 2>&1 | sed 's/^extract: //')"
  rm -rf "$c"
done

echo "== extract Word and PDF: pages per second (copies of the five reports as .docx and as PDF)"
# Pages of a .docx are those of the PDF printed from it (tests/fixtures/reports/pdf).
pdf_pages=$("$J" extract tests/fixtures/reports/pdf --out "$W/p" -q && python3 -c '
import csv,sys; print(sum(int(r["pages"] or 0) for r in csv.DictReader(open(sys.argv[1]))))' "$W/p/manifest.csv")
for kind in docx pdf pdf-type0; do
  n=20; c="$W/corpus-$kind"; mkdir -p "$c"
  for i in $(seq 1 "$n"); do for f in tests/fixtures/reports/$kind/*; do cp "$f" "$c/r${i}_$(basename "$f")"; done; done
  for threads in 1 "$(nproc)"; do
    t0=$(date +%s.%N)
    RAYON_NUM_THREADS=$threads "$J" extract "$c" --out "$W/x" -q
    t1=$(date +%s.%N)
    python3 -c 'import sys; k,n,p,th,a,b=sys.argv[1:]; s=float(b)-float(a); pg=int(n)*int(p)
print(f"{k}: {int(n)*5} files, {pg} pages, {th} threads: {s:.2f} s, {pg/s:.0f} pages/s")' \
      "$kind" "$n" "$pdf_pages" "$threads" "$t0" "$t1"
  done
  rm -rf "$c"
done

fi
echo "== bench: synthetic panels; phase timings, rows/s, peak memory (RSS)"
# Sizes as districts:units:years:projects -> about 11 thousand, 1 million and 10 million
# indicator rows (10 indicators an evaluation); huge: 100 million (Parquet only, ~8 min).
sizes="4:10:5:2 15:50:5:19"
formats="csv parquet"
case "${1:-}" in
  quick) sizes="4:10:5:2" ;;
  full) sizes="4:10:5:2 15:50:5:19 145:50:5:19" ;;
  huge) sizes="1450:50:5:19"; formats="parquet" ;;
  peers) sizes="15:50:5:19 145:50:5:19"; formats="parquet" ;;
esac
PY=".venv/bin/python"
[ -x "$PY" ] && "$PY" -c "import pandas, pyarrow" 2>/dev/null || PY=""
# DuckDB (pip wheel, in the notebooks' venv) runs jixiao's own SQL on the same Parquet.
DUCK=".venv/bin/python"
[ -x "$DUCK" ] || python3 -m venv .venv
"$DUCK" -c "import duckdb" 2>/dev/null || .venv/bin/pip install -q "duckdb==2.0.1"
"$J" sql >"$W/benchmarks.sql"
R="$W/bench_results.csv"
echo "indicator_rows,format,evaluations_s,indicators_s,benchmarks_s,write_s,total_s,rows_per_s,peak_mb,pandas_s,duckdb_s,duckdb_peak_mb" >"$R"
for s in $sizes; do
  IFS=: read -r d u y p <<<"$s"
  for fmt in $formats; do
    ds="$W/panel-$s-$fmt"
    "$J" synth --out "$ds" --districts "$d" --units "$u" --years "$y" --projects "$p" --format "$fmt" 2>/dev/null
    # Best of three runs (one at 100 M): single runs on this shared machine vary by ~0.4 s
    # at 10 M rows.
    runs=3; [ "${1:-}" = huge ] && runs=1
    line=""
    for _ in $(seq 1 "$runs"); do
      l=$("$J" bench "$ds" --out "$W/out" --format parquet -v 2>&1 | grep timings)
      t=$(sed -E 's/.*total ([0-9.]+) s.*/\1/' <<<"$l")
      if [ -z "$line" ] || awk "BEGIN{exit !($t < $best)}"; then line=$l; best=$t; fi
    done
    echo "$fmt: ${line#bench timings: }"
    pandas_s=""
    # The pandas peer on Parquet up to about 1 M rows (at 10 M it needs more memory than
    # this machine has to spare).
    rows=$(sed -E 's/.* ([0-9]+) indicator rows.*/\1/' <<<"$line")
    if [ "$fmt" = parquet ] && [ -n "$PY" ] && [ "$rows" -le 2000000 ]; then
      peer=$("$PY" scripts/pandas_peer.py "$ds" "$W/out")
      echo "    $peer"
      pandas_s=$(sed -E 's/.*total ([0-9.]+) s.*/\1/' <<<"$peer")
    fi
    duck_s=""; duck_mb=""
    if [ "$fmt" = parquet ]; then
      # Best of three like jixiao's (one at 100 M); each run writes every view to Parquet.
      for _ in $(seq 1 "$runs"); do
        d=$("$DUCK" scripts/duckdb_peer.py "$ds" "$W/benchmarks.sql" "$W/out" "$W/duck")
        t=$(sed -E 's/.*total ([0-9.]+) s.*/\1/' <<<"$d")
        if [ -z "$duck_s" ] || awk "BEGIN{exit !($t < $duck_s)}"; then duck_s=$t; duck_line=$d; fi
      done
      echo "    $duck_line"
      duck_mb=$(sed -E 's/.*peak memory ([0-9]+) MB.*/\1/' <<<"$duck_line")
    fi
    num() { sed -E "s/.*$1 ([0-9.]+) s.*/\\1/" <<<"$line"; }
    echo "$rows,$fmt,$(num 'evaluations \(load, check\)'),$(num 'indicators \(read, check, partials, detail; evaluation tables alongside\)'),$(num 'benchmarks'),$(num 'write'),$(num 'total'),$(sed -E 's/.*\(([0-9]+) rows\/s\).*/\1/' <<<"$line"),$(sed -E 's/.*peak memory ([0-9]+) MB.*/\1/' <<<"$line"),$pandas_s,$duck_s,$duck_mb" >>"$R"
    rm -rf "$ds"
  done
done
echo "== results (copy to charts/perf/bench_results.csv and run scripts/plot_bench.py for the plot)"
cat "$R"
