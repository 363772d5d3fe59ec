import { invalid, ShapeMismatchError } from "../errors.js";
import type { Activation } from "../head/activation.js";
import { MlpHead } from "../head/mlp-head.js";
import { type Matrix, selectRows } from "../math/matrix.js";
import { Rng } from "../math/rng.js";
import { softmax } from "../math/softmax.js";
import { Adam } from "./adam.js";
import { oneHot, softCrossEntropy } from "./loss.js";

/** Options of {@link trainHead}. */
export interface TrainHeadOptions {
  /** Number of classes (the MainNet's label count). Required. */
  classes: number;
  hiddenSize?: number;
  activation?: Activation;
  maxEpochs?: number;
  batchSize?: number;
  learningRate?: number;
  weightDecay?: number;
  /** Stop after this many epochs without a better validation loss. */
  patience?: number;
  seed?: number;
  /** Held-out rows for early stopping, or the fraction of training rows to hold out (seeded). */
  validation?: { features: Matrix; labels: ArrayLike<number> } | number;
  /** MainNet logits `[rows, classes]` of the training rows, for distillation. */
  teacherLogits?: Matrix;
  /** Softening temperature of the teacher's softmax. */
  distillTemperature?: number;
  /** Weight of the teacher's distribution in the target mixture (0 = hard labels only). */
  distillWeight?: number;
  /** Standardise features inside training; the affine map is folded into the first layer afterwards. */
  standardize?: boolean;
  /** Called after each epoch. */
  onEpoch?: (record: EpochRecord) => void;
}

/** One line of the training history. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
  validationAccuracy: number;
}

/** What {@link trainHead} returns. */
export interface TrainHeadResult {
  head: MlpHead;
  history: EpochRecord[];
  /** Epoch whose weights were kept (best validation loss). */
  bestEpoch: number;
}

type Resolved = Required<Omit<TrainHeadOptions, "validation" | "teacherLogits" | "onEpoch">> &
  Pick<TrainHeadOptions, "validation" | "teacherLogits" | "onEpoch">;

/** Fills defaults and validates {@link TrainHeadOptions}. */
export function resolveTrainHeadOptions(o: TrainHeadOptions): Resolved {
  const api = "trainHead";
  const r: Resolved = {
    hiddenSize: 128,
    activation: "relu",
    maxEpochs: 100,
    batchSize: 64,
    learningRate: 1e-3,
    weightDecay: 1e-4,
    patience: 8,
    seed: 0,
    distillTemperature: 2,
    distillWeight: 0,
    standardize: true,
    ...o,
  };
  const posInt = ["classes", "hiddenSize", "maxEpochs", "batchSize", "patience"] as const;
  for (const k of posInt)
    if (!Number.isInteger(r[k]) || r[k] < 1) invalid(api, k, r[k], "a positive integer");
  if (!(r.learningRate > 0)) invalid(api, "learningRate", r.learningRate, "a number > 0");
  if (!(r.weightDecay >= 0)) invalid(api, "weightDecay", r.weightDecay, "a number ≥ 0");
  if (!(r.distillTemperature > 0)) invalid(api, "distillTemperature", r.distillTemperature, "a number > 0");
  if (!(r.distillWeight >= 0 && r.distillWeight <= 1))
    invalid(api, "distillWeight", r.distillWeight, "a number in [0, 1]");
  if (typeof r.validation === "number" && !(r.validation > 0 && r.validation < 1)) {
    invalid(api, "validation", r.validation, "a fraction in (0, 1) or a held-out { features, labels } set");
  }
  return r;
}

function checkLabels(labels: ArrayLike<number>, rows: number, classes: number, what: string): void {
  if (labels.length !== rows) {
    throw new ShapeMismatchError(`trainHead: ${what} has ${rows} feature rows but ${labels.length} labels.`);
  }
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l) || l < 0 || l >= classes) {
      throw new ShapeMismatchError(
        `trainHead: ${what} label ${i} is ${l}; labels must be integers in [0, ${classes}).`,
      );
    }
  }
}

/**
 * Trains a SideNet head with Adam on cross-entropy, minibatches shuffled by a seeded generator, early
 * stopping on validation loss, optionally mixing the MainNet's softened predictions into the targets.
 *
 * @example
 * ```ts
 * const { head, history } = trainHead(matrix(features, n, 128), labels, { classes: 2, seed: 1 });
 * ```
 */
