IFS=' :'; x=' a : b:c '; set -- $x; echo $#; for f; do echo "[$f]"; done
