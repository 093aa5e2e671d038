echo "echo nested \$((6*7))" | sh
sh -c "echo arg \$1" zero one
