touch 'x*y' xay; echo x*y; echo 'x*y' "x*"y
