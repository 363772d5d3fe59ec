import { invalid, ShapeMismatchError } from "../errors.js";
import { confidence } from "../math/confidence.js";
import { argmaxRows } from "../math/softmax.js";
import { EXIT_CRITERIA, type ExitCriterion, exitRule, leaves } from "../routing/exit-rule.js";

/** A candidate exit, evaluated on the held-out rows. */
export interface ExitCandidate {
  /** Calibrated probabilities `[rows, classes]`. */
  probs: Float32Array;
  /** Cost of the MainNet up to this tap, as a fraction of the whole MainNet. */
  share: number;
  /** Cost of pooling and head, as a fraction of the MainNet. */
  headCost: number;
  /** Share of the MainNet's FLOPs before this tap, when counted. */
  flopsShare?: number;
}

/** One cascade (a set of exits, their τ and the criterion) and its figures on the held-out rows. */
export interface CascadePoint {
  /** Candidate indices, in MainNet order; empty for the MainNet alone. */
  exits: number[];
  thresholds: number[];
  criterion: ExitCriterion;
  accuracy: number;
  agreement: number;
  /** Share of rows leaving at each exit. */
  exitRates: number[];
  /** Expected cost relative to the MainNet (the candidates' cost shares, heads included). */
  cost: number;
  /** Expected FLOPs relative to the MainNet's (heads left out), when every exit has `flopsShare`. */
  flops?: number;
  /** Rows the cascade gets wrong where the MainNet is right, and right where the MainNet is wrong. */
  newlyWrong: number;
  newlyRight: number;
}

/** Inputs of {@link sweepCascades}. */
export interface CascadeSweepInput {
  candidates: readonly ExitCandidate[];
  classes: number;
  mainnetPrediction: Int32Array;
  labels: ArrayLike<number>;
  criteria?: readonly ExitCriterion[];
  /** Largest number of exits in one cascade (1 or 2; default 2). */
  maxExits?: number;
  /** τ values tried per exit: confidences at this many quantiles, plus 1 (off). Default 20. */
  grid?: number;
}

interface Scored {
  pred: Int32Array;
  conf: Float32Array;
  taus: number[];
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

/**
 * Evaluates one cascade on held-out rows. A row leaves at the first exit whose criterion it meets
 * (confidence ≥ τ; with `patience`, also the same answer as at the previous exit of the cascade);
 * rows that never leave get the MainNet's answer.
 */
export function evaluateCascade(
  input: CascadeSweepInput,
  exits: readonly number[],
  thresholds: readonly number[],
  criterion: ExitCriterion,
  scored = scoreCandidates(input, criterion),
): CascadePoint {
  const n = input.labels.length;
  const k = exits.length;
  const counts = new Array<number>(k).fill(0);
  let correct = 0;
  let agree = 0;
  let newlyWrong = 0;
  let newlyRight = 0;
  let costSum = 0;
  let flopsSum = 0;
  const cands = exits.map((e) => input.candidates[e]!);
  const sc = exits.map((e) => scored[e]!);
  const rules = exits.map((_, j) => exitRule(criterion, j));
  const headPrefix = cands.map((_, i) => cands.slice(0, i + 1).reduce((a, c) => a + c.headCost, 0));
  const haveFlops = cands.every((c) => c.flopsShare !== undefined);
  for (let r = 0; r < n; r++) {
    let answer = input.mainnetPrediction[r]!;
    let cost = 1 + (headPrefix[k - 1] ?? 0);
    let flops = 1;
    for (let j = 0; j < k; j++) {
      const s = sc[j]!;
      const p = s.pred[r]!;
      const ok = leaves(s.conf[r]!, thresholds[j]!, rules[j]!, p, j > 0 ? sc[j - 1]!.pred[r] : undefined);
      if (ok) {
        answer = p;
        cost = cands[j]!.share + headPrefix[j]!;
        flops = cands[j]!.flopsShare ?? 1;
        counts[j]!++;
        break;
      }
    }
    const right = answer === input.labels[r];
    const mainnetRight = input.mainnetPrediction[r] === input.labels[r];
    if (right) correct++;
    if (right && !mainnetRight) newlyRight++;
    if (!right && mainnetRight) newlyWrong++;
    if (answer === input.mainnetPrediction[r]) agree++;
    costSum += cost;
    flopsSum += flops;
  }
  return {
    exits: [...exits],
    thresholds: [...thresholds],
    criterion,
    accuracy: n ? correct / n : 0,
    agreement: n ? agree / n : 1,
    exitRates: counts.map((c) => (n ? c / n : 0)),
    cost: n ? costSum / n : 1,
    ...(haveFlops ? { flops: n ? flopsSum / n : 1 } : {}),
    newlyWrong,
    newlyRight,
  };
}

/** Predictions, the criterion's confidence and the τ grid of every candidate. */
function scoreCandidates(input: CascadeSweepInput, criterion: ExitCriterion, grid = 20): Scored[] {
  // every exit of a cascade under one criterion uses the same measure (exitRule's)
  const { measure } = exitRule(criterion, 0);
  return input.candidates.map((c) => {
    const conf = confidence(c.probs, input.classes, measure);
    return { pred: argmaxRows(c.probs, input.classes), conf, taus: thresholdGrid(conf, grid) };
  });
}

/**
 * Every cascade of up to `maxExits` candidate exits (in MainNet order) × a τ grid per exit × criterion,
 * evaluated on the held-out rows, plus the MainNet alone. Single-exit points with `patience` are left
 * out (the same as max-prob).
 */
export function sweepCascades(input: CascadeSweepInput): CascadePoint[] {
  const n = input.labels.length;
  if (input.mainnetPrediction.length !== n) {
    throw new ShapeMismatchError(
      `sweepCascades: mainnetPrediction has ${input.mainnetPrediction.length} rows, labels ${n}.`,
    );
  }
  for (const [i, c] of input.candidates.entries()) {
    if (c.probs.length !== n * input.classes) {
      throw new ShapeMismatchError(
        `sweepCascades: candidate ${i} has ${c.probs.length} probabilities; expected ${n} rows × ${input.classes} classes.`,
      );
    }
  }
  const maxExits = input.maxExits ?? 2;
  if (maxExits !== 1 && maxExits !== 2) invalid("sweepCascades", "maxExits", maxExits, "1 or 2");
  const points: CascadePoint[] = [evaluateCascade(input, [], [], "max-prob", [])];
  const m = input.candidates.length;
  for (const criterion of input.criteria ?? EXIT_CRITERIA) {
    const scored = scoreCandidates(input, criterion, input.grid ?? 20);
    for (let a = 0; a < m; a++) {
      if (criterion !== "patience") {
        for (const ta of scored[a]!.taus) {
          if (ta < 1) points.push(evaluateCascade(input, [a], [ta], criterion, scored));
        }
      }
      if (maxExits < 2) continue;
      for (let b = a + 1; b < m; b++) {
        for (const ta of scored[a]!.taus) {
          for (const tb of scored[b]!.taus) {
            if (ta < 1 && tb < 1) points.push(evaluateCascade(input, [a, b], [ta, tb], criterion, scored));
          }
        }
      }
    }
  }
  return points;
}

/** Points no other point beats on both cost and accuracy, by cost ascending (accuracy strictly rising). */
export function paretoFront<P extends { cost: number; accuracy: number }>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy);
  const front: P[] = [];
  for (const p of sorted) if (front.length === 0 || p.accuracy > front.at(-1)!.accuracy) front.push(p);
  return front;
}

