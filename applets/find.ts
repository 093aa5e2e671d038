// find: BusyBox's find, expression language and all. Directories are read in
// the kernel's order (not sorted), as BusyBox does. An expression is a list
// of OR-groups, each a list of AND-ed actions, exactly BusyBox's structure;
// "( ... )" nests one. Beyond BusyBox's Debian build we add what its upstream
// or GNU find has and scripts use: -delete, -ok, -nouser, -nogroup.
//
// Speed: entries come from getdents64 with their d_type, so a file is only
// stat'ed when the expression looks at more than its name and type.
import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, usageText, findApplet, warn, type Context } from "../lib/applet.ts";
import { AppletError, UsageError, describeErrno, errnoCode, errorMessage } from "../lib/errors.ts";
import { runCommand } from "../lib/exec.ts";
import { compileGlob } from "../lib/glob.ts";
import { parseMode } from "../lib/mode.ts";
import { parseNumber, parsePositiveInt, parseSuffixed } from "../lib/numbers.ts";
import { compileRegex } from "../lib/regex.ts";
import { AT_FDCWD, DT, readDirFd, statAt, type RawStat } from "../lib/syscalls.ts";
import { binaryOf, bytesOf, readLines } from "../lib/text.ts";
import { groupByName, groupName, userByName, userName } from "../lib/users.ts";

const TRUE = 1, SKIP = 2;
const S_IFMT = 0o170000, S_IFDIR = 0o040000, S_IFREG = 0o100000, S_IFLNK = 0o120000;
const INT_MAX = 2147483647;
/** What BusyBox's bb_arg_max() - 2048 gives for ARG_MAX = 2 MiB. */
const MAX_ARGV_LEN = 2097152 - 2048;

/** The file being looked at: its path as bytes, its status (perhaps only the type bits). */
interface Target {
  name: string;
  st: RawStat;
}

type Result = number | Promise<number>;

interface Action {
  run(t: Target): Result;
  invert: boolean;
  /** Needs more of the status than the file type. */
  needsStat?: boolean;
}

type Expr = Action[][];

interface Globals {
  ctx: Context;
  cwd: string;
  follow: boolean;
  followL0: boolean;
  danglingOk: boolean;
  depthFirst: boolean;
  xdev: boolean;
  xdevDevs: number[];
  minDepth: number;
  maxDepth: number;
  needPrint: boolean;
  needStat: boolean;
  status: number;
  out: string[];
  outLen: number;
  execs: ExecAction[];
  actions: Expr;
  stdinLines?: AsyncGenerator<string>;
}

class Quit {}

