// The archive applets (gzip gunzip zcat bzcat bunzip2 xzcat unxz tar cpio
// unzip) against busybox-static: differential tables over archives made by
// the reference tools (GNU tar, gzip, bzip2, xz, cpio, zip), extraction
// results compared as trees, the security cases (.., absolute names,
// symlinks and hard links leading out), round trips of random trees and
// data, interchange with GNU tar, and a fuzz run of damaged archives.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { differential, type Case } from "../helpers/differential.ts";
import { BUSYBOX, havePika, linkDir, PIKA, tempDir } from "../helpers/run.ts";
import { tarHeader, type TarEntry } from "../../lib/archive/tar.ts";
import { cpioHeader, TRAILER } from "../../lib/archive/cpio.ts";

const APPLETS = ["gzip", "gunzip", "zcat", "bzcat", "bunzip2", "xzcat", "unxz", "tar", "cpio", "unzip"];
const have = (cmd: string, arg = "--version") => spawnSync(cmd, [arg]).status === 0;
const haveTools = have("tar") && have("bzip2") && have("xz") && have("gzip") && have("cpio") && have("zip", "-v");
const ENV = { PATH: "/usr/bin:/bin", LANG: "C", TZ: "UTC" };

// ---- inputs, made once ----

let ARCH = "";
const OLD = new Date("2021-03-04T05:06:07Z");

