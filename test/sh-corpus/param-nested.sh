unset a; b=inner; echo ${a:-${b}x}; echo ${a:-"$b y"}
