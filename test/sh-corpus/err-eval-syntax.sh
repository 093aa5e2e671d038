eval 'if'
echo never
