echo hello | { read; echo $REPLY; }
