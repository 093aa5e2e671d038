echo x > /nonexistent/dir/file
echo $?
cat < /nonexistent-file
echo $?
