import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MlpHead, ShapeMismatchError } from "../src/index.js";
import { oneHot, Rng, softCrossEntropy } from "../src/internal.js";

/** Loss of the head on (x, targets), in float64 via the float32 forward. */
function loss(head: MlpHead, x: Float32Array, rows: number, targets: Float32Array): number {
  return softCrossEntropy(head.forward(x, rows), targets, head.shape.classes);
}

describe("MlpHead", () => {
  test.prop(
    [
      fc.record({
        inputSize: fc.integer({ min: 1, max: 6 }),
        hiddenSize: fc.integer({ min: 1, max: 6 }),
        classes: fc.integer({ min: 2, max: 4 }),
        rows: fc.integer({ min: 1, max: 5 }),
        activation: fc.constantFrom("relu" as const, "gelu" as const),
        seed: fc.nat(),
      }),
    ],
    { numRuns: 60 },
  )("analytic gradients match central finite differences", ({ rows, seed, ...shape }) => {
    const rng = new Rng(seed);
    const head = MlpHead.init(shape, seed);
    // Float64-friendly magnitudes: float32 forward, so use a step that dominates rounding.
    const x = Float32Array.from({ length: rows * shape.inputSize }, () => rng.normal());
    const labels = Array.from({ length: rows }, () => Math.floor(rng.next() * shape.classes));
    const targets = oneHot(labels, shape.classes);
    const { logits, cache } = head.forwardTrain(x, rows);
    const d = new Float32Array(logits.length);
    softCrossEntropy(logits, targets, shape.classes, d);
    const grad = head.backward(cache, d);
    const h = 1e-2;
    for (let i = 0; i < head.params.length; i++) {
      const p = head.params[i]!;
      head.params[i] = p + h;
      const up = loss(head, x, rows, targets);
      head.params[i] = p - h;
      const down = loss(head, x, rows, targets);
      head.params[i] = p;
      const numeric = (up - down) / (2 * h);
      // ReLU kinks make finite differences meaningless when a pre-activation is within h of 0.
      const nearKink = shape.activation === "relu" && cache.pre.some((v) => Math.abs(v) < 2 * h * 10);
      if (!nearKink) expect(Math.abs(numeric - grad[i]!)).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
    }
  });

  it("is reproducible from its seed", () => {
    const s = { inputSize: 8, hiddenSize: 4, classes: 3, activation: "relu" as const };
    expect(Array.from(MlpHead.init(s, 7).params)).toEqual(Array.from(MlpHead.init(s, 7).params));
    expect(Array.from(MlpHead.init(s, 7).params)).not.toEqual(Array.from(MlpHead.init(s, 8).params));
  });

  it("names the expected feature size when the input does not fit", () => {
    const head = MlpHead.init({ inputSize: 8, hiddenSize: 4, classes: 2, activation: "gelu" });
    expect(() => head.forward(new Float32Array(10), 1)).toThrow(ShapeMismatchError);
    expect(() => head.forward(new Float32Array(10), 1)).toThrow(/expects 8 features per row/);
  });

  it("rejects bad shapes by name", () => {
    expect(() => new MlpHead({ inputSize: 0, hiddenSize: 4, classes: 2, activation: "relu" })).toThrow(
      /inputSize/,
    );
    expect(
      () => new MlpHead({ inputSize: 2, hiddenSize: 4, classes: 2, activation: "tanh" as never }),
    ).toThrow(/activation/);
  });
});
