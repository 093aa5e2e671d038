export FOO=bar; sh -c 'echo $FOO'; BAR=baz; sh -c 'echo [$BAR]'; export BAR; sh -c 'echo $BAR'
