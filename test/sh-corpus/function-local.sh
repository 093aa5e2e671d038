x=global; f() { local x=inner; echo $x; }; f; echo $x
g() { local y; y=2; }; g; echo "[$y]"
