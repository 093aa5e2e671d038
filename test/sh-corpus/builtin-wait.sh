sleep 0.1 & sleep 0.05 & wait; echo all-done
(exit 3) & wait $!; echo $?
