// The system on the real kernel. First: boot out/x86_64 with an
// inittab that loads Debian's loop module with
// modprobe (shipped in an overlay with kmod's depmod index, as build/modules.ts
// does for recipes), recreates removed nodes with mdev -s, lists it with lsmod, unloads it and powers off.
// Then: images built from recipes, logged into through getty and login on
// the serial console (a real terminal, node-pty, drives QEMU).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { moduleEntries, selectModules } from "../../build/modules.ts";
import { kernel } from "../../build/toolchain.ts";
import { SerialConsole } from "../helpers/console.ts";
import { buildImage, pikaFor, ROOT } from "../helpers/image.ts";
import { boot, imageExists } from "../helpers/qemu.ts";

const INITTAB = `
::sysinit:/bin/echo PIKA-SYS start
::wait:/sbin/modprobe -v loop max_loop=2
::wait:/bin/rm /dev/loop1 /dev/loop-control
::wait:/sbin/mdev -s
::wait:/bin/ls -l /dev/loop1 /dev/loop-control
::wait:/sbin/lsmod
::wait:/sbin/modinfo -F license loop
::wait:/sbin/sysctl kernel.ostype
::wait:/sbin/hwclock -r -u
::wait:/sbin/rmmod loop
::wait:/sbin/lsmod
::wait:/bin/echo PIKA-SYS done
::once:/sbin/poweroff
`;

describe.runIf(imageExists("x86_64"))("x86_64 devices and modules (QEMU)", () => {
  it("mdev -s, modprobe, lsmod, rmmod, then a clean poweroff", async () => {
    const k = await kernel("x86_64");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pika-mods-"));
    const overlay: Record<string, { data: Uint8Array; mode: number } | string> = { "/etc/inittab": INITTAB };
    try {
      for (const e of await moduleEntries(k, await selectModules(k, ["loop"]), tmp)) {
        if (e.type === "file") overlay[e.path] = { data: e.data as Uint8Array, mode: e.mode ?? 0o644 };
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    const r = await boot({ machine: "x86_64", overlay, timeoutMs: 240_000 });
    const c = r.console;
    expect(c).toContain("PIKA-SYS start");
    // devtmpfs made them; mdev -s made them again after rm, from /sys.
    expect(c).toMatch(/^brw-rw---- +1 root +root +7, +1 .*\/dev\/loop1/m);
    expect(c).toMatch(/^crw-rw---- +1 root +root +10, +237 .*\/dev\/loop-control/m);
    expect(c).toContain(`insmod /lib/modules/${k.version}/kernel/drivers/block/loop.ko max_loop=2 `);
    expect(c).toMatch(/^Module {18}Size {2}Used by {4}(Not tainted|Tainted: \d+)$/m);
    expect(c).toMatch(/^loop {15} +\d+ +0 *$/m);
    expect(c).toMatch(/^GPL$/m);
    expect(c).toContain("kernel.ostype = Linux");
    expect(c).toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}  0\.000000 seconds$/m);
    // After rmmod the second listing is the header alone.
    const after = c.slice(c.lastIndexOf("Module                  Size"));
    expect(after).not.toMatch(/^loop /m);
    expect(c).toContain("PIKA-SYS done");
    expect(c).toMatch(/reboot: Power down/);
    expect(c).not.toMatch(/Kernel panic|init: uncaught|can't load module|can't unload/);
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
  }, 300_000);
});

const LOGIN_RECIPE = path.join(__dirname, "recipes", "login.yaml");
const ALICE_PW = "Pika-Login-pw1";
const ROOT_PW = "Root-Login-pw2";
/** login's delay after a wrong password is 3 s; a loaded machine only makes it longer. */
const MIN_FAIL_DELAY_MS = 2900;

/** Builds `recipe` (YAML text) into a temp directory: the kernel and initramfs to boot. */
async function recipeImage(name: string, recipe: string): Promise<{ kernel: string; initrd: string; dir: string }> {
  const b = await buildImage(name, recipe, "x86_64");
  return { kernel: path.join(b.dir, `${name}.vmlinuz`), initrd: path.join(b.dir, `${name}.initramfs.cpio.gz`), dir: b.dir };
}

