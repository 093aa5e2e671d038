set -- a b; echo $# $1 $2; true; echo $?; false; echo $?
echo $0 | grep -c t.sh
