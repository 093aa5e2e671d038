echo $((1+))
echo never
