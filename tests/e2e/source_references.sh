# Every repository path the sources, docs, tests and scripts cite (a
# comment's "see core/ws/ws_endpoint.h", design.md's rooms, a README's
# script) exists: files move, and what points at them must follow.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
cd "$HYCO_SOURCE_DIR"
command -v git >/dev/null && [ -e .git ] || { echo "skipped: not a git checkout" >&2; exit 77; }

missing=$(git grep -IohE '(^|[^A-Za-z0-9_./-])(core|tools|tests|docs|bench|scripts|man|completions)/[A-Za-z0-9_./-]*[A-Za-z0-9_]\.(h|cpp|md|sh|py|js|txt)\b' \
        -- ':!tests/interop/node_modules' ':!tests/interop/package-lock.json' |
    sed -E 's/^[^A-Za-z]//' | sort -u | while read -r p; do [ -e "$p" ] || echo "$p"; done)
[ -z "$missing" ] || fail "cited but missing: $(echo $missing)"
pass "every cited repository path exists"
