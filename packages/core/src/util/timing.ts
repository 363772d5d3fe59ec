/** Throughput of one variant over the rounds of a side-by-side run. */
export interface Timing {
  /** Items per second of each round. */
  rounds: number[];
  median: number;
  min: number;
  max: number;
}

/** Median of a non-empty list (mean of the two middle values for an even length). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median, min and max of per-round figures. */
export function summarise(rounds: number[]): Timing {
  return { rounds, median: median(rounds), min: Math.min(...rounds), max: Math.max(...rounds) };
}

/**
 * The order the variants run in at round `r`: a rotation by `r`, reversed on every other cycle of
 * `variants` rounds, so that over the rounds each variant runs first, last and next to every other
 * about equally often (two variants: A B, B A, B A, A B, …).
 */
export function roundOrder(variants: number, r: number): number[] {
  const order = Array.from({ length: variants }, (_, i) => (i + r) % variants);
  return Math.floor(r / variants) % 2 ? order.reverse() : order;
}

/** Options of {@link sideBySide}. */
export interface SideBySideOptions<B> {
  /** Timed rounds after the warm-up (default 5). */
  rounds?: number;
  /** Items in a batch (default: its length when it is an array, else 1). */
  sizeOf?: (batch: B) => number;
}

/**
 * Times several variants side by side on the same batches: one warm-up pass each, then `rounds` rounds in
 * which every variant runs over every batch once, in the order {@link roundOrder} gives. Returns items/s
 * per round for each variant; ratios of the same round are paired (same machine load).
 */
export async function sideBySide<B>(
  batches: readonly B[],
  variants: readonly ((batch: B) => Promise<unknown>)[],
  options: SideBySideOptions<B> = {},
): Promise<Timing[]> {
  const sizeOf = options.sizeOf ?? ((b: B) => (Array.isArray(b) ? b.length : 1));
  const items = batches.reduce((n, b) => n + sizeOf(b), 0);
  const time = async (f: (batch: B) => Promise<unknown>) => {
    const t0 = performance.now();
    for (const batch of batches) await f(batch);
    return items / ((performance.now() - t0) / 1000);
  };
  for (const v of variants) await time(v);
  const per = variants.map(() => [] as number[]);
  for (let r = 0; r < (options.rounds ?? 5); r++) {
    for (const v of roundOrder(variants.length, r)) per[v]!.push(await time(variants[v]!));
  }
  return per.map(summarise);
}

/** Per-round ratios `b / a` of two timings of the same side-by-side run, summarised. */
export function pairedRatio(a: Timing, b: Timing): Timing {
  return summarise(b.rounds.map((x, i) => x / a.rounds[i]!));
}

/** `xs` cut into consecutive batches of `size` (the last may be shorter). */
export function chunk<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
