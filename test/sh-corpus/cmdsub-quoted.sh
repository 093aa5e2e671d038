x="$(echo 'a   b')"; echo "$x"; echo $(echo 'c   d')
