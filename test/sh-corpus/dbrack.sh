[[ abc == a* ]] && echo glob
[[ -n x && 1 -lt 2 ]] && echo and
[[ ! -e /nonexistent ]] && echo not
[[ a = b ]] || echo ne
[[ 3 -gt 2 ]] && echo gt
