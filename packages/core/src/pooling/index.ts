import { InvalidArgumentError } from "../errors.js";
import type { Matrix } from "../math/matrix.js";
import type { PoolingGraph } from "../onnx/fold-head.js";
import type { TensorLike } from "../runtime/tensor.js";
import { featureMapPoolingGraph, globalAveragePool } from "./feature-map.js";
import { poolSequence, sequencePoolingGraph } from "./sequence.js";
import { poolTokens, tokenPoolingGraph } from "./tokens.js";

/**
 * The layout of a tap tensor: `sequence` `[batch, tokens, hidden]` (transformer layers, text or vision),
 * `feature-map` `[batch, channels, height, width]` (CNN stages). Poolings are chosen by layout, not by
 * modality: a vision transformer pools its [CLS] token as a BERT does.
 */
export type TensorLayout = "sequence" | "feature-map";

/**
 * Every pooling sidenet knows, by the name sidenet.json stores (`exits[i].pooling`): `cls` token 0, `mean`
 * over unpadded tokens (text), `patch-mean` over the tokens after [CLS] (ViT), `distilled-patch-mean` over
 * the tokens after [CLS] and the distillation token (DeiT), `token-mean` over every token (Swin),
 * `global-average` over height and width (CNNs).
 */
export type PoolingName =
  | "cls"
  | "mean"
  | "patch-mean"
  | "distilled-patch-mean"
  | "token-mean"
  | "global-average";

/** How an exit turns its tap into one feature row per item, in JavaScript and as ONNX nodes. */
export interface Pooling {
  readonly name: PoolingName;
  /** The tap layout it reads. */
  readonly layout: TensorLayout;
  /** Tensors of the batch it reads besides the tap (e.g. `attention_mask`). */
  readonly inputs: readonly string[];
  /** `[rows, features]` from the batch state after the tap's segment. */
  pool(state: Readonly<Record<string, TensorLike>>, tap: string): Matrix;
  /** The same pooling as ONNX nodes reading `tap`; the names it creates start with `prefix`. */
  graph(tap: string, prefix: string): PoolingGraph;
}

const tensor = (state: Readonly<Record<string, TensorLike>>, name: string): TensorLike => {
  const t = state[name];
  if (!t) throw new InvalidArgumentError(`pooling: the batch has no tensor "${name}" (the exit's tap).`);
  return t;
};

/** Mean over the tokens of a sequence tap after its first `skip` (a vision transformer's special tokens). */
function tokenMean(name: PoolingName, skip: number): Pooling {
  return {
    name,
    layout: "sequence",
    inputs: [],
    pool: (state, tap) => poolTokens(tensor(state, tap), skip, name),
    graph: (tap, prefix) => tokenPoolingGraph(tap, skip, prefix),
  };
}

/** The poolings, frozen; one entry each. */
export const POOLINGS: Readonly<Record<PoolingName, Pooling>> = Object.freeze({
  cls: {
    name: "cls",
    layout: "sequence",
    inputs: [],
    pool: (state, tap) => poolSequence(tensor(state, tap), undefined, "cls"),
    graph: (tap, prefix) => sequencePoolingGraph(tap, "cls", prefix),
  },
  mean: {
    name: "mean",
    layout: "sequence",
    inputs: ["attention_mask"],
    pool: (state, tap) => poolSequence(tensor(state, tap), state.attention_mask, "mean"),
    graph: (tap, prefix) => sequencePoolingGraph(tap, "mean", prefix),
  },
  "patch-mean": tokenMean("patch-mean", 1),
  "distilled-patch-mean": tokenMean("distilled-patch-mean", 2),
  "token-mean": tokenMean("token-mean", 0),
  "global-average": {
    name: "global-average",
    layout: "feature-map",
    inputs: [],
    pool: (state, tap) => globalAveragePool(tensor(state, tap)),
    graph: (tap, prefix) => featureMapPoolingGraph(tap, prefix),
  },
});

/** The pooling called `name`, or an InvalidArgumentError naming `where` and the poolings there are. */
export function poolingOf(name: string, where: string): Pooling {
  const p = (POOLINGS as Record<string, Pooling | undefined>)[name];
  if (!p || !Object.hasOwn(POOLINGS, name)) {
    throw new InvalidArgumentError(
      `${where}: pooling ${JSON.stringify(name)} is not one sidenet knows; expected one of ${Object.keys(POOLINGS).join(", ")}.`,
    );
  }
  return p;
}
