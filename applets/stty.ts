// stty: show or change a terminal's settings, BusyBox's way. Without
// arguments it prints the speed, line discipline, control characters and the
// flags that differ from "stty sane"; -a prints everything (wrapped to the
// terminal's width), -g the "iflag:oflag:cflag:lflag:cc..." form that can be
// given back as an argument. Settings are checked in a first pass (so a bad
// one changes nothing), then applied and written with tcsetattr(TCSADRAIN).
import * as fs from "node:fs";
import { defineApplet, resolvePath, warn, type Context } from "../lib/applet.ts";
import { baudCode, baudValue } from "../lib/baud.ts";
import { AppletError, describeErrno, errnoCode } from "../lib/errors.ts";
import { parseNumber, parseSuffixed, type Suffixes } from "../lib/numbers.ts";
import { getWinSize, setWinSize, tcgetattr, tcsetattr, TCSADRAIN, type Termios } from "../lib/syscalls.ts";
import { keepTerminalModes, terminalSize } from "../lib/term.ts";

// Which word of struct termios a mode lives in.
const CONTROL = 0, INPUT = 1, OUTPUT = 2, LOCAL = 3, COMBINATION = 4;
const FIELDS = ["cflag", "iflag", "oflag", "lflag"] as const;
// Mode flags: set or cleared by "sane", may be negated with "-", not shown.
const SANE_SET = 1, SANE_UNSET = 2, REV = 4, OMIT = 8;

interface Mode { name: string; type: number; flags: number; bits: number; mask: number }

const m = (name: string, type: number, flags: number, bits = 0, mask = 0): Mode => ({ name, type, flags, bits, mask });

