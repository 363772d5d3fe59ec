import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { sha256File } from "./fs.js";
import type { ArtefactFiles } from "./source.js";

/**
 * The files of an artefact directory on a local disk (Node). Messages name files by their path.
 *
 * @example
 * ```ts
 * const model = await SideNetModel.load(localArtefact("./bert-sidenet"));
 * ```
 */
export function localArtefact(dir: string): ArtefactFiles {
  const path = (file: string) => join(dir, file);
  const read = async (file: string) => {
    if (!existsSync(path(file))) return undefined;
    const b = readFileSync(path(file));
    // the Buffer's own bytes as a plain Uint8Array, not a copy
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  };
  return {
    // absolute: transformers.js reads a bare name ("bert-sidenet") as a model id under env.localModelPath
    id: resolve(dir),
    local: true,
    where: path,
    read,
    exists: async (file) => existsSync(path(file)),
    // streamed: a segment of a hub-size MainNet is not read into memory to check its pin
    sha256: async (file) => (existsSync(path(file)) ? sha256File(path(file)) : undefined),
  };
}
