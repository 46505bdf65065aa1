#!/usr/bin/env bash
# Installs the Debian packages the test suite uses as peers (openssl, hash-slinger's tlsa) and Debian's chromium,
# which Export-DaneReport.Tests.ps1 opens the HTML reports in (headless, offline).
# Idempotent: apt-get runs only when something is missing. Needs root for the install.
set -euo pipefail
packages=(openssl hash-slinger chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt/dpkg run (e.g. the lab's package install) instead of failing on its lock.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
