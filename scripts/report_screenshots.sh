#!/usr/bin/env bash
# The report's screenshots for the README gallery (charts/report/): the briefing and one unit
# page as a browser shows them (headless Chromium), and two printed pages of the PDF (pdftoppm).
# Installs Debian's chromium and poppler-utils when missing. Run from anywhere:
#   scripts/report_screenshots.sh [UNIT_ANCHOR]     (default unit-syn-d01-u003)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jixiao-target}"
unit="${1:-unit-syn-d01-u003}"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --release -q -- report --out "$out" --charts "$out/gallery" --format html,pdf --quiet
shots=charts/report
mkdir -p "$shots"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
  --disable-background-networking --disable-component-update --user-data-dir="$out/profile")
url="file://$out/report.html"
chromium "${flags[@]}" --window-size=1200,1500 --virtual-time-budget=3000 \
  --screenshot="$shots/briefing.png" "$url" 2>/dev/null
chromium "${flags[@]}" --window-size=1200,2000 --virtual-time-budget=3000 \
  --screenshot="$shots/unit_page.png" "$url?only=$unit" 2>/dev/null
# The PDF's first page (the briefing) and the page where the unit's own page starts.
pdftoppm -png -r 70 -f 1 -l 1 "$out/report.pdf" "$out/p" && mv "$out"/p-*1.png "$shots/print_briefing.png"
# The unit's page is the one whose heading line names its unit_id (单位编号 <id>); its name
# alone would also match chart labels.
id="${unit#unit-}"
pages=$(pdfinfo "$out/report.pdf" | awk '/^Pages:/{print $2}')
page=""
for ((i = 1; i <= pages; i++)); do
  if pdftotext -f "$i" -l "$i" "$out/report.pdf" - | grep -q "单位编号 $id\b"; then
    page=$i; break
  fi
done
if [ -n "$page" ]; then
  pdftoppm -png -r 70 -f "$page" -l "$page" "$out/report.pdf" "$out/u"
  mv "$out"/u-*.png "$shots/print_unit_page.png"
fi
echo "report screenshots: $(ls "$shots" | tr '\n' ' ') (PDF: $pages pages; unit page on page ${page:-?})"
