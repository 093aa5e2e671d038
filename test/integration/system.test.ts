// Devices and kernel applets (sysctl, modprobe & co, mdev, mountpoint)
// against busybox-static and Debian's kmod. Everything runs chroot'ed into a
// tmpfs root inside `unshare --mount` (test/helpers/sandbox.ts); no module is
// ever loaded or unloaded on this host.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { havePika, PIKA, run, tempDir } from "../helpers/run.ts";
import { inSandbox, sandboxSkipReason, type SandboxOptions } from "../helpers/sandbox.ts";

const skip = !havePika() ? "out/host/pika is not built" : sandboxSkipReason();

/** The depmod'ed module tree of Debian's amd64 kernel in the build cache (build/modules.ts). */
function moduleTree(): { dir: string; base: string; version: string } | undefined {
  const cache = process.env.PIKA_CACHE ?? path.join(os.homedir(), ".cache", "pika");
  const top = path.join(cache, "modules-dep");
  for (const d of fs.existsSync(top) ? fs.readdirSync(top).sort() : []) {
    const mods = path.join(top, d, "lib", "modules");
    for (const v of fs.existsSync(mods) ? fs.readdirSync(mods) : []) {
      if (v.endsWith("-amd64") && fs.existsSync(path.join(mods, v, "modules.dep"))) return { dir: path.join(mods, v), base: path.join(top, d), version: v };
    }
  }
  return undefined;
}
const tree = moduleTree();
const release = os.release();

function both(applet: string, args: string[], o: SandboxOptions = {}) {
  return { bb: inSandbox("busybox", applet, args, o), pk: inSandbox("pika", applet, args, o) };
}

function expectSame(applet: string, args: string[], o: SandboxOptions = {}) {
  const { bb, pk } = both(applet, args, o);
  expect(pk.stdout).toBe(bb.stdout);
  expect(pk.status).toBe(bb.status);
  const first = (s: string) => s.split("\n")[0].replace(/(BusyBox|Pika) v\S+.* multi-call binary\./, "MULTI-CALL BANNER");
  expect(first(pk.stderr)).toBe(first(bb.stderr));
  expect(pk.after).toBe(bb.after);
  return { bb, pk };
}

describe.skipIf(skip)("sysctl", () => {
  const o = { proc: true };
  const cases: string[][] = [
    ["kernel.ostype", "kernel/osrelease"],
    ["-n", "kernel.ostype", "kernel.pid_max"],
    ["nosuch.key"],
    ["-e", "nosuch.key", "kernel.ostype"],
    ["kernel.core_modes"],
    ["vm.overcommit_memory", "fs.file-max"],
    ["-n", "-e", "-q", "kernel.hostname"],
  ];
  for (const args of cases) it(`sysctl ${args.join(" ")}`, () => expectSame("sysctl", args, o));

  it("sysctl -a lists the keys busybox lists", () => {
    const { bb, pk } = both("sysctl", ["-a"], o);
    const keys = (s: string) => s.split("\n").map((l) => l.split(" = ")[0]).filter((k) => k && !/random|ns_last_pid|stat|entropy|dentry|inode|file-nr/.test(k));
    expect(pk.status).toBe(bb.status);
    expect([...new Set(keys(pk.stdout))]).toEqual([...new Set(keys(bb.stdout))]);
  });

  it("writes with -w, KEY=VALUE and -p inside a UTS namespace", () => {
    const setup = "printf '# comment\\nkernel.hostname = fromfile\\n; other\\n' > etc/sysctl.conf";
    for (const args of [["-w", "kernel.hostname=box1"], ["kernel.hostname=box2"], ["-q", "kernel.hostname=box3"], ["-p"], ["-n", "-w", "kernel.hostname=x"]]) {
      expectSame("sysctl", args, { ...o, unshare: ["--uts"], setup, after: "hostname" });
    }
  });
});

