import { describe, expect, it } from "vitest";
import { compileOptions, optionHelp, parseOptions } from "../../lib/options.ts";
import { UsageError } from "../../lib/errors.ts";

const spec = compileOptions([
  "-a            All",
  "-l            Long",
  "-n N          Number",
  "-e PAT...     Pattern",
  "-s, --silent  Quiet",
  "--color[=WHEN]  Colour",
  "--full-time   Full time",
  "-w, --width N  Width",
]);

describe("option parser", () => {
  it("clusters short flags and counts repeats", () => {
    const { opts, operands } = parseOptions(spec, ["-la", "-a", "x"]);
    expect(opts.l).toBe(1);
    expect(opts.a).toBe(2);
    expect(operands).toEqual(["x"]);
  });

  it("takes arguments attached, separate, and inside a cluster", () => {
    expect(parseOptions(spec, ["-n5"]).opts.n).toBe("5");
    expect(parseOptions(spec, ["-n", "5"]).opts.n).toBe("5");
    expect(parseOptions(spec, ["-an7", "f"]).opts).toMatchObject({ a: 1, n: "7" });
    expect(parseOptions(spec, ["-an", "7", "f"]).operands).toEqual(["f"]);
  });

  it("collects repeatable arguments in order", () => {
    expect(parseOptions(spec, ["-e", "x", "-ey"]).opts.e).toEqual(["x", "y"]);
  });

  it("handles long options, aliases, = and unique prefixes", () => {
    expect(parseOptions(spec, ["--silent"]).opts.s).toBe(1);
    expect(parseOptions(spec, ["--width=80"]).opts.w).toBe("80");
    expect(parseOptions(spec, ["--width", "80"]).opts.w).toBe("80");
    expect(parseOptions(spec, ["--wid", "9"]).opts.w).toBe("9");
    expect(parseOptions(spec, ["--color"]).opts.color).toBe("");
    expect(parseOptions(spec, ["--color=never", "x"]).opts.color).toBe("never");
    expect(parseOptions(spec, ["--color", "x"]).operands).toEqual(["x"]);
  });

  it("permutes operands and options, but stops at --", () => {
    const { opts, operands } = parseOptions(spec, ["x", "-l", "--", "-a", "-"]);
    expect(opts.l).toBe(1);
    expect(opts.a).toBe(0);
    expect(operands).toEqual(["x", "-a", "-"]);
  });

  it("treats a lone - as an operand", () => {
    expect(parseOptions(spec, ["-"]).operands).toEqual(["-"]);
  });

  it("stops at the first operand when asked (env, nice)", () => {
    const s = compileOptions(["-i  Ignore"], { stopAtOperand: true });
    expect(parseOptions(s, ["-i", "cmd", "-i"])).toEqual({ opts: { i: 1 }, operands: ["cmd", "-i"] });
  });

  it("maps -NUM onto a numeric option (head -5)", () => {
    const s = compileOptions(["-n N  Lines"], { numeric: "n" });
    expect(parseOptions(s, ["-5", "f"]).opts.n).toBe("5");
  });

  it("reports errors in getopt's words", () => {
    expect(() => parseOptions(spec, ["-z"])).toThrow(new UsageError("invalid option -- 'z'"));
    expect(() => parseOptions(spec, ["-n"])).toThrow("option requires an argument -- 'n'");
    expect(() => parseOptions(spec, ["--nope"])).toThrow("unrecognized option '--nope'");
    expect(() => parseOptions(spec, ["--full-time=1"])).toThrow("doesn't allow an argument");
    expect(() => parseOptions(spec, ["--width"])).toThrow("requires an argument");
    const amb = compileOptions(["--alpha  A", "--alps  B"]);
    expect(() => parseOptions(amb, ["--al"])).toThrow("ambiguous");
  });

  it("renders the declarations as BusyBox's help table", () => {
    expect(optionHelp(compileOptions(["-n  Number output lines", "-w N  Width"]))).toBe(
      "\t-n\tNumber output lines\n\t-w N\tWidth",
    );
  });

  it("rejects malformed declarations", () => {
    expect(() => compileOptions(["-ab  Two letters"])).toThrow("one character");
  });
});
