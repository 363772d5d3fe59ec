import { InvalidArgumentError } from "../errors.js";
import { Rng } from "../math/rng.js";

/** Which rows of a data file to use: all of them in file order unless told otherwise. */
export interface SubsetOptions {
  /** Keep at most this many rows (after shuffling, when shuffled). */
  limit?: number;
  /** Shuffle the rows with `seed` first. */
  shuffle?: boolean;
  seed?: number;
}

/** Row indices of a file of `n` rows under `o`: a seeded shuffle (Fisher–Yates), then the first `limit`. */
export function subsetIndices(n: number, o: SubsetOptions = {}): Int32Array {
  if (o.limit !== undefined && !(Number.isInteger(o.limit) && o.limit > 0)) {
    throw new InvalidArgumentError(`limit is ${o.limit}; expected a whole number of rows ≥ 1.`);
  }
  let order = Int32Array.from({ length: n }, (_, i) => i);
  if (o.shuffle) order = new Rng(o.seed ?? 0).shuffle(order);
  return o.limit !== undefined && o.limit < n ? order.slice(0, o.limit) : order;
}

/** A stratified split: per label, `round(fraction · count)` rows held out (at least one of a label with ≥ 2). */
export interface StratifiedSplit {
  /** Indices kept for training, ascending. */
  rest: Int32Array;
  /** Indices held out, ascending. */
  held: Int32Array;
}

/**
 * Splits rows by label so that each label keeps its share on both sides: within each label, a seeded
 * shuffle holds out `round(fraction · count)` rows (at least 1 when the label has ≥ 2 rows, at most
 * count − 1). The same labels, fraction and seed give the same split.
 *
 * @example
 * ```ts
 * const { rest, held } = stratifiedSplit(["a", "a", "b", "b", "b"], 0.4, 0); // held: one "a", one "b"
 * ```
 */
export function stratifiedSplit(labels: readonly string[], fraction: number, seed = 0): StratifiedSplit {
  if (!(fraction > 0 && fraction < 1)) {
    throw new InvalidArgumentError(
      `the calibration split is ${fraction}; expected a fraction in (0, 1), e.g. 0.2.`,
    );
  }
  const groups = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const g = groups.get(l);
    if (g) g.push(i);
    else groups.set(l, [i]);
  });
  const rng = new Rng(seed);
  const held = new Uint8Array(labels.length);
  for (const label of [...groups.keys()].sort()) {
    const idx = rng.shuffle(Int32Array.from(groups.get(label)!));
    const n = idx.length;
    const k = n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
    for (let j = 0; j < k; j++) held[idx[j]!] = 1;
  }
  const pick = (v: number) => Int32Array.from(labels.keys()).filter((i) => held[i] === v);
  return { rest: pick(0), held: pick(1) };
}
