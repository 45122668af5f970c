#!/usr/bin/env bash
# The test command (README): every Rust test in release mode (one build profile, shared with
# `cargo run --release`), then checks that the committed extracted dataset is not stale.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jixiao-target}"
cargo test --release 2>&1
