set -e; true; echo one; false; echo never
