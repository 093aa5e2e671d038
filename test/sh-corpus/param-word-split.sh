# The word of an unquoted ${x:+word} or ${x:-word} is split: its literal text too.
x=a
set -- ${x:+--retry "$x"}; echo "$# $1 $2"
set -- ${y:-a b "c d"}; echo "$# $3"
set -- "${x:+p q}"; echo "$#"
IFS=:; set -- ${x:+u:v}; echo "$#"; IFS=" "
set -- ${x:+a\ b}; echo "$#"
set -- ${y-one two}; echo "$#"
