import { test as propTest } from "@fast-check/vitest";
import { IncompatibleModelError } from "@sidenet/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldedLogits, headArb, ort, valuesArb } from "../../core/test/helpers/fold.js";
import { poolText } from "../src/index.js";
import { type TextPooling, textPoolingGraph } from "../src/pooling.js";

// batch 2, tokens 3, hidden 2; row 1 has its last token padded
const hidden = {
  type: "float32",
  dims: [2, 3, 2],
  data: Float32Array.from([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 99, 99]),
};
const mask = { type: "int64", dims: [2, 3], data: BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]) };

describe("poolText", () => {
  it("cls takes token 0", () => {
    expect(Array.from(poolText(hidden, mask, "cls").data)).toEqual([1, 2, 10, 20]);
  });
  it("mean averages the unmasked tokens only", () => {
    expect(Array.from(poolText(hidden, mask, "mean").data)).toEqual([3, 4, 20, 30]);
  });
  it("names the shape it needs", () => {
    const flat = { type: "float32", dims: [2, 6], data: new Float32Array(12) };
    expect(() => poolText(flat, mask, "cls")).toThrow(IncompatibleModelError);
    expect(() => poolText(flat, mask, "cls")).toThrow(/\[batch, tokens, hidden\]/);
  });
});

describe("textPoolingGraph folded with a head (foldHead)", () => {
  // any batch, length, width and mask (rows with no token too): ORT computes what poolText + MlpHead do
  propTest.prop(
    [
      fc
        .record({
          rows: fc.integer({ min: 1, max: 4 }),
          tokens: fc.integer({ min: 1, max: 6 }),
          width: fc.integer({ min: 1, max: 8 }),
          pooling: fc.constantFrom<TextPooling>("cls", "mean"),
        })
        .chain((s) =>
          fc.record({
            s: fc.constant(s),
            hidden: valuesArb(s.rows * s.tokens * s.width),
            mask: fc.array(fc.constantFrom(0n, 1n, 2n), {
              minLength: s.rows * s.tokens,
              maxLength: s.rows * s.tokens,
            }),
            head: headArb(s.width),
          }),
        ),
    ],
    { numRuns: 40 },
  )("gives poolText + MlpHead.forward's logits", async ({ s, hidden, mask, head }) => {
    const dims = [s.rows, s.tokens, s.width];
    const m = BigInt64Array.from(mask);
    const pooled = poolText(
      { type: "float32", dims, data: hidden },
      { type: "int64", dims: dims.slice(0, 2), data: m },
      s.pooling,
    );
    const want = head.forward(pooled.data, s.rows);
    const got = await foldedLogits(textPoolingGraph, s.pooling, head, [
      { name: "hidden", tensor: new ort.Tensor("float32", hidden, dims) },
      { name: "attention_mask", tensor: new ort.Tensor("int64", m, dims.slice(0, 2)) },
    ]);
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });
});
