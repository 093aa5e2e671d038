touch ff1; set -f; echo ff*; set +f; echo ff*
