/** Side-by-side timing: A and B alternate (A B, then B A, …) on the same inputs, after a warm-up. */
export interface Timing {
  /** Items per second of each round. */
  rounds: number[];
  median: number;
  min: number;
  max: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function summarise(rounds: number[]): Timing {
  return { rounds, median: median(rounds), min: Math.min(...rounds), max: Math.max(...rounds) };
}

/**
 * Runs `a` and `b` over every batch of `batches`, `rounds` times, interleaved and alternating which goes
 * first, after one warm-up round each. Returns items/s per round for both.
 */
export async function interleaved<T>(
  batches: T[][],
  a: (batch: T[]) => Promise<unknown>,
  b: (batch: T[]) => Promise<unknown>,
  rounds = 5,
): Promise<{ a: Timing; b: Timing }> {
  const items = batches.reduce((n, x) => n + x.length, 0);
  const time = async (f: (batch: T[]) => Promise<unknown>) => {
    const t0 = performance.now();
    for (const batch of batches) await f(batch);
    return items / ((performance.now() - t0) / 1000);
  };
  await time(a);
  await time(b);
  const ra: number[] = [];
  const rb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      ra.push(await time(a));
      rb.push(await time(b));
    } else {
      rb.push(await time(b));
      ra.push(await time(a));
    }
  }
  return { a: summarise(ra), b: summarise(rb) };
}

export function chunk<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
