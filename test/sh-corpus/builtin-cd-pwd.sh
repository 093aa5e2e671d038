mkdir -p a/b; cd a/b; pwd | sed 's|.*/a/b|END/a/b|'; cd ..; basename $(pwd); cd -  >/dev/null; basename $PWD
