a=$$; b=$(echo $$); [ "$a" = "$b" ] && echo same
(c=$$; [ "$a" = "$c" ] && echo subsame)
