import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DTYPE_SUFFIX, mainnetFile } from "../artefact/files.js";
import { IncompatibleModelError, InvalidArgumentError } from "../errors.js";
import { findArchitecture, namedTaps } from "../models/architecture.js";
import { decodeModel, type ModelProto } from "../onnx/graph.js";
import { findTapCandidates, type TapCandidate } from "../onnx/taps.js";
import type { HfModel, TensorMap } from "../runtime/transformers.js";
import type { ModalityAdapter } from "./adapter.js";
import { loadGraphSessions } from "./graph-sessions.js";

/** The MainNet's config.json fields attach reads. */
export interface MainNetConfig extends Record<string, unknown> {
  id2label: Record<string, string>;
  model_type?: string;
}

/**
 * A MainNet opened once for a whole attach: its config, its fp32 graph (bytes, hash, decoded once, tap
 * candidates found once) and its pre-processing (tokenizer or image processor, loaded once). Everything
 * in the attach chain takes this object instead of a directory.
 */
export interface MainNet<Item> {
  readonly dir: string;
  readonly configPath: string;
  readonly config: MainNetConfig;
  readonly classes: number;
  /** `onnx/model.onnx`, decoded. Not to be mutated (the ONNX tools only read it). */
  readonly graph: ModelProto;
  /** sha256 of `onnx/model.onnx`. */
  readonly sha256: string;
  /** Tap candidates found by structure on the graph. */
  readonly candidates: readonly TapCandidate[];
  /** Items → model inputs, with the MainNet's own pre-processing. */
  readonly prepare: (items: Item[]) => Promise<TensorMap>;
  /** The content of an item for cache keys ({@link ModalityAdapter.itemKey}), when the modality has one. */
  readonly itemKey: ((item: Item) => Promise<string | Uint8Array>) | undefined;
  /** The dtypes it has a graph for ({@link mainnetDtypes}), fp32 first. */
  readonly dtypes: readonly string[];
  /** The graph of `dtype`, decoded (fp32: {@link MainNet.graph}; others on first use, then kept). */
  graphOf(dtype: string): ModelProto;
  /** transformers.js sessions for graphs held in memory, with the MainNet's config. */
  sessions(graphs: readonly { name: string; bytes: Uint8Array }[]): Promise<HfModel[]>;
}

/**
 * Every dtype transformers.js loads whose MainNet file (`onnx/model<suffix>.onnx`, e.g.
 * `onnx/model_quantized.onnx` for q8) is in `dir`, in {@link DTYPE_SUFFIX} order (fp32 first).
 */
export const mainnetDtypes = (dir: string): string[] =>
  Object.keys(DTYPE_SUFFIX).filter((d) => existsSync(join(dir, mainnetFile(d))));

/**
 * Opens the MainNet in `dir` (transformers.js layout: config.json, onnx/model.onnx, pre-processing files)
 * for `adapter`'s modality. Fails with the file and the fix when something is missing.
 */
export async function openMainNet<Item>(adapter: ModalityAdapter<Item>, dir: string): Promise<MainNet<Item>> {
  const configPath = join(dir, "config.json");
  const modelPath = join(dir, mainnetFile("fp32"));
  for (const f of [configPath, modelPath]) {
    if (!existsSync(f)) {
      throw new InvalidArgumentError(
        `attach: ${f} not found; a MainNet directory has config.json and onnx/model.onnx (transformers.js's layout).`,
      );
    }
  }
  let config: MainNetConfig;
  try {
    config = JSON.parse(readFileSync(configPath, "utf8")) as MainNetConfig;
  } catch (e) {
    throw new InvalidArgumentError(`attach: ${configPath} is not valid JSON (${(e as Error).message}).`);
  }
  if (typeof config !== "object" || config === null || typeof config.id2label !== "object") {
    throw new IncompatibleModelError(
      `attach: ${configPath} has no id2label; a classification MainNet's config names its labels.`,
    );
  }
  const bytes = readFileSync(modelPath);
  const graph = decodeModel(bytes, modelPath);
  const graphs = new Map<string, ModelProto>([["fp32", graph]]);
  return {
    dir,
    configPath,
    config,
    classes: Object.keys(config.id2label).length,
    graph,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    candidates: namedTaps(
      findArchitecture(adapter.architectures, config.model_type),
      findTapCandidates(graph),
    ),
    prepare: await adapter.prepare(dir).catch((e: unknown) => {
      throw new IncompatibleModelError(
        `attach: the MainNet's ${adapter.task === "image-classification" ? "image processor (preprocessor_config.json)" : "tokenizer (tokenizer.json, tokenizer_config.json)"} could not be loaded from ${dir} (${(e as Error).message}); a MainNet directory has the files transformers.js's pipeline loads for its task.`,
        { cause: e },
      );
    }),
    itemKey: adapter.itemKey?.bind(adapter),
    dtypes: mainnetDtypes(dir),
    graphOf(dtype) {
      let g = graphs.get(dtype);
      if (!g) {
        const path = join(dir, mainnetFile(dtype));
        g = decodeModel(readFileSync(path), path);
        graphs.set(dtype, g);
      }
      return g;
    },
    sessions: (list) => loadGraphSessions(configPath, list),
  };
}
