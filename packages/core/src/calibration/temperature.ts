import { invalid, ShapeMismatchError } from "../errors.js";

/** Mean NLL of `softmax(logits / T)` against `labels`, computed in float64. */
export function nllAtTemperature(
  logits: Float32Array,
  classes: number,
  labels: ArrayLike<number>,
  T: number,
): number {
  const rows = labels.length;
  if (rows === 0) return 0;
  let s = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c]! / T);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[o + c]! / T - max);
    s += max + Math.log(sum) - logits[o + labels[r]!]! / T;
  }
  return s / rows;
}

/** Options of {@link fitTemperature}. */
export interface FitTemperatureOptions {
  /** Search interval for T. */
  min?: number;
  max?: number;
  /** Golden-section iterations (each shrinks the interval by 0.618). */
  iterations?: number;
}

/**
 * Temperature scaling (Guo et al. 2017): the T minimising the NLL of `softmax(logits / T)`, found by
 * golden-section search over log T (the NLL is convex in 1/T, hence unimodal in log T). The result never
 * has a higher NLL on these rows than T = 1: if the search ends worse, 1 is returned.
 *
 * @example
 * ```ts
 * const T = fitTemperature(valLogits, 2, valLabels); // e.g. 1.7 for an over-confident head
 * const calibrated = applyTemperature(testLogits, T);
 * ```
 */
export function fitTemperature(
  logits: Float32Array,
  classes: number,
  labels: ArrayLike<number>,
  options: FitTemperatureOptions = {},
): number {
  const { min = 0.05, max = 20, iterations = 60 } = options;
  if (!(min > 0 && max > min)) invalid("fitTemperature", "min/max", `${min}/${max}`, "0 < min < max");
  if (logits.length !== labels.length * classes) {
    throw new ShapeMismatchError(
      `fitTemperature: ${logits.length} logits for ${labels.length} labels × ${classes} classes.`,
    );
  }
  if (labels.length === 0) return 1;
  const f = (logT: number) => nllAtTemperature(logits, classes, labels, Math.exp(logT));
  const g = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(min);
  let b = Math.log(max);
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < iterations; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  const T = Math.exp((a + b) / 2);
  return f(Math.log(T)) <= f(0) ? T : 1;
}

/** `logits / T`, as a new array. */
export function applyTemperature(logits: Float32Array, T: number): Float32Array {
  if (!(T > 0) || !Number.isFinite(T)) invalid("applyTemperature", "T", T, "a finite number > 0");
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = logits[i]! / T;
  return out;
}
