#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` in a build directory makes hyco_*.deb,
# `apt-get install ./hyco_*.deb` installs it (as root), the tools run from
# /usr/bin, `man hyco-send` finds the page and the shells find the
# completions; then the package is removed again, so the machine is left as
# it was. Usage (CI, as root): tests/package/deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: deb.sh BUILD_DIR}" && pwd)
fail() { echo "FAIL [deb]: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "deb.sh: needs root (apt-get install); skipped" >&2; exit 77; }
if dpkg-query -W -f='${Status}' hyco 2>/dev/null | grep -q "install ok installed"; then
    fail "a hyco package is already installed; not touching it"
fi

rm -f "$build"/hyco_*.deb
(cd "$build" && cpack -G DEB >/dev/null) || fail "cpack failed"
deb=$(ls "$build"/hyco_*.deb)
trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq hyco >/dev/null 2>&1 || true' EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null || fail "apt-get install $deb failed"

for t in hyco-token hyco-listen hyco-send hyco-pipe hyco-relay hyco-probe; do
    [ -x /usr/bin/$t ] || fail "/usr/bin/$t missing"
    /usr/bin/$t --version | grep -q "^$t " || fail "$t --version"
    file_out=$(od -An -c -N4 /usr/bin/$t | tr -d ' ')
    [ "$file_out" = '177ELF' ] || fail "$t is not an ELF binary"
    ! readelf -S /usr/bin/$t | grep -q '\.debug_info' || fail "$t is not stripped"
    MANPAGER=cat man -P cat $t 2>/dev/null | grep -q "EXIT STATUS" || fail "man $t not found"
    [ -f /usr/share/bash-completion/completions/$t ] || fail "no bash completion for $t"
    [ -f /usr/share/zsh/vendor-completions/_$t ] || fail "no zsh completion for $t"
    [ -f /usr/share/fish/vendor_completions.d/$t.fish ] || fail "no fish completion for $t"
done
HYCO_KEY=abcdefghijkl /usr/bin/hyco-token create -n contoso -p hyco -k Root --ttl 1m | grep -q "^SharedAccessSignature " ||
    fail "hyco-token does not run"
# The shells find the installed completions by themselves.
bash -c '. /usr/share/bash-completion/bash_completion; _completion_loader hyco-pipe; complete -p hyco-pipe' \
    >/dev/null 2>&1 || fail "bash-completion does not load hyco-pipe's completion"
fish -c 'complete -C "hyco-token "' | grep -q '^verify' || fail "fish does not find the completion"
zsh -f -c 'autoload -U compinit; compinit -u -D; (( $+_comps[hyco-pipe] ))' || fail "zsh does not find the completion"
[ -f /usr/share/doc/hyco/copyright ] || fail "no copyright file"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq hyco >/dev/null || fail "apt-get remove hyco failed"
[ ! -e /usr/bin/hyco-send ] || fail "apt-get remove left /usr/bin/hyco-send"
trap - EXIT
echo "ok: $(basename "$deb") installs, works and is removed"