defineApplet({
  name: "find",
  usage: "[-HL] [PATH]... [OPTIONS] [ACTIONS]",
  summary:
    "Search for files and perform actions on them.\n" +
    "First failed action stops processing of current file.\n" +
    "Defaults: PATH is current directory, action is '-print'\n\n" +
    "\t-L,-follow\tFollow symlinks\n" +
    "\t-H\t\t...on command line only\n" +
    "\t-xdev\t\tDon't descend directories on other filesystems\n" +
    "\t-maxdepth N\tDescend at most N levels. -maxdepth 0 applies\n" +
    "\t\t\tactions to command line arguments only\n" +
    "\t-mindepth N\tDon't act on first N levels\n" +
    "\t-depth\t\tAct on directory *after* traversing it\n\n" +
    "Actions:\n" +
    "\t( ACTIONS )\tGroup actions for -o / -a\n" +
    "\t! ACT\t\tInvert ACT's success/failure\n" +
    "\tACT1 [-a] ACT2\tIf ACT1 fails, stop, else do ACT2\n" +
    "\tACT1 -o ACT2\tIf ACT1 succeeds, stop, else do ACT2\n" +
    "\t\t\tNote: -a has higher priority than -o\n" +
    "\t-name PATTERN\tMatch file name (w/o directory name) to PATTERN\n" +
    "\t-iname PATTERN\tCase insensitive -name\n" +
    "\t-path PATTERN\tMatch path to PATTERN\n" +
    "\t-ipath PATTERN\tCase insensitive -path\n" +
    "\t-regex PATTERN\tMatch path to regex PATTERN\n" +
    "\t-type X\t\tFile type is X (one of: f,d,l,b,c,s,p)\n" +
    "\t-executable\tFile is executable\n" +
    "\t-perm MASK\tAt least one mask bit (+MASK), all bits (-MASK),\n" +
    "\t\t\tor exactly MASK bits are set in file's mode\n" +
    "\t-mtime DAYS\tmtime is greater than (+N), less than (-N),\n" +
    "\t\t\tor exactly N days in the past\n" +
    "\t-atime DAYS\tatime +N/-N/N days in the past\n" +
    "\t-ctime DAYS\tctime +N/-N/N days in the past\n" +
    "\t-mmin MINS\tmtime is greater than (+N), less than (-N),\n" +
    "\t\t\tor exactly N minutes in the past\n" +
    "\t-amin MINS\tatime +N/-N/N minutes in the past\n" +
    "\t-cmin MINS\tctime +N/-N/N minutes in the past\n" +
    "\t-newer FILE\tmtime is more recent than FILE's\n" +
    "\t-inum N\t\tFile has inode number N\n" +
    "\t-samefile FILE\tFile is same as FILE\n" +
    "\t-user NAME/ID\tFile is owned by given user\n" +
    "\t-group NAME/ID\tFile is owned by given group\n" +
    "\t-nouser\t\tFile's owner has no name\n" +
    "\t-nogroup\tFile's group has no name\n" +
    "\t-size N[bck]\tFile size is N (c:bytes,k:kbytes,b:512 bytes(def.))\n" +
    "\t\t\t+/-N: file size is bigger/smaller than N\n" +
    "\t-links N\tNumber of links is greater than (+N), less than (-N),\n" +
    "\t\t\tor exactly N\n" +
    "\t-empty\t\tMatch empty file/directory\n" +
    "\t-prune\t\tIf current file is directory, don't descend into it\n" +
    "If none of the following actions is specified, -print is assumed\n" +
    "\t-print\t\tPrint file name\n" +
    "\t-print0\t\tPrint file name, NUL terminated\n" +
    "\t-exec CMD ARG ;\tRun CMD with all instances of {} replaced by\n" +
    "\t\t\tfile name. Fails if CMD exits with nonzero\n" +
    "\t-exec CMD ARG + Run CMD with {} replaced by list of file names\n" +
    "\t-ok CMD ARG ;\tLike -exec, after asking on stderr (answer on stdin)\n" +
    "\t-delete\t\tDelete current file/directory. Turns on -depth option\n" +
    "\t-quit\t\tExit",
  rawArgs: true,
  dir: "/usr/bin",
  async run(ctx, _opts, args) {
    if (args[0] === "--help") {
      await ctx.stdout.write(usageText(findApplet("find")!));
      return 0;
    }
    return find(ctx, args.map(binaryOf));
  },
});

function errText(err: unknown): string {
  const code = errnoCode(err);
  return code ? describeErrno(code) : errorMessage(err);
}

// ---------------------------------------------------------------- parsing

const NEEDS_ARG = new Set([
  "-name", "-iname", "-path", "-wholename", "-ipath", "-regex", "-type", "-perm", "-mtime", "-atime", "-ctime",
  "-mmin", "-amin", "-cmin", "-newer", "-inum", "-samefile", "-user", "-group", "-size", "-links", "-mindepth", "-maxdepth",
]);

const TYPE_MASKS: Record<string, number> = { b: 0o060000, c: 0o020000, d: 0o040000, p: 0o010000, f: 0o100000, l: 0o120000, s: 0o140000 };

const plusMinus = (s: string) => (s[0] === "-" || s[0] === "+" ? s.slice(1) : s);

