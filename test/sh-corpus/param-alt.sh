x=1; e=; unset u; echo [${x+alt}] [${e+alt}] [${e:+alt}] [${u+alt}]
