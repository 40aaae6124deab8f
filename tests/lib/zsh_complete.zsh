# Drives zsh's completion for real: an interactive zsh on a pseudo-terminal
# (zpty) loads the completion functions in DIR, a TAB is typed after LINE,
# and every candidate the completion offers is written to OUT, one per line.
# What the terminal showed (e.g. an _arguments error) is printed on stdout.
# Usage: zsh -f zsh_complete.zsh DIR OUT 'hyco-pipe rel'
# The caller bounds it (timeout): the inner shell exits after one completion.
zmodload zsh/zpty
local dir=$1 out=$2 line=$3 chunk
zpty z zsh -f -i
zpty -w z "PROMPT=''; fpath=(${(q)dir} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "bindkey '^I' complete-word; zstyle ':completion:*' insert-tab false"
# Every final compadd call (not the -O/-A/-D queries _arguments makes) records its matches.
zpty -w z "compadd() { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; \
local -a __hits; builtin compadd -A __hits \"\$@\"; (( \$#__hits )) && print -rl -- \"\${IPREFIX}\${^__hits[@]}\" >> ${(q)out}; \
builtin compadd \"\$@\"; }"
zpty -w z "comppostfuncs=(exit)"
zpty -w -n z "$line"$'\t'
while zpty -r z chunk; do print -rn -- "$chunk"; done
return 0
