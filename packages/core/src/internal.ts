/**
 * `@sidenet/core/internal`: the building blocks behind the public entries, for sidenet's own tests and
 * benchmark. Not a stable API: anything here may change in any release.
 * @internal
 */
export { headsFromSafetensors, headsToSafetensors } from "./artefact/heads.js";
export { adaptiveEce } from "./calibration/metrics.js";
export type { FitTemperatureOptions } from "./calibration/temperature.js";
export { nllAtTemperature } from "./calibration/temperature.js";
export type { Safetensors, SafetensorsDtype } from "./io/safetensors.js";
export { matrix, selectRows } from "./math/matrix.js";
export { Rng } from "./math/rng.js";
export { argmaxRows, logSoftmax } from "./math/softmax.js";
export type { FlopsCount, FlopsProbe } from "./onnx/flops.js";
export { countFlops, flopsProbe } from "./onnx/flops.js";
export type { FoldedSegment, PoolingGraph } from "./onnx/fold-head.js";
export { floats, foldHead, int64s, intAttr, node } from "./onnx/fold-head.js";
export { encodeModel, TensorDataType } from "./onnx/graph.js";
export { featureMapPoolingGraph, globalAveragePool } from "./pooling/feature-map.js";
export { poolingOf } from "./pooling/index.js";
export { poolSequence, sequencePoolingGraph } from "./pooling/sequence.js";
export type { ExitRule } from "./routing/exit-rule.js";
export { checkThreshold, exitRule, leaves, shouldExit } from "./routing/exit-rule.js";
export type {
  SegmentCascadeOptions,
  SegmentExit,
  SegmentRunner,
  TensorState,
} from "./runtime/segment-cascade.js";
export { segmentCascadeSpec } from "./runtime/segment-cascade.js";
export type { TensorLike, TypedArray } from "./runtime/tensor.js";
export { selectTensorRows } from "./runtime/tensor.js";
export { evaluateCascade, thresholdGrid } from "./selection/cascade-sweep.js";
export { sweepRecord } from "./selection/record.js";
export type { SweepInput, SweepPoint } from "./selection/sweep.js";
export { pickByMaxCost, pickByMaxDrop, thresholdSweep } from "./selection/sweep.js";
export type { AdamOptions } from "./training/adam.js";
export { Adam } from "./training/adam.js";
export { oneHot, softCrossEntropy } from "./training/loss.js";
export type { EpochRecord } from "./training/train-head.js";
export { resolveTrainHeadOptions } from "./training/train-head.js";
export { ProgressBar } from "./util/progress.js";
export { median, roundOrder, summarise } from "./util/timing.js";
