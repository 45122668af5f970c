#!/usr/bin/env bash
# Rebuild datasets/reports/*.docx and *.pdf (two published forms of other provinces laid out as
# Word tables; see scripts/make_dataset_reports.py and datasets/reports/SOURCES.md). Not run in CI;
# the outputs are committed. Uses the tools and venv that scripts/make_report_fixtures.sh installs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${FIXTURE_VENV:-/tmp/jixiao-fixture-venv}"
if [[ ! -x "$venv/bin/python" ]] || ! command -v soffice >/dev/null 2>&1; then
  echo ">> setting up LibreOffice and the Python venv via make_report_fixtures.sh" >&2
  echo "   (run scripts/make_report_fixtures.sh once first)" >&2
  exit 1
fi
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1704067200}"
exec "$venv/bin/python" "$here/make_dataset_reports.py" "$@"
