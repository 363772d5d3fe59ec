import type { SmallBatchTiming } from "../artefact/format.js";
import { localArtefact } from "../artefact/local.js";
import { SideNetModel } from "../runtime/sidenet-model.js";
import { chunk, pairedRatio, sideBySide } from "../util/timing.js";
import type { MainNet } from "./mainnet.js";

/** Batch sizes the cascade is timed at against the MainNet. */
export const SMALL_BATCH_SIZES: readonly number[] = [1, 2, 4, 8, 16, 32];

/**
 * Times the artefact's cascade (in `dir`, attached to `mainnet`) (stored τ) against its unsplit MainNet at each of
 * {@link SMALL_BATCH_SIZES}, side by side on the same pre-processed rows, and returns the smallest batch
 * size from which the cascade is faster at every larger size measured (1 when it always is). Each segment
 * is a session call with a fixed cost; a small model on small batches can lose more there than the
 * skipped layers save — the sweep's costs, measured on large batches, cannot see it. Each timed pass
 * covers enough rows for the MainNet to take about `passMs` (32 … 512 rows), so that a small model's
 * ratios are not timer noise.
 */
export async function measureSmallBatches<Item>(
  mainnet: MainNet<Item>,
  dir: string,
  items: readonly Item[],
  passMs = 150,
): Promise<{ mainnetBelowRows: number; timings: SmallBatchTiming[] }> {
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
    const timings: SmallBatchTiming[] = [];
    for (const batch of SMALL_BATCH_SIZES) {
      const inputs = await Promise.all(chunk(sample, batch).map((b) => prepare(b)));
      const [cascade, full] = await sideBySide(
        inputs,
        [(x) => model.run(x), (x) => model.run(x, { threshold: 1 })],
        { rounds: 7, sizeOf: (x) => Object.values(x)[0]!.dims[0]! },
      );
      timings.push({ batch, speedup: pairedRatio(full!, cascade!).median });
      for (const x of inputs) for (const t of Object.values(x)) t.dispose();
    }
    let from = SMALL_BATCH_SIZES.length;
    while (from > 0 && timings[from - 1]!.speedup > 1) from--;
    // not faster at any size measured: the MainNet alone up to twice the largest
    const largest = SMALL_BATCH_SIZES[SMALL_BATCH_SIZES.length - 1]!;
    return {
      mainnetBelowRows: from < SMALL_BATCH_SIZES.length ? SMALL_BATCH_SIZES[from]! : 2 * largest,
      timings,
    };
  } finally {
    await model.dispose();
  }
}
