# ulimit: ash's table and units; limits set are what the programs the shell
# starts inherit (the soft and the hard one unless -S or -H); a subshell's
# limits stay in the subshell.
ulimit -a | sed 's/) [0-9][0-9]*$/) N/'
ulimit -Ha | sed 's/) [0-9][0-9]*$/) N/'
ulimit -c 0 -n 64
ulimit -c -n
ulimit -n; ulimit -Sn; ulimit -Hn
grep 'open files' /proc/self/limits
(ulimit -n 32; ulimit -n; grep 'open files' /proc/self/limits)
ulimit -n
ulimit -Sn 40; ulimit -n; ulimit -Hn
grep 'open files' /proc/self/limits
ulimit -f 8; ulimit; ulimit -Hf
ulimit -Sf unlimited 2>/dev/null; echo "soft above hard: $?"
ulimit 5; ulimit -f
sh -c 'ulimit -f; ulimit -n'
ulimit -s 1024 -t 30; ulimit -s -t
grep -e 'Max stack' -e 'Max cpu' -e 'Max file size' /proc/self/limits
ulimit -Sc 1; ulimit -c; ulimit -Hc