function parseParams(G: Globals, argv: string[]): Expr {
  const groups: Expr = [[]];
  let invert = false;
  const add = (a: Omit<Action, "invert">) => {
    (a as Action).invert = invert;
    groups[groups.length - 1].push(a as Action);
    if (a.needsStat) G.needStat = true;
    invert = false;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let arg1 = "";
    if (NEEDS_ARG.has(arg)) {
      if (i + 1 >= argv.length) throw new AppletError(`${arg} requires an argument`);
      arg1 = argv[++i];
    }
    switch (arg) {
      case "-follow": G.follow = true; G.danglingOk = true; break;
      case "-xdev": G.xdev = true; break;
      case "-depth": G.depthFirst = true; break;
      case "-mindepth": G.minDepth = parsePositiveInt(arg1); break;
      case "-maxdepth": G.maxDepth = parsePositiveInt(arg1); break;
      case "-a": case "-and": break;
      case "-o": case "-or": groups.push([]); break;
      case "!": case "-not": invert = !invert; break;
      case "-print":
        G.needPrint = false;
        add({ run: (t) => print(G, t.name + "\n") });
        break;
      case "-print0":
        G.needPrint = false;
        add({ run: (t) => print(G, t.name + "\0") });
        break;
      case "-prune": add({ run: () => SKIP + TRUE }); break;
      case "-quit": add({ run: () => { throw new Quit(); } }); break;
      case "-delete":
        G.needPrint = false;
        G.depthFirst = true;
        add({ run: (t) => deleteFile(G, t) });
        break;
      case "-empty": add({ run: (t) => isEmpty(G, t), needsStat: true }); break;
      case "-executable": add({ run: (t) => executable(abs(G, t.name)) }); break;
      case "-nouser": add({ run: (t) => +(userName(t.st.uid) === undefined), needsStat: true }); break;
      case "-nogroup": add({ run: (t) => +(groupName(t.st.gid) === undefined), needsStat: true }); break;
      case "-exec": case "-ok": {
        G.needPrint = false;
        const cmd: string[] = [];
        let plus = false;
        for (i++; ; i++) {
          if (i >= argv.length) throw new AppletError(`${arg} requires an argument`);
          const a = argv[i];
          if ((a === ";" || a === "+") ) {
            plus = a === "+";
            break;
          }
          cmd.push(a);
        }
        if (cmd.length === 0) throw new AppletError(`${arg} requires an argument`);
        const substs = cmd.reduce((n, a) => n + countSubst(a), 0);
        if (plus && arg === "-exec" && substs !== 1) throw new AppletError("only one '{}' allowed for -exec +");
        const ex: ExecAction = { cmd, plus: plus && arg === "-exec", ask: arg === "-ok", files: [], len: 0, invert: false, run: null! };
        ex.run = (t) => execAction(G, ex, t);
        add(ex);
        if (ex.plus) G.execs.push(ex);
        break;
      }
      case "(": {
        let nested = 1;
        let end = i;
        for (;;) {
          if (++end >= argv.length) throw new AppletError("unpaired '('");
          if (argv[end] === "(") nested++;
          else if (argv[end] === ")" && !--nested) break;
        }
        const sub = parseParams(G, argv.slice(i + 1, end));
        add({ run: (t) => execActions(sub, t) });
        i = end;
        break;
      }
      case "-name": case "-iname": {
        const re = compileGlob(arg1, { ignoreCase: arg === "-iname" });
        add({ run: (t) => +re.test(baseName(t.name)) });
        break;
      }
      case "-path": case "-wholename": case "-ipath": {
        const re = compileGlob(arg1, { ignoreCase: arg === "-ipath" });
        add({ run: (t) => +re.test(t.name) });
        break;
      }
      case "-regex": {
        const re = compileRegex(arg1);
        const whole = new RegExp(`^(?:${re.source})$`, re.flags);
        add({ run: (t) => +whole.test(t.name) });
        break;
      }
      case "-type": {
        const mask = arg1.length === 1 ? TYPE_MASKS[arg1] : undefined;
        if (!mask) throw new AppletError(`invalid argument '${arg1}' to '-type'`);
        add({ run: (t) => +((t.st.mode & S_IFMT) === mask) });
        break;
      }
      case "-perm": {
        const c = arg1[0];
        const spec = c === "/" ? arg1.slice(1) : plusMinus(arg1);
        let mask: number;
        try {
          mask = parseMode(spec, 0, false, process.umask());
        } catch {
          throw new AppletError(`invalid mode '${spec}'`);
        }
        const test =
          c === "+" || c === "/" ? (m: number) => (m & mask) !== 0 : c === "-" ? (m: number) => (m & mask) === mask : (m: number) => (m & 0o7777) === mask;
        add({ run: (t) => +test(t.st.mode), needsStat: true });
        break;
      }
      case "-mtime": case "-atime": case "-ctime": case "-mmin": case "-amin": case "-cmin": {
        const unit = arg.endsWith("time") ? 86400 : 60;
        const which = arg[1];
        const c = arg1[0];
        const n = parseNumber(plusMinus(arg1)) * unit;
        add({
          run: (t) => {
            const ftime = which === "a" ? t.st.atimeSec : which === "c" ? t.st.ctimeSec : t.st.mtimeSec;
            const age = Math.floor(Date.now() / 1000) - ftime;
            if (c === "+") return +(age >= n + unit);
            if (c === "-") return +(age < n);
            return +(age >= n && age < n + unit);
          },
          needsStat: true,
        });
        break;
      }
      case "-newer": {
        let st: RawStat;
        try {
          st = statAt(AT_FDCWD, path.resolve(G.cwd, arg1), true);
        } catch (err) {
          throw new AppletError(`can't stat '${arg1}': ${errText(err)}`);
        }
        const m = st.mtimeSec;
        add({ run: (t) => +(m < t.st.mtimeSec), needsStat: true });
        break;
      }
      case "-inum": {
        const n = parseNumber(arg1);
        add({ run: (t) => +(t.st.ino === n), needsStat: true });
        break;
      }
      case "-samefile": {
        let st: RawStat;
        try {
          st = statAt(AT_FDCWD, path.resolve(G.cwd, arg1), G.follow || G.followL0);
        } catch (err) {
          throw new AppletError(`can't stat '${arg1}': ${errText(err)}`);
        }
        add({ run: (t) => +(t.st.ino === st.ino && t.st.dev === st.dev), needsStat: true });
        break;
      }
      case "-user": {
        const uid = /^\d+$/.test(arg1) && Number(arg1) <= 0xffffffff ? Number(arg1) : userByName(arg1)?.uid;
        if (uid === undefined) throw new AppletError(`unknown user ${arg1}`);
        add({ run: (t) => +(t.st.uid === uid), needsStat: true });
        break;
      }
      case "-group": {
        const gid = /^\d+$/.test(arg1) && Number(arg1) <= 0xffffffff ? Number(arg1) : groupByName(arg1)?.gid;
        if (gid === undefined) throw new AppletError(`unknown group ${arg1}`);
        add({ run: (t) => +(t.st.gid === gid), needsStat: true });
        break;
      }
      case "-size": {
        const c = arg1[0];
        const size = Number(parseSuffixed(plusMinus(arg1), [["c", 1], ["w", 2], ["", 512], ["b", 512], ["k", 1024]]));
        add({ run: (t) => +(c === "+" ? t.st.size > size : c === "-" ? t.st.size < size : t.st.size === size), needsStat: true });
        break;
      }
      case "-links": {
        const c = arg1[0];
        const n = parseNumber(plusMinus(arg1));
        add({ run: (t) => +(c === "-" ? t.st.nlink < n : c === "+" ? t.st.nlink > n : t.st.nlink === n), needsStat: true });
        break;
      }
      default:
        throw new UsageError(`unrecognized: ${arg}`);
    }
  }
  return groups;
}

