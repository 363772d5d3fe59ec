/**
 * `@sidenet/core`: the modality-free SideNet machinery — MLP heads and their trainer, confidence measures,
 * calibration, the routing cascade, the cascade sweep, ONNX splitting, safetensors, poolings by tap
 * layout, the artefact manifest, errors. Runs anywhere (no Node module, no transformers.js). The
 * transformers.js runtime is `@sidenet/core/runtime`; attaching (Node only) is `@sidenet/core/attach`.
 */

export { SIDENET_JSON, SWEEP_JSON } from "./artefact/files.js";
export type {
  ArtefactCalibration,
  ArtefactSelection,
  ExitMetrics,
  ExitSpec,
  SideNetManifest,
  SmallBatchTiming,
} from "./artefact/format.js";
export { FORMAT_VERSION } from "./artefact/format.js";
export { parseManifest } from "./artefact/validate.js";
export type { CalibrationIntervals, WithInterval } from "./calibration/bootstrap.js";
export { calibrationIntervals } from "./calibration/bootstrap.js";
export type { CalibrationReport, ReliabilityBin } from "./calibration/metrics.js";
export { accuracy, brier, calibrationReport, ece, mce, nll, reliabilityBins } from "./calibration/metrics.js";
export { applyTemperature, fitTemperature } from "./calibration/temperature.js";
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
export type { SafetensorsTensor } from "./io/safetensors.js";
export { readSafetensors, writeSafetensors } from "./io/safetensors.js";
export type { ConfidenceMeasure } from "./math/confidence.js";
export { CONFIDENCE_MEASURES, confidence } from "./math/confidence.js";
export type { Matrix } from "./math/matrix.js";
export { softmax } from "./math/softmax.js";
export type { ModelProto } from "./onnx/graph.js";
export { decodeModel } from "./onnx/graph.js";
export type { Segment, SplitResult } from "./onnx/split.js";
export { splitModel } from "./onnx/split.js";
export type { TapCandidate } from "./onnx/taps.js";
export { findTapCandidates } from "./onnx/taps.js";
export type { Pooling, PoolingName, TensorLayout } from "./pooling/index.js";
export { POOLINGS } from "./pooling/index.js";
export type {
  CascadeExit,
  CascadeOutput,
  CascadeSpec,
  CascadeStage,
  RunCascadeOptions,
} from "./routing/cascade.js";
export { runCascade } from "./routing/cascade.js";
export type { ExitCriterion } from "./routing/exit-rule.js";
export { EXIT_CRITERIA } from "./routing/exit-rule.js";
export type { Budget, CascadePoint, CascadeSweepInput, ExitCandidate } from "./selection/cascade-sweep.js";
export { paretoFront, pickCascade, sweepCascades } from "./selection/cascade-sweep.js";
export type { PointRecord, SweepRecord } from "./selection/record.js";
export { describePoint } from "./selection/record.js";
export type { TrainHeadOptions, TrainHeadResult } from "./training/train-head.js";
export { trainHead } from "./training/train-head.js";
export type { SideBySideOptions, Timing } from "./util/timing.js";
export { chunk, pairedRatio, sideBySide } from "./util/timing.js";
