import { describe, expect, it } from "vitest";
import { globalAveragePool } from "../src/index.js";

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
