import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Matrix } from "../math/matrix.js";
import { decodeModel } from "../onnx/graph.js";
import { splitModel } from "../onnx/split.js";
import { ProgressBar } from "../util/progress.js";
import type { ModalityAdapter } from "./adapter.js";
import { loadGraphSessions } from "./graph-sessions.js";
import type { TensorMap } from "./transformers.js";

/** Pooled features at each tap and pooling, and the MainNet's logits, for a list of items. */
export interface Features {
  /** `features[tap][pooling]`: `[rows, hidden]`. */
  features: Record<string, Record<string, Matrix>>;
  logits: Matrix;
  /** Wall-clock milliseconds spent in each segment over the whole pass (segment i ends at tap i). */
  segmentMs: number[];
}

/**
 * Runs the MainNet over `items` once, split at every tap, pooling each tap every way asked and keeping
 * the MainNet's logits (design.md §6 step 2). Batches of `batchSize`, with a progress bar.
 */
export async function extractFeatures<Item>(
  adapter: ModalityAdapter<Item>,
  mainnetDir: string,
  items: readonly Item[],
  options: { taps: readonly string[]; poolings: readonly string[]; batchSize?: number; label?: string },
): Promise<Features> {
  const batchSize = options.batchSize ?? 32;
  const split = splitModel(decodeModel(readFileSync(join(mainnetDir, "onnx", "model.onnx"))), options.taps);
  const segments = await loadGraphSessions(
    mainnetDir,
    split.segments.map((seg, i) => ({ name: `sidenet_segment_${i}`, bytes: seg.bytes })),
  );
  const prepare = await adapter.prepare(mainnetDir);
  const n = items.length;
  const chunks = new Map<string, Float32Array[]>();
  const logitChunks: Float32Array[] = [];
  const cols = new Map<string, number>();
  let classes = 0;
  const segmentMs = new Array<number>(segments.length).fill(0);
  const bar = new ProgressBar(options.label ?? "features", n);
  try {
    for (let start = 0; start < n; start += batchSize) {
      let state: TensorMap = await prepare(items.slice(start, start + batchSize) as Item[]);
      for (const [i, seg] of segments.entries()) {
        const t0 = performance.now();
        state = { ...state, ...(await seg(state)) };
        segmentMs[i]! += performance.now() - t0;
        const tap = options.taps[i];
        if (tap === undefined) continue;
        for (const p of options.poolings) {
          const m = adapter.pool(state, tap, p);
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
  } finally {
    await Promise.all(segments.map((s) => s.dispose()));
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
