x=world
cat <<'EOF'
hello $x
$(echo sub)
EOF
cat <<"E"
$x
E
