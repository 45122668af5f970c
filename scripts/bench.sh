#!/usr/bin/env bash
# Benchmarks (figures go in README): extraction throughput on a corpus of copies of the
# bundled reports; load+validate / benchmarks / write times with peak memory for synthetic
# panels of growing size, CSV and Parquet; and the same tables computed by a plain pandas
# script (scripts/pandas_peer.py, in .venv) as the peer comparison.
# Usage: scripts/bench.sh [quick|full]   (full adds the 10 M-row panel: a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jixiao-target}"
cargo build --release -q
J="$CARGO_TARGET_DIR/release/jixiao"
W="${TMPDIR:-/tmp}/jixiao-bench"
rm -rf "$W"; mkdir -p "$W"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(date -u +%F)"

echo "== extract: files, MB, seconds, MB/s (1 thread and all threads)"
for n in 50 100 200; do
  c="$W/corpus-$n"; mkdir -p "$c"
  for i in $(seq 1 "$n"); do for f in datasets/reports/*.txt; do cp "$f" "$c/r${i}_$(basename "$f")"; done; done
  echo "files=$((n * 5)) $(RAYON_NUM_THREADS=1 "$J" extract "$c" --out "$W/x" -q -v 2>&1 | sed 's/^extract: //')"
  echo "files=$((n * 5)) $("$J" extract "$c" --out "$W/x" -q -v 2>&1 | sed 's/^extract: //')"
  rm -rf "$c"
done

echo "== bench: indicator rows, format, phase timings, peak memory"
sizes="10:41:3:4 20:50:5:19"
[ "${1:-}" = quick ] && sizes="10:41:3:4"
[ "${1:-}" = full ] && sizes="10:41:3:4 20:50:5:19 145:50:5:19"
PY=".venv/bin/python"
[ -x "$PY" ] && "$PY" -c "import pandas, pyarrow" 2>/dev/null || PY=""
for s in $sizes; do
  IFS=: read -r d u y p <<<"$s"
  for fmt in csv parquet; do
    ds="$W/panel-$s-$fmt"
    "$J" synth --out "$ds" --districts "$d" --units "$u" --years "$y" --projects "$p" --format "$fmt" 2>/dev/null
    echo "$fmt $("$J" bench "$ds" --out "$W/out" -v 2>&1 | grep timings)"
    if [ "$fmt" = parquet ] && [ -n "$PY" ]; then
      echo "    $("$PY" scripts/pandas_peer.py "$ds" "$W/out")"
    fi
    rm -rf "$ds"
  done
done
