# read -t takes seconds with an optional fraction, nothing else.
read -t abc v < /dev/null; echo "$?"
read -t .5 v < /dev/null; echo "$?"
read -t -1 v < /dev/null; echo "$?"
read -t 1e1 v < /dev/null; echo "$?"
read -t < /dev/null; echo "$?"
