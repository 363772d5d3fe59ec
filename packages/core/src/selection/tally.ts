/**
 * A cascade's figures from what its rows did: how many left at each exit, and how many of those were
 * newly wrong, newly right or answered differently from the MainNet (rows that reach the MainNet add
 * nothing to the last three). One formula for every way of counting — the row-by-row evaluation, the
 * exhaustive sweep's histograms, the coordinate search — so they agree to the last bit.
 */
import type { ExitCriterion } from "../routing/exit-rule.js";
import type { CascadePoint, ExitCandidate } from "./cascade-sweep.js";

/** What the rows of a cascade did. */
export interface Tally {
  /** Rows leaving at each exit of the cascade. */
  counts: ArrayLike<number>;
  newlyWrong: number;
  newlyRight: number;
  disagree: number;
}

/** Per-exit cost terms of a cascade of candidates (heads of the exits passed included). */
export interface CascadeCosts {
  /** Cost of a row leaving at exit j: the MainNet up to its tap plus the heads of exits 0 … j. */
  exitCost: Float64Array;
  /** Cost of a row reaching the MainNet's end: 1 plus every head. */
  mainCost: number;
  /** FLOPs share of a row leaving at exit j; undefined when a candidate has none. */
  exitFlops: Float64Array | undefined;
}

/** The cost terms of the cascade `exits` (candidate indices, in MainNet order). */
export function cascadeCosts(candidates: readonly ExitCandidate[], exits: readonly number[]): CascadeCosts {
  const exitCost = new Float64Array(exits.length);
  const exitFlops = new Float64Array(exits.length);
  let heads = 0;
  let haveFlops = true;
  for (const [j, e] of exits.entries()) {
    const c = candidates[e]!;
    heads += c.headCost;
    exitCost[j] = c.share + heads;
    if (c.flopsShare === undefined) haveFlops = false;
    else exitFlops[j] = c.flopsShare;
  }
  return { exitCost, mainCost: 1 + heads, exitFlops: haveFlops ? exitFlops : undefined };
}

/** The point of a cascade over `rows` rows whose rows did `t`. */
export function pointOf(
  rows: number,
  mainCorrect: number,
  exits: readonly number[],
  thresholds: readonly number[],
  criterion: ExitCriterion,
  costs: CascadeCosts,
  t: Tally,
): CascadePoint {
  let left = 0;
  let cost = 0;
  let flops = 0;
  const exitRates = new Array<number>(exits.length);
  for (let j = 0; j < exits.length; j++) {
    const c = t.counts[j]!;
    left += c;
    cost += c * costs.exitCost[j]!;
    if (costs.exitFlops) flops += c * costs.exitFlops[j]!;
    exitRates[j] = rows ? c / rows : 0;
  }
  const main = rows - left;
  return {
    exits: [...exits],
    thresholds: [...thresholds],
    criterion,
    accuracy: rows ? (mainCorrect - t.newlyWrong + t.newlyRight) / rows : 0,
    agreement: rows ? (rows - t.disagree) / rows : 1,
    exitRates,
    cost: rows ? (cost + main * costs.mainCost) / rows : 1,
    ...(costs.exitFlops ? { flops: rows ? (flops + main) / rows : 1 } : {}),
    newlyWrong: t.newlyWrong,
    newlyRight: t.newlyRight,
  };
}

/** Rows the MainNet gets right. */
export function mainnetCorrect(mainnet: ArrayLike<number>, labels: ArrayLike<number>): number {
  let k = 0;
  for (let r = 0; r < labels.length; r++) if (mainnet[r] === labels[r]) k++;
  return k;
}
