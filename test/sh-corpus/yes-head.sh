yes | head -n 3
while :; do echo y; done | head -n 2
