// unzip: list (-l, -v), test (-t), print (-p) or extract zip archives, as
// BusyBox's: stored and deflated members, CRC-checked; the questions about
// existing files (or -o, -n); -x patterns, -d DIR, -j. Extraction goes
// through lib/archive/extract.ts: names are made safe, nothing is written
// outside the target directory, files are renamed into place when complete.
import * as fs from "node:fs";
import { defineApplet, type Context } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { absPath, fsPath, makeDirectory, readLine } from "../lib/fileops.ts";
import { fnmatch } from "../lib/glob.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";
import { Extractor, PrefixStripper } from "../lib/archive/extract.ts";
import { memberData, readCentralDirectory, type ZipEntry } from "../lib/archive/zip.ts";

const S_IFMT = 0o170000, S_IFDIR = 0o040000, S_IFREG = 0o100000, S_IFLNK = 0o120000;

defineApplet({
  name: "unzip",
  usage: "[-lnojpq] FILE[.zip] [FILE]... [-x FILE]... [-d DIR]",
  summary: "Extract FILEs from ZIP archive",
  options: [
    "-l  List contents (with -q for short form)",
    "-n  Never overwrite files (default: ask)",
    "-o  Overwrite",
    "-j  Do not restore paths",
    "-p  Write to stdout",
    "-t  Test",
    "-q  Quiet",
    "-v  Verbose listing",
    "-x FILE...  Exclude FILEs",
    "-d DIR  Extract into DIR",
  ],
  async run(ctx, opts, operands) {
    if (operands.length === 0) throw new UsageError();
    // "-x" takes every name after it (unzip a.zip -x f1 f2), as Info-ZIP's does.
    const args = ctx.argv.slice(1);
    const xi = args.indexOf("-x");
    const excludes: string[] = (opts.x as string[]).map(binaryOf);
    let includes = operands.slice(1).map(binaryOf);
    if (xi >= 0) {
      const after = new Set(args.slice(xi + 1).filter((a) => !a.startsWith("-")).map(binaryOf));
      for (const a of includes) if (after.has(a)) excludes.push(a);
      includes = includes.filter((a) => !after.has(a));
    }
    const zipName = binaryOf(operands[0]);
    let fd = -1;
    let opened = zipName;
    for (const n of [zipName, zipName + ".zip", zipName + ".ZIP"]) {
      try {
        fd = fs.openSync(fsPath(absPath(ctx, n)), "r");
        opened = n;
        break;
      } catch {}
    }
    if (fd < 0) throw new AppletError(`can't open ${zipName}[.zip]`);
    try {
      return await unzip(ctx, opts, fd, opened, includes, excludes);
    } finally {
      fs.closeSync(fd);
    }
  },
});

const pad = (n: number | string, w: number) => String(n).padStart(w);
const p2 = (n: number) => String(n).padStart(2, "0");

function dosDate(e: ZipEntry): string {
  const d = e.dosDate, t = e.dosTime;
  return `${p2((d >> 5) & 15)}-${p2(d & 31)}-${(d >> 9) + 1980} ${p2(t >> 11)}:${p2((t >> 5) & 63)}`;
}

