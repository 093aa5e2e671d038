cat <<-EOF
	indented
		double
	EOF
