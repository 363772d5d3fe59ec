import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect } from "vitest";
import { pickByMaxCost, pickByMaxDrop, shouldExit, thresholdSweep } from "../src/internal.js";

const sweepArb = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.record({
    confidence: fc
      .array(fc.constantFrom(0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1), { minLength: n, maxLength: n })
      .map((a) => Float32Array.from(a)),
    exitPrediction: fc
      .array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n })
      .map((a) => Int32Array.from(a)),
    mainnetPrediction: fc
      .array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n })
      .map((a) => Int32Array.from(a)),
    labels: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
);

describe("thresholdSweep", () => {
  test.prop([sweepArb])("every point equals a direct evaluation of the cascade at its τ", (s) => {
    for (const p of thresholdSweep(s)) {
      let correct = 0;
      let exited = 0;
      let agree = 0;
      for (let i = 0; i < s.labels.length; i++) {
        const out = shouldExit(s.confidence[i]!, p.threshold);
        const pred = out ? s.exitPrediction[i]! : s.mainnetPrediction[i]!;
        if (out) exited++;
        if (pred === s.labels[i]) correct++;
        if (pred === s.mainnetPrediction[i]) agree++;
      }
      const n = s.labels.length;
      expect(p.exitRate).toBeCloseTo(exited / n, 12);
      expect(p.accuracy).toBeCloseTo(correct / n, 12);
      expect(p.agreement).toBeCloseTo(agree / n, 12);
      expect(p.cost).toBeCloseTo(s.share + (1 - exited / n) * (1 - s.share), 12);
    }
  });

  test.prop([sweepArb])("exit rate is non-increasing in τ, and τ = 1 is the MainNet", (s) => {
    const points = thresholdSweep(s);
    for (let k = 1; k < points.length; k++)
      expect(points[k]!.exitRate).toBeLessThanOrEqual(points[k - 1]!.exitRate);
    const last = points[points.length - 1]!;
    expect(last.threshold).toBe(1);
    expect(last.exitRate).toBe(0);
    expect(last.agreement).toBe(1);
  });

  test.prop([
    sweepArb.chain((s) =>
      fc
        .array(fc.constantFrom(0, 0, 0.25, 0.5, 1), {
          minLength: s.labels.length,
          maxLength: s.labels.length,
        })
        .map((c) => ({ ...s, confidence: Float32Array.from(c) })),
    ),
  ])("no confidence sits on a τ < 1, zeros and ties included (as thresholdGrid)", (s) => {
    for (const p of thresholdSweep(s)) {
      if (p.threshold >= 1) continue;
      expect(p.threshold).toBeGreaterThan(0);
      expect(s.confidence.every((c) => c !== p.threshold)).toBe(true);
    }
  });

  test.prop([sweepArb, fc.double({ min: 0, max: 5, noNaN: true })])(
    "pickByMaxDrop: within budget and the cheapest such point",
    (s, drop) => {
      const points = thresholdSweep(s);
      const main = points.find((p) => p.threshold === 1)!;
      const pick = pickByMaxDrop(points, drop);
      expect(pick.accuracy).toBeGreaterThanOrEqual(main.accuracy - drop / 100 - 1e-9);
      for (const p of points)
        if (p.accuracy >= main.accuracy - drop / 100) expect(pick.cost).toBeLessThanOrEqual(p.cost + 1e-9);
    },
  );

  test.prop([sweepArb, fc.double({ min: 0, max: 1, noNaN: true })])(
    "pickByMaxCost: within cost and the most accurate such point",
    (s, maxCost) => {
      const points = thresholdSweep(s);
      const pick = pickByMaxCost(points, maxCost);
      const ok = points.filter((p) => p.cost <= maxCost + 1e-12);
      if (ok.length === 0) expect(pick).toBeUndefined();
      else expect(pick!.accuracy).toBe(Math.max(...ok.map((p) => p.accuracy)));
    },
  );
});
