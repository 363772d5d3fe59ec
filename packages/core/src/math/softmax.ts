/**
 * Row-wise numerically stable softmax of a row-major `[rows, classes]` array.
 * Rows containing NaN produce NaN probabilities; ±Infinity logits are handled
 * (a single +Infinity takes all the mass).
 *
 * @example
 * ```ts
 * softmax(new Float32Array([0, Math.log(3)]), 2) // Float32Array [0.25, 0.75]
 * ```
 */
export function softmax(
  logits: Float32Array,
  classes: number,
  out = new Float32Array(logits.length),
): Float32Array {
  const rows = logits.length / classes;
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c]!);
    if (max === Number.POSITIVE_INFINITY) {
      let count = 0;
      for (let c = 0; c < classes; c++) if (logits[o + c] === Number.POSITIVE_INFINITY) count++;
      for (let c = 0; c < classes; c++)
        out[o + c] = logits[o + c] === Number.POSITIVE_INFINITY ? 1 / count : 0;
      continue;
    }
    if (max === Number.NEGATIVE_INFINITY) {
      for (let c = 0; c < classes; c++) out[o + c] = 1 / classes;
      continue;
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[o + c]! - max);
    for (let c = 0; c < classes; c++) out[o + c] = Math.exp(logits[o + c]! - max) / sum;
  }
  return out;
}

/** Row-wise log-softmax (`logits − logsumexp(logits)`), stable for large magnitudes. */
export function logSoftmax(
  logits: Float32Array,
  classes: number,
  out = new Float32Array(logits.length),
): Float32Array {
  const rows = logits.length / classes;
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[o + c]! - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < classes; c++) out[o + c] = logits[o + c]! - lse;
  }
  return out;
}

/** Index of the largest value of each row (first on ties; NaN rows give 0). */
export function argmaxRows(values: Float32Array, classes: number): Int32Array {
  const rows = values.length / classes;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[o + c]! > values[o + best]!) best = c;
    out[r] = best;
  }
  return out;
}
