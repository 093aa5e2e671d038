printf 'echo from-script $1\n' > s.sh; chmod +x s.sh; ./s.sh arg