/**
 * A budget: least cost within an accuracy drop; best accuracy within a cost; or least cost whose answers
 * agree with the MainNet's on at least a share of rows (a budget that needs no labels to hold).
 */
export type Budget = { maxDropPt: number } | { maxCost: number } | { minAgreement: number };

/**
 * The cascade a budget picks: with `maxDropPt`, the cheapest point whose accuracy is at most that many
 * points below the MainNet alone (the point with no exits); with `maxCost`, the most accurate point
 * costing at most that fraction; with `minAgreement`, the cheapest point whose answers equal the
 * MainNet's on at least that share of rows. Ties go to the other figure (accuracy). The MainNet alone
 * always qualifies for `maxDropPt` and `minAgreement`; for `maxCost` no point may fit (undefined).
 */
export function pickCascade(points: readonly CascadePoint[], budget: Budget): CascadePoint | undefined {
  const mainnet = points.find((p) => p.exits.length === 0);
  if ("maxDropPt" in budget || "minAgreement" in budget) {
    if ("maxDropPt" in budget && !(budget.maxDropPt >= 0))
      invalid("pickCascade", "maxDropPt", budget.maxDropPt, "≥ 0 points");
    if ("minAgreement" in budget && !(budget.minAgreement > 0 && budget.minAgreement <= 1))
      invalid("pickCascade", "minAgreement", budget.minAgreement, "a share in (0, 1]");
    if (!mainnet) throw new ShapeMismatchError("pickCascade: the sweep has no MainNet-alone point.");
    const ok =
      "maxDropPt" in budget
        ? (p: CascadePoint) => p.accuracy >= mainnet.accuracy - budget.maxDropPt / 100 - 1e-12
        : (p: CascadePoint) => p.agreement >= budget.minAgreement - 1e-12;
    return points
      .filter(ok)
      .reduce((best, p) =>
        p.cost < best.cost - 1e-12 || (Math.abs(p.cost - best.cost) <= 1e-12 && p.accuracy > best.accuracy)
          ? p
          : best,
      );
  }
  if (!(budget.maxCost > 0)) invalid("pickCascade", "maxCost", budget.maxCost, "a fraction > 0");
  const ok = points.filter((p) => p.cost <= budget.maxCost + 1e-12);
  if (ok.length === 0) return undefined;
  return ok.reduce((best, p) =>
    p.accuracy > best.accuracy || (p.accuracy === best.accuracy && p.cost < best.cost) ? p : best,
  );
}
