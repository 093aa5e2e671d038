# A lone "[" or "]" is literal, and so is a "[" without its "]".
touch '[' x1 x2
echo [ ] [x x[ "[" x[12] [x]1
[ -f "[" ] && echo lone-bracket-file
case "[" in [) echo case-lone ;; esac
