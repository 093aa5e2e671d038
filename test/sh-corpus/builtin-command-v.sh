command -v echo; command -v cd; f() { :; }; command -v f; command -v nonexistent-cmd; echo $?