export function trainHead(
  features: Matrix,
  labels: ArrayLike<number>,
  options: TrainHeadOptions,
): TrainHeadResult {
  const o = resolveTrainHeadOptions(options);
  const C = o.classes;
  checkLabels(labels, features.rows, C, "the training set");
  const rng = new Rng(o.seed);

  // Targets: one-hot, optionally mixed with the teacher's softened distribution.
  let targets = oneHot(labels, C);
  if (o.teacherLogits && o.distillWeight > 0) {
    const t = o.teacherLogits;
    if (t.rows !== features.rows || t.cols !== C) {
      throw new ShapeMismatchError(
        `trainHead: teacherLogits is ${t.rows} × ${t.cols}; expected ${features.rows} × ${C}.`,
      );
    }
    const soft = softmax(
      t.data.map((v) => v / o.distillTemperature),
      C,
    );
    for (let i = 0; i < targets.length; i++)
      targets[i] = (1 - o.distillWeight) * targets[i]! + o.distillWeight * soft[i]!;
  }

  // Train / validation rows.
  let train = features;
  let valX: Matrix;
  let valY: ArrayLike<number>;
  if (typeof o.validation === "object") {
    valX = o.validation.features;
    valY = o.validation.labels;
    if (valX.cols !== features.cols) {
      throw new ShapeMismatchError(
        `trainHead: validation has ${valX.cols} features per row, training ${features.cols}.`,
      );
    }
    checkLabels(valY, valX.rows, C, "the validation set");
  } else {
    const fraction = o.validation ?? 0.1;
    const perm = rng.shuffle(Int32Array.from({ length: features.rows }, (_, i) => i));
    const nVal = Math.max(1, Math.round(features.rows * fraction));
    const valIdx = perm.subarray(0, nVal);
    const trainIdx = perm.subarray(nVal);
    valX = selectRows(features, valIdx);
    valY = Int32Array.from(valIdx, (i) => labels[i]!);
    train = selectRows(features, trainIdx);
    targets = selectRows({ data: targets, rows: features.rows, cols: C }, trainIdx).data;
  }

  // Standardisation (folded into w1/b1 at the end).
  const D = train.cols;
  const mean = new Float64Array(D);
  const std = new Float64Array(D).fill(1);
  if (o.standardize && train.rows > 1) {
    for (let r = 0; r < train.rows; r++) for (let d = 0; d < D; d++) mean[d]! += train.data[r * D + d]!;
    for (let d = 0; d < D; d++) mean[d]! /= train.rows;
    const v = new Float64Array(D);
    for (let r = 0; r < train.rows; r++)
      for (let d = 0; d < D; d++) v[d]! += (train.data[r * D + d]! - mean[d]!) ** 2;
    // Floor each std at a tenth of the features' RMS std: near-constant features (an edge pixel, a ReLU
    // channel that is almost always 0) would otherwise be blown up to huge values on the rare rows they fire.
    let meanVar = 0;
    for (let d = 0; d < D; d++) meanVar += v[d]! / train.rows / D;
    const floor = 0.1 * Math.sqrt(meanVar);
    for (let d = 0; d < D; d++) std[d] = Math.max(Math.sqrt(v[d]! / train.rows), floor) || 1;
  }
  const standardise = (m: Matrix): Float32Array => {
    const out = new Float32Array(m.data.length);
    for (let r = 0; r < m.rows; r++)
      for (let d = 0; d < D; d++) out[r * D + d] = (m.data[r * D + d]! - mean[d]!) / std[d]!;
    return out;
  };
  const xTrain = standardise(train);
  const xVal = standardise(valX);
  const valTargets = oneHot(valY, C);

  const head = MlpHead.init(
    { inputSize: D, hiddenSize: o.hiddenSize, classes: C, activation: o.activation },
    o.seed,
  );
  const adam = new Adam(head.params.length, { learningRate: o.learningRate, weightDecay: o.weightDecay });
  const grad = new Float32Array(head.params.length);
  const order = Int32Array.from({ length: train.rows }, (_, i) => i);
  const history: EpochRecord[] = [];
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, params: head.params.slice() };

  for (let epoch = 1; epoch <= o.maxEpochs; epoch++) {
    rng.shuffle(order);
    let lossSum = 0;
    for (let start = 0; start < order.length; start += o.batchSize) {
      const idx = order.subarray(start, Math.min(order.length, start + o.batchSize));
      const xb = selectRows({ data: xTrain, rows: train.rows, cols: D }, idx).data;
      const tb = selectRows({ data: targets, rows: train.rows, cols: C }, idx).data;
      const { logits, cache } = head.forwardTrain(xb, idx.length);
      const dLogits = new Float32Array(logits.length);
      lossSum += softCrossEntropy(logits, tb, C, dLogits) * idx.length;
      grad.fill(0);
      head.backward(cache, dLogits, grad);
      adam.step(head.params, grad);
    }
    const valLogits = head.forward(xVal, valX.rows);
    const validationLoss = softCrossEntropy(valLogits, valTargets, C);
    let correct = 0;
    for (let r = 0; r < valX.rows; r++) {
      let arg = 0;
      for (let c = 1; c < C; c++) if (valLogits[r * C + c]! > valLogits[r * C + arg]!) arg = c;
      if (arg === valY[r]) correct++;
    }
    const record = {
      epoch,
      trainLoss: lossSum / train.rows,
      validationLoss,
      validationAccuracy: correct / valX.rows,
    };
    history.push(record);
    o.onEpoch?.(record);
    if (validationLoss < best.loss) best = { loss: validationLoss, epoch, params: head.params.slice() };
    else if (epoch - best.epoch >= o.patience) break;
  }
  head.params.set(best.params);
  foldStandardisation(head, mean, std);
  return { head, history, bestEpoch: best.epoch };
}

/** Rewrites the first layer so that the head takes raw features: W' = W / std, b' = b − (mean / std)·W. */
function foldStandardisation(head: MlpHead, mean: Float64Array, std: Float64Array): void {
  const H = head.shape.hiddenSize;
  for (let i = 0; i < head.shape.inputSize; i++) {
    for (let j = 0; j < H; j++) {
      const w = head.w1[i * H + j]! / std[i]!;
      head.w1[i * H + j] = w;
      head.b1[j] = head.b1[j]! - mean[i]! * w;
    }
  }
}
