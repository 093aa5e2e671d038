unset z; echo $((z+1)) $((z))
