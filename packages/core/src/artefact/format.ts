/**
 * The artefact's manifest, `sidenet.json`, as types: the one schema the writer, the loader and the
 * validator share (docs/artefact-format.md is its specification). snake_case: it is a file format.
 */
import type { Activation } from "../head/activation.js";
import type { ConfidenceMeasure } from "../math/confidence.js";
import type { PoolingName } from "../pooling/index.js";
import type { ExitCriterion } from "../routing/exit-rule.js";
import type { PointRecord } from "../selection/record.js";

/** The artefact format this version writes and reads. */
export const FORMAT_VERSION = 1;

/** One exit of a SideNet artefact (`sidenet.json` → `exits[i]`). snake_case: it is a file format. */
export interface ExitSpec {
  tap: string;
  /** How the tap is pooled (by the tap's layout: "cls", "mean" for sequences, "global-average" for feature maps). */
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
  /** … or at most this cost (a fraction of the MainNet's). */
  max_cost?: number;
  /** The rule that picked the cascade, in words. */
  criterion: string;
}

/** The cascade's speed-up over the unsplit MainNet at one batch size, measured at attach. */
export interface SmallBatchTiming {
  batch: number;
  speedup: number;
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
  /** How many cascades were swept. */
  swept: number;
  /** Timings behind `mainnet_below_rows`. */
  small_batches?: SmallBatchTiming[];
}

/** Contents of `sidenet.json`. */
export interface SideNetManifest {
  format_version: number;
  task: string;
  mainnet: { file: string; sha256: string };
  /** Segment files per dtype, relative to the artefact directory, e.g. `{ fp32: ["onnx/sidenet_segment_0.onnx", …] }`. */
  segments: Record<string, string[]>;
  /** The heads file in the artefact directory (default `heads.safetensors`). */
  heads?: string;
  /** Tensors each segment reads. */
  segment_inputs: string[][];
  carried: string[];
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
  created_by?: string;
}
