/bin/echo external; ls /nonexistent-x 2>/dev/null; echo $?
