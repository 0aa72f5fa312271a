#!/usr/bin/env bash
# The whole test suite, browser tests included, on a fresh Debian machine:
# installs Debian's chromium + chromium-driver and the pinned runtime and test packages
# (requirements-test.txt, which includes requirements.txt), then runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -r requirements-test.txt
# axe-core for the accessibility tests, from npm (node and npm come with the machine; Debian's otherwise).
if ! command -v npm >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >/dev/null
# selenium drives Debian's chromedriver from PATH; its Selenium Manager must not try to download one.
export SE_OFFLINE=true
python3 -m pytest --headless -p no:cacheprovider "$@"
