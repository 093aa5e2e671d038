exec > log.txt; echo logged; exec >&2; cat log.txt >&2
