#!/usr/bin/env bash
# Execute every notebook top to bottom, headless (nbclient), in a virtual environment with
# notebooks/requirements.txt. The committed notebooks are not modified. Prints
# "notebooks: N passed, N failed" and fails when any notebook raises.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jixiao-target}"
export JIXIAO_BIN="${JIXIAO_BIN:-$CARGO_TARGET_DIR/release/jixiao}"
if [ ! -x "$JIXIAO_BIN" ]; then
  cargo build --release -q || exit 1
fi
VENV="${JIXIAO_VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" || exit 1
fi
"$VENV/bin/pip" install -q --disable-pip-version-check -r notebooks/requirements.txt || exit 1
mkdir -p notebooks/_out
passed=0; failed=0
for nb in notebooks/*.ipynb; do
  if "$VENV/bin/python" - "$nb" <<'PY'
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": "notebooks"}}).execute()
PY
  then echo "notebook $nb ... ok"; passed=$((passed + 1))
  else echo "notebook $nb ... FAILED"; failed=$((failed + 1))
  fi
done
echo "notebooks: $passed passed, $failed failed"
[ "$failed" = 0 ]
