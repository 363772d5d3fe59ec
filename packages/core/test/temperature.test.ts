import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { applyTemperature, ece, fitTemperature, softmax } from "../src/index.js";
import { nllAtTemperature, Rng } from "../src/internal.js";
import { labelledBatchArb } from "./helpers/arbitraries.js";

describe("temperature scaling", () => {
  test.prop([labelledBatchArb(80)])("never raises NLL on the data it was fitted on", (b) => {
    const T = fitTemperature(b.logits, b.classes, b.labels);
    expect(T).toBeGreaterThan(0);
    expect(nllAtTemperature(b.logits, b.classes, b.labels, T)).toBeLessThanOrEqual(
      nllAtTemperature(b.logits, b.classes, b.labels, 1) + 1e-12,
    );
  });

  it("recovers the temperature that generated the labels and lowers ECE", () => {
    const rng = new Rng(5);
    const n = 4000;
    const C = 4;
    const trueT = 2.5;
    const logits = Float32Array.from({ length: n * C }, () => 3 * rng.normal());
    const p = softmax(applyTemperature(logits, trueT), C);
    const labels = Int32Array.from({ length: n }, (_, r) => {
      let u = rng.next();
      for (let c = 0; c < C; c++) {
        u -= p[r * C + c]!;
        if (u <= 0) return c;
      }
      return C - 1;
    });
    const T = fitTemperature(logits, C, labels);
    expect(T).toBeGreaterThan(2.2);
    expect(T).toBeLessThan(2.8);
    const before = ece(softmax(logits, C), C, labels);
    const after = ece(softmax(applyTemperature(logits, T), C), C, labels);
    expect(after).toBeLessThan(before / 3);
  });

  it("rejects a non-positive temperature by name", () => {
    expect(() => applyTemperature(new Float32Array(2), 0)).toThrow(/`T`/);
  });
});
