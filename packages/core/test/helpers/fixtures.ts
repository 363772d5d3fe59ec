import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { decodeModel, splitModel } from "../../src/index.js";
import { Rng } from "../../src/internal.js";

export const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "..",
  "fixtures",
  "models",
);

export function fixtureBytes(name: "bert" | "resnet", file = "model.onnx"): Uint8Array {
  return readFileSync(join(FIXTURES, name, "onnx", file));
}

/** A padded batch of random token ids with mixed lengths (ids in the fixture's vocabulary). */
export function bertFeeds(rows: number, seqLen: number, seed: number): Record<string, ort.Tensor> {
  const rng = new Rng(seed);
  const ids = new BigInt64Array(rows * seqLen);
  const mask = new BigInt64Array(rows * seqLen);
  for (let r = 0; r < rows; r++) {
    const len = 2 + Math.floor(rng.next() * (seqLen - 1));
    for (let t = 0; t < len; t++) {
      ids[r * seqLen + t] = t === 0 ? 2n : t === len - 1 ? 3n : BigInt(5 + Math.floor(rng.next() * 7990));
      mask[r * seqLen + t] = 1n;
    }
  }
  return {
    input_ids: new ort.Tensor("int64", ids, [rows, seqLen]),
    attention_mask: new ort.Tensor("int64", mask, [rows, seqLen]),
    token_type_ids: new ort.Tensor("int64", new BigInt64Array(rows * seqLen), [rows, seqLen]),
  };
}

export function resnetFeeds(rows: number, seed: number): Record<string, ort.Tensor> {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: rows * 3 * 28 * 28 }, () => (rng.next() - 0.286) / 0.353);
  return { pixel_values: new ort.Tensor("float32", x, [rows, 3, 28, 28]) };
}

/** Options used for every test session: one thread without spinning, so parallel test files do not fight over cores. */
export const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  extra: { session: { intra_op: { allow_spinning: "0" } } },
};

/** Runs segments one after another, keeping every tensor produced in a shared state. */
export async function runSegments(
  segments: { bytes: Uint8Array; inputs: string[] }[],
  feeds: Record<string, ort.Tensor>,
): Promise<Float32Array> {
  let state: Record<string, ort.Tensor> = { ...feeds };
  for (const seg of segments) {
    const session = await ort.InferenceSession.create(seg.bytes, SESSION_OPTIONS);
    const out = await session.run(Object.fromEntries(seg.inputs.map((n) => [n, state[n]!])));
    await session.release();
    state = { ...state, ...out };
  }
  return state.logits!.data as Float32Array;
}

export async function runFull(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  // only what the graph reads (families differ: DistilBERT, RoBERTa and ModernBERT take no token_type_ids)
  const out = await session.run(Object.fromEntries(session.inputNames.map((n) => [n, feeds[n]!])));
  await session.release();
  return out.logits!.data as Float32Array;
}

/** An int64 ORT tensor from plain numbers (token ids, masks). */
export function int64Tensor(values: readonly number[], dims: number[]): ort.Tensor {
  return new ort.Tensor("int64", BigInt64Array.from(values, BigInt), dims);
}

export function float32Tensor(values: readonly number[], dims: number[]): ort.Tensor {
  return new ort.Tensor("float32", Float32Array.from(values), dims);
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * The worst max |Δlogit| between the full model and its segments, over a cut at each tap alone and at all
 * taps at once (the families tests' "exact split" check).
 */
export async function worstSplitDiff(
  bytes: Uint8Array,
  taps: readonly string[],
  feeds: Record<string, ort.Tensor>,
): Promise<number> {
  const full = await runFull(bytes, feeds);
  let worst = 0;
  for (const cuts of [...taps.map((t) => [t]), [...taps]]) {
    const split = splitModel(decodeModel(bytes), cuts);
    worst = Math.max(worst, maxAbsDiff(await runSegments(split.segments, feeds), full));
  }
  return worst;
}
