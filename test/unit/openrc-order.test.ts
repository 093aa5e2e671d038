// Dependency ordering of the service manager (services/order.ts): pure, no shell.
import { describe, expect, it } from "vitest";
import { emptyDeps, orderOf, plan, providers, type DepInfo, type Graph } from "../../services/order.ts";

function graph(spec: Record<string, Partial<DepInfo>>): Graph {
  return new Map(Object.entries(spec).map(([k, v]) => [k, { ...emptyDeps(), ...v }]));
}

describe("openrc dependency order", () => {
  it("starts needs before the service, and pulls them in", () => {
    const g = graph({ web: { need: ["db"] }, db: { need: ["fs"] }, fs: {}, other: {} });
    expect(plan(g, ["web"]).order).toEqual(["fs", "db", "web"]);
  });

  it("use and after order only; they pull nothing in", () => {
    const g = graph({ web: { use: ["logger"], after: ["clock"] }, logger: {}, clock: {} });
    expect(plan(g, ["web"]).order).toEqual(["web"]);
    expect(plan(g, ["web", "logger", "clock"]).order).toEqual(["clock", "logger", "web"]);
  });

  it("before puts the service first", () => {
    const g = graph({ a: {}, b: { before: ["a"] } });
    expect(plan(g, ["a", "b"]).order).toEqual(["b", "a"]);
  });

  it("resolves a virtual service to its provider, preferring one already wanted", () => {
    const g = graph({ app: { need: ["net"] }, eth: { provide: ["net"] }, wifi: { provide: ["net"] } });
    expect(providers(g, "net")).toEqual(["eth", "wifi"]);
    expect(plan(g, ["app"]).order).toEqual(["eth", "app"]);
    expect(plan(g, ["wifi", "app"]).order).toEqual(["wifi", "app"]);
  });

  it("reports a need nothing provides", () => {
    const g = graph({ app: { need: ["nosuch"] } });
    expect(plan(g, ["app"]).missing).toEqual([["app", "nosuch"]]);
  });

  it("breaks a cycle deterministically and names it", () => {
    const g = graph({ a: { need: ["c"] }, b: { need: ["a"] }, c: { need: ["b"] }, d: { need: ["a"] }, z: {} });
    const p1 = plan(g, ["a", "d", "z"]);
    const p2 = plan(graph({ z: {}, d: { need: ["a"] }, c: { need: ["b"] }, b: { need: ["a"] }, a: { need: ["c"] } }), ["z", "d", "a"]);
    expect(p1.cycles).toEqual([["a", "b", "c"]]);
    expect(p1.order).toEqual(p2.order);
    expect(new Set(p1.order)).toEqual(new Set(["a", "b", "c", "d", "z"]));
    // a -> b -> c stays in order once the c -> a link is dropped.
    expect(p1.order.indexOf("a")).toBeLessThan(p1.order.indexOf("b"));
    expect(p1.order.indexOf("b")).toBeLessThan(p1.order.indexOf("c"));
    expect(p1.order.indexOf("a")).toBeLessThan(p1.order.indexOf("d"));
  });

  it("a two-service cycle", () => {
    const out = new Map([["x", new Set(["y"])], ["y", new Set(["x"])]]);
    expect(orderOf(out)).toEqual({ order: ["x", "y"], cycles: [["x", "y"]] });
  });

  it("an explicit after wins over after *", () => {
    const g = graph({ killprocs: { after: ["*"] }, "mount-ro": { after: ["killprocs"] }, x: {} });
    const p = plan(g, ["killprocs", "mount-ro", "x"]);
    expect(p.cycles).toEqual([]);
    expect(p.order).toEqual(["x", "killprocs", "mount-ro"]);
  });

  it("after * and before * go last and first", () => {
    const g = graph({ first: { before: ["*"] }, last: { after: ["*"] }, m: {}, n: {} });
    expect(plan(g, ["m", "last", "n", "first"]).order).toEqual(["first", "m", "n", "last"]);
  });
});
