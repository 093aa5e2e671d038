echo hi >&9
echo $?
