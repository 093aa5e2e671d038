echo -n no-newline; echo; echo -e 'a\tb'; echo -- -n; echo -nx
