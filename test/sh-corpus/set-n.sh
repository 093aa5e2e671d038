set -n; echo never-runs
