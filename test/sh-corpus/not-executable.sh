echo 'echo hi' > ne.sh; ./ne.sh 2>/dev/null; echo $?
