set -x; echo traced 2>/dev/null; x=1; set +x; echo untraced
