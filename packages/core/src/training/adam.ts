/** Options of {@link Adam}. */
export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay (AdamW), applied to every parameter. */
  weightDecay?: number;
}

/** Adam with decoupled weight decay (AdamW, Loshchilov & Hutter) over one flat parameter buffer. */
export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  readonly learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;

  constructor(size: number, options: AdamOptions = {}) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
  }

  /** Updates `params` in place from `grad`. */
  step(params: Float32Array, grad: Float32Array): void {
    this.t++;
    const { beta1: b1, beta2: b2, learningRate: lr, epsilon: eps, weightDecay: wd } = this;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i]!;
      const m = b1 * this.m[i]! + (1 - b1) * g;
      const v = b2 * this.v[i]! + (1 - b2) * g * g;
      this.m[i] = m;
      this.v[i] = v;
      params[i] = params[i]! - lr * (m / c1 / (Math.sqrt(v / c2) + eps) + wd * params[i]!);
    }
  }
}
