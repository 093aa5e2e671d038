exec 2>/dev/null
exec sh -c "echo child \$0" named
echo never
