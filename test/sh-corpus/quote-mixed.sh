x=val; echo "pre-$x-post" 'no $x' pre"$x"post
