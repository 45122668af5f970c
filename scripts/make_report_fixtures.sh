#!/usr/bin/env bash
# Rebuild the DOCX/PDF reader fixtures under tests/fixtures/ from datasets/reports/*.txt.
#
#   scripts/make_report_fixtures.sh            # install what is missing, build everything, verify
#   scripts/make_report_fixtures.sh --no-install   # fail instead of installing
#
# Not run in CI; the outputs are committed. Needs Debian/Ubuntu (apt) for LibreOffice,
# the WenQuanYi Zen Hei font, poppler-utils and qpdf; python-docx, reportlab and Pillow go
# into a throw-away venv at $FIXTURE_VENV (default /tmp/jixiao-fixture-venv).
# Re-runnable: every output is rewritten; outputs are byte-for-byte deterministic except
# where noted in tests/fixtures/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
venv="${FIXTURE_VENV:-/tmp/jixiao-fixture-venv}"
install=1
if [[ "${1:-}" == "--no-install" ]]; then install=0; shift; fi

# Pinned Python packages (the venv is rebuilt if these change).
py_pkgs=(python-docx==1.1.2 lxml==6.1.3 reportlab==4.2.5 Pillow==11.0.0)

need_apt=()
command -v soffice  >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)
command -v pdffonts >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v qpdf     >/dev/null 2>&1 || need_apt+=(qpdf)
[[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]] || need_apt+=(fonts-wqy-zenhei)
# poppler-data: CMaps so that pdftotext can read the non-embedded STSong-Light fixture.
[[ -d /usr/share/poppler/cMap/Adobe-GB1 ]] || need_apt+=(poppler-data)
command -v fc-list  >/dev/null 2>&1 || need_apt+=(fontconfig)
if ((${#need_apt[@]})); then
  if ((install == 0)); then echo "missing apt packages: ${need_apt[*]}" >&2; exit 1; fi
  echo ">> apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  if ! apt-get install -y -qq --no-install-recommends "${need_apt[@]}"; then
    # Older releases have no -nogui package.
    apt-get install -y -qq --no-install-recommends "${need_apt[@]/libreoffice-writer-nogui/libreoffice-writer}"
  fi
  fc-cache -f >/dev/null 2>&1 || true
fi

stamp="$venv/.fixture-pkgs"
if [[ ! -x "$venv/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "${py_pkgs[*]}" ]]; then
  if ((install == 0)); then echo "missing venv $venv" >&2; exit 1; fi
  echo ">> creating venv $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "${py_pkgs[@]}"
  echo "${py_pkgs[*]}" >"$stamp"
fi

# Fixed timestamp for everything that honours it (reportlab invariant mode, zip entries, PDF dates).
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1704067200}"   # 2024-01-01T00:00:00Z
export TZ=UTC LC_ALL=C.UTF-8
exec "$venv/bin/python" "$here/make_report_fixtures.py" --repo "$repo" "$@"
