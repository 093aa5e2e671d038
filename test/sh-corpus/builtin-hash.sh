hash -r; echo $?
