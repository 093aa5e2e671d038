// md5sum, sha1sum, sha256sum, sha512sum, sha3sum: print or check digests as
// BusyBox does ("HASH  NAME"; -c reads such lines, "NAME: OK"/"NAME: FAILED",
// and a closing "WARNING: N of M computed checksums did NOT match"). Files are
// hashed in large blocks with the runtime's native digests.
import { defineApplet, type AppletDef, type Context } from "../lib/applet.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { warnBytes } from "../lib/fileops.ts";
import { blocksOf, forEachBlock, openOperand } from "../lib/archive/input.ts";
import type { Reader } from "../lib/io.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";
import { lineBatches } from "../lib/textio.ts";

interface Flags { check: boolean; silent: boolean; warn: boolean }

/** The hex digest of one operand, or undefined after the warning. */
async function hashFile(ctx: Context, algo: string, name: string): Promise<string | undefined> {
  let input;
  try {
    input = openOperand(ctx, name);
  } catch (err) {
    await warnBytes(ctx, `can't open '${name}': ${errorMessage(err)}`);
    return undefined;
  }
  const hasher = new Bun.CryptoHasher(algo as any);
  try {
    await forEachBlock(input, (b) => void hasher.update(b));
  } catch (err) {
    await warnBytes(ctx, `can't read '${name}': ${errorMessage(err)}`);
    return undefined;
  }
  return hasher.digest("hex");
}

async function checkFile(ctx: Context, algo: string, list: string, f: Flags): Promise<number> {
  let input;
  try {
    input = openOperand(ctx, list);
  } catch (err) {
    await warnBytes(ctx, `${list}: ${errorMessage(err)}`);
    return -1; // xfopen_stdin() dies

  }
  let total = 0;
  let failed = 0;
  let status = 0;
  const fd = input;
  const reader: Reader = typeof fd === "number" ? { isTTY: false, chunks: () => blocksOf(fd, 65536) } : fd;
  for await (const { lines } of lineBatches(reader, "\n", true)) {
    for (const line of lines) {
      total++;
      let sep = line.indexOf("  ");
      if (sep < 0) sep = line.indexOf(" *");
      if (sep < 0) {
        if (f.warn) await warnBytes(ctx, "invalid format");
        failed++;
        status = 1;
        continue;
      }
      const want = line.slice(0, sep);
      const name = line.slice(sep + 2);
      const got = await hashFile(ctx, algo, name);
      const ok = got !== undefined && got === want;
      if (!f.silent) await ctx.stdout.write(bytesOf(`${name}: ${ok ? "OK" : "FAILED"}\n`));
      if (!ok) {
        failed++;
        status = 1;
      }
    }
  }
  if (total === 0) {
    await warnBytes(ctx, `${list}: no checksum lines found`);
    return 1;
  }
  if (failed && !f.silent) await warnBytes(ctx, `WARNING: ${failed} of ${total} computed checksums did NOT match`);
  return status;
}

function sumApplet(name: string, algoName: string, label: string, withBits = false): AppletDef {
  return {
    name,
    usage: withBits ? "[-c[sw]] [-a BITS] [FILE]..." : "[-c[sw]] [FILE]...",
    summary: `Print or check ${label} checksums`,
    dir: "/usr/bin",
    options: [
      "-c  Check sums against list in FILEs",
      "-s  Don't output anything, status code shows success",
      "-w  Warn about improperly formatted checksum lines",
      ...(withBits ? ["-a BITS  224 (default), 256, 384, 512"] : []),
      "-b",
      "-t",
    ],
    async run(ctx, opts, files) {
      let algo = algoName;
      if (withBits) {
        const bits = opts.a ?? "224";
        if (!["224", "256", "384", "512"].includes(bits)) throw new AppletError(`bad -a${bits}`);
        algo = `sha3-${bits}`;
      }
      const f: Flags = { check: !!opts.c, silent: !!opts.s, warn: !!opts.w };
      if (!f.check && (f.silent || f.warn)) throw new UsageError();
      if (files.length === 0) files = ["-"];
      files = files.map(binaryOf);
      let status = 0;
      for (const file of files) {
        if (f.check) {
          const r = await checkFile(ctx, algo, file, f);
          if (r < 0) return 1;
          status |= r;
          continue;
        }
        const digest = await hashFile(ctx, algo, file);
        if (digest === undefined) status = 1;
        else await ctx.stdout.write(bytesOf(`${digest}  ${file}\n`));
      }
      return status;
    },
  };
}

defineApplet(sumApplet("md5sum", "md5", "MD5"));
defineApplet(sumApplet("sha1sum", "sha1", "SHA1"));
defineApplet(sumApplet("sha256sum", "sha256", "SHA256"));
defineApplet(sumApplet("sha512sum", "sha512", "SHA512"));
defineApplet(sumApplet("sha3sum", "sha3-224", "SHA3", true));
