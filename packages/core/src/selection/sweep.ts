import { invalid, ShapeMismatchError } from "../errors.js";

/** One operating point of a single-exit cascade. */
export interface SweepPoint {
  threshold: number;
  exitRate: number;
  /** Accuracy of the cascade (exit's answer for exiting rows, the MainNet's for the rest). */
  accuracy: number;
  /** Share of rows whose cascade answer equals the MainNet's. */
  agreement: number;
  /** Expected cost relative to the MainNet: share + (1 − exitRate)·(1 − share). */
  cost: number;
}

/** Inputs of {@link thresholdSweep}, one entry per held-out row. */
export interface SweepInput {
  confidence: Float32Array;
  exitPrediction: Int32Array;
  mainnetPrediction: Int32Array;
  labels: ArrayLike<number>;
  /** Cost of running the MainNet up to the tap (and the head), as a fraction of the whole MainNet. */
  share: number;
}

/**
 * Every distinct operating point of one exit: for each distinct confidence in (0, 1), τ halfway down to
 * the next lower one (rows with confidence ≥ τ exit; none sits on τ), plus τ = 1 (exit off). Points are sorted by τ ascending, so exit rate is non-increasing.
 */
export function thresholdSweep(s: SweepInput): SweepPoint[] {
  const n = s.labels.length;
  for (const [k, a] of [
    ["confidence", s.confidence],
    ["exitPrediction", s.exitPrediction],
    ["mainnetPrediction", s.mainnetPrediction],
  ] as const) {
    if (a.length !== n)
      throw new ShapeMismatchError(`thresholdSweep: ${k} has ${a.length} rows, labels ${n}.`);
  }
  if (!(s.share >= 0 && s.share <= 1)) invalid("thresholdSweep", "share", s.share, "a fraction in [0, 1]");
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => Number.isFinite(s.confidence[i]!))
    .sort((a, b) => s.confidence[b]! - s.confidence[a]!);
  let mainCorrect = 0;
  for (let i = 0; i < n; i++) if (s.mainnetPrediction[i] === s.labels[i]) mainCorrect++;
  const points: SweepPoint[] = [];
  const point = (threshold: number, exited: number, correct: number, agree: number): SweepPoint => ({
    threshold,
    exitRate: n ? exited / n : 0,
    accuracy: n ? correct / n : 0,
    agreement: n ? agree / n : 1,
    cost: s.share + (1 - (n ? exited / n : 0)) * (1 - s.share),
  });
  points.push(point(1, 0, mainCorrect, n));
  // walk down the confidences: each step lets one more group of equal confidence out
  let correct = mainCorrect;
  let agree = n;
  for (let k = 0; k < order.length; ) {
    const c = s.confidence[order[k]!]!;
    while (k < order.length && s.confidence[order[k]!] === c) {
      const i = order[k]!;
      const exitRight = s.exitPrediction[i] === s.labels[i] ? 1 : 0;
      const mainRight = s.mainnetPrediction[i] === s.labels[i] ? 1 : 0;
      correct += exitRight - mainRight;
      if (s.exitPrediction[i] !== s.mainnetPrediction[i]) agree--;
      k++;
    }
    // τ halfway down to the next lower confidence (as thresholdGrid): no row sits on it
    const next = k < order.length ? s.confidence[order[k]!]! : 0;
    // a confidence of 0 could only leave at τ = 0, which sits on it (as thresholdGrid, no point)
    if (c < 1 && c > 0) points.push(point((c + next) / 2, k, correct, agree));
  }
  return points.sort((a, b) => a.threshold - b.threshold);
}

/**
 * The cheapest point whose accuracy is at most `maxDropPt` percentage points below the MainNet's
 * (the τ = 1 point), preferring higher accuracy among equal costs. τ = 1 always qualifies.
 */
export function pickByMaxDrop(points: readonly SweepPoint[], maxDropPt: number): SweepPoint {
  if (!(maxDropPt >= 0))
    invalid("pickByMaxDrop", "maxDropPt", maxDropPt, "a number of percentage points ≥ 0");
  const mainnet = points.find((p) => p.threshold === 1);
  if (!mainnet) throw new ShapeMismatchError("pickByMaxDrop: the sweep has no τ = 1 point.");
  const ok = points.filter((p) => p.accuracy >= mainnet.accuracy - maxDropPt / 100 - 1e-12);
  return ok.reduce((best, p) =>
    p.cost < best.cost - 1e-12 || (Math.abs(p.cost - best.cost) <= 1e-12 && p.accuracy > best.accuracy)
      ? p
      : best,
  );
}

/** The most accurate point whose cost is at most `maxCost` (a fraction of the MainNet's). */
export function pickByMaxCost(points: readonly SweepPoint[], maxCost: number): SweepPoint | undefined {
  const ok = points.filter((p) => p.cost <= maxCost + 1e-12);
  if (ok.length === 0) return undefined;
  return ok.reduce((best, p) =>
    p.accuracy > best.accuracy || (p.accuracy === best.accuracy && p.cost < best.cost) ? p : best,
  );
}
