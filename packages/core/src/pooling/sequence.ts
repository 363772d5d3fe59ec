import { IncompatibleModelError } from "../errors.js";
import type { Matrix } from "../math/matrix.js";
import { floats, int64s, intAttr, node, type PoolingGraph } from "../onnx/fold-head.js";
import { TensorDataType } from "../onnx/graph.js";
import { floatData, type TensorLike } from "../runtime/tensor.js";

/** Poolings of a sequence tap `[batch, tokens, hidden]` (BERT-family layers, vision-transformer blocks). */
export type SequencePooling = "cls" | "mean";

/**
 * Pools a `[batch, tokens, hidden]` float32 hidden state: `cls` takes token 0 ([CLS] / `<s>`), `mean`
 * averages the tokens whose attention mask is 1 (padding excluded; every token when there is no mask).
 */
export function poolSequence(
  hidden: TensorLike,
  mask: TensorLike | undefined,
  pooling: SequencePooling,
): Matrix {
  const [B, T, H] = hidden.dims as [number, number, number];
  const h = floatData(hidden);
  if (hidden.dims.length !== 3 || !h) {
    throw new IncompatibleModelError(
      `poolSequence: the tap is ${hidden.type} [${hidden.dims}]; ${pooling} pooling needs a float32 or float16 sequence tap [batch, tokens, hidden]. Choose a layer output as tap.`,
    );
  }
  const out = new Float32Array(B * H);
  if (pooling === "cls") {
    for (let b = 0; b < B; b++) out.set(h.subarray(b * T * H, b * T * H + H), b * H);
    return { data: out, rows: B, cols: H };
  }
  if (!mask) throw new IncompatibleModelError("poolSequence: mean pooling needs the attention_mask input.");
  const m = mask.data;
  for (let b = 0; b < B; b++) {
    let n = 0;
    const o = out.subarray(b * H, (b + 1) * H);
    for (let t = 0; t < T; t++) {
      if (Number(m[b * T + t]) === 0) continue;
      n++;
      const row = h.subarray((b * T + t) * H, (b * T + t + 1) * H);
      for (let k = 0; k < H; k++) o[k] = o[k]! + row[k]!;
    }
    if (n > 0) for (let k = 0; k < H; k++) o[k] = o[k]! / n;
  }
  return { data: out, rows: B, cols: H };
}

/**
 * The same pooling as ONNX nodes, for heads folded into the segment graph (`foldHead`): `cls` gathers
 * token 0; `mean` is `mask · hidden / max(Σ mask, 1)` with the mask as 0/1 floats (nonzero → 1, as
 * {@link poolSequence}), by batched MatMul. Names it creates start with `p`.
 */
export function sequencePoolingGraph(tap: string, pooling: SequencePooling, p: string): PoolingGraph {
  if (pooling === "cls") {
    return {
      nodes: [node("Gather", [tap, `${p}zero`], `${p}pooled`, [intAttr("axis", 1)])],
      initializers: [int64s(`${p}zero`, [0], [])],
      inputs: [],
      output: `${p}pooled`,
    };
  }
  return {
    nodes: [
      node("Cast", ["attention_mask"], `${p}mask_bool`, [intAttr("to", TensorDataType.BOOL)]),
      node("Cast", [`${p}mask_bool`], `${p}mask`, [intAttr("to", TensorDataType.FLOAT)]),
      node("Reshape", [`${p}mask`, `${p}row_shape`], `${p}mask_row`),
      node("Reshape", [`${p}mask`, `${p}col_shape`], `${p}mask_col`),
      node("MatMul", [`${p}mask_row`, tap], `${p}sum`),
      node("MatMul", [`${p}mask_row`, `${p}mask_col`], `${p}count`),
      node("Max", [`${p}count`, `${p}one`], `${p}count1`),
      node("Div", [`${p}sum`, `${p}count1`], `${p}mean`),
      node("Reshape", [`${p}mean`, `${p}flat_shape`], `${p}pooled`),
    ],
    initializers: [
      int64s(`${p}row_shape`, [0, 1, -1]),
      int64s(`${p}col_shape`, [0, -1, 1]),
      int64s(`${p}flat_shape`, [0, -1]),
      floats(`${p}one`, [], [1]),
    ],
    inputs: ["attention_mask"],
    output: `${p}pooled`,
  };
}
