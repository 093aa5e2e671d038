f() {
cat <<EOF
func $1
EOF
}
f arg
