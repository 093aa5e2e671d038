// squashfs root mode (to come): read-only root, tmpfs overlay, ext4 data partition.
import type { Build } from "./image.ts";
import type { ManifestFile } from "./manifest.ts";

export async function buildSquashfsParts(_b: Build): Promise<{ initramfs: Uint8Array; parts: { file: string; name: string }[]; cmdline: string[]; manifest: ManifestFile[] }> {
  throw new Error("root.mode squashfs is not built yet");
}
