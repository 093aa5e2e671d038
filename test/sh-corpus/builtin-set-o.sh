set -o | grep -E '^(errexit|noglob|nounset)'; set -e; set -o | grep errexit; set +o | grep errexit
