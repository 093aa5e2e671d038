echo to-stderr 1>&2 2>/dev/null
echo visible 2>&1
{ echo out; echo err >&2; } 2>&1 | cat
