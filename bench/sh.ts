// The shell against busybox ash: a loop of builtins and applets, start-up,
// and a long script of functions, case and parameter expansions.
import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchCase } from "./cases.ts";

const LOOP = `
i=0
while [ $i -lt 10000 ]; do
  test -n "$i" && b=$(basename /usr/lib/file$i.txt .txt)
  i=$(expr $i + 1)
  echo "$b" >/dev/null
done
echo $i
`;

/** 5,000 lines: functions called in a loop, case, ${...} forms, arithmetic. */
function longScript(): string {
  const lines: string[] = ["total=0"];
  for (let f = 0; f < 500; f++) {
    lines.push(
      `f${f}() {`,
      `  v="path/to/file${f}.tar.gz"; n=\${v##*/}; b=\${n%%.*}; e=\${v#*.}`,
      `  case $b in file*[02468]) total=$((total + ${f})) ;; *) total=$((total - 1)) ;; esac`,
      `  s=\${#v}; w=\${missing:-default}; : \${set_once:=x}`,
      `  [ "$e" = "tar.gz" ] || echo bad`,
      `  x=$((s * 3 % 7 + ${f}))`,
      `  y="$n:$b:$e:$w"`,
      `}`,
      `f${f}`,
      `[ $((total % 2)) -eq 0 ] && even=1 || even=0`,
    );
  }
  lines.push('echo "$total $even"');
  return lines.join("\n") + "\n";
}

function write(dir: string, name: string, text: string): void {
  const file = path.join(dir, name);
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
}

export const cases: BenchCase[] = [
  { name: "sh: 10,000-iteration loop of test, expr, basename, echo", setup: (d) => write(d, "sh-loop.sh", LOOP), args: ["sh", "sh-loop.sh"], target: 1.0, runs: 1 },
  { name: "sh -c true (start-up)", args: ["sh", "-c", "true"], target: 3.0, runs: 50 },
  { name: "sh: 5,000-line script (functions, case, expansions)", setup: (d) => write(d, "sh-long.sh", longScript()), args: ["sh", "sh-long.sh"], target: 1.0, runs: 5 },
];
