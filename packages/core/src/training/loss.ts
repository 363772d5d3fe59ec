/**
 * Mean softmax cross-entropy against target distributions `[rows, classes]` (one-hot for hard labels),
 * and its gradient with respect to the logits, written to `dLogits`.
 */
export function softCrossEntropy(
  logits: Float32Array,
  targets: Float32Array,
  classes: number,
  dLogits?: Float32Array,
): number {
  const rows = logits.length / classes;
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[o + c]! - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < classes; c++) {
      const t = targets[o + c]!;
      if (t !== 0) loss -= t * (logits[o + c]! - lse);
      if (dLogits) dLogits[o + c] = (Math.exp(logits[o + c]! - lse) - t) / rows;
    }
  }
  return loss / rows;
}

/** One-hot rows for integer labels. */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let r = 0; r < labels.length; r++) out[r * classes + labels[r]!] = 1;
  return out;
}
