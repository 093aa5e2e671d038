// A deterministic ustar writer for root filesystem entries (the OCI layer):
// entries in the order given (callers sort), owners and modes from the entries,
// every mtime the same. No root privileges needed.
import type { CpioEntry } from "./cpio.ts";

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, "0") + "\0";
}

/** Splits a path into ustar's prefix (155) and name (100) fields. */
function splitName(p: string): [string, string] {
  if (Buffer.byteLength(p) <= 100) return ["", p];
  const i = p.lastIndexOf("/", 155);
  if (i <= 0 || Buffer.byteLength(p.slice(i + 1)) > 100) throw new Error(`tar: path too long for ustar: ${p}`);
  return [p.slice(0, i), p.slice(i + 1)];
}

function header(name: string, o: { mode: number; uid: number; gid: number; size: number; mtime: number; type: string; link?: string; major?: number; minor?: number }): Buffer {
  const h = Buffer.alloc(BLOCK);
  const [prefix, base] = splitName(name);
  h.write(base, 0, 100, "utf8");
  h.write(octal(o.mode, 8), 100, "ascii");
  h.write(octal(o.uid, 8), 108, "ascii");
  h.write(octal(o.gid, 8), 116, "ascii");
  h.write(octal(o.size, 12), 124, "ascii");
  h.write(octal(o.mtime, 12), 136, "ascii");
  h.write("        ", 148, "ascii"); // checksum counts as spaces while summing
  h.write(o.type, 156, "ascii");
  if (o.link) h.write(o.link, 157, 100, "utf8");
  h.write("ustar\u000000", 257, "ascii");
  h.write(o.uid === 0 ? "root" : "", 265, "ascii");
  h.write(o.gid === 0 ? "root" : "", 297, "ascii");
  h.write(octal(o.major ?? 0, 8), 329, "ascii");
  h.write(octal(o.minor ?? 0, 8), 337, "ascii");
  h.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const x of h) sum += x;
  h.write(octal(sum, 7) + " ", 148, "ascii");
  return h;
}

export interface TarFile {
  name: string;
  data: Uint8Array;
  mode?: number;
}

/** A tar of root filesystem entries (paths without the leading "/"). */
export function tarEntries(entries: CpioEntry[], mtime: number): Buffer {
  const chunks: Buffer[] = [];
  for (const e of entries) {
    const name = e.path.replace(/^\/+/, "");
    if (!name) continue;
    const own = "uid" in e ? { uid: e.uid ?? 0, gid: e.gid ?? 0 } : { uid: 0, gid: 0 };
    switch (e.type) {
      case "dir":
        chunks.push(header(`${name}/`, { mode: e.mode ?? 0o755, ...own, size: 0, mtime, type: "5" }));
        break;
      case "file":
        chunks.push(header(name, { mode: e.mode ?? 0o644, ...own, size: e.data.length, mtime, type: "0" }));
        chunks.push(Buffer.from(e.data), Buffer.alloc((BLOCK - (e.data.length % BLOCK)) % BLOCK));
        break;
      case "symlink":
        if (Buffer.byteLength(e.target) > 100) throw new Error(`tar: symlink target too long: ${e.path}`);
        chunks.push(header(name, { mode: 0o777, uid: 0, gid: 0, size: 0, mtime, type: "2", link: e.target }));
        break;
      case "chardev":
      case "blockdev":
        chunks.push(header(name, { mode: e.mode ?? 0o600, ...own, size: 0, mtime, type: e.type === "chardev" ? "3" : "4", major: e.major, minor: e.minor }));
        break;
    }
  }
  chunks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(chunks);
}

/** A tar of plain files (the OCI archive around the blobs); directories implied by names are added first. */
export function tarFiles(files: TarFile[], mtime: number): Buffer {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.name.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  const entries: CpioEntry[] = [
    ...[...dirs].sort().map((d) => ({ type: "dir" as const, path: d, mode: 0o755 })),
    ...[...files].sort((a, b) => (a.name < b.name ? -1 : 1)).map((f) => ({ type: "file" as const, path: f.name, data: f.data, mode: f.mode ?? 0o644 })),
  ];
  return tarEntries(entries, mtime);
}
