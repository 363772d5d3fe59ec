import { existsSync } from "node:fs";
import { join } from "node:path";
import { mainnetFile } from "../artefact/files.js";
import type { MainNetSource } from "../artefact/format.js";
import { isLocalDir } from "../artefact/fs.js";
import { hubCacheDir } from "../artefact/open.js";
import { FetchError, InvalidArgumentError } from "../errors.js";
import { isModelId } from "../runtime/remote-artefact.js";
import {
  AutoConfig,
  AutoModel,
  env,
  type HfProgress,
  hfPipeline,
  ModelRegistry,
} from "../runtime/transformers.js";

/** Where and how to download a MainNet from a hub. */
export interface HubOptions {
  /** Branch, tag or commit (default "main", or the one in a `…/tree/<revision>` URL). */
  revision?: string;
  /** transformers.js's file cache (default `env.cacheDir`). */
  cacheDir?: string;
  /** The task's pipeline is loaded to download its pre-processing files too … */
  task?: string;
  /** … or the task of the downloaded config's `model_type` (a registry lookup); else the model only. */
  taskFor?: (modelType: string | undefined) => string | undefined;
  /**
   * Dtypes whose graphs are downloaded besides fp32, those of them the repository has (default q8: the
   * wasm default). Attach then segments what was downloaded.
   */
  dtypes?: readonly string[];
  /** Progress of the downloads, a line per file. */
  log?: (line: string) => void;
}

/** A model reference: a hub id, optionally on another host and at a revision. */
export interface ModelRef {
  id: string;
  revision?: string;
  /** `env.remoteHost` for this model (from a URL), else transformers.js's. */
  host?: string;
}

/**
 * A hub id (`owner/name`) or a hub URL (`https://huggingface.co/owner/name`, optionally
 * `/tree/<revision>`) as a {@link ModelRef}; undefined for anything else (e.g. a local path).
 */
export function parseModelRef(ref: string): ModelRef | undefined {
  if (/^https?:\/\//i.test(ref)) {
    const url = new URL(ref);
    const m = /^\/([\w\-.]+\/[\w\-.]+)(?:\/(?:tree|resolve)\/([^/]+))?\/?$/.exec(url.pathname);
    if (!m || !isModelId(m[1]!)) return undefined;
    return { id: m[1]!, host: `${url.origin}/`, ...(m[2] ? { revision: decodeURIComponent(m[2]) } : {}) };
  }
  return isModelId(ref) && !ref.startsWith(".") ? { id: ref } : undefined;
}

/** A MainNet on the local disk, and the hub model it came from when it was downloaded. */
export interface ResolvedMainNet {
  dir: string;
  source?: MainNetSource;
}

/**
 * A MainNet as a local directory: `ref` itself when it is one, else the hub id or URL downloaded through
 * transformers.js — its `pipeline()` for the task (or `AutoModel`), so its own fetch rules, cache
 * (`cacheDir`, revision) and `env.remoteHost` apply; the q8 graph too when the hub has one. Returns the
 * directory of transformers.js's file cache that holds the files (`<cacheDir>/<id>[/<revision>]`) and the
 * source, recorded in sidenet.json as `mainnet.source`.
 * Offline or a wrong id: a {@link FetchError} saying what could not be fetched from where.
 */
export async function resolveMainNet(ref: string, o: HubOptions = {}): Promise<ResolvedMainNet> {
  if (isLocalDir(ref)) return { dir: ref };
  const parsed = parseModelRef(ref);
  if (!parsed) {
    throw new InvalidArgumentError(
      `${ref} is neither a directory nor a hub model id (owner/name) or URL; expected a MainNet directory (config.json, onnx/model.onnx), an id such as Xenova/distilbert-base-uncased-finetuned-sst-2-english, or its https://huggingface.co/… URL.`,
    );
  }
  const revision = o.revision ?? parsed.revision ?? "main";
  const cacheDir = o.cacheDir ?? env.cacheDir;
  if (!env.allowRemoteModels) {
    throw new InvalidArgumentError(
      `${ref} is not a local directory, and transformers.js's env.allowRemoteModels is false: nothing may be downloaded. Pass a local MainNet directory, or allow remote models.`,
    );
  }
  if (!env.useFSCache || !cacheDir) {
    throw new InvalidArgumentError(
      `downloading ${ref} needs transformers.js's file cache (env.useFSCache and env.cacheDir); set a cache directory (--cache-dir).`,
    );
  }
  const host = env.remoteHost;
  if (parsed.host) env.remoteHost = parsed.host;
  const where = `${env.remoteHost}${parsed.id} (revision ${revision})`;
  const log = o.log ?? (() => {});
  const seen = new Set<string>();
  const options = {
    revision,
    cache_dir: cacheDir,
    dtype: "fp32",
    progress_callback: (p: HfProgress) => {
      if (p.status === "done" && p.file && !seen.has(p.file)) {
        seen.add(p.file);
        log(`fetched ${p.file}`);
      }
    },
  };
  try {
    log(`downloading ${where} through transformers.js into ${cacheDir}`);
    const config = await AutoConfig.from_pretrained(parsed.id, options);
    const modelType = typeof config.model_type === "string" ? config.model_type : undefined;
    const task = o.task ?? o.taskFor?.(modelType);
    if (!task) {
      log(
        `model_type ${modelType} has no task in the registry: only the model is downloaded (give the task to get its tokenizer or processor too)`,
      );
    }
    // the task's stock pipeline downloads exactly what it loads: the graph, the tokenizer or processor
    const fp32 = task
      ? await hfPipeline(task, parsed.id, options)
      : await AutoModel.from_pretrained(parsed.id, options);
    await fp32.dispose();
    const dtypes = await ModelRegistry.get_available_dtypes(parsed.id, { revision, cache_dir: cacheDir });
    for (const d of o.dtypes ?? ["q8"]) {
      if (d !== "fp32" && dtypes.includes(d))
        await (await AutoModel.from_pretrained(parsed.id, { ...options, dtype: d })).dispose();
    }
  } catch (e) {
    throw new FetchError(
      where,
      `${ref} is not a local directory, and could not be downloaded from the hub (${(e as Error).message.split("\n")[0]}). Check the id, the revision and the network (a mirror: HF_ENDPOINT / env.remoteHost), or pass a local MainNet directory.`,
      { cause: e },
    );
  } finally {
    env.remoteHost = host;
  }
  const dir = hubCacheDir(parsed.id, revision, cacheDir)!;
  for (const f of ["config.json", mainnetFile("fp32")]) {
    if (!existsSync(join(dir, f))) {
      throw new FetchError(
        where,
        `downloaded, but ${join(dir, f)} is not in transformers.js's file cache; expected its layout <cacheDir>/<id>[/<revision>]/<file>.`,
      );
    }
  }
  return { dir, source: { id: parsed.id, revision, host: parsed.host ?? host } };
}
