set -- -xy -zfoo bar; while getopts xyz: o; do echo $o $OPTARG; done; echo $OPTIND
