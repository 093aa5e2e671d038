// Debian's openrc (0.45.2 in Debian 12) as an oracle, without installing it:
// build/debian.ts downloads and unpacks openrc, librc1 and libeinfo1, and a
// private mount namespace overlays their /sbin, /bin and /lib (with /lib/rc)
// on the host's, so the real paths OpenRC was built with resolve. Debian's
// package ships no start-stop-daemon (Debian's is dpkg's).
import * as path from "node:path";
import { debianPackage } from "../../build/debian.ts";

export interface DebianOpenrc {
  /** The unpacked openrc package. */
  root: string;
  /** Bash lines (run as root in a fresh mount namespace) that put it at /sbin, /bin and /lib/rc. */
  mountText: string;
}

export async function debianOpenrc(): Promise<DebianOpenrc> {
  const [root, librc, libeinfo] = await Promise.all(["openrc", "librc1", "libeinfo1"].map((p) => debianPackage(p, "amd64")));
  // overlay with lower layers only: read-only, the package's files over the host's.
  const over = (dir: string, layers: string[]) => `mount -t overlay overlay -o lowerdir=${[...layers, dir].join(":")} ${dir} || exit 98\n`;
  const mountText =
    over("/usr/sbin", [path.join(root, "sbin")]) +
    over("/usr/bin", [path.join(root, "bin")]) +
    over("/usr/lib", [path.join(root, "lib"), path.join(librc, "lib"), path.join(libeinfo, "lib")]);
  return { root, mountText };
}
