echo piped | cat | cat | cat
