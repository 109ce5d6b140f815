import { createHash, randomBytes } from "node:crypto";

/** A PDF of `size` bytes: the header the resizer sniffs, then random bytes (mediagate checks documents by magic bytes). */
export function pdf(size) {
  const bytes = randomBytes(size);
  bytes.set(Buffer.from("%PDF-1.7\n"));
  return bytes;
}

export function sha256(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The bytes at a URL (a signed CDN URL), failing on anything but 200. */
export async function download(url) {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
