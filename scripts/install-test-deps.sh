#!/usr/bin/env bash
# Installs what `make test` needs beyond Go and Node on a fresh Debian
# machine: Chromium for the browser tests, a CJK font so Chinese renders,
# poppler-utils for the PDF checks. Uses apt-get when we are root; otherwise
# says exactly what to install.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qiE 'noto sans cjk|noto serif cjk|wenquanyi|droid sans fallback' || need+=(fonts-noto-cjk)
command -v pdftotext >/dev/null || need+=(poppler-utils)
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || need+=(fonts-droid-fallback)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${need[*]} (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "make test needs these Debian packages: ${need[*]}"
  echo "install them with: sudo apt-get install ${need[*]}"
  exit 1
fi
