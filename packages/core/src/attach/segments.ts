import { mainnetFile } from "../artefact/files.js";
import type { ExitSpec } from "../artefact/format.js";
import { IncompatibleModelError, InvalidArgumentError } from "../errors.js";
import type { MlpHead } from "../head/mlp-head.js";
import { foldHead } from "../onnx/fold-head.js";
import { GraphIndex } from "../onnx/graph.js";
import { splitModel } from "../onnx/split.js";
import { POOLINGS } from "../pooling/index.js";
import type { MainNet } from "./mainnet.js";

/** The segment graphs of a cascade, per dtype, with what they read and carry. */
export interface CascadeSegments {
  /** Per dtype segmented, `exits.length + 1` segment graphs. */
  segments: Record<string, Uint8Array[]>;
  /** Tensors each segment reads (the same names in every dtype's cut: checked). */
  segmentInputs: string[][];
  carried: string[];
  /** Carried tensors every row shares (not sliced by row compaction). */
  shared: string[];
}

/** Output name of exit `i`'s folded logits. */
export const foldedLogitsName = (i: number): string => `sidenet_exit_${i}_logits`;

/**
 * The dtypes an attach segments: `requested` (each one transformers.js loads, with its file present), or
 * by default every dtype present. fp32 is always among them: heads train on its features. Each dtype's
 * graph must compute every tap candidate by name (a converter that renamed tensors is refused here,
 * before any feature is extracted).
 */
export function attachDtypes<Item>(
  mainnet: MainNet<Item>,
  requested: readonly string[] | undefined,
  taps: readonly string[],
): string[] {
  // each requested dtype is one transformers.js loads: checkAttachOptions, before any work
  const present = mainnet.dtypes;
  const dtypes = requested ? [...new Set(["fp32", ...requested])] : [...present];
  for (const d of dtypes) {
    if (!present.includes(d)) {
      throw new InvalidArgumentError(
        `attach: dtype "${d}" was asked for, but ${mainnet.dir}/${mainnetFile(d)} does not exist; the MainNet has ${present.join(", ")}. Drop "${d}" from the dtypes, or write that file first.`,
      );
    }
    if (d === "fp32") continue;
    const producer = new GraphIndex(mainnet.graphOf(d)).producer;
    const missing = taps.filter((t) => !producer.has(t));
    if (missing.length > 0) {
      throw new IncompatibleModelError(
        `attach: ${mainnet.dir}/${mainnetFile(d)} computes no tensor named ${missing.map((t) => `"${t}"`).join(", ")}, which onnx/model.onnx has; taps are mapped between dtypes by name. Re-export that file keeping the tensor names, or leave "${d}" out of the dtypes.`,
      );
    }
  }
  return dtypes;
}

/**
 * Cuts the MainNet's graph of each of `dtypes` (default fp32 and every other dtype present) at the exits'
 * taps and folds each exit's pooling and head into the segment that ends at its tap
 * (`exits[i].logits_output`), so one session call yields both; in an fp16 graph the head runs in float16.
 */
export function cascadeSegments<Item>(
  mainnet: MainNet<Item>,
  exits: readonly ExitSpec[],
  heads: readonly MlpHead[],
  dtypes: readonly string[] = mainnet.dtypes,
): CascadeSegments {
  const taps = exits.map((e) => e.tap);
  const segments: Record<string, Uint8Array[]> = {};
  let segmentInputs: string[][] = [];
  let carried: string[] = [];
  let shared: string[] = [];
  for (const dtype of ["fp32", ...dtypes.filter((d) => d !== "fp32")]) {
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
    } else {
      // the runtime feeds every dtype's segments by the fp32 cut's names
      const i = pieces.findIndex(
        (p, k) => [...p.inputs].sort().join("\n") !== [...segmentInputs[k]!].sort().join("\n"),
      );
      if (i >= 0) {
        throw new IncompatibleModelError(
          `attach: cut at the same taps, ${mainnetFile(dtype)}'s segment ${i} reads ${pieces[i]!.inputs.join(", ")} but onnx/model.onnx's reads ${segmentInputs[i]!.join(", ")}. Leave "${dtype}" out of the dtypes.`,
        );
      }
    }
    segments[dtype] = pieces.map((p) => p.bytes);
  }
  return { segments, segmentInputs, carried, shared };
}
