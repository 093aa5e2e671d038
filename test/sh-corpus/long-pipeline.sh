seq 1 100 | grep 7 | sort -r | head -n 3 | tr '\n' ' '; echo
