for i in 1 2; do for j in a b; do echo $i$j; continue 2; done; done
