trap 'echo bye' EXIT; echo running; exit 3
