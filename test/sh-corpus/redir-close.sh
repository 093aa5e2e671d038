echo hi >&-; echo status $?
