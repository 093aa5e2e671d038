eval 'eval "echo deep"'
