import { createHash, type Hash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { sha256File, writeFileAtomic } from "../artefact/fs.js";
import { MlpHead, type MlpHeadShape } from "../head/mlp-head.js";
import {
  readSafetensors,
  type Safetensors,
  type SafetensorsTensor,
  writeSafetensors,
} from "../io/safetensors.js";
import type { Matrix } from "../math/matrix.js";
import { env } from "../runtime/transformers.js";
import type { TrainedHead } from "./head-pool.js";
import type { MainNet } from "./mainnet.js";

/** Weight files of other formats beside a MainNet (left out of the key). */
const WEIGHTS = /\.(onnx|onnx_data|safetensors|bin|pt|pth|h5|msgpack|ckpt|gguf)$/i;

/** Bumped whenever what a cache entry holds, or how it is computed, changes. */
const VERSION = "sidenet-attach-cache-1";

/** The features of rows `[start, end)` of a split, as one shard of the cache holds them. */
export interface FeatureShard {
  /** `features[tap][pooling]`: `[end − start, cols]`. */
  features: Record<string, Record<string, Matrix>>;
  logits: Matrix;
  segmentMs: number[];
}

/**
 * attach's on-disk cache: the features of each split in shards of rows, and each trained head, under
 * keys that hash everything they depend on — the MainNet's graph and pre-processing files, the taps,
 * poolings and batch size, every item's content (a local image file's bytes, not its path), the labels
 * and training options. A second attach of the same MainNet and data (another budget, criterion or
 * `maxExits`) reuses them; an interrupted one resumes at the first shard or head not written. Entries are
 * written atomically; an unreadable one is recomputed and rewritten.
 */
export class AttachCache {
  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The cache `AttachOptions.attachCache` asks for: a directory, false for none, default `$SIDENET_CACHE_DIR` or `~/.cache/sidenet` (none when `SIDENET_CACHE=0`). */
  static open(dir: string | false | undefined, log: (line: string) => void): AttachCache | undefined {
    if (dir === false || (dir === undefined && process.env.SIDENET_CACHE === "0")) return undefined;
    return new AttachCache(dir ?? process.env.SIDENET_CACHE_DIR ?? join(homedir(), ".cache", "sidenet"), log);
  }

  /** Shard `[start, end)` of the split keyed `key`, or undefined when it is not (readably) there. */
  shard(key: string, start: number, end: number): FeatureShard | undefined {
    return this.read(this.shardPath(key, start, end), (t) => {
      if (t.tensors.logits?.shape[0] !== end - start)
        throw new Error(`it holds other rows than ${start}–${end}`);
      const names = JSON.parse(t.metadata.names!) as [string, string][];
      const features: FeatureShard["features"] = {};
      for (const [k, [tap, pooling]] of names.entries()) {
        features[tap] ??= {};
        features[tap]![pooling] = matrixOf(t.tensors[`f${k}`]!, end - start);
      }
      const segmentMs = JSON.parse(t.metadata.segment_ms!) as number[];
      if (!segmentMs.every(Number.isFinite)) throw new Error("its segment times are not numbers");
      return { features, logits: matrixOf(t.tensors.logits, end - start), segmentMs };
    });
  }

  saveShard(key: string, start: number, end: number, s: FeatureShard): void {
    const names: [string, string][] = [];
    const tensors: Record<string, SafetensorsTensor> = { logits: tensorOf(s.logits) };
    for (const [tap, byPooling] of Object.entries(s.features)) {
      for (const [pooling, m] of Object.entries(byPooling)) {
        tensors[`f${names.length}`] = tensorOf(m);
        names.push([tap, pooling]);
      }
    }
    this.write(this.shardPath(key, start, end), tensors, {
      names: JSON.stringify(names),
      segment_ms: JSON.stringify(s.segmentMs),
    });
  }

  /** The head trained under `key`, or undefined. */
  head(key: string): TrainedHead | undefined {
    return this.read(join(this.dir, "heads", `${key}.safetensors`), (t) => ({
      // (the constructor checks the parameter count against the shape)
      head: new MlpHead(
        JSON.parse(t.metadata.shape!) as MlpHeadShape,
        Float32Array.from(t.tensors.params!.data as Float32Array),
      ),
      history: JSON.parse(t.metadata.history!),
      bestEpoch: Number(t.metadata.best_epoch),
    }));
  }

  saveHead(key: string, h: TrainedHead): void {
    const p = h.head.params;
    this.write(
      join(this.dir, "heads", `${key}.safetensors`),
      { params: { dtype: "F32", shape: [p.length], data: p } },
      {
        shape: JSON.stringify(h.head.shape),
        history: JSON.stringify(h.history),
        best_epoch: String(h.bestEpoch),
      },
    );
  }

  private shardPath(key: string, start: number, end: number): string {
    return join(this.dir, "features", key, `${start}-${end}.safetensors`);
  }

  /** `decode` of the entry at `path`; undefined when there is none, or it cannot be read or decoded. */
  private read<T>(path: string, decode: (t: Safetensors) => T): T | undefined {
    if (!existsSync(path)) return undefined;
    try {
      return decode(readSafetensors(readFileSync(path), path));
    } catch (e) {
      this.log(`attach cache: ${path} is unreadable (${(e as Error).message}); computing it again`);
      return undefined;
    }
  }

  private write(path: string, tensors: Record<string, SafetensorsTensor>, metadata: Record<string, string>) {
    try {
      writeFileAtomic(path, writeSafetensors(tensors, metadata));
    } catch (e) {
      // a full or read-only disk costs the next attach time, not this one its result
      this.log(`attach cache: could not write ${path} (${(e as Error).message}); going on without it`);
    }
  }
}

/**
 * The key of a split's features: a sha256 of transformers.js's version, the MainNet (graph, and every file
 * beside it but weights of other formats: config, tokenizer, processor),
 * the taps, poolings and batch size, and each item's content as `itemKey` gives it.
 */
export async function featuresKey<Item>(
  mainnet: MainNet<Item>,
  taps: readonly string[],
  poolings: readonly string[],
  batchSize: number,
  items: readonly Item[],
  itemKey: (item: Item) => Promise<string | Uint8Array>,
): Promise<string> {
  const h = createHash("sha256");
  // (transformers.js's version too: its tokenizers and image processors make the inputs)
  const transformers = env.version;
  part(
    h,
    JSON.stringify({
      v: VERSION,
      transformers,
      graph: mainnet.sha256,
      taps,
      poolings,
      batchSize,
      n: items.length,
    }),
  );
  // the files beside the graph (config, tokenizer, processor); weights of other formats a hub snapshot
  // may hold (model.safetensors, pytorch_model.bin …) do not change the ONNX graph's features
  for (const f of readdirSync(mainnet.dir).sort()) {
    const p = join(mainnet.dir, f);
    if (statSync(p).isFile() && !WEIGHTS.test(f)) {
      part(h, f);
      part(h, sha256File(p));
    }
  }
  // (image files are read 64 at a time: one after another, 55 000 small reads take seconds)
  for (let i = 0; i < items.length; i += 64) {
    for (const k of await Promise.all(items.slice(i, i + 64).map(itemKey))) part(h, k);
  }
  return h.digest("hex");
}

/** The key of a head: the features it trains on, its labels, its pooling and options. */
export function headKey(
  features: string,
  tap: string,
  pooling: string,
  labels: Int32Array,
  options: object,
): string {
  const h = createHash("sha256");
  part(h, JSON.stringify({ v: VERSION, features, tap, pooling, options }));
  part(h, new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
  return h.digest("hex");
}

/** Length-prefixed, so that no two sequences of parts hash alike. */
function part(h: Hash, x: string | Uint8Array): void {
  const bytes = typeof x === "string" ? new TextEncoder().encode(x) : x;
  h.update(`${bytes.length}:`);
  h.update(bytes);
}

/** A `[rows, cols]` F32 tensor as a matrix (anything else: an error, and the entry is computed again). */
function matrixOf(t: SafetensorsTensor | undefined, rows: number): Matrix {
  if (t?.dtype !== "F32" || t.shape.length !== 2 || t.shape[0] !== rows) {
    throw new Error(`a tensor is not F32 [${rows}, ·]`);
  }
  return { data: t.data, rows, cols: t.shape[1]! };
}
const tensorOf = (m: Matrix): SafetensorsTensor => ({ dtype: "F32", shape: [m.rows, m.cols], data: m.data });
