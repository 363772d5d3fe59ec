/**
 * Every cascade of up to `depth` exits × the τ grid of each exit, counted without evaluating each one row
 * by row: the rows still in the cascade are filtered once per threshold of every exit but the last,
 * and the last exit's τ are all read off one histogram of the remaining rows' grid levels. A cascade of
 * k exits costs (grid)^(k−1) × rows instead of (grid)^k × rows, and the figures are the same tally
 * {@link evaluateCascade} makes (tally.ts).
 */
import type { ExitCriterion } from "../routing/exit-rule.js";
import type { CascadePoint, CascadeSweepInput } from "./cascade-sweep.js";
import { DISAGREES, NEWLY_RIGHT, NEWLY_WRONG, type ScoredCandidate } from "./scored.js";
import { cascadeCosts, mainnetCorrect, pointOf } from "./tally.js";

/**
 * Emits every cascade of 1 … `depth` exits (candidate indices ascending) with every τ < 1 of each exit's
 * grid, in the order: by exit sequence (a prefix before its extensions: a; a, b; a, b, c; …; a, c; …),
 * then by τ ascending, the last exit's fastest. Single exits are left out under `patience` (the same
 * as max-prob).
 */
export function exhaustiveCascades(
  input: CascadeSweepInput,
  scored: readonly ScoredCandidate[],
  criterion: ExitCriterion,
  depth: number,
  emit: (p: CascadePoint) => void,
): void {
  const n = input.labels.length;
  const m = scored.length;
  const mainCorrect = mainnetCorrect(input.mainnetPrediction, input.labels);
  const patience = criterion === "patience";
  // rows still in the cascade after each exit's τ (depth d holds the rows reaching exit d)
  const rows = Array.from({ length: depth + 1 }, () => new Int32Array(n));
  rows[0]!.set(Int32Array.from({ length: n }, (_, i) => i));
  const counts = new Array<number>(depth).fill(0);
  const taus = new Array<number>(depth).fill(1);
  const exits: number[] = [];
  const maxLevels = Math.max(1, ...scored.map((s) => s.taus.length));
  const cnt = new Int32Array(maxLevels);
  const nw = new Int32Array(maxLevels);
  const nr = new Int32Array(maxLevels);
  const dis = new Int32Array(maxLevels);

  /** Emits the cascades `exits` + e, for every τ of e, from the histogram of the rows reaching e. */
  const last = (reach: number, sums: [number, number, number], e: number) => {
    const s = scored[e]!;
    const prev = exits.length > 0 && patience ? scored[exits.at(-1)!]!.pred : undefined;
    const T = s.taus.length;
    cnt.fill(0, 0, T);
    nw.fill(0, 0, T);
    nr.fill(0, 0, T);
    dis.fill(0, 0, T);
    const R = rows[exits.length]!;
    for (let i = 0; i < reach; i++) {
      const r = R[i]!;
      const l = prev && prev[r] !== s.pred[r] ? 0 : s.level[r]!;
      const f = s.flags[r]!;
      cnt[l]!++;
      if (f & NEWLY_WRONG) nw[l]!++;
      if (f & NEWLY_RIGHT) nr[l]!++;
      if (f & DISAGREES) dis[l]!++;
    }
    const seq = [...exits, e];
    const costs = cascadeCosts(input.candidates, seq);
    // suffix sums from the top level down: rows with level > t leave at τ index t
    const out = new Array<CascadePoint>(T - 1);
    let c = 0;
    let w = sums[0];
    let g = sums[1];
    let d = sums[2];
    for (let t = T - 2; t >= 0; t--) {
      c += cnt[t + 1]!;
      w += nw[t + 1]!;
      g += nr[t + 1]!;
      d += dis[t + 1]!;
      counts[exits.length] = c;
      taus[exits.length] = s.taus[t]!;
      out[t] = pointOf(n, mainCorrect, seq, taus.slice(0, seq.length), criterion, costs, {
        counts,
        newlyWrong: w,
        newlyRight: g,
        disagree: d,
      });
    }
    for (const p of out) emit(p);
  };

  /** Walks the τ of every exit of `exits` but the last, then the sequences extending it. */
  const walk = (first: number) => {
    for (let e = first; e < m; e++) {
      // the cascades ending at e (every τ of the exits before it, then e's histogram)
      if (!(patience && exits.length === 0)) thresholdsThenLast(0, n, [0, 0, 0], e);
      if (exits.length + 1 < depth) {
        exits.push(e);
        walk(e + 1);
        exits.pop();
      }
    }
  };

  /** Every τ of exit `j` of `exits` (rows `rows[j]`, `reach` of them), then the last exit e. */
  const thresholdsThenLast = (j: number, reach: number, sums: [number, number, number], e: number) => {
    if (j === exits.length) return last(reach, sums, e);
    const s = scored[exits[j]!]!;
    const prev = j > 0 && patience ? scored[exits[j - 1]!]!.pred : undefined;
    const R = rows[j]!;
    const next = rows[j + 1]!;
    for (let t = 0; t < s.taus.length - 1; t++) {
      let k = 0;
      let left = 0;
      let w = sums[0];
      let g = sums[1];
      let d = sums[2];
      for (let i = 0; i < reach; i++) {
        const r = R[i]!;
        if (s.level[r]! > t && !(prev && prev[r] !== s.pred[r])) {
          const f = s.flags[r]!;
          left++;
          if (f & NEWLY_WRONG) w++;
          if (f & NEWLY_RIGHT) g++;
          if (f & DISAGREES) d++;
        } else next[k++] = r;
      }
      counts[j] = left;
      taus[j] = s.taus[t]!;
      thresholdsThenLast(j + 1, k, [w, g, d], e);
    }
  };

  walk(0);
}
