for f in a.sh b.txt c; do case $f in *.sh) echo script;; *.txt) echo text;; *) echo unknown;; esac; done
