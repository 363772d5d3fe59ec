import { IncompatibleModelError } from "../errors.js";
import type { Matrix } from "../math/matrix.js";
import { splitModel } from "../onnx/split.js";
import { POOLINGS, type PoolingName } from "../pooling/index.js";
import type { HfModel, TensorMap } from "../runtime/transformers.js";
import { ProgressBar } from "../util/progress.js";
import type { AttachCache, FeatureShard } from "./attach-cache.js";
import type { MainNet } from "./mainnet.js";

/** Pooled features at each tap and pooling, and the MainNet's logits, for a list of items. */
export interface Features {
  /** `features[tap][pooling]`: `[rows, hidden]`. */
  features: Record<string, Record<string, Matrix>>;
  logits: Matrix;
  /**
   * Wall-clock milliseconds spent in each segment over the whole pass (segment i ends at tap i), as
   * measured when each shard was computed (cached shards keep their first measurement).
   */
  segmentMs: number[];
  /** Rows whose features came from the cache. */
  cachedRows: number;
}

/** Where a pass keeps and finds its shards: the cache and the split's key ({@link featuresKey}). */
export interface ShardStore {
  cache: AttachCache;
  key: string;
}

/** Runs the MainNet split at fixed taps over lists of items; sessions are loaded once for every pass. */
export interface FeatureExtractor<Item> {
  run(
    items: readonly Item[],
    options?: { batchSize?: number; label?: string; store?: ShardStore },
  ): Promise<Features>;
  dispose(): Promise<void>;
}

/** Rows per cached shard, in batches: an interrupted pass loses at most one shard of work. */
const SHARD_BATCHES = 64;

/**
 * Splits the MainNet at `taps` once and loads the segments once (on first use: a pass that finds every
 * shard in the cache loads none); each {@link FeatureExtractor.run} passes items through them, pooling
 * each tap every way asked and keeping the MainNet's logits (design.md §6 step 2). Batches of `batchSize`
 * (default 32), with a progress bar; with a `store`, shards of {@link SHARD_BATCHES} batches are read
 * from it when there and written to it when computed.
 */
export async function featureExtractor<Item>(
  mainnet: MainNet<Item>,
  taps: readonly string[],
  poolings: readonly PoolingName[],
): Promise<FeatureExtractor<Item>> {
  let segments: Promise<HfModel[]> | undefined;
  const load = () => {
    segments ??= (async () => {
      const split = splitModel(mainnet.graph, taps);
      return mainnet.sessions(
        split.segments.map((seg, i) => ({ name: `sidenet_segment_${i}`, bytes: seg.bytes })),
      );
    })();
    return segments;
  };
  return {
    run: async (items, options = {}) => {
      const batchSize = options.batchSize ?? 32;
      const shard = batchSize * SHARD_BATCHES;
      const n = items.length;
      const bar = new ProgressBar(options.label ?? "features", n);
      // each shard is copied into matrices of all n rows as it comes, then dropped (peak: one shard more)
      let out: Omit<Features, "cachedRows"> | undefined;
      let cached = 0;
      for (let start = 0; start < n; start += shard) {
        const end = Math.min(n, start + shard);
        let s = options.store?.cache.shard(options.store.key, start, end);
        if (s && out && !fits(out, s)) s = undefined; // (a cache entry of other widths: computed again)
        if (s) cached += end - start;
        else {
          s = await pass(mainnet, await load(), taps, poolings, items.slice(start, end), batchSize, (done) =>
            bar.update(start + done),
          );
          options.store?.cache.saveShard(options.store.key, start, end, s);
        }
        out ??= allocate(s, n);
        place(out, s, start);
        bar.update(end);
      }
      return {
        ...(out ?? { features: {}, logits: { data: new Float32Array(0), rows: 0, cols: 0 }, segmentMs: [] }),
        cachedRows: cached,
      };
    },
    dispose: async () => {
      if (segments) await Promise.all((await segments).map((s) => s.dispose()));
    },
  };
}

