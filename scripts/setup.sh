#!/usr/bin/env bash
# Installs what building and testing hyco needs on Debian 12 (only what is
# missing), then the Node interop peers from the committed lock file.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)

packages=(g++ cmake make pkg-config libwebsockets-dev libwebsockets-evlib-ev libev-dev libssl-dev openssl libcli11-dev libfmt-dev
          doctest-dev nlohmann-json3-dev socat curl python3 zsh fish man-db time bash-completion dpkg-dev
          tinyproxy)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d "$src/tests/interop/node_modules/hyco-ws" ] ||
   [ "$src/tests/interop/package-lock.json" -nt "$src/tests/interop/node_modules/.package-lock.json" ]; then
    echo "setup: npm ci (tests/interop)" >&2
    (cd "$src/tests/interop" && npm ci --no-audit --no-fund --loglevel=error)
fi
