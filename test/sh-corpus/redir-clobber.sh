set -C; echo a > c.txt; echo b > c.txt; echo $?; echo c >| c.txt; cat c.txt
