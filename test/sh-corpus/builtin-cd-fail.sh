cd /nonexistent-xyz 2>/dev/null; echo $?
