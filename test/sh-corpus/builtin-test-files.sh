touch f; mkdir d; ln -s f l; [ -f f ] && echo f; [ -d d ] && echo d; [ -L l ] && echo L; [ -e l ] && echo e; [ -s f ] || echo empty; echo x > f; [ -s f ] && echo nonempty
