f() { echo $v; }; v=temp f; echo "[${v-}]"