async function unzip(ctx: Context, opts: Record<string, any>, fd: number, zipName: string, includes: string[], excludes: string[]): Promise<number> {
  const entries = readCentralDirectory(fd);
  const wanted = (e: ZipEntry) =>
    (includes.length === 0 || includes.some((p) => fnmatch(p, e.name))) && !excludes.some((p) => fnmatch(p, e.name));
  const quiet = opts.q || opts.p;
  const out = ctx.stdout;

  if (opts.l || opts.v) {
    if (!opts.q) await out.write(bytesOf(`Archive:  ${zipName}\n`));
    let total = 0, ctotal = 0, n = 0;
    if (opts.v) await out.write(" Length   Method    Size  Cmpr    Date    Time   CRC-32   Name\n--------  ------  ------- ---- ---------- ----- --------  ----\n");
    else await out.write("  Length      Date    Time    Name\n---------  ---------- -----   ----\n");
    const stripper = new PrefixStripper(ctx);
    for (const e of entries) {
      n++; // BusyBox counts the members left out too
      if (!wanted(e)) continue;
      e.name = await stripper.strip(e.name);
      total += e.usize;
      ctotal += e.csize;
      if (opts.v) {
        const pct = e.usize ? Math.floor(((e.usize - e.csize) * 100) / e.usize) : 0;
        const method = e.method === 0 ? "Stored" : e.method === 8 ? "Defl:N" : `Unk:${String(e.method).padStart(3, "0")}`;
        await out.write(bytesOf(`${pad(e.usize, 8)}  ${method}${pad(e.csize, 9)}${pad(Math.max(pct, 0), 4)}% ${dosDate(e)} ${e.crc.toString(16).padStart(8, "0")}  ${e.name}\n`));
      } else await out.write(bytesOf(`${pad(e.usize, 9)}  ${dosDate(e)}   ${e.name}\n`));
    }
    const files = `${n} files`;
    if (opts.v) {
      const pct = total ? Math.floor(((total - ctotal) * 100) / total) : 0;
      await out.write(`--------          ------- ----                            ----\n${pad(total, 8)}${pad(ctotal, 17)}${pad(Math.max(pct, 0), 4)}%                            ${files}\n`);
    } else await out.write(` --------                     -------\n${pad(total, 9)}                     ${files}\n`);
    return 0;
  }

  if (opts.t) {
    for (const e of entries) if (wanted(e)) for await (const _ of memberData(fd, e));
    return 0;
  }

  if (opts.p) {
    for (const e of entries) {
      if (!wanted(e) || e.name.endsWith("/")) continue;
      for await (const c of memberData(fd, e)) await out.write(c);
    }
    return 0;
  }

  let root = ctx.cwd;
  if (opts.d !== undefined) {
    const d = binaryOf(opts.d);
    if (!fs.existsSync(fsPath(absPath(ctx, d))) && (await makeDirectory(ctx, d, -1, true, false)) < 0) return 1;
    root = absPath(ctx, d);
  }
  if (!quiet) await out.write(bytesOf(`Archive:  ${zipName}\n`));
  const ex = new Extractor(ctx, binaryOf(root), { leadingDirs: true, existing: "replace", restoreDate: false, owner: false, perms: false });
  const stripper = new PrefixStripper(ctx);
  let overwrite: "ask" | "all" | "none" = opts.o ? "all" : opts.n ? "none" : "ask";
  for (const e of entries) {
    if (!wanted(e)) continue;
    let name = await stripper.strip(e.name);
    const isDir = name.endsWith("/") || (e.unixMode & S_IFMT) === S_IFDIR;
    if (opts.j) {
      if (isDir) continue;
      name = name.slice(name.lastIndexOf("/") + 1);
    }
    if (name === "") continue;
    if (isDir) {
      const dirMode = (e.unixMode & 0o7777) || 0o777;
      if (!fs.existsSync(fsPath(absPath({ ...ctx, cwd: root } as Context, name)))) {
        if (!quiet) await out.write(bytesOf(`   creating: ${name}\n`));
      }
      await ex.extract({ name, mode: S_IFDIR | (dirMode & ~process.umask()) });
      continue;
    }
    const full = absPath({ ...ctx, cwd: root } as Context, name);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(fsPath(full));
    } catch {}
    if (st) {
      if (overwrite === "none") continue;
      if (!st.isFile()) throw new AppletError(`'${name}' exists but is not a regular file`);
      if (overwrite === "ask") {
        await ctx.stderr.write(bytesOf(`replace ${name}? [y]es, [n]o, [A]ll, [N]one, [r]ename: `));
        await ctx.stderr.flush();
        const ans = (await readLine(ctx.stdin)) ?? "";
        const c = ans[0];
        if (c === "A") overwrite = "all";
        else if (c === "N") {
          overwrite = "none";
          continue;
        } else if (c === "r") {
          await ctx.stderr.write("new name: ");
          const nn = await readLine(ctx.stdin);
          if (!nn) continue;
          name = await stripper.strip(binaryOf(nn));
        } else if (c !== "y") continue;
      }
    }
    const isLink = (e.unixMode & S_IFMT) === S_IFLNK;
    if (!quiet) await out.write(bytesOf(`  inflating: ${name}\n`));
    if (isLink) {
      const parts: Uint8Array[] = [];
      for await (const c of memberData(fd, e)) parts.push(c);
      await ex.extract({ name, mode: S_IFLNK | 0o777, linkname: Buffer.concat(parts).toString("latin1") });
      continue;
    }
    const mode = (e.unixMode & 0o777) || 0o666;
    await ex.extract({ name, mode: S_IFREG | mode }, memberData(fd, e));
  }
  await ex.finish();
  return ex.failed ? 1 : 0;
}

