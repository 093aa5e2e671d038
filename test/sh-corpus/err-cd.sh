cd /nonexist-dir
echo $?
