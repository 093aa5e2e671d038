printf '%s-%s\n' a b c d
printf '%d %5d %-5d| %05d\n' 42 42 42 42
printf '%x %X %o %c\n' 255 255 8 hello
printf '%%\n'
printf '%s\n'
