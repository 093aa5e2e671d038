x=0; f() { local x=1; g; echo f$x; }; g() { echo g$x; x=2; }; f; echo top$x
