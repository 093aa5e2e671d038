unset u; e=; echo ${u-d1} ${u:-d2} ${e-d3} [${e:-d4}]
