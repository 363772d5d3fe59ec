import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeModel, type Matrix, ProgressBar, splitModel } from "@sidenet/core";
import {
  AutoModel,
  AutoTokenizer,
  DEFAULT_SESSION_OPTIONS,
  type HfModel,
  type TensorMap,
} from "@sidenet/core/hf";
import { poolText, type TextPooling } from "./pooling.js";

/** Pooled features at each tap and pooling, and the MainNet's logits, for a list of texts. */
export interface TextFeatures {
  /** `features[tap][pooling]`: `[rows, hidden]`. */
  features: Record<string, Record<string, Matrix>>;
  logits: Matrix;
}

/**
 * Runs the MainNet over `texts` once, split at every tap, pooling each tap both ways and keeping the
 * MainNet's logits (design.md §6 step 2). Batches of `batchSize`, with a progress bar.
 */
export async function extractTextFeatures(
  mainnetDir: string,
  texts: readonly string[],
  options: { taps: readonly string[]; poolings: readonly TextPooling[]; batchSize?: number; label?: string },
): Promise<TextFeatures> {
  const batchSize = options.batchSize ?? 32;
  const split = splitModel(decodeModel(readFileSync(join(mainnetDir, "onnx", "model.onnx"))), options.taps);
  const tmp = mkdtempSync(join(tmpdir(), "sidenet-features-"));
  const segments: HfModel[] = [];
  try {
    copyFileSync(join(mainnetDir, "config.json"), join(tmp, "config.json"));
    mkdirSync(join(tmp, "onnx"));
    for (const [i, s] of split.segments.entries()) {
      writeFileSync(join(tmp, "onnx", `sidenet_segment_${i}.onnx`), s.bytes);
      segments.push(
        await AutoModel.from_pretrained(tmp, {
          model_file_name: `sidenet_segment_${i}`,
          session_options: DEFAULT_SESSION_OPTIONS,
        }),
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const tokenizer = (await AutoTokenizer.from_pretrained(mainnetDir)) as (
    t: string[],
    o: { padding: boolean; truncation: boolean },
  ) => TensorMap;
  const n = texts.length;
  const chunks: Record<string, Record<string, Float32Array[]>> = {};
  const logitChunks: Float32Array[] = [];
  let hidden = 0;
  let classes = 0;
  const bar = new ProgressBar(options.label ?? "features", n);
  for (let start = 0; start < n; start += batchSize) {
    const batch = texts.slice(start, start + batchSize) as string[];
    let state: TensorMap = tokenizer(batch, { padding: true, truncation: true });
    for (const [i, seg] of segments.entries()) {
      state = { ...state, ...(await (seg as unknown as (x: TensorMap) => Promise<TensorMap>)(state)) };
      const tap = options.taps[i];
      if (tap === undefined) continue;
      for (const p of options.poolings) {
        const m = poolText(state[tap]!, state.attention_mask, p);
        hidden = m.cols;
        const byPool = chunks[tap] ?? {};
        chunks[tap] = byPool;
        const parts = byPool[p] ?? [];
        byPool[p] = parts;
        parts.push(m.data);
      }
    }
    const logits = state.logits!;
    classes = logits.dims[1]!;
    logitChunks.push(Float32Array.from(logits.data as Float32Array));
    bar.update(Math.min(n, start + batchSize));
  }
  await Promise.all(segments.map((s) => s.dispose()));
  const cat = (parts: Float32Array[], cols: number): Matrix => {
    const data = new Float32Array(n * cols);
    let o = 0;
    for (const p of parts) {
      data.set(p, o);
      o += p.length;
    }
    return { data, rows: n, cols };
  };
  const features: TextFeatures["features"] = {};
  for (const [tap, byPool] of Object.entries(chunks)) {
    features[tap] = {};
    for (const [p, parts] of Object.entries(byPool)) features[tap]![p] = cat(parts, hidden);
  }
  return { features, logits: cat(logitChunks, classes) };
}
