x=; echo "${x:-'a'}" ${x:-'b'}
