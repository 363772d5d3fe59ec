/**
 * One coordinate of a cascade: with every other exit's τ held, the figures of the cascade at each τ of
 * exit j's grid, from one pass over the rows. Rows that leave before exit j are fixed; the others are
 * binned by their level at j, each bin remembering where its rows go when they do not leave at j (a
 * later exit or the MainNet). Every τ's tally is then sums over bins — O(rows × exits + grid × exits)
 * for the whole curve. The coordinate search (search.ts) is built on it.
 */
import type { ExitCriterion } from "../routing/exit-rule.js";
import { DISAGREES, NEWLY_RIGHT, NEWLY_WRONG, type ScoredCandidate } from "./scored.js";
import type { Tally } from "./tally.js";

/** A cascade in the search: candidate indices ascending and a τ index per exit into its grid. */
export interface SearchState {
  exits: number[];
  /** Index into `scored[exits[j]].taus`; the last index (τ = 1) is off. */
  levels: number[];
}

/** Rows a cascade state sends to each exit (index k: the MainNet), and what they did. */
export function stateTally(
  scored: readonly ScoredCandidate[],
  criterion: ExitCriterion,
  s: SearchState,
  rows: number,
): Tally {
  const k = s.exits.length;
  const counts = new Array<number>(k).fill(0);
  let newlyWrong = 0;
  let newlyRight = 0;
  let disagree = 0;
  const sc = s.exits.map((e) => scored[e]!);
  for (let r = 0; r < rows; r++) {
    const d = destination(sc, s.levels, criterion === "patience", r, -1);
    if (d === k) continue;
    counts[d]!++;
    const f = sc[d]!.flags[r]!;
    if (f & NEWLY_WRONG) newlyWrong++;
    if (f & NEWLY_RIGHT) newlyRight++;
    if (f & DISAGREES) disagree++;
  }
  return { counts, newlyWrong, newlyRight, disagree };
}

/** The first exit of the cascade row r leaves at, skipping exit `skip` (k: none, the MainNet). */
function destination(
  sc: readonly ScoredCandidate[],
  levels: readonly number[],
  patience: boolean,
  r: number,
  skip: number,
): number {
  for (let i = 0; i < sc.length; i++) {
    if (i === skip) continue;
    const s = sc[i]!;
    if (s.level[r]! > levels[i]! && !(patience && i > 0 && sc[i - 1]!.pred[r] !== s.pred[r])) return i;
  }
  return sc.length;
}

/**
 * The tallies of state `s` with exit j's τ index set to each t of its grid (index t of the result;
 * the last is exit j off).
 */
export function coordinateCurve(
  scored: readonly ScoredCandidate[],
  criterion: ExitCriterion,
  s: SearchState,
  j: number,
  rows: number,
): Tally[] {
  const k = s.exits.length;
  const sc = s.exits.map((e) => scored[e]!);
  const at = sc[j]!;
  const T = at.taus.length;
  const patience = criterion === "patience";
  // fixed: rows leaving before j, by exit; per level bin: rows that would leave at j, and rows going
  // on to each later destination (d in j+1 … k) when they do not
  const fixed = new Int32Array(k + 1);
  let fw = 0;
  let fg = 0;
  let fd = 0;
  const exitBin = new Int32Array(T * 4);
  const onBin = new Int32Array(T * (k + 4));
  const W = k + 4;
  for (let r = 0; r < rows; r++) {
    const d = destination(sc, s.levels, patience, r, j);
    if (d < j) {
      fixed[d]!++;
      const f = sc[d]!.flags[r]!;
      if (f & NEWLY_WRONG) fw++;
      if (f & NEWLY_RIGHT) fg++;
      if (f & DISAGREES) fd++;
      continue;
    }
    const l = patience && j > 0 && sc[j - 1]!.pred[r] !== at.pred[r] ? 0 : at.level[r]!;
    const f = at.flags[r]!;
    exitBin[l * 4]!++;
    if (f & NEWLY_WRONG) exitBin[l * 4 + 1]!++;
    if (f & NEWLY_RIGHT) exitBin[l * 4 + 2]!++;
    if (f & DISAGREES) exitBin[l * 4 + 3]!++;
    onBin[l * W + d]!++;
    if (d < k) {
      const g = sc[d]!.flags[r]!;
      if (g & NEWLY_WRONG) onBin[l * W + k + 1]!++;
      if (g & NEWLY_RIGHT) onBin[l * W + k + 2]!++;
      if (g & DISAGREES) onBin[l * W + k + 3]!++;
    }
  }
  // rows with level > t leave at j: suffix sums of exitBin, prefix sums (levels ≤ t) of onBin
  const out = new Array<Tally>(T);
  const suffix = new Int32Array(4);
  for (let t = T - 1; t >= 0; t--) {
    out[t] = { counts: [], newlyWrong: suffix[1]!, newlyRight: suffix[2]!, disagree: suffix[3]! };
    (out[t]!.counts as number[])[j] = suffix[0]!;
    for (let q = 0; q < 4; q++) suffix[q]! += exitBin[t * 4 + q]!;
  }
  const prefix = new Int32Array(W);
  for (let t = 0; t < T; t++) {
    for (let q = 0; q < W; q++) prefix[q]! += onBin[t * W + q]!;
    const o = out[t]!;
    const counts = o.counts as number[];
    for (let i = 0; i < k; i++) if (i !== j) counts[i] = i < j ? fixed[i]! : prefix[i]!;
    o.newlyWrong += fw + prefix[k + 1]!;
    o.newlyRight += fg + prefix[k + 2]!;
    o.disagree += fd + prefix[k + 3]!;
  }
  return out;
}
