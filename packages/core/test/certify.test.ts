import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { Rng } from "../src/math/rng.js";
import { pickCascade } from "../src/selection/budget.js";
import { type CascadeSweepInput, evaluateCascade, sweepCascades } from "../src/selection/cascade-sweep.js";
import { certifiedPick } from "../src/selection/certified-pick.js";
import {
  binomialLower,
  binomialUpper,
  disagreementUpperBound,
  dropCounts,
  dropLosses,
  dropUpperBound,
  fixedSequence,
  logBinomialCdf,
  rowsNeeded,
} from "../src/selection/certify.js";

/** Counts of n rows drawn iid: newly wrong with probability `worse`, newly right with `better`. */
function draw(rng: Rng, n: number, worse: number, better: number) {
  let newlyWrong = 0;
  let newlyRight = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    if (u < worse) newlyWrong++;
    else if (u < worse + better) newlyRight++;
  }
  return { rows: n, newlyWrong, newlyRight };
}

const counts = fc
  .tuple(
    fc.integer({ min: 1, max: 3000 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([rows, a, b]) => {
    const newlyWrong = Math.floor(a * a * 0.2 * rows);
    return { rows, newlyWrong, newlyRight: Math.floor(b * b * 0.2 * (rows - newlyWrong)) };
  });

describe("certified budgets", () => {
  it("losses are [cascade wrong] − [MainNet wrong]", () => {
    expect([...dropLosses([0, 1, 1, 1], [0, 0, 1, 0], [0, 0, 0, 1])]).toEqual([0, 1, 0, -1]);
    expect(dropCounts([0, 1, 0, -1, 1])).toEqual({ rows: 5, newlyWrong: 2, newlyRight: 1 });
  });

  test.prop([
    fc.integer({ min: 1, max: 60 }),
    fc.nat(60),
    fc.double({ min: 0.001, max: 0.999, noNaN: true }),
  ])("the binomial CDF matches a direct sum", (n, k, p) => {
    let direct = 0;
    let c = 1;
    for (let j = 0; j <= Math.min(k, n); j++) {
      direct += c * p ** j * (1 - p) ** (n - j);
      c = (c * (n - j)) / (j + 1);
    }
    expect(Math.exp(logBinomialCdf(k, n, p))).toBeCloseTo(Math.min(1, direct), 9);
  });

  test.prop([
    fc.integer({ min: 1, max: 500 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.constantFrom(0.025, 0.05, 0.1),
  ])("Clopper–Pearson bounds bracket k / n and sit where the tail equals α", (n, f, alpha) => {
    const k = Math.floor(f * n);
    const up = binomialUpper(k, n, alpha);
    const lo = binomialLower(k, n, alpha);
    expect(lo).toBeLessThanOrEqual(k / n + 1e-12);
    expect(up).toBeGreaterThanOrEqual(k / n - 1e-12);
    if (k < n) expect(Math.exp(logBinomialCdf(k, n, up))).toBeCloseTo(alpha, 6);
    if (k > 0) expect(-Math.expm1(logBinomialCdf(k - 1, n, lo))).toBeCloseTo(alpha, 6);
  });

  // coverage: drops at and around ε, the bound below the true drop in at most a δ share of draws
  test.prop(
    [
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.constantFrom(0.002, 0.005, 0.02),
      fc.constantFrom(0, 0.01, 0.05),
      fc.constantFrom(0.05, 0.1, 0.2),
      fc.constantFrom(100, 500, 2000),
    ],
    { numRuns: 8 },
  )("is conservative on synthetic Bernoulli data: P(drop > bound) ≤ δ", (seed, worse, better, delta, n) => {
    const rng = new Rng(seed);
    const draws = 500;
    const drop = worse - better;
    let missed = 0;
    for (let d = 0; d < draws; d++) if (dropUpperBound(draw(rng, n, worse, better), delta) < drop) missed++;
    // ≤ δ in expectation; three binomial standard deviations of sampling error allowed
    expect(missed / draws).toBeLessThanOrEqual(delta + 3 * Math.sqrt((delta * (1 - delta)) / draws));
  });

  test.prop([counts, fc.double({ min: 0, max: 0.1, noNaN: true }), fc.constantFrom(0.05, 0.1, 0.2)])(
    "never certifies a drop whose observed value exceeds ε: the bound is above the observed drop",
    (c, epsilon, delta) => {
      const observed = (c.newlyWrong - c.newlyRight) / c.rows;
      const bound = dropUpperBound(c, delta);
      expect(bound).toBeGreaterThanOrEqual(observed - 1e-12);
      if (bound < epsilon) expect(observed).toBeLessThan(epsilon);
    },
  );

  test.prop([counts, fc.integer({ min: 2, max: 8 }), fc.constantFrom(0.05, 0.1)])(
    "more rows at the same rates never widen the bound; a lower δ never narrows it",
    (c, k, delta) => {
      const more = { rows: c.rows * k, newlyWrong: c.newlyWrong * k, newlyRight: c.newlyRight * k };
      expect(dropUpperBound(more, delta)).toBeLessThanOrEqual(dropUpperBound(c, delta) + 1e-12);
      expect(dropUpperBound(c, delta / 2)).toBeGreaterThanOrEqual(dropUpperBound(c, delta) - 1e-12);
    },
  );

  it("500 rows that never disagree with the MainNet bound the drop at 0.60 pt (δ = 0.1); 0.5 pt needs 1 000 rows", () => {
    const none = { rows: 500, newlyWrong: 0, newlyRight: 0 };
    expect(dropUpperBound(none, 0.1) * 100).toBeCloseTo(0.597, 3);
    expect(rowsNeeded(none, 0.005, 0.1)).toBe(1000);
    expect(rowsNeeded({ rows: 500, newlyWrong: 5, newlyRight: 0 }, 0.005, 0.1)).toBeUndefined();
  });

  test.prop([
    fc.array(fc.double({ min: 0, max: 0.05, noNaN: true }), { maxLength: 20 }),
    fc.constantFrom(0.005, 0.01),
  ])(
    "fixed-sequence testing certifies the leading run of bounds below ε, and computes no further",
    (bounds, epsilon) => {
      const r = fixedSequence(bounds, epsilon);
      expect(bounds.slice(0, r.certified).every((b) => b < epsilon)).toBe(true);
      if (r.certified < bounds.length) expect(bounds[r.certified]! >= epsilon).toBe(true);
      expect(r.tested).toEqual(bounds.slice(0, Math.min(bounds.length, r.certified + 1)));
    },
  );
});

/** A sweep input: a MainNet right on 95 % of rows; one exit that copies the MainNet's answer, confidently on 80 %. */
function syntheticSweep(n: number, seed: number): CascadeSweepInput {
  const rng = new Rng(seed);
  const labels = new Int32Array(n);
  const mainnet = new Int32Array(n);
  const probs = new Float32Array(2 * n);
  for (let r = 0; r < n; r++) {
    labels[r] = rng.next() < 0.5 ? 1 : 0;
    mainnet[r] = rng.next() < 0.95 ? labels[r]! : 1 - labels[r]!;
    // confident rows agree with the MainNet; unsure rows guess
    const confident = rng.next() < 0.8;
    const answer = confident ? mainnet[r]! : rng.next() < 0.5 ? 1 : 0;
    const p = confident ? 0.99 : 0.5 + 0.1 * rng.next();
    probs[2 * r + answer] = p;
    probs[2 * r + 1 - answer] = 1 - p;
  }
  return {
    candidates: [{ probs, share: 0.2, headCost: 0 }],
    classes: 2,
    mainnetPrediction: mainnet,
    labels,
    criteria: ["max-prob"],
    maxExits: 1,
  };
}

describe("certified pick (Learn-then-Test over the front)", () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: 5 })(
    "with enough rows, an exit that agrees with the MainNet when confident is certified, its bound below ε",
    (seed) => {
      const input = syntheticSweep(6000, seed);
      const r = certifiedPick(input, { epsilon: 0.005, delta: 0.1, seed });
      const c = r.certification;
      expect(c.selection_rows + c.test_rows).toBe(6000);
      expect(c.certified).toBeGreaterThan(0);
      expect(r.point.exits).toEqual([0]);
      expect(c.bound!).toBeLessThan(0.005);
      expect(c.bound!).toBeGreaterThanOrEqual(c.observed_drop!);
      // the point's figures are on every row: the same as evaluating it there
      expect(r.point).toEqual(evaluateCascade(input, r.point.exits, r.point.thresholds, r.point.criterion));
    },
  );

  test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: 5 })(
    "with 300 rows nothing is certified at 0.5 pt: the MainNet alone, and the rows a certificate needs",
    (seed) => {
      const r = certifiedPick(syntheticSweep(300, seed), { epsilon: 0.005, delta: 0.1, seed });
      expect(r.point.exits).toEqual([]);
      expect(r.certification.certified).toBe(0);
      expect(r.certification.rows_needed ?? Number.POSITIVE_INFINITY).toBeGreaterThan(300);
    },
  );

  test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: 5 })(
    "an agreement budget (disagreement with the MainNet ≤ 1 %) is certified for the confident exit, without labels",
    (seed) => {
      const input = syntheticSweep(6000, seed);
      const r = certifiedPick(input, { epsilon: 0.01, delta: 0.1, seed, loss: "disagreement" });
      const c = r.certification;
      expect(c.loss).toBe("disagreement");
      expect(c.certified).toBeGreaterThan(0);
      expect(r.point.exits).toEqual([0]);
      expect(c.bound!).toBeLessThan(0.01);
      expect(c.bound!).toBeGreaterThanOrEqual(c.observed_disagreement!);
      // labels play no part: shuffled labels give the same choice
      const shuffled = { ...input, labels: new Rng(seed + 1).shuffle(Int32Array.from(input.labels)) };
      const again = certifiedPick(shuffled, { epsilon: 0.01, delta: 0.1, seed, loss: "disagreement" });
      expect([again.point.exits, again.point.thresholds]).toEqual([r.point.exits, r.point.thresholds]);
      // with 300 rows, 0 disagreements of 150 test rows still bound it above 0.5 %: the MainNet alone
      const few = certifiedPick(syntheticSweep(300, seed), {
        epsilon: 0.005,
        delta: 0.1,
        seed,
        loss: "disagreement",
      });
      expect(few.point.exits).toEqual([]);
      expect(few.certification.rows_needed ?? Number.POSITIVE_INFINITY).toBeGreaterThan(300);
    },
  );

  it("the empirical agreement budget picks the cheapest cascade that agrees often enough", () => {
    const points = sweepCascades(syntheticSweep(2000, 3));
    const chosen = pickCascade(points, { minAgreement: 0.95 })!;
    expect(chosen.agreement).toBeGreaterThanOrEqual(0.95);
    for (const p of points)
      if (p.agreement >= 0.95) expect(p.cost).toBeGreaterThanOrEqual(chosen.cost - 1e-12);
    expect(pickCascade(points, { minAgreement: 1 })!.agreement).toBe(1);
  });

  test.prop([fc.double({ min: 0.001, max: 0.1, noNaN: true }), fc.constantFrom(0.05, 0.1), fc.nat()], {
    numRuns: 20,
  })(
    "the disagreement bound covers the true rate in at least 1 − δ of draws (400 draws of 300 rows)",
    (rate, delta, seed) => {
      const rng = new Rng(seed);
      let misses = 0;
      for (let d = 0; d < 400; d++) {
        let k = 0;
        for (let i = 0; i < 300; i++) if (rng.next() < rate) k++;
        if (disagreementUpperBound({ rows: 300, newlyWrong: k, newlyRight: 0 }, delta) < rate) misses++;
      }
      // δ plus six binomial standard errors of the miss rate over 400 draws (Clopper–Pearson is exact, so
      // conservative: a seed breaking this has probability < 1e-8)
      expect(misses / 400).toBeLessThanOrEqual(delta + 6 * Math.sqrt((delta * (1 - delta)) / 400));
    },
  );

  it("refuses a budget or risk outside (0, 1)", () => {
    const input = syntheticSweep(100, 1);
    expect(() => certifiedPick(input, { epsilon: 0, delta: 0.1 })).toThrow(/epsilon/);
    expect(() => certifiedPick(input, { epsilon: 0.005, delta: 1 })).toThrow(/delta/);
  });
});