/** A shell session on the console: each command's output, up to a marker only the shell can print. */
function shell(c: SerialConsole, prompt: RegExp) {
  let n = 0;
  return async (cmd: string): Promise<string> => {
    n++;
    // The typed line echoes `$((n+1000))`; only its expansion matches.
    c.type(`${cmd}; echo "<$((${n}+1000))>"\r`);
    const out = (await c.expect(new RegExp(`^([^]*?)<${n + 1000}>\n`, "m")))[1];
    await c.expect(prompt);
    return out.replace(/\x1b\[[\d;]*m/g, ""); // ls colours names on a terminal
  };
}

/** Answers getty's and login's prompts; resolves with the ms between the password and login's verdict. */
async function logIn(c: SerialConsole, user: string, password: string, verdict: RegExp): Promise<number> {
  await c.expect(/login: $/m);
  c.type(`${user}\r`);
  await c.expect(/Password: $/m);
  const t0 = Date.now();
  c.type(`${password}\r`);
  await c.expect(verdict);
  return Date.now() - t0;
}

describe.runIf(fs.existsSync(pikaFor("x86_64")))("x86_64 logins on the serial console (recipe images, QEMU)", () => {
  it("getty and login: wrong password refused, user session (modules, mdev, syslog), root powers off cleanly", async () => {
    const img = await recipeImage("login", fs.readFileSync(LOGIN_RECIPE, "utf8"));
    try {
      // An ext4 disk owned by alice, mounted on /mnt by fstab once the modules are in.
      const disk = path.join(img.dir, "disk.img");
      const mk = spawnSync("mke2fs", ["-q", "-t", "ext4", "-E", "root_owner=1000:1000", "-F", disk, "16M"], { encoding: "utf8" });
      expect(mk.stderr).toBe("");
      const c = new SerialConsole({ machine: "x86_64", kernel: img.kernel, initrd: img.initrd, extra: ["-drive", `file=${disk},format=raw,if=virtio`] });
      try {
        expect(await logIn(c, "alice", "not-the-password", /^Login incorrect$/m)).toBeGreaterThanOrEqual(MIN_FAIL_DELAY_MS);
        // login asks again itself, as BusyBox's does.
        await logIn(c, "alice", ALICE_PW, /^logintest:~\$ $/m);
        const sh = shell(c, /^logintest:~\$ $/m);
        expect(await sh("id")).toMatch(/^uid=1000\(alice\) gid=1000\(alice\) groups=1000\(alice\)$/m);
        // Loaded at boot by the modules service from /etc/modules, the modules the recipe shipped.
        const mods = await sh("lsmod; cat /sys/module/virtio_blk/initstate");
        // Used once each: the disk is mounted.
        expect(mods).toMatch(/^virtio_blk +\d+ +1 *$/m);
        expect(mods).toMatch(/^ext4 +\d+ +1 *$/m);
        // ext4's soft dependency, shipped without the recipe naming it; the mount made the kernel ask for it.
        expect(mods).toMatch(/^crc32c_(intel|generic) +\d+ +[1-9]/m);
        expect(mods).toMatch(/^live$/m);
        // devtmpfs makes them root-only; the recipe's /etc/mdev.conf applied by
        // mdev -s (ttyS1, there from the start) and by mdev -d (vda, once virtio_blk is in).
        const nodes = await sh("ls -l /dev/vda /dev/ttyS1");
        expect(nodes).toMatch(/^brw-r----- +1 root +disk +\d+, +0 .* \/dev\/vda$/m);
        expect(nodes).toMatch(/^crw-rw---- +1 root +dialout +4, +65 .* \/dev\/ttyS1$/m);
        // The session's terminal became alice's (login), mode 0600.
        expect(await sh("ls -l /dev/ttyS0")).toMatch(/^crw------- +1 alice +alice +4, +64 .* \/dev\/ttyS0$/m);
        // syslogd takes the datagram in its own time (logger and logread run inside the shell): ask until it is there.
        const log = await sh("logger hello-$((40+2)); for i in 1 2 3 4 5 6 7 8 9 10; do logread | grep 'hello-4[2]' && break; sleep 1; done");
        expect(log).toMatch(/^\w{3} [ \d]\d \d\d:\d\d:\d\d logintest user\.notice alice: hello-42$/m);
        expect(await sh("grep ' /mnt ' /proc/mounts; echo note-$((2+3)) > /mnt/note")).toMatch(/^\/dev\/vda \/mnt ext4 rw,nosuid,nodev/m);
        // Only root may bring the system down.
        expect(await sh("poweroff")).toMatch(/^poweroff: .*(not permitted|EPERM)/m);
        c.type("exit\r");
        await logIn(c, "root", ROOT_PW, /^logintest:~# $/m);
        expect(await shell(c, /^logintest:~# $/m)("id -u")).toMatch(/^0$/m);
        c.type("poweroff\r");
        expect(await c.waitExit(180_000)).toBe(0);
      } finally {
        c.kill();
      }
      const out = c.output;
      expect(out).toMatch(/Remounting the root filesystem read-only/);
      expect(out).toMatch(/Requesting system poweroff/);
      expect(out).toMatch(/reboot: Power down/);
      expect(out).not.toMatch(/can't unmount|can't remount|Kernel panic|init: uncaught/);
      // Unmounted before the power went: the superblock says clean, the file is there.
      expect(spawnSync("dumpe2fs", ["-h", disk], { encoding: "utf8" }).stdout).toMatch(/^Filesystem state: +clean$/m);
      expect(spawnSync("debugfs", ["-R", "cat /note", disk], { encoding: "utf8" }).stdout).toBe("note-5\n");
    } finally {
      fs.rmSync(path.dirname(img.dir), { recursive: true, force: true });
    }
  }, 900_000);

  it("the default recipe keeps root locked: login refuses every password", async () => {
    // recipes/qemu-x86_64.yaml as it is, but with a getty on the console and only the initramfs.
    const doc = parseDocument(fs.readFileSync(path.join(ROOT, "recipes", "qemu-x86_64.yaml"), "utf8"));
    doc.set("outputs", ["initramfs"]);
    doc.set("files", [{ path: "/etc/inittab", content: "ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100\n" }]);
    const img = await recipeImage("default", doc.toString());
    const c = new SerialConsole({ machine: "x86_64", kernel: img.kernel, initrd: img.initrd });
    try {
      for (const pw of ["", "root", ALICE_PW]) {
        expect(await logIn(c, "root", pw, /^Login incorrect$/m)).toBeGreaterThanOrEqual(MIN_FAIL_DELAY_MS);
      }
      // Three failures end login; init starts a new getty.
      await c.expect(/login: $/m);
    } finally {
      c.kill();
      fs.rmSync(path.dirname(img.dir), { recursive: true, force: true });
    }
    expect(c.output).not.toMatch(/^pika:[^\n]*# /m);
  }, 600_000);
});
