export type { ExitSpec, SideNetManifest } from "./artefact/format.js";
export { checkLabelMap, FORMAT_VERSION, HEADS_FILE, parseManifest, SIDENET_JSON } from "./artefact/format.js";
export { headsFromSafetensors, headsToSafetensors } from "./artefact/heads.js";
export type { BootstrapOptions, CalibrationIntervals, WithInterval } from "./calibration/bootstrap.js";
export { calibrationIntervals } from "./calibration/bootstrap.js";
export type { CalibrationReport, ReliabilityBin } from "./calibration/metrics.js";
export {
  accuracy,
  adaptiveEce,
  brier,
  calibrationReport,
  ece,
  mce,
  nll,
  reliabilityBins,
} from "./calibration/metrics.js";
export type { FitTemperatureOptions } from "./calibration/temperature.js";
export { applyTemperature, fitTemperature, nllAtTemperature } from "./calibration/temperature.js";
export type { SideNetErrorCode } from "./errors.js";
export {
  CorruptArtefactError,
  FetchError,
  IncompatibleModelError,
  InvalidArgumentError,
  ShapeMismatchError,
  SideNetError,
} from "./errors.js";
export type { Activation } from "./head/activation.js";
export type { MlpHeadShape } from "./head/mlp-head.js";
export { MlpHead } from "./head/mlp-head.js";
export type { Safetensors, SafetensorsDtype, SafetensorsTensor } from "./io/safetensors.js";
export { readSafetensors, writeSafetensors } from "./io/safetensors.js";
export type { ConfidenceMeasure } from "./math/confidence.js";
export { CONFIDENCE_MEASURES, confidence } from "./math/confidence.js";
export type { Matrix } from "./math/matrix.js";
export { matrix, selectRows } from "./math/matrix.js";
export { Rng } from "./math/rng.js";
export { argmaxRows, logSoftmax, softmax } from "./math/softmax.js";
export type { FlopsCount, FlopsProbe } from "./onnx/flops.js";
export { countFlops, flopsProbe } from "./onnx/flops.js";
export type { FoldedSegment, PoolingGraph, PoolingGraphFactory } from "./onnx/fold-head.js";
export { floats, foldHead, int64s, intAttr, node } from "./onnx/fold-head.js";
export type { ModelProto } from "./onnx/graph.js";
export { decodeModel, encodeModel, TensorDataType } from "./onnx/graph.js";
export type { Segment, SplitResult } from "./onnx/split.js";
export { splitModel } from "./onnx/split.js";
export type { TapCandidate } from "./onnx/taps.js";
export { findTapCandidates } from "./onnx/taps.js";
export type {
  CascadeExit,
  CascadeOutput,
  CascadeSpec,
  CascadeStage,
  RunCascadeOptions,
} from "./routing/cascade.js";
export { runCascade } from "./routing/cascade.js";
export { checkThreshold, shouldExit } from "./routing/policy.js";
export type {
  SegmentCascadeOptions,
  SegmentExit,
  SegmentRunner,
  TensorState,
} from "./runtime/segment-cascade.js";
export { segmentCascadeSpec } from "./runtime/segment-cascade.js";
export type { TensorLike, TypedArray } from "./runtime/tensor.js";
export { selectTensorRows } from "./runtime/tensor.js";
export type {
  Budget,
  CascadePoint,
  CascadeSweepInput,
  ExitCandidate,
  ExitCriterion,
} from "./selection/cascade-sweep.js";
export {
  EXIT_CRITERIA,
  evaluateCascade,
  paretoFront,
  pickCascade,
  sweepCascades,
  thresholdGrid,
} from "./selection/cascade-sweep.js";
export type { PointRecord, SweepRecord } from "./selection/record.js";
export { describePoint, SWEEP_JSON, shortTap, sweepRecord } from "./selection/record.js";
export type { SweepInput, SweepPoint } from "./selection/sweep.js";
export { pickByMaxCost, pickByMaxDrop, thresholdSweep } from "./selection/sweep.js";
export type { AdamOptions } from "./training/adam.js";
export { Adam } from "./training/adam.js";
export { oneHot, softCrossEntropy } from "./training/loss.js";
export type { EpochRecord, TrainHeadOptions, TrainHeadResult } from "./training/train-head.js";
export { resolveTrainHeadOptions, trainHead } from "./training/train-head.js";
export { ProgressBar } from "./util/progress.js";
export type { SideBySideOptions, Timing } from "./util/timing.js";
export { chunk, median, pairedRatio, roundOrder, sideBySide, summarise } from "./util/timing.js";
