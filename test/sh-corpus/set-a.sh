set -a; AUTO=1; sh -c 'echo $AUTO'
