import { splitModel } from "../onnx/split.js";
import type { TapCandidate } from "../onnx/taps.js";
import type { ModalityAdapter } from "./adapter.js";
import { featureExtractor } from "./features.js";
import { measureFlops } from "./flops.js";
import { openMainNet } from "./mainnet.js";

/** A tap candidate with its cost shares and what a cut there carries. */
export interface TapProfile extends TapCandidate {
  /** Share of the MainNet's FLOPs before the tap, counted on the graph with the shapes of one run. */
  flopsShare: number;
  /** Share of the MainNet's measured wall time before the tap (when timed). */
  timeShare?: number;
  /** Tensors a cut at this tap carries to the next segment besides the tap (e.g. an attention mask). */
  carried: string[];
}

/** Options of {@link profileTaps}. */
export interface ProfileOptions {
  /** Also time the segments (split at every tap) over `rounds` batches of 32 copies of the sample. */
  time?: boolean;
  rounds?: number;
}

/**
 * Every tap candidate of the MainNet in `dir` with the share of its FLOPs before it (all models), the
 * share of measured time (with `time`), and the tensors a cut there carries — what `sidenet inspect`
 * prints. `sample` is one representative item; FLOPs depend on the input size the pre-processing makes.
 */
export async function profileTaps<Item>(
  adapter: ModalityAdapter<Item>,
  dir: string,
  sample: Item,
  o: ProfileOptions = {},
): Promise<TapProfile[]> {
  const mainnet = await openMainNet(adapter, dir);
  const taps = mainnet.candidates;
  const flops = await measureFlops(mainnet, [sample]);
  let timeShares: number[] | undefined;
  if (o.time && taps.length > 0) {
    const extractor = await featureExtractor(
      mainnet,
      taps.map((t) => t.name),
      [],
    );
    try {
      const batch = Array.from({ length: 32 }, () => sample);
      await extractor.run(batch, { label: "warm-up" });
      const ms = new Float64Array(taps.length + 1);
      for (let r = 0; r < (o.rounds ?? 5); r++) {
        const { segmentMs } = await extractor.run(batch, { label: `timing ${r + 1}` });
        segmentMs.forEach((t, i) => {
          ms[i]! += t;
        });
      }
      const total = ms.reduce((a, b) => a + b, 0);
      timeShares = taps.map((_, i) => ms.slice(0, i + 1).reduce((a, b) => a + b, 0) / total);
    } finally {
      await extractor.dispose();
    }
  }
  return taps.map((t, i) => ({
    ...t,
    flopsShare: flops.shareBefore(t.name),
    ...(timeShares ? { timeShare: timeShares[i]! } : {}),
    carried: splitModel(mainnet.graph, [t.name]).carried,
  }));
}
