x=$(echo hi); echo $x; y=`echo back`; echo $y
