import { invalid } from "../errors.js";
import { Rng } from "../math/rng.js";
import { type CalibrationReport, calibrationReport } from "./metrics.js";

/** A figure with its bootstrap confidence interval. */
export interface WithInterval {
  value: number;
  lo: number;
  hi: number;
}

/** Every figure of a {@link CalibrationReport} (rows aside) with a bootstrap interval. */
export type CalibrationIntervals = { rows: number } & {
  [K in Exclude<keyof CalibrationReport, "rows">]: WithInterval;
};

/** Options of {@link calibrationIntervals}. */
export interface BootstrapOptions {
  /** Resamples (default 200). */
  resamples?: number;
  /** Coverage of the interval (default 0.95). */
  level?: number;
  seed?: number;
}

const quantile = (sorted: Float64Array, q: number) => {
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i]! * (1 - f) + sorted[i + 1]! * f : sorted[i]!;
};

/**
 * The calibration figures of `probs` on `labels` with percentile bootstrap intervals: rows are resampled
 * with replacement `resamples` times (seeded) and each figure recomputed.
 */
export function calibrationIntervals(
  probs: Float32Array,
  classes: number,
  labels: ArrayLike<number>,
  options: BootstrapOptions = {},
): CalibrationIntervals {
  const n = labels.length;
  const B = options.resamples ?? 200;
  const level = options.level ?? 0.95;
  if (!(Number.isInteger(B) && B >= 2)) invalid("calibrationIntervals", "resamples", B, "an integer ≥ 2");
  if (!(level > 0 && level < 1)) invalid("calibrationIntervals", "level", level, "a number in (0, 1)");
  const full = calibrationReport(probs, classes, labels);
  const keys = ["accuracy", "ece", "adaptiveEce", "mce", "nll", "brier"] as const;
  const samples = Object.fromEntries(keys.map((k) => [k, new Float64Array(B)])) as Record<
    (typeof keys)[number],
    Float64Array
  >;
  const rng = new Rng(options.seed ?? 0);
  const p = new Float32Array(n * classes);
  const y = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    for (let r = 0; r < n; r++) {
      const i = Math.min(n - 1, Math.floor(rng.next() * n));
      p.set(probs.subarray(i * classes, (i + 1) * classes), r * classes);
      y[r] = labels[i]!;
    }
    const rep = calibrationReport(p, classes, y);
    for (const k of keys) samples[k][b] = rep[k];
  }
  const out = { rows: n } as CalibrationIntervals;
  for (const k of keys) {
    const s = samples[k].sort();
    out[k] = { value: full[k], lo: quantile(s, (1 - level) / 2), hi: quantile(s, 1 - (1 - level) / 2) };
  }
  return out;
}
