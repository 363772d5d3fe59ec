import { ShapeMismatchError } from "../errors.js";
import { type ConfidenceMeasure, confidence } from "../math/confidence.js";
import { argmaxRows, softmax } from "../math/softmax.js";
import { checkThreshold, type ExitRule, leaves } from "./exit-rule.js";

type MaybePromise<T> = T | Promise<T>;

/** A piece of the MainNet: maps the batch state before it to the state after it. */
export interface CascadeStage<S> {
  run(state: S): MaybePromise<S>;
}

/** A SideNet exit, evaluated on the state after the stage of the same index. */
export interface CascadeExit<S> {
  /** Logits `[rows, classes]` (temperature already applied). */
  logits(state: S): MaybePromise<Float32Array>;
  /** Default τ of this exit. */
  threshold: number;
  measure?: ConfidenceMeasure;
  /**
   * Patience: a row may leave here only if it also got the same answer at the previous exit it
   * passed (ignored at the first exit).
   */
  agreeWithPrevious?: boolean;
}

/**
 * Everything the cascade needs to know about a batch state `S`; it never looks inside one.
 * `stages.length` must be `exits.length + 1`: exit i runs after stage i, the last stage ends the MainNet.
 */
export interface CascadeSpec<S> {
  classes: number;
  stages: readonly CascadeStage<S>[];
  exits: readonly CascadeExit<S>[];
  /** The MainNet's logits `[rows, classes]` from the state after the last stage. */
  final(state: S): MaybePromise<Float32Array>;
  rows(state: S): number;
  /** The state restricted to the given rows, in that order (row compaction along dim 0). */
  select(state: S, rows: Int32Array): MaybePromise<S>;
  /**
   * Frees a state the cascade no longer needs (never called on the caller's input). `next` is the state
   * replacing it, which may share parts with it: free only what `next` does not hold.
   */
  dispose?(state: S, next?: S): void;
}

/** Result of {@link runCascade}, one entry per input row, in input order. */
export interface CascadeOutput {
  rows: number;
  classes: number;
  /** Logits `[rows, classes]`: the exit's (temperature-scaled) logits, or the MainNet's. */
  logits: Float32Array;
  /** `softmax(logits)`. */
  probs: Float32Array;
  /** Exit index each row left at, or −1 for the MainNet. */
  exitIndex: Int32Array;
  /** Confidence that decided the row (at its exit; for MainNet rows the MainNet's max-prob). */
  confidence: Float32Array;
  /** Milliseconds from the start of the call until the row's answer was known. */
  elapsedMs: Float64Array;
  /** Rows that left at each exit, then the MainNet count last. */
  exitCounts: number[];
}

/** Per-call options of {@link runCascade}. */
export interface RunCascadeOptions {
  /** Overrides the exits' τ (one per exit). */
  thresholds?: readonly number[];
  /** `false` ignores the exits' `agreeWithPrevious` (to read each exit on its own). Default true. */
  patience?: boolean;
}

/**
 * Runs a batch through stages and exits. After each exit the rows whose confidence is ≥ τ
 * leave with the exit's answer; the others are compacted into a smaller batch for the next stage.
 * Results are scattered back in input order; no row is lost or duplicated.
 */
export async function runCascade<S>(
  spec: CascadeSpec<S>,
  input: S,
  options: RunCascadeOptions = {},
): Promise<CascadeOutput> {
  const { classes, stages, exits } = spec;
  if (stages.length !== exits.length + 1) {
    throw new ShapeMismatchError(
      `runCascade: ${stages.length} stages for ${exits.length} exits; need exits + 1 stages.`,
    );
  }
  const thresholds = exits.map((e, i) =>
    checkThreshold("runCascade", `thresholds[${i}]`, options.thresholds?.[i] ?? e.threshold),
  );
  const t0 = performance.now();
  const n = spec.rows(input);
  const out: CascadeOutput = {
    rows: n,
    classes,
    logits: new Float32Array(n * classes),
    probs: new Float32Array(n * classes),
    exitIndex: new Int32Array(n).fill(-1),
    confidence: new Float32Array(n),
    elapsedMs: new Float64Array(n),
    exitCounts: new Array<number>(exits.length + 1).fill(0),
  };
  let active = Int32Array.from({ length: n }, (_, i) => i);
  // each active row's answer at the previous exit (for patience)
  let previous: Int32Array | undefined;
  let state = input;
  const replace = (next: S) => {
    if (state !== input && next !== state) spec.dispose?.(state, next);
    state = next;
  };
  try {
    for (let s = 0; s < stages.length && active.length > 0; s++) {
      replace(await stages[s]!.run(state));
      const last = s === exits.length;
      const logits = await (last ? spec.final(state) : exits[s]!.logits(state));
      if (logits.length !== active.length * classes) {
        throw new ShapeMismatchError(
          `runCascade: ${last ? "the MainNet" : `exit ${s}`} returned ${logits.length} logits for ${active.length} rows × ${classes} classes.`,
        );
      }
      const probs = softmax(logits, classes);
      const conf = confidence(probs, classes, last ? "max-prob" : (exits[s]!.measure ?? "max-prob"));
      const now = performance.now() - t0;
      const answer = last ? undefined : argmaxRows(probs, classes);
      const rule: ExitRule | undefined = last
        ? undefined
        : {
            measure: exits[s]!.measure ?? "max-prob",
            agreeWithPrevious: options.patience !== false && exits[s]!.agreeWithPrevious === true,
          };
      const keep: number[] = [];
      for (let r = 0; r < active.length; r++) {
        if (rule && !leaves(conf[r]!, thresholds[s]!, rule, answer![r]!, previous?.[r])) {
          keep.push(r);
          continue;
        }
        const row = active[r]!;
        out.logits.set(logits.subarray(r * classes, (r + 1) * classes), row * classes);
        out.probs.set(probs.subarray(r * classes, (r + 1) * classes), row * classes);
        out.exitIndex[row] = last ? -1 : s;
        out.confidence[row] = conf[r]!;
        out.elapsedMs[row] = now;
        out.exitCounts[s]!++;
      }
      if (answer)
        previous = keep.length === active.length ? answer : Int32Array.from(keep, (r) => answer[r]!);
      if (!last && keep.length > 0 && keep.length < active.length) {
        const keepIdx = Int32Array.from(keep);
        replace(await spec.select(state, keepIdx));
        active = Int32Array.from(keepIdx, (r) => active[r]!);
      } else if (keep.length === 0) {
        active = new Int32Array(0);
      }
    }
  } finally {
    if (state !== input) spec.dispose?.(state);
  }
  return out;
}
