#!/bin/sh
# Debian's Chromium for the browser tests (Playwright cannot download its own
# browser here), plus a CJK font so Japanese status names render in screenshots.
# Idempotent: installs only what is missing.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$missing fonts-noto-cjk"
if [ -n "$missing" ]; then
  echo "jobscope: installing$missing"
  if [ "$(id -u)" -ne 0 ]; then
    echo "jobscope: need root to install$missing (apt-get)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "jobscope: browser $(command -v chromium)"
