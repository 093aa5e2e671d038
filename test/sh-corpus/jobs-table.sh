# The job table without job control: numbers, +/- marks, states, and that
# wait leaves a finished job to be reported (and then forgotten) by jobs.
sleep 1 & jobs; jobs -l | sed 's/[0-9][0-9]*/N/g'; jobs -p | sed 's/[0-9][0-9]*/N/'
kill %1; wait; jobs; jobs
(exit 3) & wait %1; echo "status $?"; jobs
(exit 4) & wait $!; jobs
sleep 0.1 & kill -STOP %1; jobs; kill -CONT %1; wait; jobs
sleep 0.1 & kill -9 %1; wait; jobs
{ sleep 1; } & kill %1; wait; jobs
true & false & wait; jobs; jobs
sleep 0.2 & sleep 0.2 & jobs %1; jobs %-; jobs %%; jobs %sl 2>/dev/null || echo ambiguous; wait
