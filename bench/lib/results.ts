/** The shape of `bench/results.json`. */
import type { Timing } from "@sidenet/core/internal";
import type { Pieces } from "./profile.js";
import type { VariantName } from "./variants.js";

export interface VariantAccuracy {
  accuracy: number;
  exitRate: number;
  /** Share of test items whose label equals the stock pipeline's of the same dtype. */
  agreement: number;
  peakRssMiB: number;
  rssLoadedMiB: number;
}

export interface BatchResult {
  batch: number;
  items: number;
  /** Items/s per round of every variant, from one side-by-side run. */
  throughput: Record<VariantName, Timing>;
  /** Per-round ratios: `speedup` SideNet / stock, `tau1` SideNet at τ = 1 / stock, `q8` q8 / stock, `q8Speedup` SideNet q8 / stock q8, `q8Total` SideNet q8 / stock fp32, `exitOnly` SideNet / SideNet at τ = 1 (the early exits' own share). */
  ratios: { speedup: Timing; tau1: Timing; exitOnly: Timing; q8: Timing; q8Speedup: Timing; q8Total: Timing };
  /** Exit rate of the fp32 SideNet pipeline on the timed items, in all and per exit (0 where it ran the MainNet alone). */
  exitRate: number;
  exitRates: number[];
  /** Per-exit rates of the cascade itself on the same items, run even below the small-batch rule (the e of the bound). */
  cascadeExitRates: number[];
  /** The batch is below the artefact's `mainnet_below_rows`: the SideNet pipeline runs the MainNet alone. */
  mainnetAlone: boolean;
  /** ms per item of each piece, fp32. */
  pieces: Pieces & { post: number; ownPost: number };
  ideal: { model: number; pipeline: number };
  /** The stock pipeline's speed-up if its MainNet cost nothing: `T_stock / (T_stock − T_full)`. */
  limit: number;
  /** Achieved model-level speed-up: MainNet session time / cascade time on the same prepared batches. */
  modelSpeedup: number;
  /**
   * Vision: the stock and SideNet pipelines (fp32) on the same items decoded beforehand (RawImage), timed
   * in the same side-by-side run; `speedup` SideNet / stock per round.
   */
  decoded?: { stock: Timing; sidenet: Timing; speedup: Timing };
  /** Achieved / ideal: `model` = modelSpeedup / ideal.model, `pipeline` = ratios.speedup / ideal.pipeline. */
  efficiency: { model: number; pipeline: number };
}

export interface FixtureResult {
  name: string;
  describe: string;
  testItems: number;
  exits: {
    tap: string;
    pooling: string;
    threshold: number;
    temperature: number;
    confidence: string;
    patience: boolean;
  }[];
  /** sidenet.json `mainnet_below_rows` (0: none). */
  mainnetBelowRows: number;
  accuracy: Record<VariantName, VariantAccuracy>;
  batches: BatchResult[];
  /** Set when the fixture was measured by a later `--only … --merge` run than the file's own. */
  run?: {
    date: string;
    commit: string;
    cpu: string;
    cores: number;
    loadAverageStart: number[];
    loadAverageEnd: number[];
    seconds: number;
  };
}

export interface BenchResults {
  date: string;
  commit: string;
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    node: string;
    os: string;
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
  versions: Record<string, string>;
  rounds: number;
  seconds: number;
  fixtures: FixtureResult[];
}
