/**
 * The cheapest cascade whose accuracy drop is certified (Learn-then-Test with Pareto testing: Angelopoulos,
 * Bates et al. 2021; Laufer-Goldshtein et al. 2023): the calibration rows are split once, at random with
 * a fixed seed; the sweep and its Pareto front are found on one part; the other part tests the front's
 * cascades in order of cost, most expensive (safest) first, until one is not certified (fixed-sequence
 * testing, certify.ts). With probability ≥ 1 − δ over the calibration draw, the chosen cascade's drop on
 * new exchangeable rows is < ε. Nothing certified: the MainNet alone.
 */
import { invalid } from "../errors.js";
import { Rng } from "../math/rng.js";
import {
  type CascadePoint,
  type CascadeSweepInput,
  evaluateCascade,
  sweepCascades,
} from "./cascade-sweep.js";
import { disagreementUpperBound, dropUpperBound, fixedSequence, rowsNeeded } from "./certify.js";
import { agreementFront, paretoFront } from "./front.js";

/**
 * What is certified: the accuracy drop below the MainNet (needs labels), or the share of rows answered
 * differently from the MainNet (`--min-agreement`: ε = 1 − the agreement asked for).
 */
export type CertifiedLoss = "drop" | "disagreement";

/** What a certification bounds, in words (artefacts written before `loss` existed certify the drop). */
export const lossName = (c: { loss?: CertifiedLoss }): string =>
  c.loss === "disagreement" ? "disagreement with the MainNet" : "drop";

/** Options of {@link certifiedPick}. */
export interface CertifyOptions {
  /** The budget: at most this loss, a fraction (a drop of 0.005 for 0.5 pt; a disagreement of 0.01 for 99 % agreement). */
  epsilon: number;
  /** Default "drop". */
  loss?: CertifiedLoss;
  /** The risk: the guarantee holds with probability ≥ 1 − δ over the calibration rows. */
  delta: number;
  /** Share of the calibration rows the front is found on (the rest test it); default 0.5. */
  selectionShare?: number;
  seed?: number;
}

/** How a certified choice was made (sidenet.json `selection.certification`). snake_case: a file format. */
export interface Certification {
  procedure: string;
  /** What ε bounds (absent in artefacts written before the agreement budget: "drop"). */
  loss?: CertifiedLoss;
  epsilon: number;
  delta: number;
  /** Rows the front was found on, and rows that tested it. */
  selection_rows: number;
  test_rows: number;
  /** Front cascades tested (in order) and how many of them were certified. */
  tested: number;
  certified: number;
  /** The chosen cascade's upper bound on the loss, and its observed drop (or disagreement), on the test rows. */
  bound?: number;
  observed_drop?: number;
  observed_disagreement?: number;
  /** When nothing was certified: the calibration rows that would be needed at the safest cascade's rates. */
  rows_needed?: number;
}

/** A certified pick: the cascade (figures on every calibration row) and how it was certified. */
export interface CertifiedPick {
  point: CascadePoint;
  certification: Certification;
}

/** `input` restricted to the rows `idx` (probabilities, labels and MainNet answers). */
export function selectSweepRows(input: CascadeSweepInput, idx: Int32Array): CascadeSweepInput {
  const C = input.classes;
  return {
    ...input,
    labels: Int32Array.from(idx, (i) => input.labels[i]!),
    mainnetPrediction: Int32Array.from(idx, (i) => input.mainnetPrediction[i]!),
    candidates: input.candidates.map((c) => {
      const probs = new Float32Array(idx.length * C);
      for (let r = 0; r < idx.length; r++) probs.set(c.probs.subarray(idx[r]! * C, idx[r]! * C + C), r * C);
      return { ...c, probs };
    }),
  };
}

/** A seeded random split of `n` rows: the first `k` indices and the rest. */
function split(n: number, k: number, seed: number): [Int32Array, Int32Array] {
  const order = new Rng(seed).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  return [order.slice(0, k).sort(), order.slice(k).sort()];
}

/**
 * The cheapest cascade of the sweep whose loss — the drop, or the disagreement with the MainNet — is
 * certified below ε at risk δ (see the module comment); the MainNet alone when none is. The returned point's figures are on every calibration row.
 */
export function certifiedPick(input: CascadeSweepInput, o: CertifyOptions): CertifiedPick {
  if (!(o.epsilon > 0 && o.epsilon < 1)) invalid("certifiedPick", "epsilon", o.epsilon, "a loss in (0, 1)");
  if (!(o.delta > 0 && o.delta < 1)) invalid("certifiedPick", "delta", o.delta, "a risk in (0, 1)");
  const share = o.selectionShare ?? 0.5;
  if (!(share > 0 && share < 1)) invalid("certifiedPick", "selectionShare", share, "a share in (0, 1)");
  const n = input.labels.length;
  const [selIdx, testIdx] = split(n, Math.round(n * share), o.seed ?? 0);
  const sel = selectSweepRows(input, selIdx);
  const test = selectSweepRows(input, testIdx);
  const loss = o.loss ?? "drop";
  // the sequence: the front found on the selection rows (cost vs accuracy, or vs agreement), cascades
  // with exits, most expensive first
  const swept = sweepCascades(sel);
  const sequence = (loss === "drop" ? paretoFront(swept) : agreementFront(swept))
    .filter((p) => p.exits.length > 0)
    .reverse();
  const bound = loss === "drop" ? dropUpperBound : disagreementUpperBound;
  const counts = (t: CascadePoint) => ({
    rows: test.labels.length,
    ...(loss === "drop"
      ? { newlyWrong: t.newlyWrong, newlyRight: t.newlyRight }
      : { newlyWrong: Math.round((1 - t.agreement) * test.labels.length), newlyRight: 0 }),
  });
  const tested: CascadePoint[] = [];
  const bounds = function* () {
    for (const p of sequence) {
      const t = evaluateCascade(test, p.exits, p.thresholds, p.criterion);
      tested.push(t);
      yield bound(counts(t), o.delta);
    }
  };
  const r = fixedSequence(bounds(), o.epsilon);
  const base: Certification = {
    procedure: `Learn-then-Test, fixed-sequence testing of the Pareto front (found on a random half of the calibration rows) by cost descending on the other half; bound: ${loss === "drop" ? "Clopper–Pearson upper bound of newly wrong rows minus lower bound of newly right rows, δ/2 each" : "Clopper–Pearson upper bound of the rows answered differently from the MainNet"}`,
    loss,
    epsilon: o.epsilon,
    delta: o.delta,
    selection_rows: selIdx.length,
    test_rows: testIdx.length,
    tested: r.tested.length,
    certified: r.certified,
  };
  if (r.certified === 0) {
    const first = tested[0];
    const needed = first ? rowsNeeded(counts(first), o.epsilon, o.delta, bound) : undefined;
    return {
      point: evaluateCascade(input, [], [], "max-prob", []),
      certification: { ...base, ...(needed ? { rows_needed: Math.ceil(needed / (1 - share)) } : {}) },
    };
  }
  const chosen = sequence[r.certified - 1]!;
  const onTest = tested[r.certified - 1]!;
  return {
    point: evaluateCascade(input, chosen.exits, chosen.thresholds, chosen.criterion),
    certification: {
      ...base,
      bound: r.tested[r.certified - 1]!,
      ...(loss === "drop"
        ? { observed_drop: (onTest.newlyWrong - onTest.newlyRight) / test.labels.length }
        : { observed_disagreement: 1 - onTest.agreement }),
    },
  };
}
