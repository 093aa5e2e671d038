test 1 -eq 1 && echo eq
[ a = b ] || echo ne
[ -z '' ] && echo z
[ -n x ] && echo n
[ ! -f /nonexist ] && echo nf
[ -d / ] && echo dir
[ 2 -gt 1 -a 3 -gt 2 ] && echo and
[ 1 -gt 2 -o 2 -gt 1 ] && echo or
