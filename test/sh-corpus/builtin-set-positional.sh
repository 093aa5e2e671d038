set -- x y; echo $#; set --; echo $#
