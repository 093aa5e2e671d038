echo 'echo before; return 4; echo after' > r.sh; . ./r.sh; echo $?
