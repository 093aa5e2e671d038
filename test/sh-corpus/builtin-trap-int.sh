trap 'echo int; exit 9' INT; kill -INT $$; echo not-reached
