#!/usr/bin/env bash
# The whole test suite, browser tests included, on a fresh Debian machine:
# installs Debian's chromium + chromium-driver and the pinned Python packages, then runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -r requirements.txt
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >/dev/null  # axe-core for the browser tests
python3 -m pytest --headless -p no:cacheprovider "$@"
