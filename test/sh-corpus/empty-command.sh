x=$(:); echo "[$x]"
;
