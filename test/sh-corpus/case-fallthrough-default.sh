case zz in a) echo a;; *) echo default;; esac
case '' in '') echo empty;; esac
