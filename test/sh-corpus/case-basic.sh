for w in apple banana cherry x.c; do case $w in a*) echo A;; b*|c*) echo BC;; *.c) echo C;; esac; done
