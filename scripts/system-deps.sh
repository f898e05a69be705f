#!/usr/bin/env bash
# Install the Debian packages Kinerja needs when they are missing (idempotent, quiet when
# everything is there). Needs root or sudo; never downloads a browser of its own: the browser
# tests drive Debian's Chromium at /usr/bin/chromium.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
# LibreOffice turns the Word documents into PDF, to look at them as a reader will.
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${need[*]} (install them with your package manager)" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing system packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
