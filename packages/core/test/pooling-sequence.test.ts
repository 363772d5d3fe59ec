import { test as propTest } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IncompatibleModelError } from "../src/index.js";
import { poolSequence } from "../src/internal.js";
import type { SequencePooling } from "../src/pooling/sequence.js";
import { POOLINGS } from "../src/runtime/index.js";
import { foldedLogits, headArb, ort, valuesArb } from "./helpers/fold.js";

// batch 2, tokens 3, hidden 2; row 1 has its last token padded
const hidden = {
  type: "float32",
  dims: [2, 3, 2],
  data: Float32Array.from([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 99, 99]),
};
const mask = { type: "int64", dims: [2, 3], data: BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]) };

describe("poolSequence", () => {
  it("cls takes token 0", () => {
    expect(Array.from(poolSequence(hidden, mask, "cls").data)).toEqual([1, 2, 10, 20]);
  });
  it("mean averages the unmasked tokens only", () => {
    expect(Array.from(poolSequence(hidden, mask, "mean").data)).toEqual([3, 4, 20, 30]);
  });
  it("names the shape it needs", () => {
    const flat = { type: "float32", dims: [2, 6], data: new Float32Array(12) };
    expect(() => poolSequence(flat, mask, "cls")).toThrow(IncompatibleModelError);
    expect(() => poolSequence(flat, mask, "cls")).toThrow(/\[batch, tokens, hidden\]/);
  });
});

describe("sequence poolings (cls, mean) folded with a head (foldHead)", () => {
  // any batch, length, width and mask (rows with no token too): ORT computes what poolText + MlpHead do
  propTest.prop(
    [
      fc
        .record({
          rows: fc.integer({ min: 1, max: 4 }),
          tokens: fc.integer({ min: 1, max: 6 }),
          width: fc.integer({ min: 1, max: 8 }),
          pooling: fc.constantFrom<SequencePooling>("cls", "mean"),
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
  )(
    "the graph gives the JavaScript pooling + MlpHead.forward's logits",
    async ({ s, hidden, mask, head }) => {
      const dims = [s.rows, s.tokens, s.width];
      const m = BigInt64Array.from(mask);
      const pooled = POOLINGS[s.pooling].pool(
        {
          hidden: { type: "float32", dims, data: hidden },
          attention_mask: { type: "int64", dims: dims.slice(0, 2), data: m },
        },
        "hidden",
      );
      const want = head.forward(pooled.data, s.rows);
      const got = await foldedLogits(POOLINGS[s.pooling], head, [
        { name: "hidden", tensor: new ort.Tensor("float32", hidden, dims) },
        { name: "attention_mask", tensor: new ort.Tensor("int64", m, dims.slice(0, 2)) },
      ]);
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
    },
  );
});
