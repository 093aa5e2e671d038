// Shell arithmetic: C operators on 64-bit integers, variables, assignments.
import { describe, expect, it } from "vitest";
import { ArithError, evalArith } from "../../applets/sh/arith.ts";

function env(init: Record<string, string> = {}) {
  const vars = new Map(Object.entries(init));
  return { vars, io: { get: (n: string) => vars.get(n), set: (n: string, v: string) => void vars.set(n, v) } };
}
const ev = (s: string, init?: Record<string, string>) => String(evalArith(s, env(init).io));

describe("sh arithmetic", () => {
  it("follows C precedence and associativity", () => {
    expect(ev("1+2*3")).toBe("7");
    expect(ev("(1+2)*3")).toBe("9");
    expect(ev("2**3**2")).toBe("512");
    expect(ev("10-4-3")).toBe("3");
    expect(ev("1 ? 2 : 0 ? 3 : 4")).toBe("2");
    expect(ev("-7/2")).toBe("-3");
    expect(ev("-7%3")).toBe("-1");
    expect(ev("1<<4|1")).toBe("17");
    expect(ev("!0 && ~0")).toBe("1");
    expect(ev("1,2,3")).toBe("3");
  });

  it("reads numbers in C's bases", () => {
    expect(ev("0x1F + 010 + 2#11")).toBe("42");
  });

  it("wraps at 64 bits", () => {
    expect(ev("9223372036854775807 + 1")).toBe("-9223372036854775808");
  });

  it("uses and assigns variables", () => {
    const e = env({ x: "5", y: "x+1" });
    expect(String(evalArith("y*2", e.io))).toBe("12");
    expect(String(evalArith("x += 3", e.io))).toBe("8");
    expect(e.vars.get("x")).toBe("8");
    expect(String(evalArith("x++ + ++x", e.io))).toBe("18");
    expect(String(evalArith("z", e.io))).toBe("0");
  });

  it("does not evaluate the side not taken", () => {
    const e = env({ a: "0" });
    evalArith("0 && (a = 1)", e.io);
    evalArith("1 || (a = 2)", e.io);
    evalArith("1 ? a : (a = 3)", e.io);
    expect(e.vars.get("a")).toBe("0");
  });

  it("reports errors", () => {
    expect(() => ev("1/0")).toThrow("divide by zero");
    expect(() => ev("1+")).toThrow(ArithError);
    expect(() => ev("(1")).toThrow("arithmetic syntax error");
  });
});
