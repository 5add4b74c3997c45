#!/usr/bin/env bash
# Make sure a Chromium for the browser tests and `npm run bench:web` is on this machine: Playwright cannot download
# its own browsers here, so Debian's package is used (CHROMIUM_PATH, default /usr/bin/chromium). Idempotent.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[chromium] installing Debian's chromium (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
  [ -x "$CHROMIUM" ] && exit 0
fi
echo "[chromium] ERROR: no Chromium at $CHROMIUM: install it (Debian: apt-get install chromium fonts-liberation)" \
  "or set CHROMIUM_PATH" >&2
exit 1
