trap 'echo caught' USR1; kill -USR1 $$; echo after
trap; trap - USR1; trap
