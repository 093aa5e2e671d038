set --
for x in "$@"; do echo never; done
set -- ""
for x in "$@"; do echo "[$x]"; done
echo "$#"
