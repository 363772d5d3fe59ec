import { SEGMENTED_DTYPES } from "../artefact/files.js";
import type { ExitSpec } from "../artefact/format.js";
import type { MlpHead } from "../head/mlp-head.js";
import { foldHead } from "../onnx/fold-head.js";
import { splitModel } from "../onnx/split.js";
import { POOLINGS } from "../pooling/index.js";
import type { MainNet } from "./mainnet.js";

/** The segment graphs of a cascade, per dtype, with what they read and carry. */
export interface CascadeSegments {
  /** Per dtype the MainNet has a graph for, `exits.length + 1` segment graphs. */
  segments: Record<string, Uint8Array[]>;
  /** Tensors each segment reads (of the fp32 graphs; the q8 cut reads the same names). */
  segmentInputs: string[][];
  carried: string[];
  /** Carried tensors every row shares (not sliced by row compaction). */
  shared: string[];
}

/** Output name of exit `i`'s folded logits. */
export const foldedLogitsName = (i: number): string => `sidenet_exit_${i}_logits`;

/**
 * Cuts the MainNet's graph of every dtype it has (fp32, q8) at the exits' taps and folds each exit's
 * pooling and head into the segment that ends at its tap (`exits[i].logits_output`), so one session call
 * yields both.
 */
export function cascadeSegments<Item>(
  mainnet: MainNet<Item>,
  exits: readonly ExitSpec[],
  heads: readonly MlpHead[],
): CascadeSegments {
  const taps = exits.map((e) => e.tap);
  const segments: Record<string, Uint8Array[]> = {};
  let segmentInputs: string[][] = [];
  let carried: string[] = [];
  let shared: string[] = [];
  for (const dtype of SEGMENTED_DTYPES) {
    if (!mainnet.hasDtype(dtype)) continue;
    const model = mainnet.graphOf(dtype);
    const split = splitModel(model, taps);
    const pieces = split.segments.map((seg, i) => {
      const e = exits[i];
      if (!e?.logits_output) return { bytes: seg.bytes, inputs: seg.inputs };
      return foldHead(seg.bytes, {
        tap: e.tap,
        pooling: POOLINGS[e.pooling].graph(e.tap, `${e.logits_output}/pool/`),
        head: heads[i]!,
        output: e.logits_output,
        inputInfo: (name) => model.graph!.input?.find((v) => v.name === name),
      });
    });
    if (dtype === "fp32") {
      segmentInputs = pieces.map((p) => p.inputs);
      carried = split.carried;
      shared = split.shared;
    }
    segments[dtype] = pieces.map((p) => p.bytes);
  }
  return { segments, segmentInputs, carried, shared };
}