function countSubst(s: string): number {
  let n = 0;
  for (let i = s.indexOf("{}"); i >= 0; i = s.indexOf("{}", i + 1)) n++;
  return n;
}

/** The name -name looks at: the last component, ignoring trailing slashes ("dir/" is "dir", "//" is "/"). */
function baseName(p: string): string {
  const slash = p.lastIndexOf("/");
  if (slash < 0 || slash < p.length - 1) return p.slice(slash + 1);
  let end = p.length;
  while (end > 0 && p[end - 1] === "/") end--;
  if (end === 0) return p.length > 1 ? "/" : p;
  const start = p.lastIndexOf("/", end - 1) + 1;
  return p.slice(start, end);
}

// ---------------------------------------------------------------- evaluation

/** BusyBox's exec_actions(): groups are OR-ed, actions in a group AND-ed; the SKIP bit sticks. */
function execActions(appp: Expr, t: Target): Result {
  let rc = 0;
  for (let g = 0; g < appp.length; g++) {
    const app = appp[g];
    rc &= ~TRUE;
    let failed = false;
    for (let a = 0; a < app.length; a++) {
      const ap = app[a];
      const r = ap.run(t);
      if (typeof r !== "number") return finishAsync(appp, t, g, a, rc, r);
      rc |= TRUE ^ r;
      if (ap.invert) rc ^= TRUE;
      if (rc & TRUE) {
        failed = true;
        break;
      }
    }
    if (!failed) return rc ^ TRUE;
  }
  return rc ^ TRUE;
}

