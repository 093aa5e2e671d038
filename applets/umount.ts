import { defineApplet, resolvePath, warn } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";
import { MNT_DETACH, MNT_FORCE, umount2 } from "../lib/syscalls.ts";

defineApplet({
  name: "umount",
  usage: "[-rlfa] FILESYSTEM|DIRECTORY",
  summary: "Unmount filesystems",
  options: ["-a  Unmount all filesystems", "-r  Remount devices read-only if mount is busy", "-l  Lazy umount (detach filesystem)", "-f  Force umount (i.e., unreachable NFS server)"],
  minOperands: 1,
  async run(ctx, opts, targets) {
    const flags = (opts.l ? MNT_DETACH : 0) | (opts.f ? MNT_FORCE : 0);
    let status = 0;
    for (const t of targets) {
      try {
        umount2(resolvePath(ctx, t), flags);
      } catch (err) {
        await warn(ctx, `can't unmount ${t}: ${errorMessage(err).replace(/^umount '[^']*': /, "")}`);
        status = 1;
      }
    }
    return status;
  },
});
