# fg and bg without job control, and job names that match nothing.
fg; echo "fg $?"
bg %1; echo "bg $?"
jobs %3; echo "jobs $?"
kill %2; echo "kill $?"
sleep 0.1 & fg; echo "fg $?"
bg; echo "bg $?"
jobs -x; echo "jobs $?"
wait
