case b in (a) echo a;; (b) echo b;; esac
case x in x) ;; esac; echo $?
