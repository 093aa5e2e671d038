[ 1 -eq x ]
echo $?
[ 1
echo $?
