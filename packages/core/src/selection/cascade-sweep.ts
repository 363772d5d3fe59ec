import { invalid, ShapeMismatchError } from "../errors.js";
import { EXIT_CRITERIA, type ExitCriterion, exitRule, leaves } from "../routing/exit-rule.js";
import { exhaustiveCascades } from "./exhaustive.js";
import { agreementFront, FrontCollector, paretoFront } from "./front.js";
import { type ScoredCandidate, scoreCandidates } from "./scored.js";
import { type SearchFigure, searchCascades } from "./search.js";
import { cascadeCosts, mainnetCorrect, pointOf } from "./tally.js";

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
  /** The candidate exits, in MainNet order. */
  candidates: readonly ExitCandidate[];
  classes: number;
  mainnetPrediction: Int32Array;
  labels: ArrayLike<number>;
  criteria?: readonly ExitCriterion[];
  /** Largest number of exits in one cascade (any K ≥ 1; default 3). */
  maxExits?: number;
  /** Cascades of up to this many exits are enumerated in full; longer ones are searched (default 2). */
  exhaustiveExits?: number;
  /** τ values tried per exit: confidences at this many quantiles, plus 1 (off). Default 20. */
  grid?: number;
  /** Cascades kept per target level by the search of longer cascades (default 3). */
  beam?: number;
  /** At most this many target levels per search step (default 32). */
  targets?: number;
}

/**
 * Evaluates one cascade on held-out rows, row by row. A row leaves at the first exit whose criterion
 * it meets (confidence ≥ τ; with `patience`, also the same answer as at the previous exit of the
 * cascade); rows that never leave get the MainNet's answer. Any τ, not only the grid's.
 */
export function evaluateCascade(
  input: CascadeSweepInput,
  exits: readonly number[],
  thresholds: readonly number[],
  criterion: ExitCriterion,
  scored: readonly ScoredCandidate[] = scoreCandidates(input, criterion),
): CascadePoint {
  const n = input.labels.length;
  const counts = new Array<number>(exits.length).fill(0);
  const sc = exits.map((e) => scored[e]!);
  const rules = exits.map((_, j) => exitRule(criterion, j));
  let newlyWrong = 0;
  let newlyRight = 0;
  let disagree = 0;
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < exits.length; j++) {
      const s = sc[j]!;
      const p = s.pred[r]!;
      if (leaves(s.conf[r]!, thresholds[j]!, rules[j]!, p, j > 0 ? sc[j - 1]!.pred[r] : undefined)) {
        counts[j]!++;
        if (p !== input.labels[r] && input.mainnetPrediction[r] === input.labels[r]) newlyWrong++;
        if (p === input.labels[r] && input.mainnetPrediction[r] !== input.labels[r]) newlyRight++;
        if (p !== input.mainnetPrediction[r]) disagree++;
        break;
      }
    }
  }
  return pointOf(
    n,
    mainnetCorrect(input.mainnetPrediction, input.labels),
    exits,
    thresholds,
    criterion,
    cascadeCosts(input.candidates, exits),
    { counts, newlyWrong, newlyRight, disagree },
  );
}

/**
 * The cascades a budget chooses among, evaluated on the held-out rows, and the MainNet alone: every
 * cascade of up to `exhaustiveExits` exits (in MainNet order) × the τ grid of each exit × criterion;
 * then, for 3 … `maxExits` exits, those a coordinate search finds (search.ts) — of these, the points on
 * either front (cost against accuracy, against agreement). Single-exit points with `patience` are left
 * out (the same as max-prob). `evaluated`, when given, receives how many cascades of each size were
 * evaluated (the searched ones included).
 */
export function sweepCascades(
  input: CascadeSweepInput,
  evaluated: Record<string, number> = {},
): CascadePoint[] {
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
  const maxExits = input.maxExits ?? 3;
  if (!(Number.isInteger(maxExits) && maxExits >= 1))
    invalid("sweepCascades", "maxExits", maxExits, "a whole number ≥ 1");
  const depth = Math.min(maxExits, input.exhaustiveExits ?? 2);
  if (!(Number.isInteger(depth) && depth >= 1))
    invalid("sweepCascades", "exhaustiveExits", input.exhaustiveExits, "a whole number ≥ 1");
  const mainnet = evaluateCascade(input, [], [], "max-prob", []);
  const points: CascadePoint[] = [mainnet];
  const count = (p: CascadePoint) => {
    const key = `${p.exits.length}`;
    evaluated[key] = (evaluated[key] ?? 0) + 1;
  };
  count(mainnet);
  const m = input.candidates.length;
  for (const criterion of input.criteria ?? EXIT_CRITERIA) {
    const scored = scoreCandidates(input, criterion, input.grid ?? 20);
    const own: CascadePoint[] = [mainnet];
    let starts: CascadePoint[] = [];
    exhaustiveCascades(input, scored, criterion, depth, (p) => {
      points.push(p);
      own.push(p);
      count(p);
      if (p.exits.length === depth) starts.push(p);
    });
    for (let k = depth + 1; k <= Math.min(maxExits, m) && starts.length > 0; k++) {
      const found = new FrontCollector<CascadePoint>();
      for (const figure of ["accuracy", "agreement"] as const) {
        const targets = targetLevels(own, figure, input.targets ?? 32);
        searchCascades(
          input,
          scored,
          criterion,
          k,
          starts,
          figure,
          targets,
          (p) => {
            found.add(p);
            count(p);
          },
          { ...(input.beam !== undefined ? { beam: input.beam } : {}) },
        );
      }
      starts = found.fronts();
      points.push(...starts);
      own.push(...starts);
    }
  }
  return points;
}

/** The levels of `figure` along its front over `points`, at most `limit` of them evenly spread (the highest kept). */
function targetLevels(points: readonly CascadePoint[], figure: SearchFigure, limit: number): number[] {
  const front = figure === "accuracy" ? paretoFront(points) : agreementFront(points);
  const levels = front.map((p) => (figure === "accuracy" ? p.accuracy : p.agreement));
  if (levels.length <= limit) return levels;
  return Array.from(
    { length: limit },
    (_, i) => levels[Math.round(((i + 1) * (levels.length - 1)) / limit)]!,
  );
}
