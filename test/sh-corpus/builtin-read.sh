printf 'a b c\nd e\n' > in; { read x y; echo "[$x][$y]"; read z; echo "[$z]"; } < in
