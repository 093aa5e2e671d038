touch gg1; set -f; echo gg*; set +f; echo gg*
