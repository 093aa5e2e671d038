// The shape of a whole-command benchmark: the same work run by pika and by
// busybox-static in one `npm run bench`, reported as a ratio of wall times.
// Each applet group lists its cases in bench/<group>.ts as `export const cases`.

export interface BenchCase {
  /** Row label, e.g. "sort (100 MB text)". */
  name: string;
  /** Create the inputs in `dir` (a scratch directory shared by all cases of a run; skip what exists). */
  setup?: (dir: string) => Promise<void> | void;
  /** argv after the binary: pika runs `pika ...args`, busybox `busybox ...args`. Run with cwd = dir. */
  args: string[];
  /** Override the busybox argv when it must differ. */
  busyboxArgs?: string[];
  /** A file in dir fed as stdin. */
  stdin?: string;
  /** Goal: pika's time / busybox's time at most this. */
  target: number;
  /** Repetitions (default: hyperfine's choice, at least 3). */
  runs?: number;
}