/** The same, from the point where an action had to wait (-exec, -ok). */
async function finishAsync(appp: Expr, t: Target, g0: number, a0: number, rc: number, pending: Promise<number>): Promise<number> {
  for (let g = g0; g < appp.length; g++) {
    const app = appp[g];
    if (g !== g0) rc &= ~TRUE;
    let failed = false;
    for (let a = g === g0 ? a0 : 0; a < app.length; a++) {
      const ap = app[a];
      const r = g === g0 && a === a0 ? await pending : await ap.run(t);
      rc |= TRUE ^ r;
      if (ap.invert) rc ^= TRUE;
      if (rc & TRUE) {
        failed = true;
        break;
      }
    }
    if (!failed) return rc ^ TRUE;
  }
  return rc ^ TRUE;
}

/** A path as the applet's cwd sees it (the process's cwd may be another). */
function abs(G: Globals, name: string): string {
  return name[0] === "/" ? name : G.cwd + "/" + name;
}

function print(G: Globals, s: string): number {
  G.out.push(s);
  G.outLen += s.length;
  return TRUE;
}

async function flushOut(G: Globals): Promise<void> {
  if (G.out.length) {
    const text = G.out.join("");
    G.out = [];
    G.outLen = 0;
    await G.ctx.stdout.write(bytesOf(text));
  }
}

async function complain(G: Globals, msg: string): Promise<void> {
  await flushOut(G);
  await warn(G.ctx, msg);
}

function executable(name: string): number {
  try {
    fs.accessSync(Buffer.from(name, "latin1"), fs.constants.X_OK);
    return TRUE;
  } catch {
    return 0;
  }
}

