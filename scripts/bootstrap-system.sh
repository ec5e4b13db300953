#!/usr/bin/env bash
# Installs the Debian packages the project needs (as root, only what is missing), so a fresh
# machine needs nothing but `make run` / `make test`.
set -euo pipefail
# chromium + fonts-noto-cjk: the browser tests drive Debian's Chromium (Playwright cannot download
# one here) and screenshots need a CJK font, or Chinese renders as boxes. gettext: `make messages`.
packages=(libmariadb-dev pkg-config chromium fonts-noto-cjk gettext)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
    exit 1
fi
echo "installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
