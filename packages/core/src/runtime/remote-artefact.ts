import { sha256Hex } from "../artefact/pins.js";
import type { ArtefactFiles } from "../artefact/source.js";
import { FetchError } from "../errors.js";
import { env } from "./transformers.js";

/** transformers.js's rule for what counts as a hub model id (`utils/hub.js`). */
const REPO_ID = /^(\b[\w\-.]+\b\/)?\b[\w\-.]{1,96}\b$/;

/** Whether `id` is a hub model id by transformers.js's rule (`owner/name` or `name`, no `..`). */
export const isModelId = (id: string): boolean => REPO_ID.test(id) && !id.includes("..");

const join = (...parts: string[]) =>
  parts
    .map((p, i) => {
      let q = i > 0 ? p.replace(/^\//, "") : p;
      if (i < parts.length - 1) q = q.replace(/\/$/, "");
      return q;
    })
    .join("/");

const isHttp = (s: string) => /^https?:\/\//i.test(s);

/** Options of {@link remoteArtefact}. */
export interface RemoteArtefactOptions {
  /** Hub revision (branch, tag or commit) for remote files; default "main". */
  revision?: string;
  /**
   * Fetch from `env.remoteHost` (or the URL given) only, never from `env.localModelPath` — in Node, where
   * local directories are read from disk instead (`@sidenet/core/node`'s `openArtefact`).
   */
  remoteOnly?: boolean;
}

/**
 * The files of an artefact fetched the way transformers.js fetches a model: first under
 * `env.localModelPath` when `env.allowLocalModels` (a model id) or at the path / URL given, then from
 * `env.remoteHost` + `env.remotePathTemplate` when `env.allowRemoteModels`, always through `env.fetch`.
 * transformers.js does not export its own file loader (`getModelFile`), so this follows its rules; the
 * ONNX segments themselves still load through transformers.js (with its cache). Works in the browser
 * (no Node modules); a response of 404 means "no such file".
 *
 * @example
 * ```ts
 * env.localModelPath = "/models/"; // serves /models/bert-sidenet/sidenet.json, …
 * const files = remoteArtefact("bert-sidenet");
 * ```
 */
export function remoteArtefact(id: string, options: RemoteArtefactOptions = {}): ArtefactFiles {
  const cache = new Map<string, Promise<Uint8Array | undefined>>();
  const urls = (file: string): string[] => {
    const out: string[] = [];
    const request = join(id, file);
    if ((env.allowLocalModels && !options.remoteOnly) || isHttp(request)) {
      out.push(isModelId(id) ? join(env.localModelPath, request) : request);
    }
    if (env.allowRemoteModels && REPO_ID.test(id) && !isHttp(request)) {
      const path = env.remotePathTemplate
        .replaceAll("{model}", id)
        .replaceAll("{revision}", encodeURIComponent(options.revision ?? "main"));
      out.push(join(env.remoteHost, path, file));
    }
    return out;
  };
  const fetchFile = async (file: string): Promise<Uint8Array<ArrayBuffer> | undefined> => {
    for (const url of urls(file)) {
      let response: Response;
      try {
        response = (await env.fetch(url)) as Response;
      } catch (e) {
        throw new FetchError(
          url,
          `could not be fetched (${(e as Error).message}). Check the address and the network.`,
          {
            cause: e,
          },
        );
      }
      if (response.status === 404) continue;
      if (!response.ok) {
        throw new FetchError(
          url,
          `answered HTTP ${response.status}; expected 200 (or 404 for a missing file). Check the server.`,
        );
      }
      return new Uint8Array(await response.arrayBuffer());
    }
    return undefined;
  };
  const read = (file: string) => {
    let p = cache.get(file);
    if (!p) {
      // a failed fetch is not cached: the next read tries again
      p = fetchFile(file).catch((e: unknown) => {
        cache.delete(file);
        throw e;
      });
      cache.set(file, p);
    }
    return p;
  };
  return {
    id,
    local: false,
    where: (file) => urls(file)[0] ?? join(id, file),
    read,
    exists: async (file) => (await read(file)) !== undefined,
    async sha256(file) {
      const bytes = await fetchFile(file);
      return bytes && sha256Hex(bytes, urls(file)[0] ?? file);
    },
  };
}
