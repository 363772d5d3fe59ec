import { describe, expect, it } from "vitest";
import { trainHead } from "../src/index.js";
import { matrix, Rng, trainHeads } from "../src/internal.js";

/** Noisy blobs: `cols` features, `classes` classes. */
function data(rows: number, cols: number, classes: number, seed: number) {
  const rng = new Rng(seed);
  const centres = Float32Array.from({ length: classes * cols }, () => rng.normal());
  const y = Int32Array.from({ length: rows }, (_, r) => r % classes);
  const x = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) x[r * cols + c] = centres[y[r]! * cols + c]! + rng.normal();
  return { features: matrix(x, rows, cols), labels: y };
}

describe("trainHeads", () => {
  const jobs = [3, 9, 5].map((cols, k) => ({
    ...data(300, cols, 3, k + 1),
    options: { classes: 3, hiddenSize: 8, seed: k, maxEpochs: 6, validation: 0.1 },
  }));

  it("trains on worker threads the same heads, bit for bit, as trainHead on this thread, in job order", async () => {
    const done: number[] = [];
    const fallbacks: string[] = [];
    const pooled = await trainHeads(jobs, {
      workers: 2,
      onDone: (i) => done.push(i),
      log: (l) => fallbacks.push(l),
    });
    expect(fallbacks).toEqual([]); // every head was trained on a worker
    expect(done.sort()).toEqual([0, 1, 2]);
    for (const [i, j] of jobs.entries()) {
      const own = trainHead(j.features, j.labels, j.options);
      expect(pooled[i]!.head.shape).toEqual(own.head.shape);
      expect(Buffer.from(pooled[i]!.head.params.buffer)).toEqual(Buffer.from(own.head.params.buffer));
      expect(pooled[i]!.bestEpoch).toBe(own.bestEpoch);
      expect(pooled[i]!.history).toEqual(own.history);
    }
  });

  it("a job that throws in a worker throws its own error, as on this thread", async () => {
    const bad = { ...jobs[0]!, labels: Int32Array.from(jobs[0]!.labels, () => 7) };
    const fallbacks: string[] = [];
    await expect(trainHeads([jobs[1]!, bad], { workers: 2, log: (l) => fallbacks.push(l) })).rejects.toThrow(
      /labels must be integers in \[0, 3\)/,
    );
    expect(fallbacks).toEqual([
      expect.stringMatching(/^head worker failed \(trainHead: the training set label 0 is 7/),
    ]);
  });
});
