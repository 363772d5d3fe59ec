/**
 * What the cascade searches need of each candidate exit, computed once per criterion: its answers, its
 * confidences, the τ grid tried and each row's level in that grid (how many of the grid's τ it reaches),
 * and, once per candidate, whether its answer would be newly wrong, newly right or differ from the
 * MainNet's on each row. With these, a row's fate in a cascade is integer comparisons and its effect on
 * the figures is three flags, so sweeps and searches never recompute a confidence.
 */
import { confidence } from "../math/confidence.js";
import { argmaxRows } from "../math/softmax.js";
import { type ExitCriterion, exitRule } from "../routing/exit-rule.js";
import type { CascadeSweepInput } from "./cascade-sweep.js";

/** Row flags of an answer compared with the label and the MainNet's answer. */
export const NEWLY_WRONG = 1;
export const NEWLY_RIGHT = 2;
export const DISAGREES = 4;

/** One candidate exit under one criterion. */
export interface ScoredCandidate {
  /** The exit's answer per row. */
  pred: Int32Array;
  /** The criterion's confidence per row. */
  conf: Float32Array;
  /** τ values tried, ascending; the last is 1 (off). */
  taus: number[];
  /** Per row: how many τ of the grid (those below 1) its confidence reaches; it leaves at τ index t iff `level > t`. */
  level: Uint16Array;
  /** Per row: {@link NEWLY_WRONG} | {@link NEWLY_RIGHT} | {@link DISAGREES} of the exit's answer. */
  flags: Uint8Array;
}

/**
 * τ candidates: for the confidences at `grid` evenly spaced quantiles (in (0, 1)), the point halfway down
 * to the next lower confidence (0 below the lowest), then 1. The same rows exit as at the quantile's own
 * confidence, but no held-out row sits on τ: the runtime's arithmetic may differ from the sweep's in the
 * last bits (heads folded into the ONNX graph, wasm kernels), which must not flip a row at the boundary.
 */
export function thresholdGrid(conf: Float32Array, grid: number): number[] {
  const s = Float32Array.from(conf.filter((c) => Number.isFinite(c))).sort();
  const taus = new Set<number>();
  for (let q = 0; q < grid && s.length > 0; q++) {
    let k = Math.floor((q / grid) * (s.length - 1));
    const t = s[k]!;
    // a confidence of 1 never exits (τ = 1 is off); one of 0 (margin and entropy of ties, a uniform
    // row) could only leave at τ = 0, which sits on it: both give no τ
    if (t >= 1 || t <= 0) continue;
    while (k > 0 && s[k - 1] === t) k--;
    taus.add(((k > 0 ? s[k - 1]! : 0) + t) / 2);
  }
  taus.add(1);
  return [...taus].sort((a, b) => a - b);
}

/** Each row's level in an ascending τ grid whose last entry is 1: the count of τ < 1 with `conf ≥ τ`. */
export function gridLevels(conf: Float32Array, taus: readonly number[]): Uint16Array {
  const open = taus.length - 1;
  const level = new Uint16Array(conf.length);
  for (let r = 0; r < conf.length; r++) {
    const c = conf[r]!;
    // NaN compares false: level 0, never leaves (as shouldExit)
    let lo = 0;
    let hi = open;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c >= taus[mid]!) lo = mid + 1;
      else hi = mid;
    }
    level[r] = lo;
  }
  return level;
}

/** The flags of `answers` against the labels and the MainNet's answers. */
export function answerFlags(answers: Int32Array, mainnet: Int32Array, labels: ArrayLike<number>): Uint8Array {
  const flags = new Uint8Array(answers.length);
  for (let r = 0; r < answers.length; r++) {
    const right = answers[r] === labels[r];
    const mainRight = mainnet[r] === labels[r];
    flags[r] =
      (!right && mainRight ? NEWLY_WRONG : 0) |
      (right && !mainRight ? NEWLY_RIGHT : 0) |
      (answers[r] !== mainnet[r] ? DISAGREES : 0);
  }
  return flags;
}

/** Every candidate scored under `criterion` with a τ grid of `grid` quantiles. */
export function scoreCandidates(
  input: CascadeSweepInput,
  criterion: ExitCriterion,
  grid = input.grid ?? 20,
): ScoredCandidate[] {
  // every exit of a cascade under one criterion uses the same measure (exitRule's)
  const { measure } = exitRule(criterion, 0);
  return input.candidates.map((c) => {
    const conf = confidence(c.probs, input.classes, measure);
    const taus = thresholdGrid(conf, grid);
    const pred = argmaxRows(c.probs, input.classes);
    return {
      pred,
      conf,
      taus,
      level: gridLevels(conf, taus),
      flags: answerFlags(pred, input.mainnetPrediction, input.labels),
    };
  });
}
