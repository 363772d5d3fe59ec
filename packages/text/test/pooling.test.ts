import { IncompatibleModelError } from "@sidenet/core";
import { describe, expect, it } from "vitest";
import { poolText } from "../src/index.js";

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
