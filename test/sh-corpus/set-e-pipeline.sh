set -e; false | true; echo ok; true | false; echo never
