import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CascadeSweepInput,
  type ExitCriterion,
  paretoFront,
  pickCascade,
  sweepCascades,
} from "../src/index.js";
import {
  bruteForceCascades,
  bruteForceCriterion,
  type CascadePoint,
  coordinateCurve,
  EXIT_CRITERIA,
  evaluateCascade,
  exhaustiveCascades,
  scoreCandidates,
  searchCascades,
  stateTally,
} from "../src/internal.js";
import { cascadeCosts, mainnetCorrect, pointOf } from "../src/selection/tally.js";

/** Random held-out rows over `classes` classes: a probability row per candidate and item, MainNet answers, labels. */
const inputArb = (o: { maxRows: number; maxCandidates: number; minCandidates?: number; maxGrid: number }) =>
  fc
    .record({
      n: fc.integer({ min: 1, max: o.maxRows }),
      m: fc.integer({ min: o.minCandidates ?? 1, max: o.maxCandidates }),
      C: fc.integer({ min: 2, max: 4 }),
    })
    .chain(({ n, m, C }) =>
      fc.record({
        candidates: fc.array(
          fc.record({
            probs: fc
              .array(fc.integer({ min: 1, max: 9 }), { minLength: n * C, maxLength: n * C })
              .map((a) => {
                const p = new Float32Array(a.length);
                for (let r = 0; r < n; r++) {
                  let s = 0;
                  for (let c = 0; c < C; c++) s += a[r * C + c]!;
                  for (let c = 0; c < C; c++) p[r * C + c] = a[r * C + c]! / s;
                }
                return p;
              }),
            share: fc.double({ min: 0, max: 1, noNaN: true }),
            headCost: fc.double({ min: 0, max: 0.05, noNaN: true }),
            flopsShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
          }),
          { minLength: m, maxLength: m },
        ),
        mainnetPrediction: fc
          .array(fc.integer({ min: 0, max: C - 1 }), { minLength: n, maxLength: n })
          .map((a) => Int32Array.from(a)),
        labels: fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: n, maxLength: n }),
        classes: fc.constant(C),
        grid: fc.integer({ min: 1, max: o.maxGrid }),
      }),
    )
    .map((i) => ({
      ...i,
      // a candidate without a FLOPs share drops flops from every cascade it is in (as attach's)
      candidates: i.candidates.map(({ flopsShare, ...c }) =>
        flopsShare === undefined ? c : { ...c, flopsShare },
      ),
    })) as fc.Arbitrary<CascadeSweepInput>;

const small = inputArb({ maxRows: 30, maxCandidates: 4, maxGrid: 4 });
const criterionArb = fc.constantFrom<ExitCriterion>(...EXIT_CRITERIA);
const key = (p: CascadePoint) => `${p.criterion}|${p.exits.join(",")}|${p.thresholds.join(",")}`;

