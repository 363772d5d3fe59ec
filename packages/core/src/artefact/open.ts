import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FetchError } from "../errors.js";
import { isModelId, type RemoteArtefactOptions, remoteArtefact } from "../runtime/remote-artefact.js";
import { env } from "../runtime/transformers.js";
import { SIDENET_JSON } from "./files.js";
import { isLocalDir, sha256Of, writeFileAtomic } from "./fs.js";
import { localArtefact } from "./local.js";
import type { ArtefactFiles } from "./source.js";

/**
 * An artefact in Node, found as transformers.js finds a model: a local directory; else, for a model id,
 * `env.localModelPath/<id>` when `env.allowLocalModels`; else the hub (`env.remoteHost`, at
 * `options.revision`), its segments loaded by transformers.js and its other files fetched into
 * transformers.js's file cache under the same keys (`<cacheDir>/<id>[/<revision>]/<file>`), so that a
 * second load works offline. Every file is checked against its pin whichever way it came.
 *
 * @example
 * ```ts
 * const model = await SideNetModel.load(openArtefact("my-org/bert-sidenet"));
 * ```
 */
export function openArtefact(id: string, options: RemoteArtefactOptions = {}): ArtefactFiles {
  if (isLocalDir(id)) return localArtefact(id);
  if (env.allowLocalModels && isModelId(id) && isLocalDir(join(env.localModelPath, id))) {
    return localArtefact(join(env.localModelPath, id));
  }
  const remote = remoteArtefact(id, { ...options, remoteOnly: true });
  const dir = isModelId(id) ? hubCacheDir(id, options.revision) : undefined;
  if (!dir) return remote;
  const cached = (file: string) => join(dir, file);
  const read = async (file: string): Promise<Uint8Array | undefined> => {
    if (existsSync(cached(file))) return new Uint8Array(readFileSync(cached(file)));
    let bytes: Uint8Array | undefined;
    try {
      bytes = await remote.read(file);
    } catch (e) {
      // offline, and transformers.js has this model cached without a sidenet.json: a plain model that
      // transformers.js itself can load from its cache, not an artefact (whose sidenet.json a first load
      // would have cached)
      if (e instanceof FetchError && file === SIDENET_JSON && existsSync(cached("config.json")))
        return undefined;
      throw e;
    }
    if (bytes) writeFileAtomic(cached(file), bytes);
    return bytes;
  };
  return {
    ...remote,
    read,
    exists: async (file) => (await read(file)) !== undefined,
    async sha256(file) {
      const bytes = await read(file);
      return bytes && sha256Of(bytes);
    },
  };
}

/**
 * The directory of transformers.js's file cache that holds hub model `id` at `revision`
 * (`<cacheDir>/<id>` for main, `<cacheDir>/<id>/<revision>` otherwise); undefined without a file cache.
 */
export function hubCacheDir(id: string, revision = "main", cacheDir = env.cacheDir): string | undefined {
  if (!env.useFSCache || !cacheDir) return undefined;
  return join(cacheDir, revision === "main" ? id : join(id, revision));
}
