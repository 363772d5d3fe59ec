import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { sha256Of } from "./fs.js";
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
  const read = async (file: string) =>
    existsSync(path(file)) ? new Uint8Array(readFileSync(path(file))) : undefined;
  return {
    // absolute: transformers.js reads a bare name ("bert-sidenet") as a model id under env.localModelPath
    id: resolve(dir),
    local: true,
    where: path,
    read,
    exists: async (file) => existsSync(path(file)),
    async sha256(file) {
      const bytes = await read(file);
      return bytes && sha256Of(bytes);
    },
  };
}
