/**
 * The artefact's manifest, `sidenet.json`, as types: the one schema the writer, the loader and the
 * validator share (docs/artefact-format.md is its specification). snake_case: it is a file format.
 */
import type { Activation } from "../head/activation.js";
import type { ConfidenceMeasure } from "../math/confidence.js";
import type { PoolingName } from "../pooling/index.js";
import type { ExitCriterion } from "../routing/exit-rule.js";
import type { Certification } from "../selection/certified-pick.js";
import type { PointRecord } from "../selection/record.js";

/** The artefact format this version writes and reads. */
export const FORMAT_VERSION = 1;

/** One exit of a SideNet artefact (`sidenet.json` → `exits[i]`). snake_case: it is a file format. */
export interface ExitSpec {
  tap: string;
  /**
   * How the tap is pooled, by the tap's layout: "cls", "mean" (text), "patch-mean", "distilled-patch-mean",
   * "token-mean" (vision transformers) for sequences, "global-average" for feature maps.
   */
  pooling: PoolingName;
  head: { input_size: number; hidden_size: number; classes: number; activation: Activation };
  /** Prefix of this head's tensors in heads.safetensors (`<prefix>.w1`, `.b1`, `.w2`, `.b2`). */
  weights: string;
  temperature: number;
  threshold: number;
  confidence: ConfidenceMeasure;
  /** Patience: a row leaves here only with the same answer as at the previous exit (default false). */
  agree_with_previous?: boolean;
  /**
   * Output of segment i (this exit's) carrying the head's logits `[rows, classes]` before temperature:
   * pooling and head folded into the segment graph. Absent: the cascade pools the tap and runs the head
   * from the heads file in JavaScript.
   */
  logits_output?: string;
  /** Calibration-split figures the threshold was chosen with. */
  metrics?: ExitMetrics;
}

/** `exits[i].metrics`: how the exit did where τ was chosen (numbers; loaders may ignore them). */
export interface ExitMetrics {
  /** Share of calibration rows leaving here in the chosen cascade. */
  calibration_exit_rate: number;
  /** Measured share of the MainNet's time spent before this tap. */
  measured_cost_share: number;
  /** Measured time of pooling and head per row, as a share of the MainNet's. */
  head_cost_share: number;
  /** Share of the MainNet's FLOPs (counted on the graph) before this tap. */
  flops_share: number;
  /** Accuracy of this exit alone on the calibration rows. */
  head_accuracy: number;
}

/** `calibration`: which rows the heads, temperatures and τ were fitted on, under which budget. */
export interface ArtefactCalibration {
  /** Name of the rows the heads trained on. */
  train_split: string;
  /** Name of the held-out rows temperature and τ were fitted on. */
  calibration_split: string;
  calibration_rows: number;
  /** The budget: at most this accuracy drop (percentage points) on the calibration rows … */
  max_drop_pt?: number;
  /** … or at most this cost (a fraction of the MainNet's) … */
  max_cost?: number;
  /** … or answers equal to the MainNet's on at least this share of rows. */
  min_agreement?: number;
  /** The rule that picked the cascade, in words. */
  criterion: string;
  /**
   * Set when the calibration rows were split off the training data (`--calibration-split`) for want of a
   * held-out file: the MainNet may have trained on them, so its accuracy there, and the budget, may be
   * optimistic.
   */
  split_off?: CalibrationSplitOff;
}

/** `calibration.split_off`: a stratified share of the training file held out as calibration rows. */
export interface CalibrationSplitOff {
  /** The data file both came from. */
  from: string;
  /** Share of each label held out. */
  fraction: number;
  seed: number;
  stratified: true;
}

/**
 * The cascade's speed-up over the unsplit MainNet at one batch size, measured at attach in paired rounds
 * (the two timed back to back on the same rows, in alternating order).
 */
