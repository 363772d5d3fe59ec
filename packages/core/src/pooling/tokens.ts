import { IncompatibleModelError } from "../errors.js";
import type { Matrix } from "../math/matrix.js";
import { int64s, intAttr, intsAttr, node, type PoolingGraph } from "../onnx/fold-head.js";
import { floatData, type TensorLike } from "../runtime/tensor.js";

/**
 * Mean of a `[batch, tokens, hidden]` float32 tap over the tokens from `skip` on: the patch tokens of a
 * vision transformer (`skip` = its leading special tokens: 1 for ViT's [CLS], 2 for DeiT's [CLS] and
 * distillation token, 0 for Swin, which has none). Images have no padding, so no mask is read.
 */
export function poolTokens(hidden: TensorLike, skip: number, name: string): Matrix {
  const [B, T, H] = hidden.dims as [number, number, number];
  const h = floatData(hidden);
  if (hidden.dims.length !== 3 || !h || T <= skip) {
    throw new IncompatibleModelError(
      `poolTokens: the tap is ${hidden.type} [${hidden.dims}]; ${name} pooling needs a float32 or float16 token tap [batch, tokens, hidden] with more than ${skip} tokens. Choose a transformer block output as tap.`,
    );
  }
  const out = new Float32Array(B * H);
  const n = T - skip;
  for (let b = 0; b < B; b++) {
    const o = out.subarray(b * H, (b + 1) * H);
    for (let t = skip; t < T; t++) {
      const row = h.subarray((b * T + t) * H, (b * T + t + 1) * H);
      for (let k = 0; k < H; k++) o[k] = o[k]! + row[k]!;
    }
    for (let k = 0; k < H; k++) o[k] = o[k]! / n;
  }
  return { data: out, rows: B, cols: H };
}

/**
 * The same pooling as ONNX nodes (opset-independent): Slice the tokens from `skip` on, Transpose to
 * `[batch, hidden, tokens]`, GlobalAveragePool over tokens, Flatten. Names it creates start with `p`.
 */
export function tokenPoolingGraph(tap: string, skip: number, p: string): PoolingGraph {
  const nodes = [];
  let x = tap;
  if (skip > 0) {
    nodes.push(node("Slice", [tap, `${p}starts`, `${p}ends`, `${p}axes`], `${p}patches`));
    x = `${p}patches`;
  }
  nodes.push(
    node("Transpose", [x], `${p}by_channel`, [intsAttr("perm", [0, 2, 1])]),
    node("GlobalAveragePool", [`${p}by_channel`], `${p}gap`),
    node("Flatten", [`${p}gap`], `${p}pooled`, [intAttr("axis", 1)]),
  );
  return {
    nodes,
    initializers:
      skip > 0
        ? [int64s(`${p}starts`, [skip]), int64s(`${p}ends`, [2 ** 31 - 1]), int64s(`${p}axes`, [1])]
        : [],
    inputs: [],
    output: `${p}pooled`,
  };
}
