import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect } from "vitest";
import { accumulateOuter, backProject, denseForward } from "../src/internal.js";

// The plain loops the blocked kernels replaced (MlpHead before the kernels), kept here as the oracle:
// the kernels must give the same float32 values, so that heads — and the choices of an attach — do not
// change.
function plainForward(x: Float32Array, w: Float32Array, b: Float32Array, rows: number, I: number, O: number) {
  const out = new Float32Array(rows * O);
  for (let r = 0; r < rows; r++) {
    const hr = out.subarray(r * O, (r + 1) * O);
    hr.set(b);
    for (let i = 0; i < I; i++) {
      const xv = x[r * I + i]!;
      if (xv === 0) continue;
      for (let j = 0; j < O; j++) hr[j] = hr[j]! + xv * w[i * O + j]!;
    }
  }
  return out;
}
function plainOuter(x: Float32Array, d: Float32Array, rows: number, I: number, O: number, g0: Float32Array) {
  const g = g0.slice();
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < I; i++) {
      const xv = x[r * I + i]!;
      if (xv === 0) continue;
      for (let j = 0; j < O; j++) g[i * O + j] = g[i * O + j]! + xv * d[r * O + j]!;
    }
  }
  return g;
}
function plainProject(d: Float32Array, w: Float32Array, rows: number, I: number, O: number) {
  const out = new Float32Array(rows * I);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < I; j++) {
      let acc = 0;
      for (let k = 0; k < O; k++) acc += d[r * O + k]! * w[j * O + k]!;
      out[r * I + j] = acc;
    }
  }
  return out;
}

// finite float32 values, subnormals included, with many zeros (ReLU outputs, sparse features)
const value = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.float({ min: -8, max: 8, noNaN: true }) },
);
const values = (n: number) =>
  fc.array(value, { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
// sizes around the 4 × 4 blocks: remainders of rows and columns of 0 … 3
const dims = fc.record({
  rows: fc.integer({ min: 0, max: 11 }),
  I: fc.integer({ min: 1, max: 10 }),
  O: fc.integer({ min: 1, max: 10 }),
});
const problem = dims.chain(
  (d) =>
    fc.record({
      ...Object.fromEntries(Object.entries(d).map(([k, v]) => [k, fc.constant(v)])),
      x: values(d.rows * d.I),
      w: values(d.I * d.O),
      b: values(d.O),
      dOut: values(d.rows * d.O),
    }) as fc.Arbitrary<typeof d & { x: Float32Array; w: Float32Array; b: Float32Array; dOut: Float32Array }>,
);
// Bit for bit but for the sign of a zero: where the plain loop skips a zero input the kernels add ±0,
// and a sum that underflowed to −0 becomes +0. Arithmetic cannot tell the two apart (no head computation
// divides by a sum), so the heads trained are the same numbers.
const same = (a: Float32Array, b: Float32Array) => {
  expect(a.length).toBe(b.length);
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) expect([k, a[k]]).toEqual([k, b[k]]);
};

describe("head kernels", () => {
  test.prop([problem])("denseForward equals the plain loop", (p) => {
    const out = new Float32Array(p.rows * p.O).fill(Number.NaN);
    denseForward(p.x, p.w, p.b, p.rows, p.I, p.O, out);
    same(out, plainForward(p.x, p.w, p.b, p.rows, p.I, p.O));
  });

  test.prop([problem])("accumulateOuter adds into g as the plain loop does", (p) => {
    const g = p.w.slice();
    accumulateOuter(p.x, p.dOut, p.rows, p.I, p.O, g);
    same(g, plainOuter(p.x, p.dOut, p.rows, p.I, p.O, p.w));
  });

  test.prop([problem])("backProject equals the plain float64 sum", (p) => {
    const out = new Float32Array(p.rows * p.I).fill(Number.NaN);
    backProject(p.dOut, p.w, p.rows, p.I, p.O, out);
    same(out, plainProject(p.dOut, p.w, p.rows, p.I, p.O));
  });
});
