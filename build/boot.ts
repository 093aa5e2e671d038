// Boot a built image in QEMU on this terminal: bun build/boot.ts [x86_64|aarch64|raspi3b]
// The serial console is this terminal; Ctrl-A X quits QEMU at once.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { machineArch, outDir, qemuCommand, type Machine } from "./qemu.ts";

const MACHINES: Machine[] = ["x86_64", "aarch64", "raspi3b"];

function main(args: string[]): number {
  const machine = (args[0] ?? "x86_64") as Machine;
  if (!MACHINES.includes(machine)) {
    process.stderr.write(`boot: unknown machine '${machine}' (use ${MACHINES.join(", ")})\n`);
    return 1;
  }
  const initrd = path.join(outDir(machineArch(machine)), "initramfs.cpio.gz");
  if (!fs.existsSync(initrd)) {
    process.stderr.write(`boot: ${initrd} is missing; build it first: bun build/build.ts ${machineArch(machine)}\n`);
    return 1;
  }
  const [cmd, ...qemuArgs] = qemuCommand({ machine, append: args.slice(1) });
  process.stderr.write(`boot: starting ${machine} in QEMU (software emulation; the first lines take a few seconds)\n`);
  process.stderr.write("boot: Ctrl-A X quits QEMU; `poweroff` inside shuts down cleanly\n\n");
  const r = spawnSync(cmd, qemuArgs, { stdio: "inherit" });
  if (r.error) {
    process.stderr.write(`boot: can't run ${cmd}: ${r.error.message} (run build/setup-host)\n`);
    return 1;
  }
  return r.status ?? 1;
}

process.exit(main(process.argv.slice(2)));
