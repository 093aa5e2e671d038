// The newc writer, checked by GNU cpio (an independent reader).
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CpioWriter } from "../../build/cpio.ts";

const haveCpio = spawnSync("cpio", ["--version"]).status === 0;

function archive(mtime = 1_700_000_000): Uint8Array {
  const w = new CpioWriter(mtime);
  w.add({ type: "dir", path: "/etc", mode: 0o755 });
  w.add({ type: "file", path: "/etc/hostname", data: Buffer.from("pika\n") });
  w.add({ type: "file", path: "/etc/shadow", data: Buffer.from("root:*:0:0:::::\n"), mode: 0o640 });
  w.add({ type: "dir", path: "/bin" });
  w.add({ type: "file", path: "/bin/tool", data: Buffer.from("#!/bin/sh\necho odd-sized\n"), mode: 0o755 });
  w.add({ type: "symlink", path: "/bin/ls", target: "/bin/pika" });
  w.add({ type: "dir", path: "/dev" });
  w.add({ type: "chardev", path: "/dev/console", major: 5, minor: 1, mode: 0o600 });
  w.add({ type: "file", path: "/empty", data: new Uint8Array(0) });
  return w.finish();
}

describe.runIf(haveCpio)("cpio newc writer", () => {
  it("is padded to 512 bytes and ends with the trailer", () => {
    const a = archive();
    expect(a.length % 512).toBe(0);
    expect(Buffer.from(a).toString("latin1")).toContain("TRAILER!!!");
    expect(Buffer.from(a.subarray(0, 6)).toString()).toBe("070701");
  });

  it("lists every entry with type, mode and target as GNU cpio reads them", () => {
    const out = execFileSync("cpio", ["-itv", "--quiet"], { input: archive(), encoding: "utf8", env: { TZ: "UTC", LANG: "C" } });
    const lines = out.trim().split("\n");
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([
      "drwxr-xr-x", "-rw-r--r--", "-rw-r-----", "drwxr-xr-x", "-rwxr-xr-x", "lrwxrwxrwx", "drwxr-xr-x", "crw-------", "-rw-r--r--",
    ]);
    expect(out).toContain("bin/ls -> /bin/pika");
    expect(out).toMatch(/crw-------\s+1 root\s+root\s+5,\s+1 .* dev\/console/);
  });

  it("extracts to the same bytes, modes and times", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pika-cpio-"));
    try {
      execFileSync("cpio", ["-idm", "--quiet", "--no-absolute-filenames"], { cwd: dir, input: archive() });
      expect(fs.readFileSync(path.join(dir, "etc/hostname"), "utf8")).toBe("pika\n");
      expect(fs.readFileSync(path.join(dir, "bin/tool"), "utf8")).toBe("#!/bin/sh\necho odd-sized\n");
      expect(fs.statSync(path.join(dir, "etc/shadow")).mode & 0o777).toBe(0o640);
      expect(fs.statSync(path.join(dir, "bin/tool")).mode & 0o777).toBe(0o755);
      expect(fs.statSync(path.join(dir, "etc/hostname")).mtimeMs).toBe(1_700_000_000_000);
      expect(fs.readlinkSync(path.join(dir, "bin/ls"))).toBe("/bin/pika");
      expect(fs.statSync(path.join(dir, "empty")).size).toBe(0);
      if (process.getuid?.() === 0) {
        const st = fs.statSync(path.join(dir, "dev/console"));
        expect(st.isCharacterDevice()).toBe(true);
        expect(Number(st.rdev)).toBe((5 << 8) | 1);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is reproducible: same entries, same bytes", () => {
    expect(Buffer.from(archive()).equals(Buffer.from(archive()))).toBe(true);
    expect(Buffer.from(archive(1)).equals(Buffer.from(archive(2)))).toBe(false);
  });
});
