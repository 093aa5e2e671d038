x='line1
line2'; echo "$x"
