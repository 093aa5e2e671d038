x=ok; echo ${x?fine}
(echo ${u?custom message}) 2>/dev/null; echo status $?