describe("exhaustive sweep and coordinate search", () => {
  test.prop([small, criterionArb, fc.integer({ min: 1, max: 3 })])(
    "the exhaustive histograms give the brute force's cascades, in its order, with the same figures",
    (input, criterion, depth) => {
      const fast: CascadePoint[] = [];
      exhaustiveCascades(input, scoreCandidates(input, criterion), criterion, depth, (p) => fast.push(p));
      const slow: CascadePoint[] = [];
      bruteForceCriterion(input, criterion, depth, (p) => slow.push(p));
      expect(fast).toEqual(slow);
    },
  );

  test.prop([small, criterionArb, fc.nat(), fc.nat()])(
    "a coordinate curve is the row-by-row tally at every τ of the exit it moves",
    (input, criterion, seedA, seedB) => {
      const scored = scoreCandidates(input, criterion);
      const m = scored.length;
      const exits = Array.from({ length: m }, (_, i) => i).filter((i) => (seedA >> i) & 1 || i === seedA % m);
      const levels = exits.map((e, i) => (seedB >> (2 * i)) % scored[e]!.taus.length);
      const j = seedB % exits.length;
      const n = input.labels.length;
      const curve = coordinateCurve(scored, criterion, { exits, levels }, j, n);
      expect(curve).toHaveLength(scored[exits[j]!]!.taus.length);
      for (const [t, tally] of curve.entries()) {
        const moved = levels.map((l, i) => (i === j ? t : l));
        expect(tally).toEqual(stateTally(scored, criterion, { exits, levels: moved }, n));
        const thresholds = exits.map((e, i) => scored[e]!.taus[moved[i]!]!);
        const p = pointOf(
          n,
          mainnetCorrect(input.mainnetPrediction, input.labels),
          exits,
          thresholds,
          criterion,
          cascadeCosts(input.candidates, exits),
          tally,
        );
        expect(p).toEqual(evaluateCascade(input, exits, thresholds, criterion, scored));
      }
    },
  );

  test.prop([inputArb({ maxRows: 30, minCandidates: 3, maxCandidates: 5, maxGrid: 4 }), criterionArb])(
    "every 3-exit cascade the search reports is one of the brute force's, with its figures",
    (input, criterion) => {
      const scored = scoreCandidates(input, criterion);
      const all = new Map<string, CascadePoint>();
      bruteForceCriterion(input, criterion, 3, (p) => all.set(key(p), p));
      const starts = [...all.values()].filter((p) => p.exits.length === 2);
      const emitted: CascadePoint[] = [];
      for (const figure of ["accuracy", "agreement"] as const) {
        const targets = [...new Set(starts.map((p) => (figure === "accuracy" ? p.accuracy : p.agreement)))];
        const found = searchCascades(input, scored, criterion, 3, starts, figure, targets, (p) =>
          emitted.push(p),
        );
        for (const p of found) expect(all.get(key(p))).toEqual(p);
        // a target is met by its result; one no start reached has none
        expect(found.length).toBeLessThanOrEqual(targets.length);
      }
      for (const p of emitted) {
        expect(p.exits).toHaveLength(3);
        expect(all.get(key(p))).toEqual(p);
      }
    },
  );

  test.prop([inputArb({ maxRows: 30, minCandidates: 3, maxCandidates: 5, maxGrid: 4 }), criterionArb])(
    "a searched target's cascade is at least as cheap as the cheapest insertion into a start at that target",
    (input, criterion) => {
      const scored = scoreCandidates(input, criterion);
      const starts: CascadePoint[] = [];
      bruteForceCriterion(input, criterion, 2, (p) => p.exits.length === 2 && starts.push(p));
      const target = Math.max(...starts.map((p) => p.accuracy), 0);
      const found = searchCascades(input, scored, criterion, 3, starts, "accuracy", [target], () => {}, {
        beam: 100,
      });
      // with a beam wider than the starts, the result is no costlier than any 3-exit cascade made of a
      // seed (per exit sequence, its cheapest start reaching the target) and one more exit at any τ
      const all: CascadePoint[] = [];
      bruteForceCriterion(input, criterion, 3, (p) => p.exits.length === 3 && all.push(p));
      const seeds = new Map<string, CascadePoint>();
      for (const p of [...starts].sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy)) {
        if (p.accuracy >= target - 1e-12 && !seeds.has(p.exits.join(","))) seeds.set(p.exits.join(","), p);
      }
      const seedKeys = new Set([...seeds.values()].map(key));
      const without = (p: CascadePoint, drop: number) => ({
        ...p,
        exits: p.exits.filter((_, i) => i !== drop),
        thresholds: p.thresholds.filter((_, i) => i !== drop),
      });
      const extensions = all.filter(
        (p) => p.accuracy >= target - 1e-12 && p.exits.some((_, drop) => seedKeys.has(key(without(p, drop)))),
      );
      if (extensions.length === 0) return;
      expect(found).toHaveLength(1);
      expect(found[0]!.cost).toBeLessThanOrEqual(Math.min(...extensions.map((p) => p.cost)) + 1e-12);
    },
  );

  test.prop([
    inputArb({ maxRows: 25, maxCandidates: 4, maxGrid: 3 }),
    fc.double({ min: 0, max: 10, noNaN: true }),
  ])("a sweep of up to 3 exits holds every cascade of up to 2, so no budget picks worse", (input, drop) => {
    const k2 = sweepCascades({ ...input, maxExits: 2 });
    const k3 = sweepCascades({ ...input, maxExits: 3 });
    expect(k2).toEqual(bruteForceCascades(input, 2));
    const keys = new Set(k3.map(key));
    expect(k2.every((p) => keys.has(key(p)))).toBe(true);
    expect(pickCascade(k3, { maxDropPt: drop })!.cost).toBeLessThanOrEqual(
      pickCascade(k2, { maxDropPt: drop })!.cost + 1e-12,
    );
    const f2 = paretoFront(k2);
    for (const p of paretoFront(k3)) {
      // the 3-exit front lies on or above the 2-exit one
      const below = f2.filter((q) => q.cost <= p.cost);
      if (below.length) expect(p.accuracy).toBeGreaterThanOrEqual(below.at(-1)!.accuracy - 1e-12);
    }
  });

  test.prop([
    inputArb({ maxRows: 20, minCandidates: 5, maxCandidates: 6, maxGrid: 3 }),
    fc.integer({ min: 3, max: 6 }),
  ])(
    "any K: every cascade has at most K exits, in MainNet order, each with a τ < 1 of its grid, and the evaluated counts add up",
    (input, K) => {
      const evaluated: Record<string, number> = {};
      const points = sweepCascades({ ...input, maxExits: K, criteria: ["max-prob", "patience"] }, evaluated);
      const grids = ["max-prob", "patience"].map((c) => scoreCandidates(input, c as ExitCriterion));
      for (const p of points) {
        expect(p.exits.length).toBeLessThanOrEqual(K);
        for (let i = 1; i < p.exits.length; i++) expect(p.exits[i]!).toBeGreaterThan(p.exits[i - 1]!);
        const g = grids[p.criterion === "patience" ? 1 : 0]!;
        p.thresholds.forEach((t, i) => {
          expect(t).toBeLessThan(1);
          expect(g[p.exits[i]!]!.taus).toContain(t);
        });
        if (p.exits.length > 2) expect(p).toEqual(evaluateCascade(input, p.exits, p.thresholds, p.criterion));
      }
      for (const [size, c] of Object.entries(evaluated)) {
        expect(c).toBeGreaterThanOrEqual(points.filter((p) => `${p.exits.length}` === size).length);
      }
    },
  );

  it("finds a 3-exit cascade cheaper than every 2-exit one when each exit is sure of a different third of the rows", () => {
    // rows 0–9 are easy at exit 0, 10–19 at exit 1, 20–29 at exit 2; elsewhere the exits are unsure
    const n = 30;
    const probs = (sure: number) =>
      Float32Array.from({ length: n * 2 }, (_, k) => {
        const r = Math.floor(k / 2);
        const p = Math.floor(r / 10) === sure ? 0.99 : 0.45;
        return k % 2 === 0 ? p : 1 - p;
      });
    const input: CascadeSweepInput = {
      classes: 2,
      candidates: [0, 1, 2].map((i) => ({ probs: probs(i), share: 0.2 + 0.2 * i, headCost: 0.001 })),
      mainnetPrediction: new Int32Array(n),
      labels: new Array(n).fill(0),
      criteria: ["max-prob"],
    };
    const best = (k: number) => pickCascade(sweepCascades({ ...input, maxExits: k }), { maxDropPt: 0 })!;
    expect(best(2).exits).toHaveLength(2);
    const three = best(3);
    expect(three.exits).toEqual([0, 1, 2]);
    expect(three.exitRates.map((x) => Math.round(x * 30))).toEqual([10, 10, 10]);
    expect(three.cost).toBeLessThan(best(2).cost);
  });
});