// Linux's termios bits (the same on x86_64 and aarch64), in BusyBox's display order.
const CSIZE = 0o60, NLDLY = 0o400, CRDLY = 0o3000, TABDLY = 0o14000, BSDLY = 0o20000, VTDLY = 0o40000, FFDLY = 0o100000;
const MODES: Mode[] = [
  m("evenp", COMBINATION, REV | OMIT), m("parity", COMBINATION, REV | OMIT), m("oddp", COMBINATION, REV | OMIT),
  m("nl", COMBINATION, REV | OMIT), m("ek", COMBINATION, OMIT), m("sane", COMBINATION, OMIT),
  m("cooked", COMBINATION, REV | OMIT), m("raw", COMBINATION, REV | OMIT), m("pass8", COMBINATION, REV | OMIT),
  m("litout", COMBINATION, REV | OMIT), m("cbreak", COMBINATION, REV | OMIT), m("crt", COMBINATION, OMIT),
  m("dec", COMBINATION, OMIT), m("decctlq", COMBINATION, REV | OMIT), m("tabs", COMBINATION, REV | OMIT),
  m("lcase", COMBINATION, REV | OMIT), m("LCASE", COMBINATION, REV | OMIT),
  m("parenb", CONTROL, REV, 0o400), m("parodd", CONTROL, REV, 0o1000), m("cmspar", CONTROL, REV, 0o10000000000),
  m("cs5", CONTROL, 0, 0, CSIZE), m("cs6", CONTROL, 0, 0o20, CSIZE), m("cs7", CONTROL, 0, 0o40, CSIZE),
  m("cs8", CONTROL, 0, 0o60, CSIZE), m("hupcl", CONTROL, REV, 0o2000), m("hup", CONTROL, REV | OMIT, 0o2000),
  m("cstopb", CONTROL, REV, 0o100), m("cread", CONTROL, SANE_SET | REV, 0o200), m("clocal", CONTROL, REV, 0o4000),
  m("crtscts", CONTROL, REV, 0o20000000000),
  m("ignbrk", INPUT, SANE_UNSET | REV, 0o1), m("brkint", INPUT, SANE_SET | REV, 0o2), m("ignpar", INPUT, REV, 0o4),
  m("parmrk", INPUT, REV, 0o10), m("inpck", INPUT, REV, 0o20), m("istrip", INPUT, REV, 0o40),
  m("inlcr", INPUT, SANE_UNSET | REV, 0o100), m("igncr", INPUT, SANE_UNSET | REV, 0o200),
  m("icrnl", INPUT, SANE_SET | REV, 0o400), m("ixon", INPUT, REV, 0o2000), m("ixoff", INPUT, SANE_UNSET | REV, 0o10000),
  m("tandem", INPUT, OMIT | REV, 0o10000), m("iuclc", INPUT, SANE_UNSET | REV, 0o1000),
  m("ixany", INPUT, SANE_UNSET | REV, 0o4000), m("imaxbel", INPUT, SANE_SET | REV, 0o20000),
  m("iutf8", INPUT, SANE_UNSET | REV, 0o40000),
  m("opost", OUTPUT, SANE_SET | REV, 0o1), m("olcuc", OUTPUT, SANE_UNSET | REV, 0o2), m("ocrnl", OUTPUT, SANE_UNSET | REV, 0o10),
  m("onlcr", OUTPUT, SANE_SET | REV, 0o4), m("onocr", OUTPUT, SANE_UNSET | REV, 0o20),
  m("onlret", OUTPUT, SANE_UNSET | REV, 0o40), m("ofill", OUTPUT, SANE_UNSET | REV, 0o100),
  m("ofdel", OUTPUT, SANE_UNSET | REV, 0o200), m("nl1", OUTPUT, SANE_UNSET, 0o400, NLDLY), m("nl0", OUTPUT, SANE_SET, 0, NLDLY),
  m("cr3", OUTPUT, SANE_UNSET, 0o3000, CRDLY), m("cr2", OUTPUT, SANE_UNSET, 0o2000, CRDLY),
  m("cr1", OUTPUT, SANE_UNSET, 0o1000, CRDLY), m("cr0", OUTPUT, SANE_SET, 0, CRDLY),
  m("tab3", OUTPUT, SANE_UNSET, 0o14000, TABDLY), m("tab2", OUTPUT, SANE_UNSET, 0o10000, TABDLY),
  m("tab1", OUTPUT, SANE_UNSET, 0o4000, TABDLY), m("tab0", OUTPUT, SANE_SET, 0, TABDLY),
  m("bs1", OUTPUT, SANE_UNSET, 0o20000, BSDLY), m("bs0", OUTPUT, SANE_SET, 0, BSDLY),
  m("vt1", OUTPUT, SANE_UNSET, 0o40000, VTDLY), m("vt0", OUTPUT, SANE_SET, 0, VTDLY),
  m("ff1", OUTPUT, SANE_UNSET, 0o100000, FFDLY), m("ff0", OUTPUT, SANE_SET, 0, FFDLY),
  m("isig", LOCAL, SANE_SET | REV, 0o1), m("icanon", LOCAL, SANE_SET | REV, 0o2), m("iexten", LOCAL, SANE_SET | REV, 0o100000),
  m("echo", LOCAL, SANE_SET | REV, 0o10), m("echoe", LOCAL, SANE_SET | REV, 0o20), m("crterase", LOCAL, OMIT | REV, 0o20),
  m("echok", LOCAL, SANE_SET | REV, 0o40), m("echonl", LOCAL, SANE_UNSET | REV, 0o100),
  m("noflsh", LOCAL, SANE_UNSET | REV, 0o200), m("xcase", LOCAL, SANE_UNSET | REV, 0o4),
  m("tostop", LOCAL, SANE_UNSET | REV, 0o400), m("echoprt", LOCAL, SANE_UNSET | REV, 0o2000),
  m("prterase", LOCAL, OMIT | REV, 0o2000), m("echoctl", LOCAL, SANE_SET | REV, 0o1000),
  m("ctlecho", LOCAL, OMIT | REV, 0o1000), m("echoke", LOCAL, SANE_SET | REV, 0o4000),
  m("crtkill", LOCAL, OMIT | REV, 0o4000), m("flusho", LOCAL, SANE_UNSET | REV, 0o10000),
  m("extproc", LOCAL, SANE_UNSET | REV, 0o200000),
];

