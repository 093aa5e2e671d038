printf 'a\\b c\n' > in; read x < in; echo "$x"; read -r y < in; echo "$y"
