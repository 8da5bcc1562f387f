#!/usr/bin/env bash
# Install Tabian on Debian as root: system packages, a virtualenv in .venv, the project.
# Usage: scripts/install.sh [--test]   (--test adds the test tools and PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

apt_packages=(tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng ghostscript unpaper pngquant
  fonts-thai-tlwg poppler-utils qpdf libthai0 libthai-data)
if (( want_test )); then
  # chromium: the browser tests drive Debian's build through Playwright
  apt_packages+=(postgresql chromium)
fi

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install.sh: these Debian packages are missing: ${missing[*]}; run as root" >&2
    exit 1
  fi
  echo "install.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "install.sh: Tabian needs Python 3.11 or newer ($python is $("$python" -V 2>&1))" >&2
  exit 1
fi
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  apt-get install -y -q python3-venv
fi
[[ -x .venv/bin/python ]] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if (( want_test )); then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi
echo "install.sh: done; the command is .venv/bin/tabian" >&2
