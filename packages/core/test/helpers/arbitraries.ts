import fc from "fast-check";

/** Finite float32 logits for `rows × classes`. */
export const logitsArb = (rows: number, classes: number, max = 50) =>
  fc.float32Array({
    min: Math.fround(-max),
    max: Math.fround(max),
    noNaN: true,
    noDefaultInfinity: true,
    minLength: rows * classes,
    maxLength: rows * classes,
  });

/** A batch: `{ rows, classes, logits }` with 1–40 rows and 2–10 classes. */
export const batchArb = (maxRows = 40) =>
  fc
    .record({ rows: fc.integer({ min: 1, max: maxRows }), classes: fc.integer({ min: 2, max: 10 }) })
    .chain(({ rows, classes }) => logitsArb(rows, classes).map((logits) => ({ rows, classes, logits })));

/** Labels in [0, classes) for `rows` rows. */
export const labelsArb = (rows: number, classes: number) =>
  fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: rows, maxLength: rows });

/** A batch of logits with labels. */
export const labelledBatchArb = (maxRows = 60) =>
  batchArb(maxRows).chain((b) => labelsArb(b.rows, b.classes).map((labels) => ({ ...b, labels })));

/** A permutation of 0..n-1. */
export const permutationArb = (n: number) =>
  fc
    .array(fc.nat(), { minLength: n, maxLength: n })
    .map((keys) => Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b));

/** A threshold in [0, 1], with the edges 0 and 1 drawn often. */
export const thresholdArb = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
