f() { echo $# $1 $2; shift; echo $*; }; f a b c; echo $#
