e=; set -- $e; echo $#; set -- "$e"; echo $#; set -- $e x $e; echo $#