async function pass<Item>(
  mainnet: MainNet<Item>,
  segments: readonly HfModel[],
  taps: readonly string[],
  poolings: readonly PoolingName[],
  items: readonly Item[],
  batchSize: number,
  progress: (done: number) => void,
): Promise<FeatureShard> {
  const n = items.length;
  const chunks = new Map<string, Float32Array[]>();
  const logitChunks: Float32Array[] = [];
  const cols = new Map<string, number>();
  let classes = 0;
  const segmentMs = new Array<number>(segments.length).fill(0);
  for (let start = 0; start < n; start += batchSize) {
    let state: TensorMap = await mainnet.prepare(items.slice(start, start + batchSize) as Item[]);
    for (const [i, seg] of segments.entries()) {
      const t0 = performance.now();
      state = { ...state, ...(await seg(state)) };
      segmentMs[i]! += performance.now() - t0;
      const tap = taps[i];
      if (tap === undefined) continue;
      const t = state[tap];
      if (t && t.type !== "float32") {
        throw new IncompatibleModelError(
          `attach: tap "${tap}" holds ${t.type} values (shape [${t.dims.join(", ")}]); a SideNet head reads float32 features. Name a float tensor of ${mainnet.dir}/onnx/model.onnx (\`sidenet inspect\` lists the candidates found by structure)`,
        );
      }
      for (const p of poolings) {
        const m = POOLINGS[p].pool(state, tap);
        const key = `${tap}\u0000${p}`;
        cols.set(key, m.cols);
        const parts = chunks.get(key) ?? [];
        chunks.set(key, parts);
        parts.push(m.data);
      }
    }
    const logits = state.logits!;
    classes = logits.dims[1]!;
    logitChunks.push(Float32Array.from(logits.data as Float32Array));
    progress(Math.min(n, start + batchSize));
  }
  const features: FeatureShard["features"] = {};
  for (const [key, parts] of chunks) {
    const [tap, p] = key.split("\u0000") as [string, string];
    features[tap] ??= {};
    features[tap]![p] = cat(parts, n, cols.get(key)!);
  }
  return { features, logits: cat(logitChunks, n, classes), segmentMs };
}

/** Matrices of `n` rows shaped like `shard`'s (features, logits), and segment times at 0. */
function allocate(shard: FeatureShard, n: number): Omit<Features, "cachedRows"> {
  const like = (m: Matrix): Matrix => ({ data: new Float32Array(n * m.cols), rows: n, cols: m.cols });
  const features: Features["features"] = {};
  for (const [tap, byPooling] of Object.entries(shard.features)) {
    features[tap] = {};
    for (const [p, m] of Object.entries(byPooling)) features[tap]![p] = like(m);
  }
  return { features, logits: like(shard.logits), segmentMs: shard.segmentMs.map(() => 0) };
}

/** Whether `shard` has every matrix of `out`, with its widths. */
function fits(out: Omit<Features, "cachedRows">, shard: FeatureShard): boolean {
  if (shard.logits.cols !== out.logits.cols || shard.segmentMs.length !== out.segmentMs.length) return false;
  return Object.entries(out.features).every(([tap, byPooling]) =>
    Object.entries(byPooling).every(([p, m]) => shard.features[tap]?.[p]?.cols === m.cols),
  );
}

/** Copies `shard` into `out` from row `start` on, and adds its segment times. */
function place(out: Omit<Features, "cachedRows">, shard: FeatureShard, start: number): void {
  for (const [tap, byPooling] of Object.entries(out.features)) {
    for (const [p, m] of Object.entries(byPooling)) m.data.set(shard.features[tap]![p]!.data, start * m.cols);
  }
  out.logits.data.set(shard.logits.data, start * out.logits.cols);
  for (const [i, ms] of shard.segmentMs.entries()) out.segmentMs[i]! += ms;
}

function cat(parts: readonly Float32Array[], rows: number, width: number): Matrix {
  const data = new Float32Array(rows * width);
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  return { data, rows, cols: width };
}
