import { ShapeMismatchError } from "../errors.js";
import type { MlpHead } from "../head/mlp-head.js";
import type { ConfidenceMeasure } from "../math/confidence.js";
import type { Matrix } from "../math/matrix.js";
import type { CascadeSpec } from "../routing/cascade.js";
import { selectTensorRows, type TensorLike, type TypedArray } from "./tensor.js";

/** A batch in flight: named tensors (inputs, taps, carried tensors, logits). */
export type TensorState<T> = Record<string, T>;

/** A loaded segment: maps the tensors it reads to the tensors it produces (e.g. a transformers.js model). */
export type SegmentRunner<T> = (feeds: TensorState<T>) => Promise<TensorState<T>>;

/** An exit of a segment cascade: pooling of the tap, the head and its calibration. */
export interface SegmentExit<T> {
  tap: string;
  /** Pooled features `[rows, head inputSize]` from the state after the tap's segment. */
  pool(state: TensorState<T>): Matrix;
  head: MlpHead;
  /**
   * Output of the tap's segment that already holds the head's logits (pooling and head folded into the
   * graph); then `pool` and `head` are not run.
   */
  logitsOutput?: string;
  temperature: number;
  threshold: number;
  measure?: ConfidenceMeasure;
  /** Patience: leave only with the same answer as at the previous exit. */
  agreeWithPrevious?: boolean;
}

/** What {@link segmentCascadeSpec} needs. */
export interface SegmentCascadeOptions<T extends TensorLike> {
  classes: number;
  segments: readonly SegmentRunner<T>[];
  /** Tensor names each segment reads (`Segment.inputs`). */
  segmentInputs: readonly (readonly string[])[];
  exits: readonly SegmentExit<T>[];
  /** Carried tensors every row shares (e.g. relative positions `[tokens, tokens]`): compaction passes them whole. */
  shared?: readonly string[];
  /** Tensors the exits' pooling reads besides their tap (e.g. `attention_mask`). */
  poolingInputs?: readonly string[];
  /** Wraps compacted data in the caller's tensor class. */
  makeTensor(type: string, data: TypedArray, dims: number[]): T;
  /** Frees a tensor the cascade created (optional). */
  disposeTensor?(t: T): void;
  /** Name of the MainNet's output. */
  logitsName?: string;
}

/**
 * Builds a {@link CascadeSpec} over ONNX segments: stage i runs segment i on the state, exit i pools
 * its tap and runs the head, compaction slices every tensor of the state along dim 0. The state keeps
 * only what later segments or exits still read, so compaction copies no dead tensors. Tensors of the
 * caller's input are never disposed.
 */
export function segmentCascadeSpec<T extends TensorLike>(
  o: SegmentCascadeOptions<T>,
): CascadeSpec<TensorState<T>> {
  const logitsName = o.logitsName ?? "logits";
  const n = o.segments.length;
  if (o.segmentInputs.length !== n || o.exits.length !== n - 1) {
    throw new ShapeMismatchError(
      `segmentCascadeSpec: ${n} segments, ${o.segmentInputs.length} input lists and ${o.exits.length} exits; need one input list per segment and segments − 1 exits.`,
    );
  }
  // needAfter[i]: tensors to keep once segment i has run
  const needAfter = o.segments.map((_, i) => {
    const keep = new Set<string>(o.poolingInputs ?? []);
    for (let j = i + 1; j < n; j++) for (const x of o.segmentInputs[j]!) keep.add(x);
    if (i < n - 1) keep.add(o.exits[i]!.logitsOutput ?? o.exits[i]!.tap);
    else keep.add(logitsName);
    return keep;
  });
  const owned = new WeakSet<object>();
  const shared = new Set(o.shared ?? []);
  const free = (state: TensorState<T>, next?: TensorState<T>) => {
    if (!o.disposeTensor) return;
    const alive = new Set(next ? Object.values(next) : []);
    for (const t of Object.values(state)) if (owned.has(t) && !alive.has(t)) o.disposeTensor(t);
  };
  const rowsOf = (s: TensorState<T>) => {
    for (const t of Object.values(s)) return t.dims[0] ?? 0;
    return 0;
  };
  return {
    classes: o.classes,
    stages: o.segments.map((run, i) => ({
      run: async (state: TensorState<T>) => {
        const out = await run(state);
        for (const t of Object.values(out)) owned.add(t);
        const next: TensorState<T> = {};
        for (const [k, t] of Object.entries({ ...state, ...out })) if (needAfter[i]!.has(k)) next[k] = t;
        // outputs not kept are garbage now
        if (o.disposeTensor) for (const [k, t] of Object.entries(out)) if (!(k in next)) o.disposeTensor(t);
        return next;
      },
    })),
    exits: o.exits.map((e) => ({
      threshold: e.threshold,
      measure: e.measure,
      agreeWithPrevious: e.agreeWithPrevious,
      logits: (state: TensorState<T>) => {
        const logits =
          e.logitsOutput === undefined ? headLogits(e, state) : foldedLogits(e.logitsOutput, state);
        if (e.temperature !== 1)
          for (let i = 0; i < logits.length; i++) logits[i] = logits[i]! / e.temperature;
        return logits;
      },
    })),
    final: (state) => {
      const t = state[logitsName];
      if (!t)
        throw new ShapeMismatchError(`segmentCascadeSpec: the last segment produced no "${logitsName}".`);
      return t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>);
    },
    rows: rowsOf,
    select: (state, rows) => {
      const next: TensorState<T> = {};
      for (const [k, t] of Object.entries(state)) {
        if (shared.has(k)) {
          next[k] = t;
          continue;
        }
        const { data, dims } = selectTensorRows(t, rows);
        const made = o.makeTensor(t.type, data, dims);
        owned.add(made);
        next[k] = made;
      }
      return next;
    },
    dispose: free,
  };
}

function headLogits<T extends TensorLike>(e: SegmentExit<T>, state: TensorState<T>): Float32Array {
  const f = e.pool(state);
  return e.head.forward(f.data, f.rows);
}

/** A copy of the logits a folded head computed in the segment graph. */
function foldedLogits<T extends TensorLike>(name: string, state: TensorState<T>): Float32Array {
  const t = state[name];
  if (!t || !(t.data instanceof Float32Array)) {
    throw new ShapeMismatchError(
      `segmentCascadeSpec: the segment produced no float32 "${name}" (the exit's folded head logits).`,
    );
  }
  return t.data.slice();
}
