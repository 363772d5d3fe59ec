import { IncompatibleModelError } from "../errors.js";
import type { Matrix } from "../math/matrix.js";
import { intAttr, node, type PoolingGraph } from "../onnx/fold-head.js";
import { floatData, type TensorLike } from "../runtime/tensor.js";

/** Global average pooling of a float32 or float16 feature map `[batch, channels, height, width]` → `[batch, channels]`. */
export function globalAveragePool(t: TensorLike): Matrix {
  const x = floatData(t);
  if (t.dims.length !== 4 || !x) {
    throw new IncompatibleModelError(
      `globalAveragePool: the tap is ${t.type} [${t.dims}]; global-average pooling needs a float32 or float16 feature map [batch, channels, height, width]. Choose a stage or block output as tap.`,
    );
  }
  const [B, C, H, W] = t.dims as [number, number, number, number];
  const hw = H * W;
  const out = new Float32Array(B * C);
  for (let i = 0; i < B * C; i++) {
    let s = 0;
    const o = i * hw;
    for (let k = 0; k < hw; k++) s += x[o + k]!;
    out[i] = s / hw;
  }
  return { data: out, rows: B, cols: C };
}

/** The same pooling as ONNX nodes, for heads folded into the segment graph (`foldHead`). */
export function featureMapPoolingGraph(tap: string, p: string): PoolingGraph {
  return {
    nodes: [
      node("GlobalAveragePool", [tap], `${p}gap`),
      node("Flatten", [`${p}gap`], `${p}pooled`, [intAttr("axis", 1)]),
    ],
    initializers: [],
    inputs: [],
    output: `${p}pooled`,
  };
}
