// unxz and xzcat: expand .xz FILEs (or stdin) with the streaming LZMA2
// decoder of lib/archive/xz.ts, with bbunpack()'s file handling.
import { unxz } from "../lib/archive/xz.ts";
import { defineUnpackApplets, stripSuffix } from "../lib/archive/unpack.ts";

defineUnpackApplets("unxz", "xzcat", (src) => unxz(src), stripSuffix([".xz", ""], [".txz", ".tar"]));
