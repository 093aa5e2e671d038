echo start
nosuchcmd_abc
echo $?
