import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CascadeSpec,
  type CascadeSweepInput,
  type ConfidenceMeasure,
  confidence,
  type ExitCriterion,
  paretoFront,
  pickCascade,
  runCascade,
  sweepCascades,
} from "../src/index.js";
import {
  type CascadePoint,
  EXIT_CRITERIA,
  evaluateCascade,
  thresholdGrid,
  thresholdSweep,
} from "../src/internal.js";

const C = 3;

/** Random held-out rows: per candidate exit a probability row per item, MainNet predictions, labels. */
const inputArb = fc
  .record({ n: fc.integer({ min: 1, max: 40 }), m: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, m }) =>
    fc.record({
      candidates: fc.array(
        fc.record({
          probs: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: n * C, maxLength: n * C }).map((a) => {
            const p = new Float32Array(a.length);
            for (let r = 0; r < n; r++) {
              const s = a[r * C]! + a[r * C + 1]! + a[r * C + 2]!;
              for (let c = 0; c < C; c++) p[r * C + c] = a[r * C + c]! / s;
            }
            return p;
          }),
          share: fc.double({ min: 0, max: 1, noNaN: true }),
          headCost: fc.double({ min: 0, max: 0.05, noNaN: true }),
        }),
        { minLength: m, maxLength: m },
      ),
      mainnetPrediction: fc
        .array(fc.integer({ min: 0, max: C - 1 }), { minLength: n, maxLength: n })
        .map((a) => Int32Array.from(a)),
      labels: fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: n, maxLength: n }),
      classes: fc.constant(C),
      grid: fc.integer({ min: 2, max: 6 }),
    }),
  ) as fc.Arbitrary<CascadeSweepInput>;

/** The same cascade run by the runtime's {@link runCascade}: stages pass rows through, exits return log-probs. */
async function runtimeExitRates(
  input: CascadeSweepInput,
  exits: number[],
  thresholds: number[],
  criterion: ExitCriterion,
) {
  type S = { rows: Int32Array };
  const n = input.labels.length;
  const logits = (probs: Float32Array, s: S) =>
    Float32Array.from({ length: s.rows.length * C }, (_, k) =>
      Math.log(probs[s.rows[Math.floor(k / C)]! * C + (k % C)]!),
    );
  const spec: CascadeSpec<S> = {
    classes: C,
    stages: [...exits, -1].map(() => ({ run: (s: S) => s })),
    exits: exits.map((e, j) => ({
      threshold: thresholds[j]!,
      measure: criterion === "patience" ? "max-prob" : criterion,
      agreeWithPrevious: criterion === "patience",
      logits: (s: S) => logits(input.candidates[e]!.probs, s),
    })),
    final: (s) =>
      Float32Array.from({ length: s.rows.length * C }, (_, k) =>
        k % C === input.mainnetPrediction[s.rows[Math.floor(k / C)]!]! ? 10 : 0,
      ),
    rows: (s) => s.rows.length,
    select: (s, rows) => ({ rows: Int32Array.from(rows, (r) => s.rows[r]!) }),
  };
  const out = await runCascade(spec, { rows: Int32Array.from({ length: n }, (_, i) => i) });
  return out.exitCounts.slice(0, exits.length).map((c) => c / n);
}

