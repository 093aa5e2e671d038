// bunzip2 and bzcat: expand bzip2 FILEs (or stdin) with the streaming decoder
// of lib/archive/bzip2.ts, with bbunpack()'s file handling (lib/archive/unpack.ts).
import { bunzip2 } from "../lib/archive/bzip2.ts";
import { defineUnpackApplets, stripSuffix } from "../lib/archive/unpack.ts";

defineUnpackApplets("bunzip2", "bzcat", (src) => bunzip2(src), stripSuffix([".bz2", ""], [".tbz2", ".tar"], [".tbz", ".tar"]));
