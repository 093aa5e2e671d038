n=0; while [ $n -lt 3 ]; do n=$(expr $n + 1); done; echo $n
