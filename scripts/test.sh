#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (scripts/setup.sh), builds hyco with
# warnings as errors, and runs every test: unit, end-to-end and interop.
# --sanitize builds and tests with AddressSanitizer + UBSan in build-asan/.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$src/build
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DHYCO_WERROR=ON)
if [ "${1:-}" = "--sanitize" ]; then
    dir=$src/build-asan
    flags=(-DCMAKE_BUILD_TYPE=Debug -DHYCO_WERROR=ON -DHYCO_SANITIZE=ON)
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
bash "$src/scripts/setup.sh"
cmake -S "$src" -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
export HYCO_REQUIRE_INTEROP=1
ctest --test-dir "$dir" --output-on-failure -j2 --timeout 600
