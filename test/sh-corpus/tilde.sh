HOME=/home/test; echo ~ ~/x "~" '~'; x=~/y; echo $x
