#!/usr/bin/env bash
# System packages for tests/test_rota_browser.py: Debian's Chromium (driven by the
# `playwright` Python package with executable_path=/usr/bin/chromium; never
# `playwright install`) and a font so pages render text. Idempotent: installs only
# what is missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}"
fi
/usr/bin/chromium --version 2>/dev/null
