#!/usr/bin/env bash
# The generated completions work in real shells: bash (with bash-completion,
# driven through COMP_WORDS/COMP_CWORD and the completion function), zsh (an
# interactive shell on a pty, TAB typed) and fish (complete -C). Each case
# asserts the candidates offered.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
C=$HYCO_SOURCE_DIR/completions
cd "$T"
touch cs.txt cx.dat

# bash_candidates 'LINE': the candidates bash offers for LINE (completing its last word).
# The line is split into words as bash does.
bash_candidates() {
    local line=$1 tool=${1%% *}
    bash --norc -c '
        . /usr/share/bash-completion/bash_completion
        . "$1"
        line=$2
        # Split as readline does: the COMP_WORDBREAKS characters among : = @
        # (bash-completion drops @) are words of their own.
        breaks=""
        for c in : = @; do [[ $COMP_WORDBREAKS == *"$c"* ]] && breaks+=$c; done
        read -r -a COMP_WORDS <<<"$(sed -E "s/([$breaks])/ \1 /g" <<<"$line")"
        [[ $line == *" " || $line =~ [$breaks]$ ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$line
        COMP_POINT=${#line}
        "_${COMP_WORDS[0]//-/_}" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
        printf "%s\n" "${COMPREPLY[@]}"' _ "$C/bash/$tool" "$line" | sort
}
zsh_candidates() {
    local out=$T/zsh.out
    : >"$out"
    timeout 20 zsh -f "$HYCO_SOURCE_DIR/tests/lib/zsh_complete.zsh" "$C/zsh" "$out" "$1" >"$T/zsh.tty" 2>&1 || true
    sort -u "$out"
}
fish_candidates() {
    fish --no-config -c "set -p fish_complete_path $C/fish; complete -C '$1'" | cut -f1 | sort -u
}
# expect SHELL 'LINE' WORD...: every WORD is offered; with a leading '!', is not.
expect() {
    local shell=$1 line=$2 got w
    shift 2
    got=$("${shell}_candidates" "$line")
    if [ "$shell" = zsh ] && grep -qaE '_arguments|comparguments|doubled|command not found' "$T/zsh.tty"; then
        fail "zsh printed an error completing '$line': $(tr -cd '[:print:]\n' <"$T/zsh.tty" | tail -3)"
    fi
    for w in "$@"; do
        if [[ $w == !* ]]; then
            ! grep -qxF -- "${w#!}" <<<"$got" || fail "$shell offers '${w#!}' for '$line': $(tr '\n' ' ' <<<"$got")"
        else
            grep -qxF -- "$w" <<<"$got" || fail "$shell does not offer '$w' for '$line': $(tr '\n' ' ' <<<"$got")"
        fi
    done
}

for sh in bash zsh fish; do
    expect $sh 'hyco-pipe rel' relay-listen: relay-connect: '!tcp:'
    expect $sh 'hyco-pipe tcp-listen:127.0.0.1:8080 tc' tcp: tcp-listen:
    expect $sh 'hyco-token uri ' listen connect http
    expect $sh 'hyco-listen --keepalive-frame ' ping pong '!cs.txt'
    expect $sh 'hyco-pipe --max' --max-connections
    expect $sh 'hyco-token ' create decode verify uri
done
# -x @FILE completes files after the '@'.
expect bash 'hyco-send -x @c' @cs.txt @cx.dat
expect zsh 'hyco-send -x @c' @cs.txt @cx.dat
expect fish 'hyco-send -x @c' @cs.txt @cx.dat
pass "bash, zsh and fish complete addresses, kinds, choices and @FILE"
