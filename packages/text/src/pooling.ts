import { IncompatibleModelError, type Matrix, type TensorLike } from "@sidenet/core";

/** How a BERT-family hidden state `[batch, tokens, hidden]` becomes one vector per row. */
export type TextPooling = "cls" | "mean";
export const TEXT_POOLINGS: readonly TextPooling[] = ["cls", "mean"];

/**
 * Pools a `[batch, tokens, hidden]` float32 hidden state: `cls` takes token 0, `mean` averages the tokens
 * whose attention mask is 1 (padding excluded).
 */
export function poolText(hidden: TensorLike, mask: TensorLike | undefined, pooling: TextPooling): Matrix {
  const [B, T, H] = hidden.dims as [number, number, number];
  if (hidden.dims.length !== 3 || !(hidden.data instanceof Float32Array)) {
    throw new IncompatibleModelError(
      `poolText: the tap is ${hidden.type} [${hidden.dims}]; a BERT-family tap is float32 [batch, tokens, hidden]. Choose a layer output as tap.`,
    );
  }
  const h = hidden.data;
  const out = new Float32Array(B * H);
  if (pooling === "cls") {
    for (let b = 0; b < B; b++) out.set(h.subarray(b * T * H, b * T * H + H), b * H);
    return { data: out, rows: B, cols: H };
  }
  if (!mask) throw new IncompatibleModelError("poolText: mean pooling needs the attention_mask input.");
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
