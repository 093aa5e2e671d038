f() { return 7; }; f; echo $?
g() { false; }; g; echo $?
