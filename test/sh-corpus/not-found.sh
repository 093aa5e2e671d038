nonexistent-command-xyz 2>/dev/null; echo $?
./nonexistent 2>/dev/null; echo $?
