echo abc | tr a-z A-Z
printf 'b\na\nc\n' | sort | head -n 2