export interface SmallBatchTiming {
  batch: number;
  /** Median of the per-round ratios MainNet time / cascade time. */
  speedup: number;
  /** Paired rounds timed. */
  rounds?: number;
  /** Rounds in which the cascade was the slower. */
  slower_rounds?: number;
  /** One-sided sign-test p-value of "the cascade is slower at this batch size". */
  p_slower?: number;
}

/**
 * How `mainnet_below_rows` was decided: the paired timings per batch size and the decision in words
 * (a rule only where the cascade was significantly slower, and never when it also measured slower at
 * the largest batch, where per-call costs are amortised: a busy machine, not the cascade).
 */
export interface SmallBatchRule {
  /** The decision, e.g. "no rule: the cascade was not significantly slower at any batch size". */
  decision: string;
  /** Significance level of the sign test. */
  alpha: number;
  timings: SmallBatchTiming[];
}

/** `selection`: how the cascade was chosen (for reports; loaders do not need it). */
export interface ArtefactSelection {
  /** The exit criterion of the chosen cascade; `exits[i].confidence` / `agree_with_previous` encode it. */
  exit_criterion: ExitCriterion;
  chosen: PointRecord;
  /** The MainNet alone on the calibration rows. */
  mainnet: PointRecord;
  /** The Pareto front (cost ascending, accuracy strictly rising) over every cascade swept. */
  front: PointRecord[];
  /** How many cascades were evaluated (enumerated and searched). */
  swept: number;
  /** Timings behind `mainnet_below_rows` (artefacts written before `small_batches` moved to the top level). */
  small_batches?: SmallBatchTiming[];
  /**
   * What the cascade's `cost` (and the front's) measures: "flops" (FLOPs counted on the graph, heads
   * included: the same on every machine) or, in older artefacts, absent (measured time shares).
   */
  cost_measure?: "flops" | "measured-time";
  /** How a certified budget was met (attach with `risk`); absent: the empirical rule. */
  certification?: Certification;
}

/** `mainnet.source` (informative): the hub model the MainNet was downloaded from at attach. */
export interface MainNetSource {
  /** Hub model id, e.g. `Xenova/distilbert-base-uncased-finetuned-sst-2-english`. */
  id: string;
  /** The revision asked for (branch, tag or commit). */
  revision: string;
  /** The hub host (`env.remoteHost`). */
  host: string;
}

/** Contents of `sidenet.json`. */
export interface SideNetManifest {
  format_version: number;
  task: string;
  mainnet: { file: string; sha256: string; source?: MainNetSource };
  /** Segment files per dtype, relative to the artefact directory, e.g. `{ fp32: ["onnx/sidenet_segment_0.onnx", …] }`. */
  segments: Record<string, string[]>;
  /** The heads file in the artefact directory (default `heads.safetensors`). */
  heads?: string;
  /** Tensors each segment reads. */
  segment_inputs: string[][];
  carried: string[];
  /** Carried tensors every row shares (depend on the inputs' shapes only): row compaction passes them whole. */
  shared?: string[];
  exits: ExitSpec[];
  id2label: Record<string, string>;
  calibration?: ArtefactCalibration;
  selection?: ArtefactSelection;
  /**
   * Batches of fewer rows run the unsplit MainNet when a call keeps the artefact's τ: at attach the
   * cascade was measured slower than the MainNet there (each extra session call has a fixed cost, which
   * small batches do not amortise). Absent: the cascade runs at every batch size.
   */
  mainnet_below_rows?: number;
  /** The evidence and decision behind `mainnet_below_rows` (informative). */
  small_batches?: SmallBatchRule;
  /**
   * sha256 (hex) of every file loading reads, by path relative to the artefact: the MainNet's graphs,
   * every dtype's segments, the heads, config.json and the pre-processing files. A loader refuses a file
   * that does not match (docs/artefact-format.md §7). Absent in artefacts written before pins.
   */
  files?: Record<string, string>;
  created_by?: string;
}
