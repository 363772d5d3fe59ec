import type { SmallBatchRule, SmallBatchTiming } from "../artefact/format.js";
import { localArtefact } from "../artefact/local.js";
import { SideNetModel } from "../runtime/sidenet-model.js";
import { chunk, median, pairedRatio, sideBySide } from "../util/timing.js";
import type { MainNet } from "./mainnet.js";

/** Batch sizes the cascade is timed at against the MainNet. */
export const SMALL_BATCH_SIZES: readonly number[] = [1, 2, 4, 8, 16, 32];
/** Paired rounds per batch size. */
export const SMALL_BATCH_ROUNDS = 9;
/** Significance level of the sign test behind a small-batch rule. */
export const SMALL_BATCH_ALPHA = 0.05;

/**
 * One-sided sign test: the probability of at least `k` of `n` paired rounds going one way when each
 * round is a fair coin (no difference): Σ_{j ≥ k} C(n, j) / 2ⁿ.
 */
export function signTestP(k: number, n: number): number {
  let p = 0;
  let c = 1; // C(n, 0)
  for (let j = 0; j <= n; j++) {
    if (j >= k) p += c;
    c = (c * (n - j)) / (j + 1);
  }
  return Math.min(1, p / 2 ** n);
}

/** The paired per-round speed-ups (MainNet time / cascade time) measured at one batch size. */
export interface BatchRounds {
  batch: number;
  ratios: readonly number[];
}

/** What {@link decideSmallBatches} decides: `mainnetBelowRows` 0 for no rule. */
export interface SmallBatchDecision {
  mainnetBelowRows: number;
  rule: SmallBatchRule;
}

/**
 * The small-batch rule from paired timings, so that a busy machine cannot flip it: a batch size counts
 * as "cascade slower" only when a one-sided sign test over its paired rounds says so at level `alpha`
 * (each round times both back to back on the same rows, so load hits both alike); the rule covers the
 * sizes up to the largest such one. When the cascade also measured slower at the largest size — where
 * per-call costs are amortised and its FLOPs (`expectedSpeedup`) say it is faster — the timings
 * contradict the graph: the machine was too busy to tell, and no rule is stored. Sizes ascending.
 */
export function decideSmallBatches(
  measured: readonly BatchRounds[],
  expectedSpeedup: number,
  alpha = SMALL_BATCH_ALPHA,
): SmallBatchDecision {
  const timings: SmallBatchTiming[] = measured.map(({ batch, ratios }) => {
    const slower = ratios.filter((r) => r < 1).length;
    return {
      batch,
      speedup: median(ratios),
      rounds: ratios.length,
      slower_rounds: slower,
      p_slower: signTestP(slower, ratios.length),
    };
  });
  const slow = timings.filter((t) => t.p_slower! <= alpha);
  const largest = timings.at(-1);
  const test = `sign test over ${largest?.rounds ?? 0} paired rounds, p ≤ ${alpha}`;
  if (!largest || slow.length === 0) {
    return {
      mainnetBelowRows: 0,
      rule: {
        decision: `no rule: the cascade was not significantly slower at any batch size (${test})`,
        alpha,
        timings,
      },
    };
  }
  if (slow.at(-1) === largest) {
    return {
      mainnetBelowRows: 0,
      rule: {
        decision: `no rule: the cascade measured slower even at ${largest.batch} rows (${largest.speedup.toFixed(2)}×), where per-call costs are amortised and its FLOPs predict ${expectedSpeedup.toFixed(2)}×: the machine was too busy to tell`,
        alpha,
        timings,
      },
    };
  }
  const last = slow.at(-1)!;
  const below = timings[timings.indexOf(last) + 1]!.batch;
  return {
    mainnetBelowRows: below,
    rule: {
      decision: `batches below ${below} rows run the MainNet alone: the cascade was significantly slower at ${slow.map((t) => t.batch).join(", ")} rows (${test})`,
      alpha,
      timings,
    },
  };
}

/**
 * Times the artefact's cascade (in `dir`, attached to `mainnet`; stored τ) against its unsplit MainNet
 * at each of {@link SMALL_BATCH_SIZES} in {@link SMALL_BATCH_ROUNDS} paired rounds on the same
 * pre-processed rows, and decides the small-batch rule ({@link decideSmallBatches}). Each segment is a
 * session call with a fixed cost; a small model on small batches can lose more there than the skipped
 * layers save, which FLOPs cannot see. Each timed pass covers enough rows for the MainNet to take about
 * `passMs` (32 … 512 rows), so that a small model's ratios are not timer noise.
 */
export async function measureSmallBatches<Item>(
  mainnet: MainNet<Item>,
  dir: string,
  items: readonly Item[],
  expectedSpeedup: number,
  passMs = 150,
): Promise<SmallBatchDecision> {
  const model = await SideNetModel.load(localArtefact(dir), { mainnet_below_rows: 0 });
  try {
    const { prepare } = mainnet;
    // rows per pass, from the MainNet's time per row on a warm batch of 32
    const probe = await prepare(items.slice(0, 32) as Item[]);
    await model.run(probe, { threshold: 1 });
    const t0 = performance.now();
    await model.run(probe, { threshold: 1 });
    const msPerRow = (performance.now() - t0) / Object.values(probe)[0]!.dims[0]!;
    for (const t of Object.values(probe)) t.dispose();
    const rows = Math.min(512, Math.max(32, Math.ceil(passMs / msPerRow / 32) * 32));
    const sample = items.slice(0, rows) as Item[];
    const measured: BatchRounds[] = [];
    for (const batch of SMALL_BATCH_SIZES) {
      const inputs = await Promise.all(chunk(sample, batch).map((b) => prepare(b)));
      const [cascade, full] = await sideBySide(
        inputs,
        [(x) => model.run(x), (x) => model.run(x, { threshold: 1 })],
        { rounds: SMALL_BATCH_ROUNDS, sizeOf: (x) => Object.values(x)[0]!.dims[0]! },
      );
      measured.push({ batch, ratios: pairedRatio(full!, cascade!).rounds });
      for (const x of inputs) for (const t of Object.values(x)) t.dispose();
    }
    return decideSmallBatches(measured, expectedSpeedup);
  } finally {
    await model.dispose();
  }
}