function sh(cmd: string, cwd: string): void {
  const r = spawnSync("sh", ["-c", cmd], { cwd, env: ENV, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
}

/** A small tree with every member type, long names and link targets. */
function makeTree(d: string): void {
  const long = "x".repeat(120);
  fs.mkdirSync(path.join(d, "d/sub/deeper"), { recursive: true });
  fs.writeFileSync(path.join(d, "d/a.txt"), "alpha\n");
  fs.writeFileSync(path.join(d, "d/sub/b.bin"), Buffer.alloc(3000, 7));
  fs.writeFileSync(path.join(d, "d/sub/deeper/c"), "c\n");
  fs.writeFileSync(path.join(d, `d/${long}`), "long\n");
  fs.writeFileSync(path.join(d, "d/exec.sh"), "#!/bin/sh\n");
  fs.chmodSync(path.join(d, "d/exec.sh"), 0o755);
  fs.symlinkSync("a.txt", path.join(d, "d/sl"));
  fs.symlinkSync(long, path.join(d, `d/ll_${long}`));
  fs.linkSync(path.join(d, "d/a.txt"), path.join(d, "d/hard"));
  spawnSync("mkfifo", [path.join(d, "d/fifo")]);
  fs.mkdirSync(path.join(d, "d/empty"));
  for (const p of ["d/a.txt", "d/sub/b.bin", "d/sub/deeper/c", `d/${long}`, "d/exec.sh", "d/fifo", "d/empty", "d/sub/deeper", "d/sub", "d"]) {
    fs.utimesSync(path.join(d, p), OLD, OLD);
  }
}

function tarBlock(e: Partial<TarEntry> & { name: string }, data = ""): Buffer {
  const full: TarEntry = {
    mode: 0o644, uid: 0, gid: 0, uname: "root", gname: "root", size: data.length, mtime: 1600000000,
    type: "0", linkname: "", devmajor: 0, devminor: 0, ...e,
  };
  const pad = (512 - (data.length % 512)) % 512;
  return Buffer.concat([tarHeader(full), Buffer.from(data, "latin1"), Buffer.alloc(pad)]);
}
const tarOf = (...blocks: Buffer[]) => Buffer.concat([...blocks, Buffer.alloc(1024)]);

/** A zip of stored members (name, data, unix mode). */
function zipOf(members: { name: string; data: string; mode?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let off = 0;
  for (const m of members) {
    const data = Buffer.from(m.data, "latin1");
    const name = Buffer.from(m.name, "latin1");
    const crc = zlib.crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(10, 4);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(0x5284, 12); // a DOS date
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(0x031e, 4);
    ch.writeUInt16LE(10, 6);
    ch.writeUInt16LE(0x5284, 14);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(((m.mode ?? 0o100644) << 16) >>> 0, 38);
    ch.writeUInt32LE(off, 42);
    locals.push(lh, name, data);
    central.push(ch, name);
    off += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, end]);
}

function cpioOf(members: { name: string; data?: string; mode: number }[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  for (const m of members) {
    const data = Buffer.from(m.data ?? "", "latin1");
    parts.push(Buffer.from(cpioHeader({ ...TRAILER, name: m.name, ino: ino++, mode: m.mode, nlink: 1, mtime: 1600000000, size: data.length })));
    parts.push(data, Buffer.alloc((4 - (data.length % 4)) % 4));
  }
  parts.push(Buffer.from(cpioHeader(TRAILER)));
  return Buffer.concat(parts);
}

function flip(b: Buffer, at: number, bit = 0x10): Buffer {
  const c = Buffer.from(b);
  c[at] ^= bit;
  return c;
}

function buildInputs(): void {
  ARCH = tempDir("pika-arch-");
  const w = (n: string, d: string | Buffer) => fs.writeFileSync(path.join(ARCH, n), d);
  const text = Array.from({ length: 3000 }, (_, i) => `line ${i} ${"abc".repeat(i % 7)}\n`).join("");
  w("text", text);
  sh("gzip -9 -c text > text.gz && bzip2 -c text > text.bz2 && xz -c text > text.xz && cat text.gz text.gz > twice.gz", ARCH);
  const gz = fs.readFileSync(path.join(ARCH, "text.gz"));
  w("crc.gz", flip(gz, gz.length - 6));
  w("len.gz", flip(gz, gz.length - 2));
  w("data.gz", flip(gz, 300));
  w("trunc.gz", gz.subarray(0, gz.length - 20));
  w("junk.gz", "this is not gzip\n");
  w("empty.gz", "");
  const bz = fs.readFileSync(path.join(ARCH, "text.bz2"));
  w("crc.bz2", flip(bz, 200));
  w("trunc.bz2", bz.subarray(0, 100));
  w("junk.bz2", "BZ no\n");
  const xzb = fs.readFileSync(path.join(ARCH, "text.xz"));
  w("data.xz", flip(xzb, 200));
  w("trunc.xz", xzb.subarray(0, 60));
  fs.mkdirSync(path.join(ARCH, "src"));
  makeTree(path.join(ARCH, "src"));
  sh("tar --format=gnu -cf gnu.tar -C src d && tar --format=pax -cf pax.tar -C src d && tar --format=ustar -cf ustar.tar -C src d/a.txt d/sub d/sl 2>/dev/null", ARCH);
  sh("gzip -c gnu.tar > gnu.tgz && bzip2 -c gnu.tar > gnu.tbz2 && xz -c gnu.tar > gnu.txz", ARCH);
  sh("cd src && find d | cpio --quiet -o -H newc > ../gnu.cpio", ARCH);
  sh("cd src && zip -qry ../z.zip d && zip -q0 ../stored.zip d/a.txt", ARCH);
  const tar = fs.readFileSync(path.join(ARCH, "gnu.tar"));
  w("cksum.tar", flip(tar, 150, 1));
  w("short.tar", tar.subarray(0, 700));
  w("junk.tar", Buffer.alloc(512, 0x41));
  // Members that try to leave the directory.
  w("dotdot.tar", tarOf(tarBlock({ name: "../evil" }, "x"), tarBlock({ name: "a/../../evil2" }, "x"), tarBlock({ name: "ok" }, "ok")));
  w("abs.tar", tarOf(tarBlock({ name: "/abs/evil" }, "x"), tarBlock({ name: "ok2" }, "ok")));
  w("symout.tar", tarOf(tarBlock({ name: "l", type: "2", linkname: "../outside", size: 0 }), tarBlock({ name: "l/pwned" }, "pw")));
  w("symabs.tar", tarOf(tarBlock({ name: "l", type: "2", linkname: "/tmp", size: 0 }), tarBlock({ name: "l/pwned" }, "pw")));
  w("hardout.tar", tarOf(tarBlock({ name: "h", type: "1", linkname: "/etc/passwd", size: 0 }), tarBlock({ name: "h2", type: "1", linkname: "../x", size: 0 })));
  w("dotdot.cpio", cpioOf([{ name: "../evil", data: "x", mode: 0o100644 }, { name: "/abs", data: "y", mode: 0o100644 }, { name: "ok", data: "ok", mode: 0o100644 }]));
  w("symout.cpio", cpioOf([{ name: "l", data: "../outside", mode: 0o120777 }, { name: "l/pwned", data: "pw", mode: 0o100644 }]));
  w("dotdot.zip", zipOf([{ name: "../zevil", data: "x" }, { name: "/zabs", data: "y" }, { name: "a/../../zevil2", data: "z" }, { name: "ok", data: "ok" }]));
  w("symout.zip", zipOf([{ name: "l", data: "../outside", mode: 0o120777 }, { name: "l/pwned", data: "pw" }]));
}

/** Each case gets a fresh copy of the inputs. */
// Hard links: quick to make, and every applet replaces files by rename, never in place.
const fixture = (dir: string) => void spawnSync("cp", ["-al", `${ARCH}/.`, dir]);

// ---- trees ----

/** Type, mode, size, contents, link target and (for files) mtime of everything under d. */
function tree(d: string, o: { mtimes?: boolean } = {}): string[] {
  const out: string[] = [];
  const rec = (rel: string) => {
    const full = path.join(d, rel);
    for (const n of fs.readdirSync(full).sort()) {
      const r = rel ? `${rel}/${n}` : n;
      const st = fs.lstatSync(path.join(d, r));
      let line = `${r} ${(st.mode & 0o170000).toString(8)} ${(st.mode & 0o7777).toString(8)}`;
      if (st.isFile()) line += ` ${st.size} ${fs.readFileSync(path.join(d, r)).toString("latin1").slice(0, 32)}` + (o.mtimes ? ` ${st.mtimeMs / 1000}` : "");
      if (st.isSymbolicLink()) line += ` -> ${fs.readlinkSync(path.join(d, r))}`;
      out.push(line);
      if (st.isDirectory()) rec(r);
    }
  };
  rec("");
  return out;
}

let pikaLinks = "";
let bbLinks = "";

function runIn(bin: "pika" | "busybox", applet: string, args: string[], cwd: string, input?: Buffer | string) {
  const dir = bin === "pika" ? pikaLinks : bbLinks;
  const r = spawnSync(path.join(dir, applet), args, { cwd, input: input ?? "", env: ENV, timeout: 20_000, maxBuffer: 1 << 30 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr.toString("latin1") };
}

/** Run both in fresh copies of the inputs, then compare what they leave in `sub` (or the whole dir). */
function sameTree(applet: string, args: string[], o: { sub?: string; mtimes?: boolean; input?: string } = {}) {
  const a = tempDir("pika-t-"), b = tempDir("pika-t-");
  try {
    fixture(a);
    fixture(b);
    if (o.sub) {
      fs.mkdirSync(path.join(a, o.sub), { recursive: true });
      fs.mkdirSync(path.join(b, o.sub), { recursive: true });
    }
    const cwdA = o.sub ? path.join(a, o.sub) : a, cwdB = o.sub ? path.join(b, o.sub) : b;
    const ours = runIn("pika", applet, args, cwdA, o.input);
    const theirs = runIn("busybox", applet, args, cwdB, o.input);
    expect(ours.status, "status").toBe(theirs.status);
    expect(ours.stdout.toString("latin1")).toBe(theirs.stdout.toString("latin1"));
    expect(tree(cwdA, o)).toEqual(tree(cwdB, o));
  } finally {
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  }
}

beforeAll(() => {
  if (!haveTools) return;
  buildInputs();
  pikaLinks = linkDir(PIKA, APPLETS);
  bbLinks = linkDir(BUSYBOX, APPLETS);
});
afterAll(() => {
  for (const d of [ARCH, pikaLinks, bbLinks]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

const c = (applet: string, args: string[], extra: Partial<Case> = {}): Case => ({ applet, args, ...extra });

describe.runIf(havePika() && haveTools)("gzip, gunzip, zcat", () => {
  differential(APPLETS, [
    c("zcat", ["text.gz"]),
    c("zcat", ["twice.gz"]),
    c("zcat", ["text.bz2", "text.xz"]),
    c("zcat", ["text"]),
    c("zcat", ["nothere", "text.gz"]),
    c("gunzip", ["-c", "text.gz"]),
    c("gunzip", ["-c", "crc.gz"]),
    c("gunzip", ["-c", "len.gz"]),
    c("gunzip", ["-c", "data.gz"], { differs: "zlib rejects damaged deflate data that BusyBox's inflate decodes until the CRC check" }),
    c("gunzip", ["-c", "trunc.gz"], { differs: "what was decoded before the error is written in other amounts" }),
    c("gunzip", ["-c", "junk.gz"]),
    c("gunzip", ["-c", "empty.gz"]),
    c("gunzip", ["-c", "text.bz2"]),
    c("gunzip", ["-t", "text.gz"]),
    c("gunzip", ["-t", "crc.gz"]),
    c("gunzip", ["text.gz"], { files: ["text", "text.gz"] }),
    c("gunzip", ["-k", "-f", "text.gz"], { files: ["text", "text.gz"] }),
    c("gunzip", ["crc.gz"], { files: ["crc", "crc.gz"] }),
    c("gzip", ["-d", "data.gz"], { files: ["data", "data.gz"], differs: "zlib says 'corrupted data' where BusyBox's inflate gets to 'crc error'" }),
    c("gunzip", ["text"], { files: ["text"] }),
    c("gunzip", ["nothere.gz"]),
    c("gunzip", [], { stdin: "not gzip" }),
    c("gzip", ["-d", "-c", "text.gz", "text"]),
    c("gzip", ["text"], { files: ["text"] }),
    c("gzip", ["-k", "text"], { files: ["text"] }),
    c("gzip", ["nothere"]),
    c("gzip", ["-t", "text.gz"]),
    c("gzip", ["-x"]),
    c("gzip", ["-c", "text"], { differs: "our deflate is zlib's, BusyBox has its own: same data, other bytes" }),
  ], fixture);

  it("gzip -c | gunzip -c reproduces random data of many sizes; gzip(1) reads our output", () => {
    const d = tempDir("pika-gz-");
    try {
      for (const size of [0, 1, 2, 100, 4095, 65536, 65537, 300_000, 1_500_000]) {
        const data = Buffer.alloc(size);
        for (let i = 0; i < size; i++) data[i] = (i * 2654435761) >>> 24 ^ (i % 7 === 0 ? i & 0xff : 0);
        const level = String(1 + (size % 9));
        const z = runIn("pika", "gzip", ["-c", `-${level}`], d, data);
        expect(z.status).toBe(0);
        const back = runIn("pika", "gunzip", ["-c"], d, z.stdout);
        expect(back.status).toBe(0);
        expect(Buffer.compare(back.stdout, data)).toBe(0);
        const gnu = spawnSync("gzip", ["-dc"], { input: z.stdout, maxBuffer: 1 << 30 });
        expect(gnu.status).toBe(0);
        expect(Buffer.compare(gnu.stdout, data)).toBe(0);
        const bb = runIn("busybox", "gunzip", ["-c"], d, z.stdout);
        expect(Buffer.compare(bb.stdout, data)).toBe(0);
      }
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it("zcat reports a bad CRC with status 1 (differs: busybox's zcat exits 0 after the message)", () => {
    const a = tempDir("pika-gz-");
    try {
      fixture(a);
      const r = runIn("pika", "zcat", ["crc.gz"], a);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe("zcat: crc error\n");
      const bb = runIn("busybox", "zcat", ["crc.gz"], a);
      expect(bb.stderr).toBe("zcat: crc error\n");
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });

  it("gzip FILE writes FILE.gz with FILE's mode and removes FILE; a failed gunzip leaves the original", () => {
    const d = tempDir("pika-gz-");
    try {
      fs.writeFileSync(path.join(d, "f"), "hello\n");
      fs.chmodSync(path.join(d, "f"), 0o640);
      expect(runIn("pika", "gzip", ["f"], d).status).toBe(0);
      expect(fs.existsSync(path.join(d, "f"))).toBe(false);
      expect(fs.statSync(path.join(d, "f.gz")).mode & 0o777).toBe(0o640);
      const gz = fs.readFileSync(path.join(d, "f.gz"));
      fs.writeFileSync(path.join(d, "bad.gz"), gz.subarray(0, gz.length - 3));
      const r = runIn("pika", "gunzip", ["bad.gz"], d);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe("gunzip: corrupted data\n");
      expect(fs.readdirSync(d).sort()).toEqual(["bad.gz", "f.gz"]);
      expect(runIn("pika", "gunzip", ["f.gz"], d).status).toBe(0);
      expect(fs.readFileSync(path.join(d, "f"), "utf8")).toBe("hello\n");
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe.runIf(havePika() && haveTools)("bzcat, bunzip2, xzcat, unxz", () => {
  differential(APPLETS, [
    c("bzcat", ["text.bz2"]),
    c("bzcat", ["text.gz"]),
    c("bzcat", ["junk.bz2"]),
    c("bzcat", ["crc.bz2"], { differs: "a block with a bad CRC is written in other amounts before the error" }),
    c("bzcat", ["trunc.bz2"]),
    c("bzcat", ["nothere"]),
    c("bunzip2", ["text.bz2"], { files: ["text", "text.bz2"] }),
    c("bunzip2", ["-f", "-k", "text.bz2"], { files: ["text", "text.bz2"] }),
    c("bunzip2", ["-c", "text.bz2"]),
    c("bunzip2", ["text"]),
    c("bunzip2", ["-t", "text.bz2"]),
    c("xzcat", ["text.xz"]),
    c("xzcat", ["data.xz"]),
    c("xzcat", ["trunc.xz"], { differs: "what was decoded before the error is written in other amounts" }),
    c("xzcat", ["nothere"]),
    c("unxz", ["text.xz"], { files: ["text", "text.xz"] }),
    c("unxz", ["-c", "text.xz"]),
    c("unxz", ["-k", "text.xz"], { files: ["text", "text.xz"] }),
  ], fixture);
});

describe.runIf(havePika() && haveTools)("xz errors", () => {
  it("xzcat on data that is not xz fails (differs: busybox's unxz exits 0 with no output)", () => {
    const a = tempDir("pika-xz-");
    try {
      fixture(a);
      const r = runIn("pika", "xzcat", ["text.gz"], a);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe("xzcat: invalid magic\n");
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });
});

describe.runIf(havePika() && haveTools)("tar", () => {
  differential(APPLETS, [
    c("tar", ["tf", "gnu.tar"]),
    c("tar", ["tvf", "gnu.tar"]),
    c("tar", ["-tvf", "pax.tar"]),
    c("tar", ["-tvf", "ustar.tar"]),
    c("tar", ["tzf", "gnu.tgz"]),
    c("tar", ["tjvf", "gnu.tbz2"]),
    c("tar", ["tJvf", "gnu.txz"]),
    c("tar", ["-t", "-f", "-"], { stdin: undefined }),
    c("tar", ["tf", "gnu.tar", "d/sub"]),
    c("tar", ["tf", "gnu.tar", "d/sub/", "d/a.txt"]),
    c("tar", ["tf", "gnu.tar", "nothere"]),
    c("tar", ["tf", "cksum.tar"]),
    c("tar", ["tf", "short.tar"]),
    c("tar", ["tf", "junk.tar"]),
    c("tar", ["tf", "empty.gz"]),
    c("tar", ["tf", "nothere.tar"]),
    c("tar", ["tzf", "gnu.tar"], { differs: "BusyBox goes on after 'invalid magic' to 'short read'; we stop at the first" }),
    c("tar", ["xf", "gnu.tar", "-C", "nothere"]),
    c("tar", ["cf", "x.tar", "nothere"]),
    c("tar", ["cf", "x.tar"]),
    c("tar", ["xOf", "gnu.tar", "d/a.txt"]),
    c("tar", ["-xvf", "gnu.tar", "d/sub"]),
    c("tar", ["-xvvf", "gnu.tar", "d/sub"]),
    c("tar", ["-cvf", "x.tar", "src/d/sub"]),
    c("tar", ["tf", "-"], { stdin: "" }),
    c("tar", []),
    c("tar", ["ctf", "x.tar", "src"]),
    c("tar", ["xf", "dotdot.tar"]),
    c("tar", ["xf", "abs.tar"]),
    c("tar", ["tf", "abs.tar"]),
    c("tar", ["xf", "symout.tar"]),
    c("tar", ["xvf", "hardout.tar"], { differs: "busybox hard-links 'h' to /etc/passwd; we refuse links out of the directory" }),
  ], fixture);

  for (const [name, args] of [
    ["gnu format", ["xf", "../gnu.tar"]],
    ["pax format", ["xf", "../pax.tar"]],
    ["ustar", ["xf", "../ustar.tar"]],
    ["gzip", ["xzf", "../gnu.tgz"]],
    ["bzip2", ["xjf", "../gnu.tbz2"]],
    ["xz", ["xJf", "../gnu.txz"]],
    ["--strip-components", ["xf", "../gnu.tar", "--strip-components", "1"]],
    ["selected names", ["xf", "../gnu.tar", "d/sub"]],
    ["-m", ["xmf", "../gnu.tar"]],
  ] as [string, string[]][]) {
    it(`extracts (${name}) to the same tree as busybox`, () => sameTree("tar", args, { sub: "out", mtimes: !args[0].includes("m") }));
  }

  it("tar xf detects xz data without -J (differs: busybox fails)", () => {
    const a = tempDir("pika-t-");
    try {
      fixture(a);
      fs.mkdirSync(path.join(a, "x"));
      fs.mkdirSync(path.join(a, "y"));
      expect(runIn("pika", "tar", ["xf", "../gnu.txz"], path.join(a, "x")).status).toBe(0);
      expect(spawnSync("tar", ["xf", "../gnu.tar"], { cwd: path.join(a, "y") }).status).toBe(0);
      expect(tree(path.join(a, "x"))).toEqual(tree(path.join(a, "y")));
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });

  it("tar c writes the bytes busybox writes (GNU headers, LongLink names)", () => {
    const a = tempDir("pika-t-");
    try {
      fixture(a);
      const ours = runIn("pika", "tar", ["cf", "-", "d"], path.join(a, "src"));
      const theirs = runIn("busybox", "tar", ["cf", "-", "d"], path.join(a, "src"));
      expect(ours.status).toBe(0);
      expect(Buffer.compare(ours.stdout, theirs.stdout)).toBe(0);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });

  it("refuses to write through symlinks that lead out, strips '/' and '..' (safe where busybox is)", () => {
    const a = tempDir("pika-sec-");
    try {
      fixture(a);
      const out = path.join(a, "x");
      fs.mkdirSync(out);
      for (const t of ["dotdot.tar", "abs.tar", "symout.tar", "symabs.tar", "hardout.tar"]) {
        const r = runIn("pika", "tar", ["xf", `../${t}`], out);
        expect(r.signal).toBeNull();
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
      // Nothing outside: the fixture's own files only, and nothing in /tmp/pwned or /abs.
      expect(fs.existsSync(path.join(a, "evil"))).toBe(false);
      expect(fs.existsSync(path.join(a, "evil2"))).toBe(false);
      expect(fs.existsSync(path.join(a, "outside"))).toBe(false);
      expect(fs.existsSync("/tmp/pwned")).toBe(false);
      expect(fs.existsSync("/abs/evil")).toBe(false);
      expect(fs.existsSync(path.join(out, "h"))).toBe(false);
      expect(fs.readFileSync(path.join(out, "abs/evil"), "utf8")).toBe("x");
      // A symlink already there that leads out is not followed either (busybox follows it).
      fs.symlinkSync(path.join(a, "src"), path.join(out, "pre"));
      const t = path.join(a, "pre.tar");
      fs.writeFileSync(t, tarOf(tarBlock({ name: "pre/planted" }, "x")));
      const r = runIn("pika", "tar", ["xf", t], out);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe("tar: skipping 'pre/planted': symlink 'pre' points outside the target directory\n");
      expect(fs.existsSync(path.join(a, "src/planted"))).toBe(false);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });

  it("hard links out of the directory are refused with a message", () => {
    const a = tempDir("pika-sec-");
    try {
      fixture(a);
      const r = runIn("pika", "tar", ["xf", "hardout.tar"], a);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe("tar: can't create hardlink 'h' to '/etc/passwd'\ntar: can't create hardlink 'h2' to '../x'\n");
      expect(fs.existsSync(path.join(a, "h"))).toBe(false);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });

  it("random trees: pika tar c | pika tar x, and to and from GNU tar and busybox tar", () => {
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let round = 0; round < 4; round++) {
      const base = tempDir("pika-rt-");
      try {
        const src = path.join(base, "src");
        const dirs = ["t"];
        fs.mkdirSync(path.join(src, "t"), { recursive: true });
        const files: string[] = [];
        for (let i = 0; i < 40; i++) {
          const parent = dirs[rnd(dirs.length)];
          const len = 1 + rnd(round === 3 ? 150 : 30);
          const name = `${parent}/${"n".repeat(len)}${i}${i % 5 === 0 ? "\xe9" : ""}`;
          const kind = rnd(10);
          if (kind < 2) {
            fs.mkdirSync(path.join(src, name));
            dirs.push(name);
          } else if (kind < 3 && files.length) fs.symlinkSync(path.relative(path.dirname(path.join(src, name)), path.join(src, files[rnd(files.length)])), path.join(src, name));
          else if (kind < 4 && files.length) fs.linkSync(path.join(src, files[rnd(files.length)]), path.join(src, name));
          else {
            const data = Buffer.alloc(rnd(4) === 0 ? rnd(100_000) : rnd(1500));
            for (let k = 0; k < data.length; k += 97) data[k] = rnd(256);
            fs.writeFileSync(path.join(src, name), data, { mode: [0o644, 0o600, 0o755, 0o4755][rnd(4)] });
            fs.chmodSync(path.join(src, name), [0o644, 0o600, 0o755, 0o4755][rnd(4)]);
            files.push(name);
          }
          if (!fs.lstatSync(path.join(src, name)).isSymbolicLink()) fs.utimesSync(path.join(src, name), 1e9 + rnd(1e8), 1e9 + rnd(1e8));
        }
        for (const d of dirs.reverse()) fs.utimesSync(path.join(src, d), 1e9 + rnd(1e8), 1e9 + rnd(1e8));
        const want = tree(src, { mtimes: true });
        const archive = runIn("pika", "tar", ["cf", "-", "t"], src);
        expect(archive.status).toBe(0);
        for (const [reader, cmd] of [["pika", null], ["busybox", null], ["gnu", "tar"]] as const) {
          const dst = path.join(base, `x-${reader}`);
          fs.mkdirSync(dst);
          const r = cmd ? spawnSync(cmd, ["xf", "-"], { cwd: dst, input: archive.stdout, maxBuffer: 1 << 30 }) : runIn(reader as "pika" | "busybox", "tar", ["xf", "-"], dst, archive.stdout);
          expect(r.status, `${reader} reads our tar: ${r.stderr}`).toBe(0);
          // busybox sets directory times before filling them; compare its files only.
          const got = tree(dst, { mtimes: true });
          if (reader === "busybox") expect(got.filter((l) => !/ 40000 /.test(l))).toEqual(want.filter((l) => !/ 40000 /.test(l)));
          else expect(got).toEqual(want);
        }
        // GNU tar's archive (pax for the long names) read by us.
        const gnu = spawnSync("tar", ["--format=pax", "-cf", "-", "t"], { cwd: src, maxBuffer: 1 << 30 });
        const dst = path.join(base, "from-gnu");
        fs.mkdirSync(dst);
        const fromGnu = runIn("pika", "tar", ["xf", "-"], dst, gnu.stdout);
        expect(fromGnu.status, fromGnu.stderr).toBe(0);
        expect(tree(dst, { mtimes: true })).toEqual(want);
      } finally {
        fs.rmSync(base, { recursive: true, force: true });
      }
    }
  });
});

// Debian's busybox-static is built without FEATURE_TAR_FROM (no -T, -X,
// --exclude), so the references are busybox given the same names as
// operands (for -T) and GNU tar (for the exclude patterns, where upstream
// BusyBox and GNU tar agree).
describe.runIf(havePika() && haveTools)("tar -T, -X, --exclude", () => {
  /** A fresh copy of the inputs with these files added; fn gets its path. */
  function withInputs(files: Record<string, string>, fn: (dir: string) => void): void {
    const a = tempDir("pika-tx-");
    try {
      fixture(a);
      for (const [n, text] of Object.entries(files)) fs.writeFileSync(path.join(a, n), text);
      fn(a);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  }
  const gnu = (args: string[], cwd: string) => spawnSync("tar", args, { cwd, env: ENV, maxBuffer: 1 << 30 });
  const listing = (archive: Buffer, cwd: string) => runIn("busybox", "tar", ["tf", "-"], cwd, archive).stdout.toString("latin1");

  const lists = [
    { name: "names and a directory with a slash, then an operand", list: "d/sub/\nd/a.txt\n", operands: ["d/exec.sh"], names: ["d/sub", "d/a.txt", "d/exec.sh"] },
    { name: "an empty line and a missing name are errors", list: "d/a.txt\n\nnothere\n", operands: [], names: ["d/a.txt", "", "nothere"] },
    { name: "a last line without a newline", list: "d/sl\nd/sub/deeper", operands: [], names: ["d/sl", "d/sub/deeper"] },
  ];
  for (const l of lists) {
    it(`tar c -T (${l.name}) writes what busybox writes given the names`, () => withInputs({ "src/list": l.list }, (a) => {
      const src = path.join(a, "src");
      const ours = runIn("pika", "tar", ["cf", "-", "-T", "list", ...l.operands], src);
      const theirs = runIn("busybox", "tar", ["cf", "-", ...l.names], src);
      expect(ours.status).toBe(theirs.status);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(Buffer.compare(ours.stdout, theirs.stdout)).toBe(0);
    }));
  }

  it("tar c -T - reads the names from stdin", () => withInputs({}, (a) => {
    const src = path.join(a, "src");
    const ours = runIn("pika", "tar", ["cf", "-", "-T", "-"], src, "d/sub\nd/a.txt\n");
    const theirs = runIn("busybox", "tar", ["cf", "-", "d/sub", "d/a.txt"], src);
    expect(ours.status).toBe(0);
    expect(Buffer.compare(ours.stdout, theirs.stdout)).toBe(0);
  }));

  it("tar -T with a missing list file fails with a message", () => withInputs({}, (a) => {
    const r = runIn("pika", "tar", ["cf", "x.tar", "-T", "nolist"], a);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("tar: can't open 'nolist': No such file or directory\n");
    expect(fs.existsSync(path.join(a, "x.tar"))).toBe(false);
  }));

  for (const [args, names] of [
    [["xf", "../gnu.tar", "-T", "../list"], ["d/sub", "d/a.txt"]],
    [["xvf", "../gnu.tar", "-T", "../list", "d/exec.sh"], ["d/sub", "d/a.txt", "d/exec.sh"]],
    [["tf", "../gnu.tar", "-T", "../missing"], ["d/a.txt", "nothere"]],
  ] as [string[], string[]][]) {
    it(`tar ${args.join(" ")} extracts and reports what busybox does given the names`, () => withInputs({ list: "d/sub/\nd/a.txt\n", missing: "d/a.txt\nnothere\n" }, (a) => {
      const x = path.join(a, "x"), y = path.join(a, "y");
      fs.mkdirSync(x);
      fs.mkdirSync(y);
      const ours = runIn("pika", "tar", args, x);
      const theirs = runIn("busybox", "tar", [...args.filter((w, i) => w !== "-T" && args[i - 1] !== "-T" && !names.includes(w)), ...names], y);
      expect(ours.status).toBe(theirs.status);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.stdout.toString("latin1")).toBe(theirs.stdout.toString("latin1"));
      expect(tree(x, { mtimes: true })).toEqual(tree(y, { mtimes: true }));
    }));
  }

  // Patterns on which upstream BusyBox's exclude_file() and GNU tar agree.
  const createPatterns = ["*.txt", "sub", "d/sub", "deeper/c", "b.*", "*/deeper", "d/e*", "x*", "d", "/d", "nothere"];
  for (const p of createPatterns) {
    it(`tar c --exclude '${p}' leaves out what GNU tar leaves out`, () => withInputs({}, (a) => {
      const src = path.join(a, "src");
      const ours = runIn("pika", "tar", ["cf", "-", "--exclude", p, "d"], src);
      const theirs = gnu(["--format=gnu", "-cf", "-", "--exclude", p, "d"], src);
      expect(ours.status, ours.stderr).toBe(0);
      expect(listing(ours.stdout, a)).toBe(listing(theirs.stdout, a));
    }));
  }

  // BusyBox takes one trailing "/" off each -X line (GNU tar keeps it): GNU tar gets the lines without.
  it("tar c -X FILE and --exclude together leave out what GNU tar does", () => withInputs({ "src/ex": "*.sh\nsub/\n", "src/ex.gnu": "*.sh\nsub\n", "src/ex2": "a.*\n" }, (a) => {
    const src = path.join(a, "src");
    const ours = runIn("pika", "tar", ["cf", "-", "-X", "ex", "-X", "ex2", "--exclude", "fifo", "d"], src);
    const theirs = gnu(["-cf", "-", "-X", "ex.gnu", "-X", "ex2", "--exclude", "fifo", "d"], src);
    expect(ours.status, ours.stderr).toBe(0);
    expect(listing(ours.stdout, a)).toBe(listing(theirs.stdout, a));
  }));

  it("tar c --exclude still reports a missing name (the stat comes first, as in BusyBox)", () => withInputs({}, (a) => {
    const ours = runIn("pika", "tar", ["cf", "-", "--exclude", "nothere", "nothere", "src/d/a.txt"], a);
    const theirs = runIn("busybox", "tar", ["cf", "-", "nothere", "src/d/a.txt"], a);
    expect(ours.status).toBe(theirs.status);
    expect(ours.stderr).toBe(theirs.stderr);
    expect(Buffer.compare(ours.stdout, theirs.stdout)).toBe(0);
  }));

  // On extraction BusyBox matches a pattern against as many leading
  // components as it has (GNU tar against any): these agree.
  for (const [what, extra] of [
    ["--exclude d/sub", ["--exclude", "d/sub"]],
    ["--exclude 'd/e*'", ["--exclude", "d/e*"]],
    ["-X FILE", ["-X", "../ex"]],
    ["-T FILE -X FILE", ["-T", "../list", "-X", "../ex"]],
  ] as [string, string[]][]) {
    const files = { ex: "d/sub/deeper/\nd/a.txt\n", "ex.gnu": "d/sub/deeper\nd/a.txt\n", list: "d/sub\nd/a.txt\nd/exec.sh\n" };
    it(`tar x ${what} extracts the tree GNU tar extracts`, () => withInputs(files, (a) => {
      const x = path.join(a, "x"), y = path.join(a, "y");
      fs.mkdirSync(x);
      fs.mkdirSync(y);
      const gnuExtra = extra.map((w) => (w === "../ex" ? "../ex.gnu" : w));
      const ours = runIn("pika", "tar", ["xf", "../gnu.tar", ...extra], x);
      const theirs = gnu(["-xf", "../gnu.tar", ...gnuExtra], y);
      expect(ours.status, ours.stderr).toBe(theirs.status);
      expect(tree(x, { mtimes: true })).toEqual(tree(y, { mtimes: true }));
      const list = runIn("pika", "tar", ["tf", "../gnu.tar", ...extra], x);
      expect(list.stdout.toString("latin1")).toBe(gnu(["-tf", "../gnu.tar", ...gnuExtra], y).stdout.toString("latin1"));
    }));
  }
});

// BusyBox compresses with -Z and --lzma by running compress and lzma (and
// reads both itself); we run those, and uncompress and unlzma to read.
describe.runIf(havePika() && haveTools)("tar -Z, --lzma", () => {
  differential(APPLETS, [
    c("tar", ["cZf", "x.tar.Z", "src/d/a.txt"], { name: "tar cZf: runs compress (or says it can't)" }),
    c("tar", ["x", "--lzma", "-f", "nothere.lzma"]),
  ], fixture);

  it.runIf(have("lzma") && have("unlzma"))("tar c --lzma writes busybox's archive through lzma, and reads it back", () => {
    const a = tempDir("pika-lz-");
    try {
      fixture(a);
      const src = path.join(a, "src");
      const ours = runIn("pika", "tar", ["c", "--lzma", "-f", "../ours.tlz", "d"], src);
      const theirs = runIn("busybox", "tar", ["c", "--lzma", "-f", "../theirs.tlz", "d"], src);
      expect(ours.status, ours.stderr).toBe(0);
      expect(theirs.status).toBe(0);
      const unlzma = (f: string) => spawnSync("unlzma", ["-c", f], { cwd: a, maxBuffer: 1 << 30 }).stdout;
      expect(Buffer.compare(unlzma("ours.tlz"), unlzma("theirs.tlz"))).toBe(0);
      // Read back by each other: the same verbose listing and the same tree.
      const listOurs = runIn("pika", "tar", ["tv", "--lzma", "-f", "theirs.tlz"], a);
      const listTheirs = runIn("busybox", "tar", ["tv", "--lzma", "-f", "ours.tlz"], a);
      expect(listOurs.status, listOurs.stderr).toBe(0);
      expect(listOurs.stdout.toString("latin1")).toBe(listTheirs.stdout.toString("latin1"));
      for (const [who, dir] of [["pika", "x"], ["busybox", "y"]] as const) {
        fs.mkdirSync(path.join(a, dir));
        expect(runIn(who, "tar", ["x", "--lzma", "-f", "../ours.tlz"], path.join(a, dir)).status).toBe(0);
      }
      expect(tree(path.join(a, "x"), { mtimes: true })).toEqual(tree(path.join(a, "y"), { mtimes: true }));
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });

  it("tar -Z on data that is not compressed fails with a tar: message", () => {
    const a = tempDir("pika-z-");
    try {
      fixture(a);
      const r = runIn("pika", "tar", ["tZf", "gnu.tar"], a);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^(tar: can't execute 'uncompress'.*|[^]*tar: uncompress exited with status \d+)\n$/);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });
});

describe.runIf(havePika() && haveTools)("cpio", () => {
  differential(APPLETS, [
    c("cpio", ["-t", "-F", "gnu.cpio"]),
    c("cpio", ["-tv", "-F", "gnu.cpio"]),
    c("cpio", ["-t", "-F", "gnu.cpio", "d/sub*"]),
    c("cpio", ["-t", "-F", "gnu.tar"]),
    c("cpio", ["-t", "-F", "nothere"]),
    c("cpio", ["-t", "-F", "dotdot.cpio"], { differs: "busybox keeps '../evil'; we strip it with a message" }),
    c("cpio", ["-o"], { stdin: "text\n" }),
    c("cpio", ["-o", "-H", "newc"], { stdin: "nothere\n" }),
    c("cpio", []),
  ], fixture);

  it("cpio -o -H newc writes busybox's bytes", () => {
    const a = tempDir("pika-t-");
    try {
      fixture(a);
      const names = spawnSync("find", ["d"], { cwd: path.join(a, "src") }).stdout;
      const ours = runIn("pika", "cpio", ["-o", "-H", "newc"], path.join(a, "src"), names);
      const theirs = runIn("busybox", "cpio", ["-o", "-H", "newc"], path.join(a, "src"), names);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.status).toBe(0);
      expect(Buffer.compare(ours.stdout, theirs.stdout)).toBe(0);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });

  it("cpio -id extracts the same tree as busybox", () => sameTree("cpio", ["-id", "-F", "../gnu.cpio"], { sub: "out" }));
  it("cpio -idm restores file times", () => sameTree("cpio", ["-idm", "-F", "../gnu.cpio"], { sub: "out" }));
  it("cpio -i keeps newer files; -u replaces them", () => {
    sameTree("cpio", ["-id", "-F", "gnu.cpio"], { sub: "" });
    sameTree("cpio", ["-idu", "-F", "../gnu.cpio"], { sub: "src" });
  });

  it("never writes outside the directory", () => {
    const a = tempDir("pika-sec-");
    try {
      fixture(a);
      const out = path.join(a, "x");
      fs.mkdirSync(out);
      const r1 = runIn("pika", "cpio", ["-id", "-F", "../dotdot.cpio"], out);
      expect(r1.stderr).toBe("cpio: removing leading '../' from member names\n1 blocks\n");
      expect(fs.existsSync(path.join(a, "evil"))).toBe(false);
      expect(fs.readFileSync(path.join(out, "evil"), "utf8")).toBe("x");
      expect(fs.readFileSync(path.join(out, "abs"), "utf8")).toBe("y");
      const r2 = runIn("pika", "cpio", ["-id", "-F", "../symout.cpio"], out);
      expect(r2.status).toBe(1);
      expect(r2.stderr).toContain("cpio: can't create symlink 'l' to '../outside'");
      expect(fs.existsSync(path.join(a, "outside"))).toBe(false);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });

  it("round trip: find | cpio -o | cpio -idm", () => {
    const a = tempDir("pika-t-");
    try {
      fixture(a);
      const names = spawnSync("find", ["d"], { cwd: path.join(a, "src") }).stdout;
      const arc = runIn("pika", "cpio", ["-o", "-H", "newc"], path.join(a, "src"), names);
      fs.mkdirSync(path.join(a, "back"));
      expect(runIn("pika", "cpio", ["-idm"], path.join(a, "back"), arc.stdout).status).toBe(0);
      expect(tree(path.join(a, "back"))).toEqual(tree(path.join(a, "src")));
      const gnu = spawnSync("cpio", ["-t", "--quiet"], { input: arc.stdout, encoding: "utf8" });
      expect(gnu.stdout.split("\n").filter(Boolean).sort()).toEqual(names.toString().split("\n").filter(Boolean).sort());
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });
});

describe.runIf(havePika() && haveTools)("unzip", () => {
  differential(APPLETS, [
    c("unzip", ["-l", "z.zip"]),
    c("unzip", ["-lq", "z.zip"]),
    c("unzip", ["-v", "z.zip"]),
    c("unzip", ["-l", "stored.zip"]),
    c("unzip", ["-p", "z.zip", "d/a.txt"]),
    c("unzip", ["-p", "z.zip", "d/sub/*"]),
    c("unzip", ["-t", "z.zip"]),
    c("unzip", ["-l", "z.zip", "-x", "d/sub/*"]),
    c("unzip", ["nothere.zip"]),
    c("unzip", ["z", "-l"]),
    c("unzip", []),
    c("unzip", ["-l", "dotdot.zip"]),
  ], fixture);

  it("extracts the same tree as busybox", () => sameTree("unzip", ["../z.zip"], { sub: "out" }));
  it("-d DIR, -j, -x", () => {
    sameTree("unzip", ["z.zip", "-d", "dest"]);
    sameTree("unzip", ["-j", "../z.zip"], { sub: "out" });
    sameTree("unzip", ["../z.zip", "-x", "d/sub/*"], { sub: "out" });
  });
  it("-n keeps, -o replaces existing files", () => {
    sameTree("unzip", ["-n", "../stored.zip"], { sub: "src" });
    sameTree("unzip", ["-o", "../stored.zip"], { sub: "src" });
  });

  it("strips unsafe prefixes and never writes outside", () => {
    const a = tempDir("pika-sec-");
    try {
      fixture(a);
      const out = path.join(a, "x");
      fs.mkdirSync(out);
      const r = runIn("pika", "unzip", ["-q", "../dotdot.zip"], out);
      expect(r.stderr).toBe("unzip: removing leading '../' from member names\n");
      expect(fs.readdirSync(out).sort()).toEqual(["ok", "zabs", "zevil", "zevil2"]);
      const r2 = runIn("pika", "unzip", ["-q", "../symout.zip"], out);
      expect(r2.status).toBe(1);
      expect(r2.stderr).toBe("unzip: can't create symlink 'l' to '../outside'\n");
      expect(fs.existsSync(path.join(a, "outside"))).toBe(false);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });

  it("a bad CRC is an error and leaves no file", () => {
    const a = tempDir("pika-zip-");
    try {
      const z = zipOf([{ name: "f", data: "hello" }]);
      z[30 + 1] ^= 1; // the data
      fs.writeFileSync(path.join(a, "bad.zip"), z);
      const r = runIn("pika", "unzip", ["-q", "bad.zip"], a);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe("unzip: crc error\n");
      expect(fs.readdirSync(a)).toEqual(["bad.zip"]);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });
});

describe.runIf(havePika() && haveTools)("damaged archives", () => {
  // Truncated or bit-flipped copies of good archives; the decompressors take
  // many files in one run (they go on after a bad one), the archivers one each.
  const spawnAsync = (applet: string, args: string[], cwd: string, input?: Buffer) =>
    new Promise<{ status: number | null; signal: string | null; stderr: string }>((resolve) => {
      const p = spawn(path.join(pikaLinks, applet), args, { cwd, env: ENV, timeout: 15_000 });
      let err = "";
      p.stderr.on("data", (b: Buffer) => (err += b.toString("latin1")));
      p.stdout.on("data", () => {});
      p.stdin.on("error", () => {});
      p.stdin.end(input ?? "");
      p.on("close", (status: number | null, signal: string | null) => resolve({ status, signal, stderr: err }));
    });

  function check(applet: string, what: string, r: { status: number | null; signal: string | null; stderr: string }) {
    expect(r.signal, what).toBeNull();
    expect([0, 1], what).toContain(r.status);
    for (const line of r.stderr.split("\n").filter(Boolean)) {
      expect(line, what).toMatch(new RegExp(`^(${applet}: |\\d+ blocks$)`));
      expect(line, what).not.toMatch(/undefined|is not a function|Cannot read prop|RangeError|TypeError|Invalid array length|out of bounds|Maximum call stack/);
    }
    if (r.status !== 0) expect(r.stderr.length, what).toBeGreaterThan(0);
  }

  it("end in a message or success, never a crash, signal or hang", async () => {
    const d = tempDir("pika-fuzz-");
    try {
      fixture(d);
      let seed = 7;
      const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
      const damage = (good: Buffer, k: number) => {
        if (k % 3 === 0) return good.subarray(0, rnd(good.length));
        const bad = Buffer.from(good);
        for (let f = 0; f <= k % 4; f++) bad[rnd(bad.length)] ^= 1 << rnd(8);
        return bad;
      };
      let archives = 0;
      const jobs: (() => Promise<void>)[] = [];
      for (const [file, applet] of [["text.gz", "gunzip"], ["text.bz2", "bunzip2"], ["text.xz", "unxz"]]) {
        const good = fs.readFileSync(path.join(d, file));
        const names: string[] = [];
        for (let k = 0; k < 40; k++) {
          const n = `bad${k}-${file}`;
          fs.writeFileSync(path.join(d, n), damage(good, k));
          names.push(n);
          archives++;
        }
        jobs.push(async () => check(applet, `${applet} on damaged ${file}`, await spawnAsync(applet, ["-c", ...names], d)));
      }
      for (const [file, applet, args, count] of [
        ["gnu.tar", "tar", ["tvf", "-"], 35],
        ["gnu.tgz", "tar", ["tzf", "-"], 15],
        ["gnu.cpio", "cpio", ["-t"], 35],
        ["z.zip", "unzip", ["-t"], 35],
      ] as [string, string, string[], number][]) {
        const good = fs.readFileSync(path.join(d, file));
        for (let k = 0; k < count; k++) {
          const bad = damage(good, k);
          archives++;
          if (applet === "unzip") {
            const n = `bad${k}.zip`;
            fs.writeFileSync(path.join(d, n), bad);
            jobs.push(async () => check(applet, `unzip on damaged ${n}`, await spawnAsync(applet, [...args, n], d)));
          } else jobs.push(async () => check(applet, `${applet} on damaged ${file} #${k}`, await spawnAsync(applet, args, d, bad)));
        }
      }
      // A few at a time.
      const queue = [...jobs];
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (queue.length) await queue.shift()!();
      }));
      expect(archives).toBeGreaterThanOrEqual(240);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  }, 120_000);
});
