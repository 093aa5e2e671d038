sleep 0 & p=$!; [ -n "$p" ] && echo has-pid; wait $p; echo $?
