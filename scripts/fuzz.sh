#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# SECONDS (default 20), starting from tests/fuzz/corpus. New crashers are
# left in build-fuzz/crash-* and fail the run.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-20}
for p in clang libclang-rt-14-dev; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        sudo=""
        [ "$(id -u)" = 0 ] || sudo=sudo
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq clang libclang-rt-14-dev >/dev/null
        break
    fi
done
dir=$src/build-fuzz
CC=clang CXX=clang++ cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DHYCO_FUZZ=ON -DHYCO_SANITIZE=ON >/dev/null
cmake --build "$dir" -j"$(nproc)" --target $(cd "$src/tests/fuzz" && ls fuzz_*.cpp | sed 's/\.cpp$//') >/dev/null
for exe in "$dir"/tests/fuzz_*; do
    name=$(basename "$exe")
    corpus=$dir/corpus/${name#fuzz_}
    mkdir -p "$corpus"
    cp -n "$src/tests/fuzz/corpus/${name#fuzz_}"/* "$corpus"/ 2>/dev/null || true
    echo "fuzz: $name for ${secs}s" >&2
    (cd "$dir" && "$exe" -max_total_time="$secs" -max_len=8192 -print_final_stats=1 "$corpus" 2>&1 | tail -3)
done
