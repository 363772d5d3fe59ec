/**
 * `@sidenet/core`: the modality-free SideNet machinery — MLP heads and their trainer, confidence measures,
 * calibration, the routing cascade, the cascade sweep, ONNX splitting, safetensors, timing side by side,
 * errors. Runs anywhere (no Node module, no transformers.js). The other entries: `@sidenet/core/artefact`
 * (the artefact format), `@sidenet/core/runtime` (loading and running artefacts on transformers.js),
 * `@sidenet/core/node` (local artefacts), `@sidenet/core/attach` (attaching, Node only).
 */
export { calibrationIntervals } from "./calibration/bootstrap.js";
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
export { MlpHead } from "./head/mlp-head.js";
export { readSafetensors, writeSafetensors } from "./io/safetensors.js";
export type { ConfidenceMeasure } from "./math/confidence.js";
export { confidence } from "./math/confidence.js";
export type { Matrix } from "./math/matrix.js";
export { softmax } from "./math/softmax.js";
export { decodeModel } from "./onnx/graph.js";
export { splitModel } from "./onnx/split.js";
export type { FindTapOptions } from "./onnx/taps.js";
export { findTapCandidates, MAX_TAP_WEIGHT_SHARE, suggestTaps } from "./onnx/taps.js";
export type { CascadeSpec } from "./routing/cascade.js";
export { runCascade } from "./routing/cascade.js";
export type { ExitCriterion, ExitRule } from "./routing/exit-rule.js";
export { confidenceFloor, thresholdForRate, thresholdMeaning } from "./routing/exit-rule.js";
export type { Budget } from "./selection/budget.js";
export { pickCascade } from "./selection/budget.js";
export type { CascadeSweepInput } from "./selection/cascade-sweep.js";
export { sweepCascades } from "./selection/cascade-sweep.js";
export { agreementFront, paretoFront } from "./selection/front.js";
export type { TrainHeadOptions } from "./training/train-head.js";
export { trainHead } from "./training/train-head.js";
export { chunk, pairedRatio, sideBySide } from "./util/timing.js";
