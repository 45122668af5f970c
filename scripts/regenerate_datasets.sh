#!/usr/bin/env bash
# Regenerate the committed datasets from their sources (tests/datasets_fresh.rs fails when
# they are stale): the extraction of the bundled reports, and the synthetic panel.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jixiao-target}"
cargo run --release -q -- extract datasets/reports --out datasets/extracted --quiet
cargo run --release -q -- synth --out datasets/synthetic
