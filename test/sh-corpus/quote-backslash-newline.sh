echo one\
two
echo "three\
four"
