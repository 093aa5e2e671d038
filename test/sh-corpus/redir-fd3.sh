exec 3> f3.txt; echo via3 >&3; exec 3>&-; cat f3.txt
