set -u
echo $nope
echo never
