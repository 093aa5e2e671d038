import { defineApplet, resolvePath } from "../lib/applet.ts";
import { blockDevices, findDevice, probeFile } from "../lib/blkid.ts";

defineApplet({
  name: "blkid",
  dir: "/sbin",
  usage: "[BLOCKDEV]...",
  summary: "Print UUIDs of all filesystems",
  async run(ctx, _opts, devs) {
    let out = "";
    let found = false;
    for (const d of devs.length ? devs : blockDevices()) {
      let p;
      try {
        p = probeFile(resolvePath(ctx, d));
      } catch {
        continue;
      }
      if (!p) continue;
      found = true;
      out += `${d}:${p.label !== undefined ? ` LABEL="${p.label}"` : ""}${p.uuid ? ` UUID="${p.uuid}"` : ""} TYPE="${p.type}"\n`;
    }
    await ctx.stdout.write(Buffer.from(out, "latin1"));
    return found || !devs.length ? 0 : 2;
  },
});

defineApplet({
  name: "findfs",
  dir: "/sbin",
  usage: "LABEL=label or UUID=uuid",
  summary: "Find a filesystem device based on a label or UUID",
  minOperands: 1,
  async run(ctx, _opts, [spec]) {
    if (!/^(LABEL|UUID)=/.test(spec)) return 1;
    const dev = findDevice(spec);
    if (!dev) return 1;
    await ctx.stdout.write(dev + "\n");
    return 0;
  },
});
