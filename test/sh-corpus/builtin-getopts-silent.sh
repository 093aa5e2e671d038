set -- -q -z; while getopts :z o; do echo "$o [$OPTARG]"; done
