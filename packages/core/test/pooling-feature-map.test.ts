import { test as propTest } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globalAveragePool } from "../src/internal.js";
import { POOLINGS } from "../src/runtime/index.js";
import { foldedLogits, headArb, ort, valuesArb } from "./helpers/fold.js";

describe("globalAveragePool", () => {
  it("averages each channel over height and width", () => {
    const t = { type: "float32", dims: [1, 2, 2, 2], data: Float32Array.from([1, 2, 3, 4, 10, 10, 10, 30]) };
    const m = globalAveragePool(t);
    expect([m.rows, m.cols]).toEqual([1, 2]);
    expect(Array.from(m.data)).toEqual([2.5, 15]);
  });
  it("names the shape it needs", () => {
    expect(() => globalAveragePool({ type: "float32", dims: [2, 3], data: new Float32Array(6) })).toThrow(
      /\[batch, channels, height, width\]/,
    );
  });
});

describe("global-average pooling folded with a head (foldHead)", () => {
  propTest.prop(
    [
      fc
        .record({
          rows: fc.integer({ min: 1, max: 4 }),
          channels: fc.integer({ min: 1, max: 6 }),
          height: fc.integer({ min: 1, max: 5 }),
          width: fc.integer({ min: 1, max: 5 }),
        })
        .chain((s) =>
          fc.record({
            s: fc.constant(s),
            map: valuesArb(s.rows * s.channels * s.height * s.width),
            head: headArb(s.channels),
          }),
        ),
    ],
    { numRuns: 30 },
  )("the graph gives the JavaScript pooling + MlpHead.forward's logits", async ({ s, map, head }) => {
    const dims = [s.rows, s.channels, s.height, s.width];
    const pooled = POOLINGS["global-average"].pool(
      { features: { type: "float32", dims, data: map } },
      "features",
    );
    const want = head.forward(pooled.data, s.rows);
    const got = await foldedLogits(POOLINGS["global-average"], head, [
      { name: "features", tensor: new ort.Tensor("float32", map, dims) },
    ]);
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });
});
