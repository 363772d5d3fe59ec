import { IncompatibleModelError } from "../errors.js";
import type { Matrix } from "../math/matrix.js";
import { splitModel } from "../onnx/split.js";
import { POOLINGS, type PoolingName } from "../pooling/index.js";
import type { HfModel, TensorMap } from "../runtime/transformers.js";
import { ProgressBar } from "../util/progress.js";
import type { MainNet } from "./mainnet.js";

/** Pooled features at each tap and pooling, and the MainNet's logits, for a list of items. */
export interface Features {
  /** `features[tap][pooling]`: `[rows, hidden]`. */
  features: Record<string, Record<string, Matrix>>;
  logits: Matrix;
  /** Wall-clock milliseconds spent in each segment over the whole pass (segment i ends at tap i). */
  segmentMs: number[];
}

/** Runs the MainNet split at fixed taps over lists of items; sessions are loaded once for every pass. */
export interface FeatureExtractor<Item> {
  run(items: readonly Item[], options?: { batchSize?: number; label?: string }): Promise<Features>;
  dispose(): Promise<void>;
}

/**
 * Splits the MainNet at `taps` once and loads the segments once; each {@link FeatureExtractor.run} passes
 * items through them, pooling each tap every way asked and keeping the MainNet's logits (design.md §6
 * step 2). Batches of `batchSize` (default 32), with a progress bar.
 */
export async function featureExtractor<Item>(
  mainnet: MainNet<Item>,
  taps: readonly string[],
  poolings: readonly PoolingName[],
): Promise<FeatureExtractor<Item>> {
  const split = splitModel(mainnet.graph, taps);
  const segments: HfModel[] = await mainnet.sessions(
    split.segments.map((seg, i) => ({ name: `sidenet_segment_${i}`, bytes: seg.bytes })),
  );
  return {
    run: (items, options = {}) => pass(mainnet, segments, taps, poolings, items, options),
    dispose: async () => {
      await Promise.all(segments.map((s) => s.dispose()));
    },
  };
}

async function pass<Item>(
  mainnet: MainNet<Item>,
  segments: readonly HfModel[],
  taps: readonly string[],
  poolings: readonly PoolingName[],
  items: readonly Item[],
  options: { batchSize?: number; label?: string },
): Promise<Features> {
  const batchSize = options.batchSize ?? 32;
  const n = items.length;
  const chunks = new Map<string, Float32Array[]>();
  const logitChunks: Float32Array[] = [];
  const cols = new Map<string, number>();
  let classes = 0;
  const segmentMs = new Array<number>(segments.length).fill(0);
  const bar = new ProgressBar(options.label ?? "features", n);
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
    bar.update(Math.min(n, start + batchSize));
  }
  const cat = (parts: Float32Array[], width: number): Matrix => {
    const data = new Float32Array(n * width);
    let o = 0;
    for (const p of parts) {
      data.set(p, o);
      o += p.length;
    }
    return { data, rows: n, cols: width };
  };
  const features: Features["features"] = {};
  for (const [key, parts] of chunks) {
    const [tap, p] = key.split("\u0000") as [string, string];
    features[tap] ??= {};
    features[tap]![p] = cat(parts, cols.get(key)!);
  }
  return { features, logits: cat(logitChunks, classes), segmentMs };
}
