shift 3
echo $?