describe.skipIf(skip || !tree)("kernel modules against Debian's tree", () => {
  const setup = () =>
    `mkdir -p lib/modules/${release} etc/modprobe.d && mount --bind -o ro ${tree!.dir} lib/modules/${release} && ` +
    `printf 'options btrfs foo=1 bar\\nblacklist ext4\\nalias myalias loop\\n' > etc/modprobe.d/test.conf`;
  const cases: [string, string[]][] = [
    ["modinfo", ["loop"]],
    ["modinfo", ["ext4"]],
    ["modinfo", ["-F", "alias", "ext4"]],
    ["modinfo", ["-F", "depends", "btrfs"]],
    ["modinfo", ["-p", "loop"]],
    ["modinfo", ["-0", "fuse"]],
    ["modinfo", ["-n", "fuse"]],
    ["modinfo", ["nosuch"]],
    ["modinfo", [`/lib/modules/${release}/kernel/fs/fuse/fuse.ko`]],
    ["modprobe", ["-D", "btrfs", "x=1"]],
    ["modprobe", ["-D", "fs-ext2"]],
    ["modprobe", ["-D", "-b", "ext4"]],
    ["modprobe", ["-D", "myalias"]],
    ["modprobe", ["-D", "nosuch"]],
    ["modprobe", ["-q", "-D", "nosuch"]],
    ["modprobe", ["-l", "ext*"]],
    ["modprobe", ["-D", "-a", "loop", "fuse"]],
    ["modprobe", ["-D", "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00"]],
    ["modprobe", ["-D", "fs-vfat"]],
  ];
  for (const [applet, args] of cases) it(`${applet} ${args.join(" ")}`, () => expectSame(applet, args, { setup: setup() }));

  it("modinfo -F agrees with kmod's modinfo", () => {
    for (const [field, mod] of [["alias", "loop"], ["depends", "ext4"], ["license", "fuse"], ["vermagic", "btrfs"], ["description", "ext4"]]) {
      const file = path.join(tree!.dir, run("/usr/bin/env", ["sh", "-c", `grep -E '/${mod}\\.ko:' ${tree!.dir}/modules.dep | cut -d: -f1`]).stdout.trim());
      const kmod = run("/sbin/modinfo", ["-F", field, file]);
      const ours = run(PIKA, ["modinfo", "-F", field, file]);
      expect(ours.stdout).toBe(kmod.stdout);
    }
  });

  it("modprobe -D resolves like kmod's modprobe --show-depends (without softdeps)", () => {
    for (const mod of ["loop", "fuse", "btrfs", "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00", "virtio_net", "fs-vfat"]) {
      const kmod = run("/sbin/modprobe", ["--show-depends", "-S", tree!.version, "-d", tree!.base, mod]);
      const ours = inSandbox("pika", "modprobe", ["-D", mod], { setup: `mkdir -p lib/modules/${release} && mount --bind -o ro ${tree!.dir} lib/modules/${release}` });
      const norm = (s: string) => s.split("\n").map((l) => l.replace(/ +$/, "").replace(/^insmod .*\/lib\/modules\/[^/]+\//, "insmod ")).filter(Boolean);
      // kmod adds softdep modules (crc32c for btrfs); ours and busybox do not.
      const kmodLines = norm(kmod.stdout).filter((l) => !/\/(crc32c-intel|crc32c_generic|blake2b_generic)\.ko/.test(l));
      expect(norm(ours.stdout)).toEqual(kmodLines);
    }
  });

  it("depmod writes the same dependencies as kmod's depmod for a subset", () => {
    const base = tempDir("pika-depmod-");
    try {
      const v = tree!.version;
      const pick = run("/usr/bin/env", ["sh", "-c", `grep -E '^kernel/fs/(ext4|btrfs|fuse)/' ${tree!.dir}/modules.dep | tr -d ':' | tr ' ' '\\n' | sort -u`]).stdout.split("\n").filter(Boolean);
      for (const f of pick) {
        fs.mkdirSync(path.dirname(path.join(base, "lib/modules", v, f)), { recursive: true });
        fs.copyFileSync(path.join(tree!.dir, f), path.join(base, "lib/modules", v, f));
      }
      expect(run(PIKA, ["depmod", "-b", base, v]).status).toBe(0);
      const ours = fs.readFileSync(path.join(base, "lib/modules", v, "modules.dep"), "utf8");
      const oursAlias = fs.readFileSync(path.join(base, "lib/modules", v, "modules.alias"), "utf8");
      expect(run("/sbin/depmod", ["-b", base, v]).status).toBe(0);
      const kmod = fs.readFileSync(path.join(base, "lib/modules", v, "modules.dep"), "utf8");
      const kmodAlias = fs.readFileSync(path.join(base, "lib/modules", v, "modules.alias"), "utf8");
      const asMap = (s: string) => Object.fromEntries(s.split("\n").filter(Boolean).map((l) => {
        const [k, d] = l.split(":");
        return [k, d.split(" ").filter(Boolean).sort()];
      }));
      expect(asMap(ours)).toEqual(asMap(kmod));
      const lines = (s: string) => s.split("\n").filter((l) => l.startsWith("alias")).sort();
      expect(lines(oursAlias)).toEqual(lines(kmodAlias));
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});

// This host's kernel has no /proc/modules: the listing itself is checked in test/boot/system.test.ts.
describe.skipIf(skip || fs.existsSync("/proc/modules"))("lsmod", () => {
  it("fails without /proc/modules", () => expectSame("lsmod", []));
});

describe.skipIf(skip)("mdev -s", () => {
  const after = "find dev -mindepth 1 | sort | xargs stat -c '%n %F %t:%T %a %u:%g %N'";
  it("creates the same /dev as busybox", () => expectSame("mdev", ["-s"], { sys: true, proc: true, after }));
  it("applies mdev.conf rules as busybox does", () => {
    const conf = [
      "loop[0-3] 0:6 640",
      "-tty.* 0:5 620 @echo dash-rule-$MDEV >> /tmp/log",
      "tty[0-9] 0:5 600",
      "null 0:0 666 =nulldev",
      "zero 0:0 666 >zz/zero",
      "full 0:0 600 !",
      "@1,8-9 0:3 604",
      "kmsg 0:0 600 =misc/",
      "$SUBSYSTEM=mem 0:4 644",
    ].join("\\n");
    const setup = `printf '${conf}\\n' > etc/mdev.conf && ln -s busybox bin/sh && ln -s busybox bin/echo`;
    expectSame("mdev", ["-s"], { sys: true, proc: true, setup, after: after + "; sort tmp/log" });
  });
  it("handles a hotplug add and remove event", () => {
    const setup = "printf 'loop1 0:6 640 =disk/l1\\n' > etc/mdev.conf";
    expectSame("mdev", [], { sys: true, proc: true, setup, after, env: { ACTION: "add", DEVPATH: "/devices/virtual/block/loop1", SUBSYSTEM: "block" } });
  });
});

describe.skipIf(skip)("mdev -d (the kernel's uevents on netlink)", () => {
  // The daemon in the sandbox acts on the sandbox's /dev only; the test makes
  // the kernel announce /dev/null again ("add" to its uevent file, as
  // `udevadm trigger` does) until the daemon has seen it: it may still be
  // starting. SEQNUM is in uevents only, so a line with one came from netlink.
  const conf = "null 0:0 640 @echo event $ACTION $SUBSYSTEM $DEVPATH $SEQNUM >> /tmp/events";
  const setup = `printf '${conf}\\n' > etc/mdev.conf && ln -s busybox bin/sh && ln -s busybox bin/echo`;
  const after = [
    "for i in $(seq 100); do echo add > /sys/class/mem/null/uevent; sleep 0.2; grep -q '[0-9]$' tmp/events 2>/dev/null && break; done",
    "grep -m1 '[0-9]$' tmp/events | sed 's/ [0-9]*$/ SEQNUM/'",
    "stat -c '%n %F %t:%T %a %u:%g' dev/null",
  ].join("; ");
  it("scans, returns, and applies mdev.conf to each uevent, as busybox does", () => {
    // A pid namespace, so that the daemons end with the sandbox.
    const { bb, pk } = both("mdev", ["-d"], { sys: true, proc: true, setup, after, unshare: ["--pid", "--fork"] });
    expect(bb.after).toContain("event add mem /devices/virtual/mem/null SEQNUM\ndev/null character special file 1:3 640 0:0\n");
    expect(pk.after).toBe(bb.after);
    expect(pk.status).toBe(bb.status);
    expect(pk.stderr).toBe(bb.stderr);
  });
});

describe.skipIf(skip)("mountpoint", () => {
  it("tells mount points from directories", () => {
    const r = inSandbox("pika", "mountpoint", ["/proc"], { proc: true });
    expect(r.stdout).toBe("/proc is a mountpoint\n");
    expect(r.status).toBe(0);
    const n = inSandbox("pika", "mountpoint", ["/etc"], { proc: true });
    expect(n.stdout).toBe("/etc is not a mountpoint\n");
    expect(n.status).toBe(1);
    expect(inSandbox("pika", "mountpoint", ["-q", "/etc"], { proc: true }).stdout).toBe("");
    const d = inSandbox("pika", "mountpoint", ["-d", "/proc"], { proc: true });
    expect(d.stdout).toMatch(/^\d+:\d+\n$/);
    expect(d.stdout.trim()).toBe(spawnSync("mountpoint", ["-d", "/proc"], { encoding: "utf8" }).stdout.trim());
    expect(inSandbox("pika", "mountpoint", ["/nonexistent"]).stderr).toBe("mountpoint: /nonexistent: No such file or directory\n");
  });
});

// ---- Block devices: signatures, swap headers, loop devices and mount ----

const EXT_UUID = "0123abcd-0000-1111-2222-333344445555";
/** Sandbox setup making tmp/{e,f,s,q}.img: ext4, vfat, swap and squashfs images (host tools, outside the chroot). */
const IMAGES = [
  "truncate -s 8M tmp/e.img tmp/f.img tmp/s.img",
  `mke2fs -q -t ext4 -L myext -U ${EXT_UUID} tmp/e.img`,
  "mkfs.fat -n MYFAT -i 1234ABCD tmp/f.img >/dev/null",
  "truncate -s 4M tmp/g.img && mke2fs -q -t ext2 -L gee tmp/g.img && debugfs -w -R 'write /etc/hostname host' tmp/g.img >/dev/null 2>&1",
  "mkswap -q -L myswap -U 11111111-2222-3333-4444-555555555555 tmp/s.img",
  "mkdir -p tmp/sq tmp/dir && echo hi > tmp/sq/a && echo bound > tmp/dir/b && mksquashfs tmp/sq tmp/q.img -quiet -noappend >/dev/null",
].join(" && ");
const haveTools = ["/sbin/mke2fs", "/sbin/mkfs.fat", "/usr/bin/mksquashfs", "/sbin/mkswap", "/sbin/blkid"].every((t) => fs.existsSync(t) || fs.existsSync(t.replace(/^\/s?bin/, "/usr$&")));

describe.skipIf(skip || !haveTools)("blkid, findfs, mkswap", () => {
  it("blkid reports LABEL, UUID and TYPE as util-linux's blkid does", () => {
    const r = inSandbox("pika", "blkid", ["/tmp/e.img", "/tmp/f.img", "/tmp/s.img", "/tmp/q.img", "/tmp/none"], { setup: IMAGES, after: "for f in e f s q; do blkid -o export tmp/$f.img | grep -E '^(LABEL|UUID|TYPE)=' | tr '\\n' ' '; echo; done" });
    expect(r.status).toBe(0);
    const ours = r.stdout.split("\n").filter(Boolean).map((l) => l.replace(/^\S+: /, "").replace(/"/g, "").split(" ").sort().join(" "));
    const theirs = r.after.split("\n").filter(Boolean).map((l) => l.trim().split(" ").sort().join(" "));
    expect(ours).toEqual(theirs);
    expect(r.stdout).toContain(`/tmp/e.img: LABEL="myext" UUID="${EXT_UUID}" TYPE="ext4"\n`);
    expect(r.stdout).toContain(`/tmp/f.img: LABEL="MYFAT" UUID="1234-ABCD" TYPE="vfat"\n`);
  });

  it("mkswap writes a header blkid and busybox agree on", () => {
    const setup = "truncate -s 1M tmp/a.img && truncate -s 1M tmp/b.img";
    const { bb, pk } = both("mkswap", ["-L", "sw", "/tmp/a.img"], { setup, after: "blkid -o export tmp/a.img | grep -E '^(LABEL|TYPE)='; od -An -tx1 -j1024 -N12 tmp/a.img" });
    const uuidless = (s: string) => s.replace(/UUID=\S+/, "UUID=X");
    expect(uuidless(pk.stdout)).toBe(uuidless(bb.stdout));
    expect(pk.status).toBe(bb.status);
    expect(pk.after).toBe(bb.after);
    expect(pk.after).toContain("TYPE=swap");
    const sized = both("mkswap", ["/tmp/b.img", "100"], { setup });
    expect(uuidless(sized.pk.stdout)).toBe(uuidless(sized.bb.stdout));
  });

  it("findfs finds a read-only loop device by LABEL and UUID as busybox does", () => {
    // The image is attached read-only for the test's duration only.
    const setup = `${IMAGES} && L=$(losetup -r -f --show tmp/e.img)`;
    for (const spec of ["LABEL=myext", `UUID=${EXT_UUID}`, "LABEL=nosuch", "bogus"]) {
      const o = { setup, dev: true, after: "losetup -d $L" };
      const { bb, pk } = both("findfs", [spec], o);
      expect(pk.status).toBe(bb.status);
      expect(pk.stdout).toBe(bb.stdout);
    }
  });
});

describe.skipIf(skip || !haveTools)("losetup (read-only attach in a namespace)", () => {
  it("-f names the next free device as busybox does", () => expectSame("losetup", ["-f"], { dev: true }));
  it("attaches read-only, shows and detaches", () => {
    for (const which of ["busybox", "pika"] as const) {
      const r = inSandbox(which, "losetup", ["-r", "-o", "1024", "-f", "/tmp/e.img"], {
        setup: IMAGES, dev: true,
        after: "L=$(losetup -j tmp/e.img | cut -d: -f1); chroot . /bin/pika losetup -a | grep e.img | sed 's/loop[0-9]*/loopN/'; chroot . /bin/busybox losetup $L | sed 's/loop[0-9]*/loopN/'; chroot . /bin/pika losetup -d $L; losetup -j tmp/e.img | wc -l",
      });
      expect(r.status).toBe(0);
      expect(r.after).toBe("/dev/loopN: 1024 /tmp/e.img\n/dev/loopN: 1024 /tmp/e.img\n0\n");
    }
  });
});

describe.skipIf(skip || !haveTools)("mount: fstab, LABEL=, loop, bind, remount", () => {
  const fstab = [
    "# comment",
    "LABEL=myext /mnt/a ext4 ro 0 0",
    "/tmp/g.img /mnt/b ext2 ro,loop 0 0",
    "/tmp/q.img /mnt/c squashfs defaults 0 0",
    "/tmp/dir /mnt/d none bind 0 0",
    "/tmp/s.img none swap sw 0 0",
    "/tmp/e.img /mnt/e ext4 noauto 0 0",
  ].join("\\n");
  const setup = `${IMAGES} && mkdir -p mnt/a mnt/b mnt/c mnt/d mnt/e && printf '${fstab}\\n' > etc/fstab && L=$(losetup -r -f --show tmp/e.img)`;
  const show = "chroot . /bin/busybox sh -c 'grep \" /mnt/\" /proc/mounts | cut -d\" \" -f2-3; cat /mnt/c/a /mnt/d/b; ls /mnt/b /mnt/e'";
  const cleanup = "umount -R mnt/a mnt/b mnt/c mnt/d 2>/dev/null; losetup -d $L";

  it("mount -a mounts what busybox mounts", () => {
    expectSame("mount", ["-a"], { setup, dev: true, after: `${show}; ${cleanup}` });
  });

  it("mount -a -t restricts the types", () => {
    expectSame("mount", ["-a", "-t", "squashfs,ext2"], { setup, dev: true, after: `${show}; ${cleanup}` });
  });

  it("mounts an fstab entry by its mount point, and a UUID= source", () => {
    expectSame("mount", ["/mnt/e"], { setup, dev: true, after: `${show}; umount mnt/e; ${cleanup}` });
    expectSame("mount", ["-r", `UUID=${EXT_UUID}`, "/mnt/a"], { setup, dev: true, after: `${show}; ${cleanup}` });
  });

  it("-o remount,ro makes a mount read-only", () => {
    const s = `${setup} && mount -t tmpfs scratch mnt/d`;
    const r = inSandbox("pika", "mount", ["-o", "remount,ro", "/mnt/d"], { setup: s, dev: true, after: "grep ' '$PWD/mnt/d' ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1; touch mnt/d/x 2>&1 | sed 's/.*: //'; " + cleanup });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.after).toBe("ro\nRead-only file system\n");
  });

  it("--bind and a loop mount of a file given on the command line", () => {
    expectSame("mount", ["--bind", "/tmp/dir", "/mnt/d"], { setup, dev: true, after: `${show}; ${cleanup}` });
    expectSame("mount", ["-o", "ro", "/tmp/q.img", "/mnt/c"], { setup, dev: true, after: `${show}; ${cleanup}` });
  });
});

describe.skipIf(skip)("mdev firmware requests (a fake /sys in the sandbox's tmpfs)", () => {
  const setup = "mkdir -p sys/devices/fw1 sys/devices/fw2 lib/firmware && printf 0 > sys/devices/fw1/loading && printf 0 > sys/devices/fw2/loading && : > sys/devices/fw1/data && : > sys/devices/fw2/data && printf 'BLOB\\001\\002' > lib/firmware/test.bin";
  const after = "for d in fw1 fw2; do printf \"$d: \"; cat sys/devices/$d/loading; echo; od -An -c sys/devices/$d/data 2>/dev/null; done";
  it("copies /lib/firmware/NAME into /sys$DEVPATH/data", () =>
    expectSame("mdev", [], { setup, after, env: { ACTION: "add", SUBSYSTEM: "firmware", DEVPATH: "/devices/fw1", FIRMWARE: "test.bin" } }));
  it("reports a missing firmware with loading=-1", () =>
    expectSame("mdev", [], { setup, after, env: { ACTION: "add", SUBSYSTEM: "firmware", DEVPATH: "/devices/fw2", FIRMWARE: "missing.bin" } }));
});

describe.skipIf(skip)("errors and refusals that change nothing", () => {
  const cases: [string, string[], SandboxOptions?][] = [
    ["swapon", ["/tmp/nonexist"]],
    ["swapoff", ["/tmp/nonexist"]],
    ["switch_root", ["/tmp", "/sbin/init"]],
    ["chroot", ["/nonexist", "/bin/true"]],
    ["hwclock", ["-r", "-f", "/dev/nonexist"]],
    ["losetup", ["/dev/nonexist"]],
    ["insmod", ["/tmp/nonexist.ko"]],
    ["modprobe", []],
    ["mdev", []],
  ];
  for (const [applet, args, o] of cases) it(`${applet} ${args.join(" ")}`, () => expectSame(applet, args, o));
  it("chroot runs a command in the new root", () => expectSame("chroot", ["/", "/bin/busybox", "echo", "inside"]));
  it.skipIf(!fs.existsSync("/dev/rtc0"))("hwclock -r reads /dev/rtc0 (skipped: this host has no RTC)", () => {
    const { bb, pk } = both("hwclock", ["-r", "-u"], { dev: true });
    expect(pk.status).toBe(bb.status);
    expect(pk.stdout.slice(0, 16)).toBe(bb.stdout.slice(0, 16));
  });
});
