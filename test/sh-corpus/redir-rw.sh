echo abc > rw.txt; exec 4<> rw.txt; read l <&4; echo $l; exec 4<&-
