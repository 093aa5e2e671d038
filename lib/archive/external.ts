// Running an external filter program (bzip2 or xz to compress a tar
// stream, tar --to-command): input chunks are pumped into its stdin while
// its stdout is read, as BusyBox's vfork_compressor() does with a pipe.
import type { Context } from "../applet.ts";
import { AppletError } from "../errors.ts";
import { resolveCommand } from "../exec.ts";

export interface Filter {
  output: AsyncIterable<Uint8Array>;
  exited: Promise<number>;
}

export async function externalFilter(
  ctx: Context, argv: string[], input: AsyncIterable<Uint8Array>,
  o: { env?: Record<string, string>; cwd?: string; inheritStdout?: boolean },
): Promise<Filter> {
  const where = resolveCommand(argv[0], o.env ?? ctx.env, ctx.cwd);
  if ("error" in where) throw new AppletError(`can't execute '${argv[0]}': No such file or directory`);
  if (o.inheritStdout) await ctx.stdout.flush();
  const proc = Bun.spawn({
    cmd: [where.file, ...argv.slice(1)],
    cwd: o.cwd ?? ctx.cwd,
    env: o.env ?? ctx.env,
    stdin: "pipe",
    stdout: o.inheritStdout ? (ctx.stdout.fd ?? "inherit") as any : "pipe",
    stderr: (ctx.stderr.fd ?? "inherit") as any,
  });
  let pumpError: unknown;
  const pump = (async () => {
    try {
      for await (const chunk of input) {
        proc.stdin.write(chunk);
        await proc.stdin.flush();
      }
    } catch (err) {
      pumpError = err;
    }
    try {
      await proc.stdin.end();
    } catch {}
  })();
  const exited = (async () => {
    const code = await proc.exited;
    await pump;
    if (pumpError) throw pumpError;
    return code;
  })();
  const output = o.inheritStdout
    ? (async function* () {})()
    : (async function* () {
        for await (const c of proc.stdout as any as AsyncIterable<Uint8Array>) yield c;
        const code = await exited;
        if (code !== 0) throw new AppletError(`${argv[0]} exited with status ${code}`);
      })();
  return { output, exited };
}
