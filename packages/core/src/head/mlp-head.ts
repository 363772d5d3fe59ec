import { invalid, ShapeMismatchError } from "../errors.js";
import { Rng } from "../math/rng.js";
import { type Activation, activate, activationBackward } from "./activation.js";
import { accumulateOuter, backProject, denseForward } from "./kernels.js";

/** Shape of an {@link MlpHead}: Linear(inputSize→hiddenSize) → activation → Linear(hiddenSize→classes). */
export interface MlpHeadShape {
  inputSize: number;
  hiddenSize: number;
  classes: number;
  activation: Activation;
}

/** Activations kept by {@link MlpHead.forwardTrain} for the backward pass. @internal */
export interface ForwardCache {
  x: Float32Array;
  rows: number;
  pre: Float32Array;
  hidden: Float32Array;
}

/**
 * The SideNet: an MLP with one hidden layer, on row-major Float32Arrays.
 * All parameters live in one buffer, `params` = [w1 (in×hidden), b1, w2 (hidden×classes), b2],
 * so an optimiser can update them in a single pass.
 *
 * @example
 * ```ts
 * const head = MlpHead.init({ inputSize: 128, hiddenSize: 64, classes: 2, activation: "relu" }, 42);
 * const logits = head.forward(features, rows); // Float32Array(rows * 2)
 * ```
 */
export class MlpHead {
  readonly shape: MlpHeadShape;
  readonly params: Float32Array;
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  readonly w2: Float32Array;
  readonly b2: Float32Array;

  constructor(shape: MlpHeadShape, params?: Float32Array) {
    for (const k of ["inputSize", "hiddenSize", "classes"] as const) {
      if (!Number.isInteger(shape[k]) || shape[k] < 1) invalid("MlpHead", k, shape[k], "a positive integer");
    }
    if (shape.activation !== "relu" && shape.activation !== "gelu") {
      invalid("MlpHead", "activation", shape.activation, '"relu" or "gelu"');
    }
    this.shape = { ...shape };
    const { inputSize: i, hiddenSize: h, classes: c } = shape;
    const size = MlpHead.parameterCount(shape);
    if (params !== undefined && params.length !== size) {
      throw new ShapeMismatchError(
        `MlpHead: ${params.length} parameters given, ${size} expected for ${i}→${h}→${c}.`,
      );
    }
    this.params = params ?? new Float32Array(size);
    let o = 0;
    const view = (n: number) => {
      const v = this.params.subarray(o, o + n);
      o += n;
      return v;
    };
    this.w1 = view(i * h);
    this.b1 = view(h);
    this.w2 = view(h * c);
    this.b2 = view(c);
  }

  /** Number of parameters of a head of this shape. */
  static parameterCount(s: Pick<MlpHeadShape, "inputSize" | "hiddenSize" | "classes">): number {
    return s.inputSize * s.hiddenSize + s.hiddenSize + s.hiddenSize * s.classes + s.classes;
  }

  /** A head with PyTorch-style uniform(±1/√fan_in) initialisation from a seeded generator. */
  static init(shape: MlpHeadShape, seed = 0): MlpHead {
    const head = new MlpHead(shape);
    const rng = new Rng(seed);
    const fill = (a: Float32Array, fanIn: number) => {
      const bound = 1 / Math.sqrt(fanIn);
      for (let k = 0; k < a.length; k++) a[k] = (rng.next() * 2 - 1) * bound;
    };
    fill(head.w1, shape.inputSize);
    fill(head.b1, shape.inputSize);
    fill(head.w2, shape.hiddenSize);
    fill(head.b2, shape.hiddenSize);
    return head;
  }

  /** Logits `[rows, classes]` for features `[rows, inputSize]`. */
  forward(x: Float32Array, rows = x.length / this.shape.inputSize): Float32Array {
    return this.forwardTrain(x, rows).logits;
  }

  /** Forward pass that also returns what {@link MlpHead.backward} needs. @internal */
  forwardTrain(x: Float32Array, rows: number): { logits: Float32Array; cache: ForwardCache } {
    const { inputSize: I, hiddenSize: H, classes: C, activation } = this.shape;
    if (x.length !== rows * I) {
      throw new ShapeMismatchError(
        `MlpHead.forward: ${x.length} feature values for ${rows} rows; the head expects ${I} features per row (tap hidden size).`,
      );
    }
    const pre = new Float32Array(rows * H);
    denseForward(x, this.w1, this.b1, rows, I, H, pre);
    const hidden = new Float32Array(rows * H);
    activate(activation, pre, hidden);
    const logits = new Float32Array(rows * C);
    denseForward(hidden, this.w2, this.b2, rows, H, C, logits);
    return { logits, cache: { x, rows, pre, hidden } };
  }

  /**
   * Gradient of a loss with respect to `params`, given dLoss/dLogits `[rows, classes]`.
   * Adds into `grad` (same layout as `params`) and returns it. @internal
   */
  backward(
    cache: ForwardCache,
    dLogits: Float32Array,
    grad = new Float32Array(this.params.length),
  ): Float32Array {
    const { inputSize: I, hiddenSize: H, classes: C, activation } = this.shape;
    const { x, rows, pre, hidden } = cache;
    const gW1 = grad.subarray(0, I * H);
    const gB1 = grad.subarray(I * H, I * H + H);
    const gW2 = grad.subarray(I * H + H, I * H + H + H * C);
    const gB2 = grad.subarray(I * H + H + H * C);
    for (let r = 0; r < rows; r++) for (let k = 0; k < C; k++) gB2[k] = gB2[k]! + dLogits[r * C + k]!;
    accumulateOuter(hidden, dLogits, rows, H, C, gW2);
    const dHidden = new Float32Array(rows * H);
    backProject(dLogits, this.w2, rows, H, C, dHidden);
    activationBackward(activation, pre, dHidden);
    for (let r = 0; r < rows; r++) for (let j = 0; j < H; j++) gB1[j] = gB1[j]! + dHidden[r * H + j]!;
    accumulateOuter(x, dHidden, rows, I, H, gW1);
    return grad;
  }

  /** A deep copy. */
  clone(): MlpHead {
    return new MlpHead(this.shape, this.params.slice());
  }
}
