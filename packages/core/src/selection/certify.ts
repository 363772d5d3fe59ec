/**
 * Certified accuracy budgets (design.md §6 "Budgets that hold on new data"): an upper confidence bound on
 * a cascade's accuracy drop on new exchangeable rows, and Learn-then-Test's fixed-sequence procedure,
 * which keeps the guarantee when one of many cascades is chosen.
 *
 * Per-row loss L = [cascade wrong] − [MainNet wrong] ∈ {−1, 0, 1}; its mean is the drop itself. L is the
 * difference of two Bernoulli variables: A = [newly wrong] (cascade wrong, MainNet right) and B = [newly
 * right]. For a Bernoulli loss the Hoeffding–Bentkus bound is the binomial tail itself, so the bound here
 * is exact per part: the Clopper–Pearson upper bound of P(A) at δ/2 minus the lower bound of P(B) at δ/2
 * (a union bound: both hold with probability ≥ 1 − δ, hence drop ≤ bound). Why not a bound on L's range
 * (Hoeffding, or Hoeffding–Bentkus on (L + 1)/2): the range is 2 and most rows have L = 0, so those need
 * tens of thousands of rows for a 0.5 pt budget. A betting test (Waudby-Smith–Ramdas) adapts to the small
 * variance but measured about 1.5× wider than this at 500–5 000 rows (e.g. 500 rows, no disagreement:
 * 0.91 pt vs 0.60 pt at δ = 0.1).
 */
import { invalid } from "../errors.js";

/** Per-row losses `[answer wrong] − [MainNet wrong]` (∈ {−1, 0, 1}). */
export function dropLosses(
  answers: ArrayLike<number>,
  mainnet: ArrayLike<number>,
  labels: ArrayLike<number>,
): Int8Array {
  const out = new Int8Array(labels.length);
  for (let i = 0; i < labels.length; i++)
    out[i] = (answers[i] !== labels[i] ? 1 : 0) - (mainnet[i] !== labels[i] ? 1 : 0);
  return out;
}

/** log P(Bin(n, p) ≤ k), summed in log space (no underflow for large n). */
export function logBinomialCdf(k: number, n: number, p: number): number {
  if (k >= n || p <= 0) return 0;
  if (k < 0 || p >= 1) return Number.NEGATIVE_INFINITY;
  let logPmf = n * Math.log1p(-p);
  let acc = logPmf;
  const odds = Math.log(p) - Math.log1p(-p);
  for (let j = 0; j < k; j++) {
    logPmf += Math.log(n - j) - Math.log(j + 1) + odds;
    const hi = Math.max(acc, logPmf);
    acc = hi + Math.log1p(Math.exp(-Math.abs(acc - logPmf)));
  }
  return Math.min(0, acc);
}

/** Clopper–Pearson upper bound: the largest p with P(Bin(n, p) ≤ k) ≥ α (k events in n rows). */
export function binomialUpper(k: number, n: number, alpha: number): number {
  if (k >= n) return 1;
  const target = Math.log(alpha);
  let lo = k / n;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (logBinomialCdf(k, n, mid) >= target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Clopper–Pearson lower bound: the smallest p with P(Bin(n, p) ≥ k) ≥ α (0 for k = 0). */
export function binomialLower(k: number, n: number, alpha: number): number {
  if (k <= 0) return 0;
  let lo = 0;
  let hi = k / n;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (-Math.expm1(logBinomialCdf(k - 1, n, mid)) >= alpha) hi = mid;
    else lo = mid;
  }
  return lo;
}

/** The counts a drop bound needs: rows, rows newly wrong, rows newly right. */
export interface DropCounts {
  rows: number;
  newlyWrong: number;
  newlyRight: number;
}

/** {@link DropCounts} of per-row losses. */
export function dropCounts(losses: ArrayLike<number>): DropCounts {
  let newlyWrong = 0;
  let newlyRight = 0;
  for (let i = 0; i < losses.length; i++) {
    if (losses[i]! > 0) newlyWrong++;
    else if (losses[i]! < 0) newlyRight++;
  }
  return { rows: losses.length, newlyWrong, newlyRight };
}

/**
 * Upper confidence bound at level 1 − δ of the accuracy drop (a fraction) on new exchangeable rows:
 * with probability ≥ 1 − δ over the draw of these rows, drop ≤ the bound. 1 with no rows.
 */
export function dropUpperBound(c: DropCounts, delta: number): number {
  if (!(delta > 0 && delta < 1)) invalid("dropUpperBound", "delta", delta, "a level in (0, 1)");
  if (c.rows === 0) return 1;
  return binomialUpper(c.newlyWrong, c.rows, delta / 2) - binomialLower(c.newlyRight, c.rows, delta / 2);
}

/**
 * Upper confidence bound, at level 1 − δ, on the share of new rows a cascade answers differently from
 * the MainNet: Clopper–Pearson on the disagreements, counted in `newlyWrong` (`newlyRight` is unused: a
 * disagreement is a loss in {0, 1}, so the whole δ goes to one bound). Valid without labels.
 */
export function disagreementUpperBound(c: DropCounts, delta: number): number {
  if (!(delta > 0 && delta < 1)) invalid("disagreementUpperBound", "delta", delta, "a level in (0, 1)");
  if (c.rows === 0) return 1;
  return binomialUpper(c.newlyWrong, c.rows, delta);
}

/**
 * Rows needed for counts at the same rates as `c` to be certified at ε (`bound` < ε; default the drop's
 * bound), found by doubling up to 2²¹ rows; undefined when even that is not enough (the observed loss is
 * too close to ε).
 */
export function rowsNeeded(
  c: DropCounts,
  epsilon: number,
  delta: number,
  bound: (c: DropCounts, delta: number) => number = dropUpperBound,
): number | undefined {
  if (c.rows === 0) return undefined;
  for (let n = c.rows; n <= 2 ** 21; n *= 2) {
    const k = n / c.rows;
    const scaled = {
      rows: n,
      newlyWrong: Math.round(c.newlyWrong * k),
      newlyRight: Math.round(c.newlyRight * k),
    };
    if (bound(scaled, delta) < epsilon) return n;
  }
  return undefined;
}

/**
 * Learn-then-Test fixed-sequence testing: hypotheses "drop ≥ ε" ordered beforehand (safest first, e.g.
 * the Pareto front by cost descending, found on other rows than these), each rejected when its bound at
 * level δ is below ε; certified are those before the first not rejected. With probability ≥ 1 − δ none of
 * them has a drop ≥ ε. Returns how many lead the sequence certified and the bounds computed.
 */
export function fixedSequence(
  bounds: Iterable<number>,
  epsilon: number,
): { certified: number; tested: number[] } {
  const tested: number[] = [];
  for (const b of bounds) {
    tested.push(b);
    if (!(b < epsilon)) return { certified: tested.length - 1, tested };
  }
  return { certified: tested.length, tested };
}
