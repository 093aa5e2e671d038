touch a1 a2 b1; echo [ab]1 a[!1] [[:alpha:]]2
