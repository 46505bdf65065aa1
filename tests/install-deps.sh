#!/usr/bin/env bash
# Installs the Debian packages the test suite uses as peers (openssl, hash-slinger's tlsa).
# Idempotent: apt-get runs only when something is missing. Needs root for the install.
set -euo pipefail
packages=(openssl hash-slinger)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
