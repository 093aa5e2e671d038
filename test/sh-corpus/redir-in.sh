echo data > in.txt; read x < in.txt; echo $x; cat < in.txt
