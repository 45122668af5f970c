#!/usr/bin/env bash
# The test command (README): installs what the tests need beyond the Rust toolchain
# (Debian's chromium for the report's browser test; a Python venv for the notebooks), runs
# every Rust test in release mode (one build profile, shared with `cargo run --release`),
# executes the three notebooks headless, and closes with one total line.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jixiao-target}"

if [ -z "${JIXIAO_SKIP_BROWSER:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: installing Debian's chromium for the report's headless-browser test"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

log=$(mktemp)
set +e
cargo test --release --no-fail-fast 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ -z "${JIXIAO_SKIP_NOTEBOOKS:-}" ]; then
  scripts/run_notebooks.sh 2>&1 | grep -v "Kernel is running over TCP" | tee -a "$log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
fi
set -e
passed=$(grep -Eo '(test result: [a-z]+\. [0-9]+ passed|^notebooks: [0-9]+ passed)' "$log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '(; [0-9]+ failed|, [0-9]+ failed)' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed"
exit "$status"