// Control characters: name, "sane" value, index in c_cc. min and time stay last.
const VINTR = 0, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6;
const CONTROLS: [string, number, number][] = [
  ["intr", 3, VINTR], ["quit", 28, 1], ["erase", 127, VERASE], ["kill", 21, VKILL], ["eof", 4, VEOF], ["eol", 0, 11],
  ["eol2", 0, 16], ["swtch", 0, 7], ["start", 17, 8], ["stop", 19, 9], ["susp", 26, 10], ["rprnt", 18, 12],
  ["werase", 23, 14], ["lnext", 22, 15], ["flush", 15, 13], ["min", 1, VMIN], ["time", 0, VTIME],
];

// Bits used by the combination modes.
const I = { BRKINT: 0o2, IGNPAR: 0o4, ISTRIP: 0o40, INLCR: 0o100, IGNCR: 0o200, ICRNL: 0o400, IUCLC: 0o1000, IXON: 0o2000, IXANY: 0o4000 };
const O = { OPOST: 0o1, OLCUC: 0o2, ONLCR: 0o4, OCRNL: 0o10, ONLRET: 0o40 };
const C = { PARENB: 0o400, PARODD: 0o1000, CS7: 0o40, CS8: 0o60, CBAUD: 0o10017, CIBAUD: 0o2003600000 };
const L = { ISIG: 0o1, ICANON: 0o2, XCASE: 0o4, ECHOE: 0o20, ECHOCTL: 0o1000, ECHOKE: 0o4000 };


const STTY_SUFFIXES: Suffixes = [["b", 512], ["k", 1024], ["B", 1024]];
const NEED_ARG = new Set(["line", "rows", "cols", "columns", "ispeed", "ospeed"]);

const findMode = (name: string) => MODES.find((md) => md.name === name);
const findControl = (name: string) => CONTROLS.find(([n]) => n === name);

