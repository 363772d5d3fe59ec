/** Hidden-layer activation of an {@link MlpHead}. GELU is the tanh approximation (as in BERT's ONNX exports). */
export type Activation = "relu" | "gelu";

const K = Math.sqrt(2 / Math.PI);

/** Applies the activation in place to `pre`, writing it to `out`. */
export function activate(kind: Activation, pre: Float32Array, out: Float32Array): void {
  if (kind === "relu") {
    for (let i = 0; i < pre.length; i++) out[i] = Math.max(pre[i]!, 0);
  } else {
    for (let i = 0; i < pre.length; i++) {
      const x = pre[i]!;
      out[i] = 0.5 * x * (1 + Math.tanh(K * (x + 0.044715 * x * x * x)));
    }
  }
}

/** Multiplies `grad` in place by the activation's derivative at `pre`. */
export function activationBackward(kind: Activation, pre: Float32Array, grad: Float32Array): void {
  if (kind === "relu") {
    for (let i = 0; i < pre.length; i++) if (!(pre[i]! > 0)) grad[i] = 0;
  } else {
    for (let i = 0; i < pre.length; i++) {
      const x = pre[i]!;
      const t = Math.tanh(K * (x + 0.044715 * x * x * x));
      const d = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * 0.044715 * x * x);
      grad[i] = grad[i]! * d;
    }
  }
}
