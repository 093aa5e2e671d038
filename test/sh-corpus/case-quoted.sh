x='*'; case a in "$x") echo star;; *) echo other;; esac
case '*' in "$x") echo literal;; esac
