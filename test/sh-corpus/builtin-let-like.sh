x=3; x=$((x+1)); echo $x
