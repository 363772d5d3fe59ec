import {
  IncompatibleModelError,
  intAttr,
  type Matrix,
  node,
  type PoolingGraphFactory,
  type TensorLike,
} from "@sidenet/core";

/** ResNet exits pool a stage output `[batch, channels, height, width]` by its global average. */
export type VisionPooling = "global-average";
export const VISION_POOLINGS: readonly VisionPooling[] = ["global-average"];

/** Global average pooling of a float32 `[batch, channels, height, width]` feature map → `[batch, channels]`. */
export function globalAveragePool(t: TensorLike): Matrix {
  if (t.dims.length !== 4 || !(t.data instanceof Float32Array)) {
    throw new IncompatibleModelError(
      `globalAveragePool: the tap is ${t.type} [${t.dims}]; a ResNet tap is float32 [batch, channels, height, width]. Choose a stage or block output as tap.`,
    );
  }
  const [B, C, H, W] = t.dims as [number, number, number, number];
  const hw = H * W;
  const x = t.data;
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
export const visionPoolingGraph: PoolingGraphFactory = (tap, _pooling, p) => ({
  nodes: [
    node("GlobalAveragePool", [tap], `${p}gap`),
    node("Flatten", [`${p}gap`], `${p}pooled`, [intAttr("axis", 1)]),
  ],
  initializers: [],
  inputs: [],
  output: `${p}pooled`,
});
