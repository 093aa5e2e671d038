echo ${missing?oops}
echo never
