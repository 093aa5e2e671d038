# read -t: a timeout fails and leaves the variables alone; -t 0 only asks
# whether input is there (reading nothing); -p prompts only on a terminal.
(sleep 2; echo late) | { v=old; read -t 0 v; echo "t0 $? [$v]"; read -t 0.3 v; echo "timeout $? [$v]"; }
(printf ab; sleep 2; echo cd) | { v=old; read -t 0.3 v; echo "partial $? [$v]"; }
echo hi | { sleep 0.1; v=old; read -t 0 v; echo "ready $? [$v]"; read w; echo "[$w]"; }
read -t 0 v < /dev/null; echo "eof $?"
read -t 1. v < /dev/null; echo "eof $? [$v]"
printf 'a\\\nb c\n' | { read -t 2 v w; echo "$? [$v] [$w]"; }
echo x | { read -p "P> " v; echo "no prompt on a pipe [$v]"; }
echo x | { read -s v; echo "silent [$v]"; }
