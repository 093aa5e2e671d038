x=hello-world-hello; echo ${x/hello/bye} ${x//hello/bye} ${x/o/0} ${x//l}
