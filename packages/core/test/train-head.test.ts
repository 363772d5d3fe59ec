import { describe, expect, it } from "vitest";
import { accuracy, InvalidArgumentError, trainHead } from "../src/index.js";
import { matrix, oneHot, Rng, softCrossEntropy } from "../src/internal.js";

/** Three Gaussian blobs in 5-D, shifted and scaled so standardisation matters. */
function blobs(n: number, seed: number) {
  const rng = new Rng(seed);
  const centres = [
    [3, 0, 0, 0, 0],
    [0, 3, 0, 0, 0],
    [0, 0, 3, 0, 0],
  ];
  const x = new Float32Array(n * 5);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let d = 0; d < 5; d++) x[i * 5 + d] = 100 + 50 * (centres[y[i]!]![d]! + rng.normal());
  }
  return { x: matrix(x, n, 5), y };
}

describe("trainHead", () => {
  it("learns separable blobs on raw (unstandardised) features", () => {
    const train = blobs(600, 1);
    const test = blobs(300, 2);
    const { head } = trainHead(train.x, train.y, { classes: 3, hiddenSize: 16, seed: 3, maxEpochs: 30 });
    expect(accuracy(head.forward(test.x.data), 3, test.y)).toBeGreaterThan(0.9);
  });

  it("stops early on noise and keeps the weights of the best validation epoch", () => {
    const rng = new Rng(11);
    const noise = (n: number) => ({
      x: matrix(
        Float32Array.from({ length: n * 5 }, () => rng.normal()),
        n,
        5,
      ),
      y: Int32Array.from({ length: n }, () => Math.floor(rng.next() * 3)),
    });
    const t = noise(200);
    const v = noise(100);
    const { head, history, bestEpoch } = trainHead(t.x, t.y, {
      classes: 3,
      hiddenSize: 64,
      learningRate: 1e-2,
      patience: 3,
      seed: 2,
      validation: { features: v.x, labels: v.y },
    });
    expect(history.length).toBe(bestEpoch + 3);
    expect(history[bestEpoch - 1]!.validationLoss).toBe(Math.min(...history.map((h) => h.validationLoss)));
    const kept = softCrossEntropy(head.forward(v.x.data), oneHot(v.y, 3), 3);
    expect(kept).toBeCloseTo(history[bestEpoch - 1]!.validationLoss, 4);
  });

  it("is reproducible for a seed", () => {
    const t = blobs(120, 4);
    const a = trainHead(t.x, t.y, { classes: 3, hiddenSize: 8, seed: 9, maxEpochs: 5 });
    const b = trainHead(t.x, t.y, { classes: 3, hiddenSize: 8, seed: 9, maxEpochs: 5 });
    expect(Array.from(a.head.params)).toEqual(Array.from(b.head.params));
  });

  it("accepts an explicit validation set and teacher logits", () => {
    const t = blobs(300, 5);
    const v = blobs(90, 6);
    const teacher = new Float32Array(300 * 3);
    for (let i = 0; i < 300; i++) teacher[i * 3 + t.y[i]!] = 4;
    const seen: number[] = [];
    const { head } = trainHead(t.x, t.y, {
      classes: 3,
      seed: 1,
      validation: { features: v.x, labels: v.y },
      teacherLogits: matrix(teacher, 300, 3),
      distillWeight: 0.5,
      onEpoch: (e) => seen.push(e.epoch),
    });
    expect(seen[0]).toBe(1);
    expect(accuracy(head.forward(v.x.data), 3, v.y)).toBeGreaterThan(0.9);
  });

  it("validates options and labels with named errors", () => {
    const t = blobs(30, 7);
    expect(() => trainHead(t.x, t.y, { classes: 3, learningRate: -1 })).toThrow(InvalidArgumentError);
    expect(() => trainHead(t.x, t.y, { classes: 3, learningRate: -1 })).toThrow(/learningRate/);
    expect(() => trainHead(t.x, t.y, { classes: 2 })).toThrow(/labels must be integers in \[0, 2\)/);
    expect(() => trainHead(t.x, t.y.subarray(1), { classes: 3 })).toThrow(/30 feature rows but 29 labels/);
  });
});
