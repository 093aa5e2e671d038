printf 'noeol' | { read x; echo $? "$x"; }
echo | { read y; echo $? "[$y]"; }
