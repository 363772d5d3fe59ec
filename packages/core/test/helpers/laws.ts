import { expect } from "vitest";
import type { CascadeOutput } from "../../src/internal.js";

/** Every row of a `[rows, classes]` probability array sums to 1 (within float32 rounding). */
export function assertRowsSumToOne(probs: Float32Array, classes: number): void {
  for (let r = 0; r < probs.length / classes; r++) {
    let s = 0;
    for (let c = 0; c < classes; c++) {
      const p = probs[r * classes + c]!;
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      s += p;
    }
    expect(Math.abs(s - 1)).toBeLessThan(1e-5);
  }
}

/** Share of rows that left at some exit (did not reach the MainNet). */
export function exitRate(out: CascadeOutput): number {
  return out.rows === 0 ? 0 : 1 - out.exitCounts[out.exitCounts.length - 1]! / out.rows;
}

/** Exit rate never rises when τ rises: `run(τ)` must be non-increasing over sorted thresholds. */
export async function assertExitRateMonotoneInThreshold(
  run: (tau: number) => Promise<CascadeOutput>,
  thresholds: number[],
): Promise<void> {
  const sorted = [...thresholds].sort((a, b) => a - b);
  let previous = Number.POSITIVE_INFINITY;
  for (const tau of sorted) {
    const rate = exitRate(await run(tau));
    expect(rate).toBeLessThanOrEqual(previous);
    previous = rate;
  }
}

/**
 * Order and count preserved: every input row has exactly one answer, equal to what an un-compacted
 * reference computed for that same row.
 */
export function assertOrderPreserved(
  out: CascadeOutput,
  expected: { logits: Float32Array; exitIndex: Int32Array },
): void {
  expect(out.exitIndex.length).toBe(expected.exitIndex.length);
  expect(Array.from(out.exitIndex)).toEqual(Array.from(expected.exitIndex));
  expect(Array.from(out.logits)).toEqual(Array.from(expected.logits));
  expect(out.exitCounts.reduce((a, b) => a + b, 0)).toBe(out.rows);
}
