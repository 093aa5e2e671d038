x=0; echo 5 | while read y; do x=$y; done; echo $x