describe("cascade sweep", () => {
  test.prop([fc.array(fc.float({ min: 0, max: 1, noNaN: true })), fc.integer({ min: 1, max: 30 })])(
    "the τ grid is sorted, distinct, within [0, 1] and ends with 1 (off)",
    (xs, grid) => {
      const g = thresholdGrid(Float32Array.from(xs), grid);
      expect(g.at(-1)).toBe(1);
      for (let k = 1; k < g.length; k++) expect(g[k]!).toBeGreaterThan(g[k - 1]!);
      expect(g.every((t) => t >= 0 && t <= 1)).toBe(true);
      expect(g.length).toBeLessThanOrEqual(grid + 1);
    },
  );

  test.prop([
    fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 1 }),
    fc.integer({ min: 1, max: 30 }),
  ])(
    "each τ < 1 lies strictly between two neighbouring confidences (or below all): no row sits on it",
    (xs, grid) => {
      const conf = Float32Array.from(xs);
      for (const t of thresholdGrid(conf, grid).slice(0, -1)) {
        expect(conf.every((c) => c !== t)).toBe(true);
        const above = conf.filter((c) => c > t);
        const below = conf.filter((c) => c < t);
        expect(above.length).toBeGreaterThan(0);
        // halfway: the gap to the nearest confidence is the same on both sides (or τ is half the lowest one)
        const lo = below.length ? Math.max(...below) : 0;
        expect(t - lo).toBeCloseTo(Math.min(...above) - t, 12);
      }
    },
  );

  test.prop([inputArb, fc.constantFrom(...EXIT_CRITERIA), fc.nat(), fc.nat()])(
    "the sweep's model of a cascade makes the runtime's exit decisions",
    async (input, criterion, i, j) => {
      const m = input.candidates.length;
      const a = i % m;
      const b = a + 1 + (j % Math.max(1, m - a - 1));
      const exits = b < m && i % 2 ? [a, b] : [a];
      // τ away from the fractions of small denominators the probabilities are made of
      const taus = [0.4321, 0.5123, 0.6789, 0.0123];
      const thresholds = exits.map((_, k) => taus[(j + k) % taus.length]!);
      const p = evaluateCascade(input, exits, thresholds, criterion);
      const rates = await runtimeExitRates(input, exits, thresholds, criterion);
      for (const [k, r] of rates.entries()) expect(p.exitRates[k]).toBeCloseTo(r, 12);
    },
  );

  test.prop([inputArb])(
    "every exit off is the MainNet: its accuracy, full agreement, cost 1 + heads",
    (input) => {
      const exits = input.candidates.map((_, i) => i).slice(0, 2);
      const p = evaluateCascade(
        input,
        exits,
        exits.map(() => 1),
        "max-prob",
      );
      const n = input.labels.length;
      const right = Array.from(input.labels).filter((l, r) => l === input.mainnetPrediction[r]).length;
      expect(p.accuracy).toBeCloseTo(right / n, 12);
      expect(p.agreement).toBe(1);
      expect(p.exitRates.every((x) => x === 0)).toBe(true);
      const heads = exits.reduce((a, e) => a + input.candidates[e]!.headCost, 0);
      expect(p.cost).toBeCloseTo(1 + heads, 12);
    },
  );

  test.prop([inputArb, fc.constantFrom<ExitCriterion>("max-prob", "margin", "entropy")])(
    "single-exit points agree with thresholdSweep at the same τ",
    (input, criterion) => {
      const points = sweepCascades({ ...input, criteria: [criterion], maxExits: 1 });
      const cand = input.candidates[0]!;
      const scored = points.filter((p) => p.exits.length === 1 && p.exits[0] === 0);
      const pred = Int32Array.from({ length: input.labels.length }, (_, r) => {
        const row = cand.probs.subarray(r * C, r * C + C);
        return row.indexOf(Math.max(...row));
      });
      for (const p of scored) {
        const conf = confidence(cand.probs, C, criterion as ConfidenceMeasure);
        const ref = thresholdSweep({
          confidence: conf,
          exitPrediction: pred,
          mainnetPrediction: input.mainnetPrediction,
          labels: input.labels,
          share: cand.share,
        }).find((q) => q.threshold === p.thresholds[0]);
        if (!ref) continue;
        expect(p.exitRates[0]).toBeCloseTo(ref.exitRate, 6);
        expect(p.accuracy).toBeCloseTo(ref.accuracy, 6);
      }
    },
  );

  test.prop([inputArb])(
    "the Pareto front: nothing dominates a front point, every point is matched by one",
    (input) => {
      const points = sweepCascades(input);
      const front = paretoFront(points);
      for (const f of front) {
        expect(points.some((p) => p.cost < f.cost - 1e-12 && p.accuracy >= f.accuracy)).toBe(false);
      }
      for (const p of points) {
        expect(front.some((f) => f.cost <= p.cost + 1e-12 && f.accuracy >= p.accuracy - 1e-12)).toBe(true);
      }
    },
  );

  test.prop([
    inputArb,
    fc.double({ min: 0, max: 20, noNaN: true }),
    fc.double({ min: 0.01, max: 1.2, noNaN: true }),
  ])(
    "budgets pick the cheapest point within the drop and the most accurate within the cost",
    (input, drop, maxCost) => {
      const points = sweepCascades(input);
      const main = points.find((p) => p.exits.length === 0)!;
      const byDrop = pickCascade(points, { maxDropPt: drop })!;
      expect(byDrop.accuracy).toBeGreaterThanOrEqual(main.accuracy - drop / 100 - 1e-9);
      const ok = (p: CascadePoint) => p.accuracy >= main.accuracy - drop / 100 - 1e-12;
      expect(points.some((p) => ok(p) && p.cost < byDrop.cost - 1e-9)).toBe(false);
      const byCost = pickCascade(points, { maxCost });
      const fits = points.filter((p) => p.cost <= maxCost + 1e-12);
      if (fits.length === 0) expect(byCost).toBeUndefined();
      else expect(byCost!.accuracy).toBe(Math.max(...fits.map((p) => p.accuracy)));
    },
  );

  it("patience needs the previous exit's answer: a confident second exit that disagrees does not exit", () => {
    const input: CascadeSweepInput = {
      classes: 2,
      candidates: [
        { probs: Float32Array.from([0.6, 0.4]), share: 0.2, headCost: 0 },
        { probs: Float32Array.from([0.1, 0.9]), share: 0.5, headCost: 0 },
      ],
      mainnetPrediction: Int32Array.from([1]),
      labels: [1],
    };
    expect(evaluateCascade(input, [0, 1], [0.99, 0.5], "patience").exitRates).toEqual([0, 0]);
    expect(evaluateCascade(input, [0, 1], [0.99, 0.5], "max-prob").exitRates).toEqual([0, 1]);
  });
});
