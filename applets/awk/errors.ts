// Errors of an awk program. BusyBox reports both kinds the same way,
// "awk: PROGNAME:LINE: message", and exits with status 1.

/** A syntax or runtime error; the interpreter adds where it happened. */
export class AwkError extends Error {
  /** The program name ("cmd. line" or a -f file), filled in on the way out. */
  progname?: string;
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = "AwkError";
  }
}

/** An error printed as is, without a program position ("can't open ..."). */
export class AwkFatal extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
    this.name = "AwkFatal";
  }
}
