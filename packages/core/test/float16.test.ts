import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { float16Bytes, float16ToFloat32, fromFloat16Bits, toFloat16Bits } from "../src/math/float16.js";

describe("float16 bit patterns", () => {
  it("encodes known values (IEEE 754 binary16)", () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff], // the largest finite
      [65520, 0x7c00], // rounds up to +∞
      [2 ** -24, 0x0001], // the smallest subnormal
      [2 ** -14, 0x0400], // the smallest normal
      [0.1, 0x2e66],
      [1 / 3, 0x3555],
      [Number.POSITIVE_INFINITY, 0x7c00],
      [Number.NEGATIVE_INFINITY, 0xfc00],
    ];
    for (const [x, h] of cases) expect(toFloat16Bits(x), String(x)).toBe(h);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN)))).toBe(true);
  });

  it("every one of the 65 536 patterns decodes and re-encodes to itself (NaNs stay NaN)", () => {
    for (let h = 0; h < 0x10000; h++) {
      const x = fromFloat16Bits(h);
      if (Number.isNaN(x)) expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(x)))).toBe(true);
      else expect(toFloat16Bits(x)).toBe(h);
    }
  });

  test.prop([fc.double({ min: -65504, max: 65504, noNaN: true })])(
    "rounds to the nearest float16 (ties to even)",
    (x) => {
      const h = toFloat16Bits(x);
      const y = fromFloat16Bits(h);
      // the neighbours of y on the float16 grid: no representable value is nearer to x
      const up = fromFloat16Bits(h & 0x8000 ? (h & 0x7fff ? h - 1 : 0x0001) : h + 1);
      const down = fromFloat16Bits(h & 0x8000 ? h + 1 : h & 0x7fff ? h - 1 : 0x8001);
      const f = Math.fround(x); // the encoder reads a float32, as an ONNX initializer holds
      for (const z of [up, down]) {
        if (Number.isFinite(z)) expect(Math.abs(f - y)).toBeLessThanOrEqual(Math.abs(f - z));
      }
    },
  );

  it("writes little-endian raw data and reads tensors back", () => {
    expect(Array.from(float16Bytes([1, -2]))).toEqual([0x00, 0x3c, 0x00, 0xc0]);
    expect(Array.from(float16ToFloat32(Uint16Array.of(0x3c00, 0x3555)))).toEqual([
      1,
      Math.fround(0.333251953125),
    ]);
  });
});
