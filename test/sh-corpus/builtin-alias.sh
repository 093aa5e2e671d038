alias hi='echo hello'
hi there
alias hi
unalias hi
hi 2>/dev/null; echo $?
