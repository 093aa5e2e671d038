x=1; unset x; echo "[${x-unset}]"; f() { :; }; unset -f f; type f >/dev/null 2>&1; echo $?
