ls /nonexistent-dir-xyz > o.txt 2>&1; echo $?; grep -c nonexistent o.txt
