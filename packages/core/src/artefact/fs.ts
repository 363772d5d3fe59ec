import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";

/** sha256 hex of bytes (Node). */
export const sha256Of = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/**
 * sha256 hex of a file's bytes, read in 1 MiB pieces: hashing a segment of a hub-size MainNet at load
 * does not hold a copy of it in memory.
 */
export function sha256File(path: string): string {
  const hash = createHash("sha256");
  const buf = new Uint8Array(2 ** 20);
  const fd = openSync(path, "r");
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/**
 * Writes `content` to `path` atomically: a temp file in the same directory, then a rename, so a reader
 * (or a crash) sees the old file or the new one, never half of one.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** `true` for an existing directory: a local MainNet or artefact, used as it is. */
export const isLocalDir = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/**
 * What to give transformers.js's `from_pretrained` for a local directory or a hub id: a directory as an
 * absolute path — transformers.js reads a bare relative name (`"bert"`) as a model id, looked up under
 * `env.localModelPath` and then on the hub, not in the working directory.
 */
export const pretrainedPath = (dirOrId: string): string => (isLocalDir(dirOrId) ? resolve(dirOrId) : dirOrId);
