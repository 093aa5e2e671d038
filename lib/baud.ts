// Terminal line speeds and their CBAUD codes in c_cflag (Linux, the same on
// x86_64 and aarch64), shared by stty and getty.
export const SPEEDS: [number, number][] = [
  [0, 0], [50, 1], [75, 2], [110, 3], [134, 4], [150, 5], [200, 6], [300, 7], [600, 8], [1200, 9], [1800, 10],
  [2400, 11], [4800, 12], [9600, 13], [19200, 14], [38400, 15], [57600, 0o10001], [115200, 0o10002],
  [230400, 0o10003], [460800, 0o10004], [500000, 0o10005], [576000, 0o10006], [921600, 0o10007],
  [1000000, 0o10010], [1152000, 0o10011], [1500000, 0o10012], [2000000, 0o10013], [2500000, 0o10014],
  [3000000, 0o10015], [3500000, 0o10016], [4000000, 0o10017],
];

/** The CBAUD bits of c_cflag. */
export const CBAUD = 0o10017;

/** The CBAUD code of a speed in bits per second, or undefined if it has none. */
export const baudCode = (value: number): number | undefined => SPEEDS.find(([v]) => v === value)?.[1];
/** The speed a CBAUD code stands for (0 for an unknown code). */
export const baudValue = (code: number): number => SPEEDS.find(([, c]) => c === code)?.[0] ?? 0;
