# A CHLD trap runs once for each child that ends: subshell, $(...), program, background job.
trap 'echo "chld ($n)"' CHLD
n=1; (true); echo after-subshell
n=2; x=$(echo hi); echo "after-cmdsub $x"
n=3; /bin/true; echo after-program
n=4; sleep 0.1 & wait; echo after-wait
n=5; echo x | cat; echo after-pipeline
trap - CHLD
(true); echo no-trap
