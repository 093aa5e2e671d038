// A writer for the "newc" cpio format the kernel unpacks as an initramfs.
// Entries are written in the order given; callers sort them for reproducible
// output. No root privileges are needed: owners, modes and device numbers are
// just numbers in the headers.

export type CpioEntry =
  | { type: "dir"; path: string; mode?: number; uid?: number; gid?: number }
  | { type: "file"; path: string; data: Uint8Array; mode?: number; uid?: number; gid?: number }
  | { type: "symlink"; path: string; target: string }
  | { type: "chardev" | "blockdev"; path: string; major: number; minor: number; mode?: number; uid?: number; gid?: number };

const S_IFDIR = 0o040000, S_IFREG = 0o100000, S_IFLNK = 0o120000, S_IFCHR = 0o020000, S_IFBLK = 0o060000;

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
const pad4 = (n: number) => (4 - (n % 4)) % 4;

export class CpioWriter {
  private chunks: Uint8Array[] = [];
  private ino = 1;
  private size = 0;

  constructor(private readonly mtime = 0) {}

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }

  private header(name: string, mode: number, uid: number, gid: number, nlink: number, fileSize: number, rmajor = 0, rminor = 0): void {
    const nameBytes = Buffer.from(name + "\0");
    const fields = [this.ino++, mode, uid, gid, nlink, this.mtime, fileSize, 0, 0, rmajor, rminor, nameBytes.length, 0];
    this.push(Buffer.from("070701" + fields.map(hex8).join(""), "ascii"));
    this.push(nameBytes);
    this.push(new Uint8Array(pad4(110 + nameBytes.length)));
  }

  private data(b: Uint8Array): void {
    this.push(b);
    this.push(new Uint8Array(pad4(b.length)));
  }

  add(e: CpioEntry): void {
    const name = e.path.replace(/^\/+/, "") || ".";
    switch (e.type) {
      case "dir":
        this.header(name, S_IFDIR | (e.mode ?? 0o755), e.uid ?? 0, e.gid ?? 0, 2, 0);
        break;
      case "file":
        this.header(name, S_IFREG | (e.mode ?? 0o644), e.uid ?? 0, e.gid ?? 0, 1, e.data.length);
        this.data(e.data);
        break;
      case "symlink": {
        const target = Buffer.from(e.target);
        this.header(name, S_IFLNK | 0o777, 0, 0, 1, target.length);
        this.data(target);
        break;
      }
      case "chardev":
      case "blockdev":
        this.header(name, (e.type === "chardev" ? S_IFCHR : S_IFBLK) | (e.mode ?? 0o600), e.uid ?? 0, e.gid ?? 0, 1, 0, e.major, e.minor);
        break;
    }
  }

  /** The archive with its trailer, padded to a 512-byte boundary. */
  finish(): Uint8Array {
    this.header("TRAILER!!!", 0, 0, 0, 1, 0);
    const tail = (512 - (this.size % 512)) % 512;
    this.push(new Uint8Array(tail));
    return Buffer.concat(this.chunks);
  }
}
