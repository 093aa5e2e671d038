# ulimit's complaints, in ash's words.
ulimit -z; echo "$?"
ulimit -n abc; echo "$?"
ulimit -n -5; echo "$?"
ulimit -n +5; echo "$?"
ulimit -f 99999999999999999999; echo "$?"
ulimit -n 32; ulimit -Hn 16; echo "$?"
ulimit -Hn 99999999; echo "$?"
ulimit -nf; echo "$?"
ulimit -n 20 -c x; echo "$?"; ulimit -n
