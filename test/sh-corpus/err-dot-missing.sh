. ./missing-file
echo never
