import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { softmax } from "../src/index.js";
import { argmaxRows, logSoftmax } from "../src/internal.js";
import { batchArb } from "./helpers/arbitraries.js";
import { assertRowsSumToOne } from "./helpers/laws.js";

describe("softmax", () => {
  test.prop([batchArb()])("rows sum to 1 and lie in [0, 1]", ({ classes, logits }) => {
    assertRowsSumToOne(softmax(logits, classes), classes);
  });

  test.prop([batchArb()])("is invariant to adding a constant to a row", ({ classes, logits }) => {
    const shifted = logits.map((v) => v + 7);
    const a = softmax(logits, classes);
    const b = softmax(shifted, classes);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-5);
  });

  test.prop([batchArb()])("exp(logSoftmax) equals softmax", ({ classes, logits }) => {
    const a = softmax(logits, classes);
    const b = logSoftmax(logits, classes);
    for (let i = 0; i < a.length; i++) expect(Math.abs(Math.exp(b[i]!) - a[i]!)).toBeLessThan(1e-5);
  });

  it("survives overflow and underflow", () => {
    const p = softmax(new Float32Array([1e30, 0, -1e30, -1e30, -1e30 + 1, -1e30]), 3);
    expect(Array.from(p.subarray(0, 3))).toEqual([1, 0, 0]);
    assertRowsSumToOne(p, 3);
    expect(Array.from(logSoftmax(new Float32Array([1e30, 0]), 2))).toEqual([0, Math.fround(-1e30)]);
  });

  it("gives a +Infinity logit all the mass and a row of -Infinity a uniform row", () => {
    expect(Array.from(softmax(new Float32Array([Infinity, 1, Infinity, 2]), 4))).toEqual([0.5, 0, 0.5, 0]);
    expect(Array.from(softmax(new Float32Array([-Infinity, -Infinity]), 2))).toEqual([0.5, 0.5]);
  });

  it("propagates NaN to the row only", () => {
    const p = softmax(new Float32Array([Number.NaN, 1, 0, 0]), 2);
    expect(Number.isNaN(p[0]!)).toBe(true);
    expect(Array.from(p.subarray(2))).toEqual([0.5, 0.5]);
  });

  it("argmaxRows picks the first maximum", () => {
    expect(Array.from(argmaxRows(new Float32Array([1, 3, 3, 0, 5, 2]), 3))).toEqual([1, 1]);
  });
});