defineApplet({
  name: "stty",
  usage: "[-a|g] [-F DEVICE] [SETTING]...",
  summary: "Without arguments, prints baud rate, line discipline,\nand deviations from stty sane",
  options: [
    "-F DEVICE  Open device instead of stdin",
    "-a  Print all current settings in human-readable form",
    "-g  Print in stty-readable form",
  ],
  rawArgs: true,
  async run(ctx, _o, argv) {
    let device: string | undefined;
    let verbose = false, recoverable = false, noargs = true;
    const settings: string[] = [];
    const scratch = blankTermios();

    // First pass: check everything, so that a bad setting changes nothing.
    for (let k = 0; k < argv.length; k++) {
      const arg = argv[k];
      const next = argv[k + 1];
      if (arg[0] === "-") {
        const md = findMode(arg.slice(1));
        if (md) {
          if (!(md.flags & REV)) throw new AppletError(`invalid argument '${arg}'`);
          noargs = false;
          settings.push(arg);
          continue;
        }
        for (let i = 1; i < arg.length; i++) {
          const c = arg[i];
          if (c === "a") verbose = true;
          else if (c === "g") recoverable = true;
          else if (c === "F") {
            if (device !== undefined) throw new AppletError("only one device may be specified");
            device = arg.slice(i + 1);
            if (!device) {
              if (next === undefined) throw new AppletError("-F requires an argument");
              device = next;
              k++;
            }
            break;
          } else throw new AppletError(`invalid argument '${arg}'`);
        }
        continue;
      }
      settings.push(arg);
      noargs = false;
      if (findMode(arg)) continue;
      const ctl = findControl(arg);
      if (ctl) {
        if (next === undefined) throw new AppletError(`${arg} requires an argument`);
        setControl(ctl, next, scratch);
        settings.push(argv[++k]);
        continue;
      }
      if (NEED_ARG.has(arg)) {
        if (next === undefined) throw new AppletError(`${arg} requires an argument`);
        settings.push(argv[++k]);
        // An unknown rate here is ignored (cfsetispeed() fails quietly), a non-number is not.
        if (arg === "ispeed" || arg === "ospeed") parseNumber(next, 0n, 4294967295n);
        else parseSuffixed(next, STTY_SUFFIXES, 1n, 2147483647n);
        continue;
      }
      if (arg === "size" || arg === "speed") continue;
      if (recoverMode(arg, scratch)) continue;
      speedCode(arg, arg);
    }
    if (verbose && recoverable) throw new AppletError("-a and -g are mutually exclusive");
    if ((verbose || recoverable) && !noargs) throw new AppletError("modes may not be set when -a or -g is used");

    const name = device ?? "standard input";
    const onDevice = (err: unknown, what = "") => new AppletError(`${name}${what}: ${describeErrno(errnoCode(err))}`);
    let fd = ctx.stdin.fd ?? 0;
    if (device !== undefined) {
      try {
        fd = fs.openSync(resolvePath(ctx, device), fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
      } catch (err) {
        throw new AppletError(`can't open '${device}': ${describeErrno(errnoCode(err))}`);
      }
    }
    try {
      let mode: Termios;
      try {
        mode = tcgetattr(fd);
      } catch (err) {
        throw onDevice(err);
      }
      if (verbose || recoverable || noargs) {
        const out = new Wrapper(ctx, terminalSize(ctx.stdout.fd, ctx.env).cols);
        if (recoverable) await ctx.stdout.write(recoverableForm(mode));
        else await display(ctx, out, mode, verbose, fd, name);
        return 0;
      }

      // Second pass: apply.
      let changed = false;
      for (let k = 0; k < settings.length; k++) {
        const arg = settings[k];
        if (arg[0] === "-") {
          setMode(findMode(arg.slice(1))!, true, mode);
          changed = true;
          continue;
        }
        const md = findMode(arg);
        if (md) {
          setMode(md, false, mode);
          changed = true;
          continue;
        }
        const ctl = findControl(arg);
        if (ctl) {
          setControl(ctl, settings[++k], mode);
          changed = true;
          continue;
        }
        const value = NEED_ARG.has(arg) ? settings[++k] : "";
        if (arg === "line") {
          mode.line = Number(parseSuffixed(value, STTY_SUFFIXES)) & 0xff;
          changed = true;
        } else if (arg === "rows" || arg === "cols" || arg === "columns") {
          const n = Number(parseSuffixed(value, STTY_SUFFIXES));
          await setWindow(ctx, fd, name, arg === "rows" ? n : -1, arg === "rows" ? -1 : n);
        } else if (arg === "size") await showWindowSize(ctx, undefined, fd, name, false);
        else if (arg === "speed") await ctx.stdout.write(speedText(mode, false));
        else if (arg === "ispeed" || arg === "ospeed") {
          const code = baudCode(parseNumber(value, 0n, 4294967295n));
          if (code !== undefined) setSpeed(mode, code, arg === "ispeed" ? "in" : "out");
          changed = true;
        } else {
          if (!recoverMode(arg, mode)) setSpeed(mode, speedCode(arg, arg), "both");
          changed = true;
        }
      }
      if (changed) {
        try {
          tcsetattr(fd, TCSADRAIN, mode);
        } catch (err) {
          throw onDevice(err);
        }
        keepTerminalModes();
        // tcsetattr succeeds if it did anything at all: check that it did everything.
        const now = tcgetattr(fd);
        if (!sameTermios(now, mode)) throw new AppletError(`${name}: cannot perform all requested operations`);
      }
      return 0;
    } finally {
      if (device !== undefined) fs.closeSync(fd);
    }
  },
});

function blankTermios(): Termios {
  return { iflag: 0, oflag: 0, cflag: 0, lflag: 0, line: 0, cc: new Array(32).fill(0) };
}

function sameTermios(a: Termios, b: Termios): boolean {
  return a.iflag === b.iflag && a.oflag === b.oflag && a.cflag === b.cflag && a.lflag === b.lflag && a.line === b.line &&
    a.cc.every((c, i) => c === b.cc[i]);
}

/** A speed operand's CBAUD code: "invalid number" for no number, "invalid argument" for no baud rate. */
function speedCode(text: string, asArgument?: string): number {
  const code = baudCode(parseNumber(text, 0n, 4294967295n));
  if (code === undefined) throw new AppletError(`invalid argument '${asArgument ?? text}'`);
  return code;
}

function setSpeed(mode: Termios, code: number, which: "in" | "out" | "both"): void {
  if (which !== "in") mode.cflag = (mode.cflag & ~C.CBAUD) | code;
  if (which === "in") mode.cflag = (mode.cflag & ~C.CIBAUD) | (code << 16);
  else if (which === "both") mode.cflag &= ~C.CIBAUD;
  mode.cflag >>>= 0;
}

/** The value a control character setting stands for: ^C, ^?, ^- or undef, a character, or a number. */
function setControl(ctl: [string, number, number], arg: string, mode: Termios): void {
  const [name, , index] = ctl;
  let value: number;
  if (name === "min" || name === "time") value = Number(parseSuffixed(arg, STTY_SUFFIXES, 0n, 255n));
  else if (arg.length <= 1) value = arg ? arg.charCodeAt(0) & 0xff : 0;
  else if (arg === "^-" || arg === "undef") value = 0;
  else if (arg[0] === "^") value = arg[1] === "?" ? 127 : arg.charCodeAt(1) & 0x1f;
  else value = Number(parseSuffixed(arg, STTY_SUFFIXES, 0n, 255n));
  mode.cc[index] = value;
}

/** The -g form: four flag words and every c_cc byte, in hex. */
function recoverableForm(mode: Termios): string {
  const hex = (n: number) => (n >>> 0).toString(16);
  return [mode.iflag, mode.oflag, mode.cflag, mode.lflag].map(hex).join(":") + mode.cc.map((c) => ":" + hex(c)).join("") + "\n";
}

function recoverMode(arg: string, mode: Termios): boolean {
  const parts = arg.split(":");
  if (parts.length !== 4 + 32 || !parts.every((p) => /^[0-9a-fA-F]+$/.test(p))) return false;
  const v = parts.map((p) => parseInt(p, 16));
  [mode.iflag, mode.oflag, mode.cflag, mode.lflag] = v.slice(0, 4).map((x) => x >>> 0);
  mode.cc = v.slice(4).map((x) => x & 0xff);
  return true;
}

function setMode(md: Mode, reversed: boolean, mode: Termios): void {
  if (md.type !== COMBINATION) {
    const f = FIELDS[md.type];
    const val = mode[f] & ~md.mask;
    mode[f] = (reversed ? val & ~md.bits : val | md.bits) >>> 0;
    return;
  }
  const cs8 = () => (mode.cflag = (mode.cflag & ~C.PARENB & ~CSIZE) | C.CS8);
  switch (md.name) {
    case "evenp":
    case "parity":
      if (reversed) cs8();
      else mode.cflag = (mode.cflag & ~C.PARODD & ~CSIZE) | C.PARENB | C.CS7;
      break;
    case "oddp":
      if (reversed) cs8();
      else mode.cflag = (mode.cflag & ~CSIZE) | C.CS7 | C.PARODD | C.PARENB;
      break;
    case "nl":
      if (reversed) {
        mode.iflag = (mode.iflag | I.ICRNL) & ~I.INLCR & ~I.IGNCR;
        mode.oflag = (mode.oflag | O.ONLCR) & ~O.OCRNL & ~O.ONLRET;
      } else {
        mode.iflag &= ~I.ICRNL;
        mode.oflag &= ~O.ONLCR;
      }
      break;
    case "ek":
      mode.cc[VERASE] = 127;
      mode.cc[VKILL] = 21;
      break;
    case "sane":
      for (const [, sane, index] of CONTROLS) mode.cc[index] = sane;
      for (const x of MODES) {
        if (x.type === COMBINATION) continue;
        const f = FIELDS[x.type];
        const val = mode[f] & ~x.mask;
        if (x.flags & SANE_SET) mode[f] = (val | x.bits) >>> 0;
        else if (x.flags & SANE_UNSET) mode[f] = (val & ~x.bits) >>> 0;
      }
      break;
    case "cbreak":
      if (reversed) mode.lflag |= L.ICANON;
      else mode.lflag &= ~L.ICANON;
      break;
    case "pass8":
      if (reversed) {
        mode.cflag = (mode.cflag & ~CSIZE) | C.CS7 | C.PARENB;
        mode.iflag |= I.ISTRIP;
      } else {
        cs8();
        mode.iflag &= ~I.ISTRIP;
      }
      break;
    case "litout":
      if (reversed) {
        mode.cflag = (mode.cflag & ~CSIZE) | C.CS7 | C.PARENB;
        mode.iflag |= I.ISTRIP;
        mode.oflag |= O.OPOST;
      } else {
        cs8();
        mode.iflag &= ~I.ISTRIP;
        mode.oflag &= ~O.OPOST;
      }
      break;
    case "raw":
    case "cooked":
      if ((md.name === "raw") === reversed) {
        mode.iflag |= I.BRKINT | I.IGNPAR | I.ISTRIP | I.ICRNL | I.IXON;
        mode.oflag |= O.OPOST;
        mode.lflag |= L.ISIG | L.ICANON;
      } else {
        mode.iflag = 0;
        mode.oflag &= ~O.OPOST;
        mode.lflag &= ~(L.ISIG | L.ICANON | L.XCASE);
        mode.cc[VMIN] = 1;
        mode.cc[VTIME] = 0;
      }
      break;
    case "decctlq":
      if (reversed) mode.iflag |= I.IXANY;
      else mode.iflag &= ~I.IXANY;
      break;
    case "tabs":
      mode.oflag = (mode.oflag & ~TABDLY) | (reversed ? 0o14000 : 0);
      break;
    case "lcase":
    case "LCASE":
      if (reversed) {
        mode.lflag &= ~L.XCASE;
        mode.iflag &= ~I.IUCLC;
        mode.oflag &= ~O.OLCUC;
      } else {
        mode.lflag |= L.XCASE;
        mode.iflag |= I.IUCLC;
        mode.oflag |= O.OLCUC;
      }
      break;
    case "crt":
      mode.lflag |= L.ECHOE | L.ECHOCTL | L.ECHOKE;
      break;
    case "dec":
      mode.cc[VINTR] = 3;
      mode.cc[VERASE] = 127;
      mode.cc[VKILL] = 21;
      mode.lflag |= L.ECHOE | L.ECHOCTL | L.ECHOKE;
      mode.iflag &= ~I.IXANY;
      break;
  }
  mode.iflag >>>= 0;
  mode.oflag >>>= 0;
  mode.cflag >>>= 0;
  mode.lflag >>>= 0;
}

/** BusyBox's wrapf(): items separated by spaces, a new line before one that would reach the edge. */
class Wrapper {
  private col = 0;
  text = "";
  constructor(private ctx: Context, private maxCol: number) {}

  put(s: string): void {
    if (!s) return;
    if (this.col > 0) {
      this.col++;
      if (s[0] !== "\n") {
        if (this.col + s.length >= this.maxCol) {
          this.col = 0;
          this.text += "\n";
        } else this.text += " ";
      }
    }
    this.text += s;
    this.col += s.length;
    if (s.endsWith("\n")) this.col = 0;
  }

  newline(): void {
    if (this.col !== 0) this.put("\n");
  }

  async flush(): Promise<void> {
    if (this.text) await this.ctx.stdout.write(Buffer.from(this.text, "latin1"));
    this.text = "";
  }
}

function speedText(mode: Termios, fancy: boolean): string {
  const ospeed = mode.cflag & C.CBAUD;
  const ispeed = (mode.cflag & C.CIBAUD) >>> 16;
  if (ispeed === 0 || ispeed === ospeed) return fancy ? `speed ${baudValue(ospeed)} baud;` : `${baudValue(ospeed)}\n`;
  return fancy
    ? `ispeed ${baudValue(ispeed)} baud; ospeed ${baudValue(ospeed)} baud;`
    : `${baudValue(ispeed)} ${baudValue(ospeed)}\n`;
}

/** A control character as BusyBox's visible() shows it: ^C, ^?, M-x. */
function visible(ch: number): string {
  let s = "";
  if (ch === 9 || ch === 10) return String.fromCharCode(ch);
  if (ch >= 128) {
    ch -= 128;
    s = "M-";
  }
  if (ch < 32 || ch === 127) return s + "^" + String.fromCharCode(ch ^ 0x40);
  return s + String.fromCharCode(ch);
}

async function display(ctx: Context, out: Wrapper, mode: Termios, all: boolean, fd: number, name: string): Promise<void> {
  out.put(speedText(mode, true));
  if (all) await showWindowSize(ctx, out, fd, name, true);
  out.put(`line = ${mode.line};\n`);
  for (const [cname, , index] of CONTROLS) {
    if (cname === "min") break;
    const ch = mode.cc[index];
    out.put(`${cname} = ${ch === 0 ? "<undef>" : visible(ch)};`);
  }
  out.put(`min = ${mode.cc[VMIN]}; time = ${mode.cc[VTIME]};`);
  out.newline();
  let prevType = CONTROL;
  for (const md of MODES) {
    if (md.flags & OMIT) continue;
    if (md.type !== prevType) {
      out.newline();
      prevType = md.type;
    }
    const bits = mode[FIELDS[md.type]];
    const mask = md.mask || md.bits;
    if (((bits & mask) >>> 0) === md.bits) {
      if (all || md.flags & SANE_UNSET) out.put(md.name);
    } else if ((all && md.flags & REV) || (!all && (md.flags & (SANE_SET | REV)) === (SANE_SET | REV))) {
      out.put("-" + md.name);
    }
  }
  out.newline();
  await out.flush();
}

/** "rows N; columns M;" (-a) or "N M" (size); a terminal without a size is reported. */
async function showWindowSize(ctx: Context, out: Wrapper | undefined, fd: number, name: string, fancy: boolean): Promise<void> {
  let rows = 0, cols = 0, error: string | undefined = "";
  try {
    const ws = getWinSize(fd);
    rows = ws.rows;
    cols = ws.cols;
    if (rows !== 0) error = undefined;
  } catch (err) {
    error = describeErrno(errnoCode(err));
    if (errnoCode(err) === "EINVAL" && fancy) return;
  }
  // $LINES and $COLUMNS win, as in get_terminal_width_height().
  const size = terminalSize(undefined, ctx.env);
  if (ctx.env.LINES !== undefined || ctx.env.COLUMNS !== undefined) error = undefined;
  if (ctx.env.LINES !== undefined) rows = size.rows;
  if (ctx.env.COLUMNS !== undefined) cols = size.cols;
  if (error !== undefined) {
    // Whatever was printed so far comes first, as with stdio's line buffering.
    await out?.flush();
    await ctx.stdout.flush();
    await warn(ctx, error ? `${name}: ${error}` : name);
    return;
  }
  if (rows <= 1 || rows >= 30000) rows = 24;
  if (cols <= 1 || cols >= 30000) cols = 80;
  if (out) out.put(`rows ${rows}; columns ${cols};`);
  else await ctx.stdout.write(`${rows} ${cols}\n`);
}

async function setWindow(ctx: Context, fd: number, name: string, rows: number, cols: number): Promise<void> {
  let ws = { rows: 0, cols: 0, xpixel: 0, ypixel: 0 };
  try {
    ws = getWinSize(fd);
  } catch (err) {
    if (errnoCode(err) !== "EINVAL") {
      await warn(ctx, `${name}: ${describeErrno(errnoCode(err))}`);
      return;
    }
  }
  if (rows >= 0) ws.rows = rows & 0xffff;
  if (cols >= 0) ws.cols = cols & 0xffff;
  try {
    setWinSize(fd, ws);
  } catch (err) {
    await warn(ctx, `${name}: ${describeErrno(errnoCode(err))}`);
  }
}
