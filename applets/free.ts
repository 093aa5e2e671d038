// free: memory and swap use in BusyBox's table. Totals come from sysinfo(2),
// "buff/cache" adds Buffers, Cached and SReclaimable, "available" is
// MemAvailable (from /proc/meminfo). Only the first letter of the first
// argument picks the unit, as in BusyBox: -b bytes, -k KiB (default), -m MiB,
// -g GiB (rounded to the nearest), -h human-readable.
import { defineApplet } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { humanReadable } from "../lib/human.ts";
import { readHead } from "../lib/procps.ts";
import { sysinfo } from "../lib/syscalls.ts";

defineApplet({
  name: "free",
  usage: "[-bkmgh]",
  summary: "Display free and used memory",
  rawArgs: true,
  dir: "/usr/bin",
  async run(ctx, _o, args) {
    // Bits to shift bytes by, or -1 for human-readable sizes.
    let shift = 10;
    if (args[0]?.[0] === "-") {
      const unit = { b: 0, k: 10, m: 20, g: 30, h: -1 }[args[0][1] ?? ""];
      if (unit === undefined) throw new UsageError();
      shift = unit;
    }
    const info = sysinfo();
    const meminfo = readHead("/proc/meminfo", 64 * 1024) ?? "";
    const kb = (field: string) => BigInt(new RegExp(`^${field}:\\s*(\\d+)`, "m").exec(meminfo)?.[1] ?? "0");
    const unit = BigInt(info.memUnit);
    const n = (x: number) => BigInt(x);
    const available = (kb("MemAvailable") * 1024n) / unit;
    const cached = (kb("Cached") * 1024n) / unit + n(info.bufferram) + (kb("SReclaimable") * 1024n) / unit;
    const cachedPlusFree = cached + n(info.freeram);
    // make_human_readable_str(): rounded to the nearest unit, or suffixed (-h).
    const show = (v: bigint) => humanReadable(v * unit, 1, shift < 0 ? 0 : 2 ** shift);
    const row = (label: string, values: bigint[]) =>
      label + values.map((v, i) => show(v).padStart(i === 0 ? 12 : 11)).join(" ") + "\n";
    await ctx.stdout.write(
      "       " + ["total", "used", "free", "shared", "buff/cache", "available"].map((h) => h.padStart(12)).join("") + "\n" +
        row("Mem:   ", [n(info.totalram), n(info.totalram) - cachedPlusFree, n(info.freeram), n(info.sharedram), cached, available]) +
        row("Swap:  ", [n(info.totalswap), n(info.totalswap - info.freeswap), n(info.freeswap)]),
    );
    return 0;
  },
});
