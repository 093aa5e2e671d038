// Sizes for people, exactly as BusyBox's make_human_readable_str() prints
// them (df, du, dd, ls -h, free...).

const UNITS = ["", "K", "M", "G", "T", "P", "E", "Z", "Y"];

/**
 * val × blockSize shown in displayUnit units, rounded to nearest ("1024" for
 * kilobytes); displayUnit 0 means "pick a suffix": 1023, 1.0K, 243.5M, with one
 * decimal, or none when blockSize is 0 (then the value is not multiplied).
 */
export function humanReadable(val: number | bigint, blockSize: number, displayUnit: number): string {
  let v = BigInt(val);
  if (v === 0n) return "0";
  if (blockSize > 1) v *= BigInt(blockSize);
  if (displayUnit) {
    v += BigInt(Math.floor(displayUnit / 2));
    v /= BigInt(displayUnit);
    return v.toString();
  }
  let frac = 0n;
  let u = 0;
  let suffixed = false;
  while (v >= 1024n) {
    suffixed = true;
    u++;
    frac = (((v % 1024n) * 10n + 512n) / 1024n);
    v /= 1024n;
  }
  if (frac >= 10n) {
    v++;
    frac = 0n;
  }
  if (blockSize === 0) {
    if (frac >= 5n) v++;
    return `${v}${UNITS[u]}`;
  }
  return suffixed ? `${v}.${frac}${UNITS[u]}` : v.toString();
}
