import { test as propTest } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { poolTokens } from "../src/internal.js";
import { POOLINGS } from "../src/runtime/index.js";
import { foldedLogits, headArb, ort, valuesArb } from "./helpers/fold.js";

// the token means of vision transformers, by how many leading special tokens each skips
const TOKEN_MEANS = [
  ["token-mean", 0],
  ["patch-mean", 1],
  ["distilled-patch-mean", 2],
] as const;

describe("poolTokens", () => {
  it("averages the tokens after the first `skip` (ViT's [CLS], DeiT's [CLS] and distillation token)", () => {
    // one row, 3 tokens of 2 features
    const t = { type: "float32", dims: [1, 3, 2], data: Float32Array.from([100, 100, 1, 2, 3, 6]) };
    expect(Array.from(poolTokens(t, 0, "token-mean").data)).toEqual([104 / 3, 108 / 3].map(Math.fround));
    expect(Array.from(poolTokens(t, 1, "patch-mean").data)).toEqual([2, 4]);
    expect(Array.from(poolTokens(t, 2, "distilled-patch-mean").data)).toEqual([3, 6]);
  });
  it("names the shape it needs", () => {
    const flat = { type: "float32", dims: [2, 3], data: new Float32Array(6) };
    expect(() => poolTokens(flat, 1, "patch-mean")).toThrow(/\[batch, tokens, hidden\]/);
    const short = { type: "float32", dims: [1, 2, 1], data: new Float32Array(2) };
    expect(() => poolTokens(short, 2, "distilled-patch-mean")).toThrow(/more than 2 tokens/);
  });
});

describe.each(TOKEN_MEANS)("%s pooling folded with a head (foldHead)", (name, skip) => {
  propTest.prop(
    [
      fc
        .record({
          rows: fc.integer({ min: 1, max: 4 }),
          tokens: fc.integer({ min: skip + 1, max: skip + 6 }),
          hidden: fc.integer({ min: 1, max: 6 }),
        })
        .chain((s) =>
          fc.record({
            s: fc.constant(s),
            seq: valuesArb(s.rows * s.tokens * s.hidden),
            head: headArb(s.hidden),
          }),
        ),
    ],
    { numRuns: 20 },
  )("the graph gives the JavaScript pooling + MlpHead.forward's logits", async ({ s, seq, head }) => {
    const dims = [s.rows, s.tokens, s.hidden];
    const pooling = POOLINGS[name];
    const pooled = pooling.pool({ h: { type: "float32", dims, data: seq } }, "h");
    const want = head.forward(pooled.data, s.rows);
    const got = await foldedLogits(pooling, head, [
      { name: "h", tensor: new ort.Tensor("float32", seq, dims) },
    ]);
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });
});