function isEmpty(G: Globals, t: Target): Result {
  if ((t.st.mode & S_IFMT) === S_IFDIR) {
    let fd: number;
    try {
      fd = fs.openSync(Buffer.from(abs(G, t.name), "latin1"), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    } catch (err) {
      return complain(G, `${t.name}: ${errText(err)}`).then(() => 0);
    }
    try {
      return +(readDirFd(fd).length === 0);
    } finally {
      fs.closeSync(fd);
    }
  }
  return +((t.st.mode & S_IFMT) === S_IFREG && t.st.size === 0);
}

function deleteFile(G: Globals, t: Target): Result {
  try {
    const p = Buffer.from(abs(G, t.name), "latin1");
    if ((t.st.mode & S_IFMT) === S_IFDIR) {
      if (t.name !== ".") fs.rmdirSync(p);
    } else fs.unlinkSync(p);
  } catch (err) {
    return complain(G, `${t.name}: ${errText(err)}`).then(() => TRUE);
  }
  return TRUE;
}

interface ExecAction extends Action {
  cmd: string[];
  plus: boolean;
  ask: boolean;
  files: string[];
  len: number;
}

const subst = (arg: string, file: string) => arg.split("{}").join(file);

/** Arguments go to the child as the bytes they are. */
const argText = (s: string) => Buffer.from(s, "latin1").toString("utf8");

async function doExec(G: Globals, ex: ExecAction, file: string | null): Promise<number> {
  let argv: string[];
  if (file === null) {
    argv = [];
    for (const a of ex.cmd) {
      if (countSubst(a) === 0) argv.push(a);
      else for (const f of ex.files) argv.push(a.replace("{}", f));
    }
    ex.files = [];
    ex.len = 0;
  } else argv = ex.cmd.map((a) => subst(a, file));
  await flushOut(G);
  const r = await runCommand(G.ctx, argv.map(argText));
  if (r.error) {
    await warn(G.ctx, `${argText(argv[0])}: ${describeErrno(r.error)}`);
    return 0;
  }
  return +(r.exitCode === 0);
}

function execAction(G: Globals, ex: ExecAction, t: Target): Result {
  if (ex.plus) {
    ex.files.push(t.name);
    ex.len += t.name.length + 8 + 1;
    if (ex.len >= MAX_ARGV_LEN) return doExec(G, ex, null);
    return TRUE;
  }
  if (ex.ask) return ask(G, ex, t.name);
  return doExec(G, ex, t.name);
}

async function ask(G: Globals, ex: ExecAction, file: string): Promise<number> {
  await flushOut(G);
  await G.ctx.stderr.write(bytesOf(`< ${ex.cmd.map((a) => subst(a, file)).join(" ")} > ? `));
  await G.ctx.stderr.flush();
  G.stdinLines ??= readLines(G.ctx.stdin);
  const r = await G.stdinLines.next();
  if (r.done || !/^[yY]/.test(r.value)) return 0;
  return doExec(G, ex, file);
}

// ---------------------------------------------------------------- the walk

type Walk = Generator<Promise<unknown>, boolean, any>;

/** BusyBox's fileAction(), used for files and directories alike: TRUE, SKIP, or a promise of one. */
function fileAction(G: Globals, t: Target, depth: number): Result {
  let sameFs = true;
  if (G.xdev && (t.st.mode & S_IFMT) === S_IFDIR && !G.xdevDevs.includes(t.st.dev)) sameFs = false;
  if (depth < G.minDepth) return sameFs ? TRUE : SKIP;
  if (depth > G.maxDepth) return SKIP;
  const r = execActions(G.actions, t);
  if (typeof r !== "number") return r.then((r2) => afterActions(G, t, depth, r2, sameFs));
  return afterActions(G, t, depth, r, sameFs);
}

function afterActions(G: Globals, t: Target, depth: number, r: number, sameFs: boolean): number {
  if (r & TRUE && G.needPrint) print(G, t.name + "\n");
  if ((t.st.mode & S_IFMT) === S_IFDIR && depth === G.maxDepth) return SKIP;
  if (!sameFs) return SKIP;
  return r & SKIP ? SKIP : TRUE;
}

/**
 * BusyBox's recursive_action(): the status of `name` (relative to dirfd;
 * `type` is its d_type when known), the actions, and its entries if a
 * directory. A generator only for directories, yielding only when it must
 * wait: files cost no generator and no promise.
 */
function visit(G: Globals, dirfd: number, name: string, rel: string, depth: number, type: number): boolean | Walk | Promise<boolean> {
  const follow = G.follow || (depth === 0 && G.followL0);
  let st: RawStat;
  if (!G.needStat && !G.xdev && type !== DT.UNKNOWN && !(follow && type === DT.LNK)) {
    st = type === DT.DIR ? DIR_ONLY : type === DT.REG ? REG_ONLY : typeOnly(type);
  } else {
    try {
      st = statAt(dirfd, rel, follow);
    } catch (err) {
      if (G.danglingOk && errnoCode(err) === "ENOENT") {
        try {
          st = statAt(dirfd, rel, false);
        } catch {
          return complain(G, `${name}: ${errText(err)}`).then(() => false);
        }
        const r = fileAction(G, { name, st }, depth);
        return typeof r === "number" ? true : r.then(() => true);
      }
      return complain(G, `${name}: ${errText(err)}`).then(() => false);
    }
  }
  const t: Target = { name, st };
  if ((st.mode & S_IFMT) !== S_IFDIR) {
    const r = fileAction(G, t, depth);
    return typeof r === "number" ? true : r.then(() => true);
  }
  return walkDir(G, t, depth);
}

function* walkDir(G: Globals, t: Target, depth: number): Walk {
  const name = t.name;
  if (!G.depthFirst) {
    let s = fileAction(G, t, depth);
    if (typeof s !== "number") s = yield s;
    if (s === SKIP) return true;
  }
  if (G.outLen > 65536) yield flushOut(G);
  let fd: number;
  try {
    fd = fs.openSync(Buffer.from(abs(G, name), "latin1"), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  } catch (err) {
    yield complain(G, `${name}: ${errText(err)}`);
    return false;
  }
  let status = true;
  try {
    const entries = readDirFd(fd);
    const prefix = name.endsWith("/") ? name : name + "/";
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      let r = visit(G, fd, prefix + e.name, e.name, depth + 1, e.type);
      if (typeof r !== "boolean") r = r instanceof Promise ? ((yield r) as unknown as boolean) : yield* r;
      if (!r) status = false;
    }
  } catch (err) {
    if (err instanceof Quit) throw err;
    yield complain(G, `${name}: ${errText(err)}`);
    status = false;
  } finally {
    fs.closeSync(fd);
  }
  if (G.depthFirst) {
    const s = fileAction(G, t, depth);
    if (typeof s !== "number") yield s;
  }
  return status;
}

const DT_MODE: Record<number, number> = { [DT.FIFO]: 0o010000, [DT.CHR]: 0o020000, [DT.DIR]: 0o040000, [DT.BLK]: 0o060000, [DT.REG]: 0o100000, [DT.LNK]: 0o120000, [DT.SOCK]: 0o140000 };

const DIR_ONLY = typeOnly(DT.DIR);
const REG_ONLY = typeOnly(DT.REG);

function typeOnly(type: number): RawStat {
  return {
    dev: 0, ino: 0, mode: DT_MODE[type] ?? 0, nlink: 0, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 0, blocks: 0,
    atimeSec: 0, atimeNsec: 0, mtimeSec: 0, mtimeNsec: 0, ctimeSec: 0, ctimeNsec: 0,
  };
}

async function drive<T>(g: Generator<Promise<unknown>, T, any>): Promise<T> {
  let r = g.next();
  for (;;) {
    if (r.done) return r.value;
    r = g.next(await r.value);
  }
}

async function find(ctx: Context, argv: string[]): Promise<number> {
  const G: Globals = {
    ctx, cwd: binaryOf(ctx.cwd), follow: false, followL0: false, danglingOk: false, depthFirst: false,
    xdev: false, xdevDevs: [], minDepth: 0, maxDepth: INT_MAX, needPrint: true, needStat: false, status: 0,
    out: [], outLen: 0, execs: [], actions: [],
  };
  // Leading -H, -L, -P (clustered as getopt allows), up to the first other word.
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a[0] !== "-" || a.length === 1) break;
    if (a === "--") { i++; break; }
    if (!/^-[HLP]+$/.test(a)) break;
    for (const c of a.slice(1)) {
      if (c === "H") { G.followL0 = true; G.danglingOk = true; }
      if (c === "L") { G.follow = true; G.danglingOk = true; }
    }
  }
  argv = argv.slice(i);
  let firstopt = 0;
  for (; firstopt < argv.length; firstopt++) {
    const a = argv[firstopt];
    if (a[0] === "-" || a === "!" || a === "(") break;
  }
  const paths = firstopt === 0 ? ["."] : argv.slice(0, firstopt);
  G.actions = parseParams(G, argv.slice(firstopt));

  if (G.xdev) {
    for (const p of paths) {
      try {
        G.xdevDevs.push(statAt(AT_FDCWD, path.resolve(G.cwd, p), true).dev);
      } catch {
        G.xdevDevs.push(0);
      }
    }
  }
  const cwdFd = fs.openSync(Buffer.from(G.cwd, "latin1"), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    for (const p of paths) {
      // Start points are always stat'ed, relative to the applet's cwd.
      let r = visit(G, cwdFd, p, p, 0, DT.UNKNOWN);
      if (typeof r !== "boolean") r = r instanceof Promise ? await r : await drive(r);
      if (!r) G.status |= 1;
    }
    for (const ex of G.execs) {
      if (ex.files.length) {
        let rc = await doExec(G, ex, null);
        if (ex.invert) rc = rc ? 0 : 1;
        if (rc === 0) {
          G.status |= 1;
          break;
        }
      }
    }
  } catch (err) {
    if (!(err instanceof Quit)) throw err;
  } finally {
    fs.closeSync(cwdFd);
    await flushOut(G);
  }
  return G.status;
}
