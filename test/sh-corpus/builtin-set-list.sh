ZZVAR='q x'; set | grep '^ZZVAR='
