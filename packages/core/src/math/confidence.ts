import { invalid } from "../errors.js";

/**
 * How sure an exit is about a row, from its probabilities. All measures lie in [0, 1] for valid
 * probability rows (NaN for rows containing NaN, which therefore never exit).
 * - `max-prob`: the largest probability.
 * - `margin`: largest minus second largest probability.
 * - `entropy`: 1 − H(p) / log(C), the normalised negative entropy.
 */
export type ConfidenceMeasure = "max-prob" | "margin" | "entropy";

export const CONFIDENCE_MEASURES: readonly ConfidenceMeasure[] = ["max-prob", "margin", "entropy"];

/**
 * Confidence of each row of a row-major `[rows, classes]` probability array.
 *
 * @example
 * ```ts
 * confidence(new Float32Array([0.9, 0.1, 0.5, 0.5]), 2, "margin") // Float32Array [0.8, 0]
 * ```
 */
export function confidence(
  probs: Float32Array,
  classes: number,
  measure: ConfidenceMeasure = "max-prob",
  out = new Float32Array(probs.length / classes),
): Float32Array {
  const rows = probs.length / classes;
  const logC = Math.log(classes);
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    let top = Number.NEGATIVE_INFINITY;
    let second = Number.NEGATIVE_INFINITY;
    let nan = false;
    let h = 0;
    for (let c = 0; c < classes; c++) {
      const p = probs[o + c]!;
      if (Number.isNaN(p)) nan = true;
      if (p > top) {
        second = top;
        top = p;
      } else if (p > second) second = p;
      if (p > 0) h -= p * Math.log(p);
    }
    if (nan) {
      out[r] = Number.NaN;
      continue;
    }
    let v: number;
    switch (measure) {
      case "max-prob":
        v = top;
        break;
      case "margin":
        v = classes === 1 ? 1 : top - second;
        break;
      case "entropy":
        v = classes === 1 ? 1 : 1 - h / logC;
        break;
      default:
        return invalid("confidence", "measure", measure, `one of ${CONFIDENCE_MEASURES.join(", ")}`);
    }
    out[r] = Math.min(1, Math.max(0, v));
  }
  return out;
}
