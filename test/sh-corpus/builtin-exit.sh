(exit 5); echo $?; (exit); echo $?; sh -c 'exit 7'; echo $?
