x='a b  c'; set -- $x; echo $#
IFS=:; y='p:q::r'; set -- $y; echo $# "$3"
