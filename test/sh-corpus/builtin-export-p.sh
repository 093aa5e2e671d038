export ZZ1='a b'; export -p | grep ZZ1
