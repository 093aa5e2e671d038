echo 'echo args: $#' > inc2.sh; set -- a b c; . ./inc2.sh
