readonly R=1; (R=2) 2>/dev/null; echo $?; echo $R; readonly -p | grep ' R='
