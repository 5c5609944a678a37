#!/usr/bin/env bash
# Installs the Debian packages the test suite uses, when they are missing:
#   postgresql   the salt service's Postgres store is tested against a real server (the test runs its own
#                cluster with initdb in a temporary folder)
# node-gyp also needs python3, make and g++ (to build better-sqlite3 from source offline).
#   nasm, libgmp-dev, nlohmann-json3-dev
#                circom's native (C++) witness generator, built into the artifact cache with g++ (without
#                them tiers still build and prove, with the slower WebAssembly witness)
#   chromium     the browser tests (apps/demo) drive Debian's Chromium at /usr/bin/chromium with playwright-core
#                (npm ships no browser build that works offline)
# Run as root (or through sudo) on Debian/Ubuntu. Does nothing when everything is present.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v nasm >/dev/null 2>&1 || missing+=(nasm)
any_file() { for file in "$@"; do [ -e "$file" ] && return 0; done; return 1; }
any_file /usr/include/gmp.h /usr/include/*/gmp.h || missing+=(libgmp-dev)
any_file /usr/include/nlohmann/json.hpp || missing+=(nlohmann-json3-dev)
[ -x /usr/bin/chromium ] || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps: need root to install ${missing[*]} (run: sudo $0)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
