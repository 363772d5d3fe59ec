import { invalid, ShapeMismatchError } from "../errors.js";

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Lower and upper confidence edge of the bin. */
  lower: number;
  upper: number;
  count: number;
  /** Mean top-1 confidence of the rows in the bin (NaN when empty). */
  confidence: number;
  /** Top-1 accuracy of the rows in the bin (NaN when empty). */
  accuracy: number;
}

function top1(probs: Float32Array, classes: number, labels: ArrayLike<number>) {
  const rows = labels.length;
  if (probs.length !== rows * classes) {
    throw new ShapeMismatchError(
      `calibration: ${probs.length} probabilities for ${rows} labels × ${classes} classes.`,
    );
  }
  const conf = new Float64Array(rows);
  const correct = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[r * classes + c]! > probs[r * classes + best]!) best = c;
    conf[r] = probs[r * classes + best]!;
    correct[r] = best === labels[r] ? 1 : 0;
  }
  return { conf, correct, rows };
}

/**
 * Reliability-diagram bins of top-1 confidence: `bins` equal-width bins over [0, 1]
 * (a confidence of exactly 1 falls in the last bin).
 */
export function reliabilityBins(
  probs: Float32Array,
  classes: number,
  labels: ArrayLike<number>,
  bins = 15,
): ReliabilityBin[] {
  if (!Number.isInteger(bins) || bins < 1) invalid("reliabilityBins", "bins", bins, "a positive integer");
  const { conf, correct, rows } = top1(probs, classes, labels);
  const count = new Float64Array(bins);
  const sumConf = new Float64Array(bins);
  const sumAcc = new Float64Array(bins);
  for (let r = 0; r < rows; r++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(conf[r]! * bins)));
    count[b]!++;
    sumConf[b]! += conf[r]!;
    sumAcc[b]! += correct[r]!;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: count[b]!,
    confidence: sumConf[b]! / count[b]!,
    accuracy: sumAcc[b]! / count[b]!,
  }));
}

function gaps(bs: { count: number; confidence: number; accuracy: number }[], rows: number) {
  let ece = 0;
  let mce = 0;
  for (const b of bs) {
    if (b.count === 0) continue;
    const g = Math.abs(b.accuracy - b.confidence);
    ece += (b.count / rows) * g;
    mce = Math.max(mce, g);
  }
  return { ece: Math.min(1, ece), mce: Math.min(1, mce) };
}

/**
 * Expected calibration error with equal-width bins (default 15): Σ_b (n_b / N)·|acc_b − conf_b|.
 * In [0, 1]; 0 for an empty set.
 *
 * @example
 * ```ts
 * ece(new Float32Array([0.8, 0.2, 0.3, 0.7]), 2, [0, 0]) // 0.45 = (|1 − 0.8| + |0 − 0.7|) / 2
 * ```
 */
export function ece(probs: Float32Array, classes: number, labels: ArrayLike<number>, bins = 15): number {
  if (labels.length === 0) return 0;
  return gaps(reliabilityBins(probs, classes, labels, bins), labels.length).ece;
}

/** Maximum calibration error over non-empty equal-width bins, in [0, 1]. */
export function mce(probs: Float32Array, classes: number, labels: ArrayLike<number>, bins = 15): number {
  if (labels.length === 0) return 0;
  return gaps(reliabilityBins(probs, classes, labels, bins), labels.length).mce;
}

/**
 * Adaptive ECE: bins of (almost) equal mass after sorting by confidence (Nguyen & O'Connor 2015).
 * Rows with equal confidence always share a bin, so the result does not depend on row order.
 */
export function adaptiveEce(
  probs: Float32Array,
  classes: number,
  labels: ArrayLike<number>,
  bins = 15,
): number {
  if (!Number.isInteger(bins) || bins < 1) invalid("adaptiveEce", "bins", bins, "a positive integer");
  const { conf, correct, rows } = top1(probs, classes, labels);
  if (rows === 0) return 0;
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => conf[a]! - conf[b]!);
  const out: { count: number; confidence: number; accuracy: number }[] = [];
  let start = 0;
  for (let b = 0; b < bins && start < rows; b++) {
    let end = Math.max(start + 1, Math.round(((b + 1) * rows) / bins));
    while (end < rows && conf[order[end]!] === conf[order[end - 1]!]) end++; // keep ties together
    let sc = 0;
    let sa = 0;
    for (let k = start; k < end; k++) {
      sc += conf[order[k]!]!;
      sa += correct[order[k]!]!;
    }
    out.push({ count: end - start, confidence: sc / (end - start), accuracy: sa / (end - start) });
    start = end;
  }
  return gaps(out, rows).ece;
}

/** Mean negative log-likelihood of the true class; probabilities are clamped at 1e-12. */
export function nll(probs: Float32Array, classes: number, labels: ArrayLike<number>): number {
  if (labels.length === 0) return 0;
  let s = 0;
  for (let r = 0; r < labels.length; r++) s -= Math.log(Math.max(1e-12, probs[r * classes + labels[r]!]!));
  return s / labels.length;
}

/** Multi-class Brier score: mean over rows of Σ_c (p_c − y_c)², in [0, 2]. */
export function brier(probs: Float32Array, classes: number, labels: ArrayLike<number>): number {
  if (labels.length === 0) return 0;
  let s = 0;
  for (let r = 0; r < labels.length; r++) {
    for (let c = 0; c < classes; c++) {
      const d = probs[r * classes + c]! - (c === labels[r] ? 1 : 0);
      s += d * d;
    }
  }
  return s / labels.length;
}

/** Top-1 accuracy of probabilities or logits. */
export function accuracy(values: Float32Array, classes: number, labels: ArrayLike<number>): number {
  if (labels.length === 0) return 0;
  let ok = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[r * classes + c]! > values[r * classes + best]!) best = c;
    if (best === labels[r]) ok++;
  }
  return ok / labels.length;
}

/** All calibration figures of one set of predictions. */
export interface CalibrationReport {
  rows: number;
  accuracy: number;
  ece: number;
  adaptiveEce: number;
  mce: number;
  nll: number;
  brier: number;
}

/** Computes every figure of {@link CalibrationReport} at once. */
export function calibrationReport(
  probs: Float32Array,
  classes: number,
  labels: ArrayLike<number>,
  bins = 15,
): CalibrationReport {
  return {
    rows: labels.length,
    accuracy: accuracy(probs, classes, labels),
    ece: ece(probs, classes, labels, bins),
    adaptiveEce: adaptiveEce(probs, classes, labels, bins),
    mce: mce(probs, classes, labels, bins),
    nll: nll(probs, classes, labels),
    brier: brier(probs, classes, labels),
  };
}
