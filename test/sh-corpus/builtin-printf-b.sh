printf '%b\n' 'a\tb' 'c\nd'
printf 'no newline'
echo
