type cd; type :; f() { :; }; type f; type if
