set -x; echo a b; y=$((1+1))
