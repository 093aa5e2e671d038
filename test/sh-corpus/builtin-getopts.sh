set -- -a -b val -c file; while getopts ab:c opt; do echo "$opt ${OPTARG-}"; done; shift $((OPTIND-1)); echo rest $@
