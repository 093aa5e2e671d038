[ abc \< abd ] && echo lt; [ b \> a ] && echo gt; [ '' ] || echo empty-false; [ x ] && echo one-arg
