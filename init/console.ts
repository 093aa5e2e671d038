// Messages from init go to the console, synchronously, and never throw:
// a console that has gone away must not take PID 1 with it.
import * as fs from "node:fs";

export function log(message: string): void {
  try {
    fs.writeSync(2, `init: ${message}\n`);
  } catch {
    // Nowhere to report to.
  }
}

export function say(message: string): void {
  try {
    fs.writeSync(2, `${message}\n`);
  } catch {}
}
