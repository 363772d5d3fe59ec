/**
 * `@sidenet/core/internal`: the building blocks behind the public entries, for sidenet's own tests and
 * benchmark. Not a stable API: anything here may change in any release.
 * @internal
 */
export { headsFromSafetensors, headsToSafetensors } from "./artefact/heads.js";
export { checkPin, isPinnablePath, pinnedSideFiles, sha256Hex } from "./artefact/pins.js";
export type { CandidateReport, TrainedCandidates } from "./attach/candidates.js";
export { trainCandidates } from "./attach/candidates.js";
export type { HeadJob, HeadPoolOptions, TrainedHead } from "./attach/head-pool.js";
export { trainHeads } from "./attach/head-pool.js";
export type { BatchRounds, SmallBatchDecision } from "./attach/small-batches.js";
export {
  decideSmallBatches,
  SMALL_BATCH_ALPHA,
  SMALL_BATCH_ROUNDS,
  SMALL_BATCH_SIZES,
  signTestP,
} from "./attach/small-batches.js";
export type { CalibrationIntervals, WithInterval } from "./calibration/bootstrap.js";
export type { CalibrationReport, ReliabilityBin } from "./calibration/metrics.js";
export { adaptiveEce } from "./calibration/metrics.js";
export type { FitTemperatureOptions } from "./calibration/temperature.js";
export { nllAtTemperature } from "./calibration/temperature.js";
export type { Activation } from "./head/activation.js";
export { accumulateOuter, backProject, denseForward } from "./head/kernels.js";
export type { MlpHeadShape } from "./head/mlp-head.js";
export type { Safetensors, SafetensorsDtype, SafetensorsTensor } from "./io/safetensors.js";
export { CONFIDENCE_MEASURES } from "./math/confidence.js";
export { matrix, selectRows } from "./math/matrix.js";
export { Rng } from "./math/rng.js";
export { argmaxRows, logSoftmax } from "./math/softmax.js";
export type { FlopsCount, FlopsProbe } from "./onnx/flops.js";
export { countFlops, flopsProbe } from "./onnx/flops.js";
export type { FoldedSegment, PoolingGraph } from "./onnx/fold-head.js";
export { floats, foldHead, int64s, intAttr, node } from "./onnx/fold-head.js";
export type { ModelProto } from "./onnx/graph.js";
export { encodeModel, TensorDataType } from "./onnx/graph.js";
export type { Segment, SplitResult } from "./onnx/split.js";
export type { TapCandidate } from "./onnx/taps.js";
export { featureMapPoolingGraph, globalAveragePool } from "./pooling/feature-map.js";
export { poolingOf } from "./pooling/index.js";
export { poolSequence, sequencePoolingGraph } from "./pooling/sequence.js";
export { poolTokens, tokenPoolingGraph } from "./pooling/tokens.js";
export type { CascadeExit, CascadeOutput, CascadeStage, RunCascadeOptions } from "./routing/cascade.js";
export type { ExitRule } from "./routing/exit-rule.js";
export {
  checkThreshold,
  EXIT_CRITERIA,
  exitRule,
  leaves,
  shouldExit,
  thresholdForRate,
} from "./routing/exit-rule.js";
export type {
  SegmentCascadeOptions,
  SegmentExit,
  SegmentRunner,
  TensorState,
} from "./runtime/segment-cascade.js";
export { segmentCascadeSpec } from "./runtime/segment-cascade.js";
export type { TensorLike, TypedArray } from "./runtime/tensor.js";
export { selectTensorRows } from "./runtime/tensor.js";
export { bruteForceCascades, bruteForceCriterion } from "./selection/brute-force.js";
export type { CascadePoint, CascadeSweepInput, ExitCandidate } from "./selection/cascade-sweep.js";
export { evaluateCascade } from "./selection/cascade-sweep.js";
export type { Certification, CertifiedPick, CertifyOptions } from "./selection/certified-pick.js";
export { certifiedPick, selectSweepRows } from "./selection/certified-pick.js";
export type { DropCounts } from "./selection/certify.js";
export {
  binomialLower,
  binomialUpper,
  dropCounts,
  dropLosses,
  dropUpperBound,
  fixedSequence,
  rowsNeeded,
} from "./selection/certify.js";
export type { SearchState } from "./selection/curve.js";
export { coordinateCurve, stateTally } from "./selection/curve.js";
export { exhaustiveCascades } from "./selection/exhaustive.js";
export { FrontCollector } from "./selection/front.js";
export { sweepRecord } from "./selection/record.js";
export type { ScoredCandidate } from "./selection/scored.js";
export { scoreCandidates, thresholdGrid } from "./selection/scored.js";
export type { SearchFigure } from "./selection/search.js";
export { searchCascades } from "./selection/search.js";
export type { SweepInput, SweepPoint } from "./selection/sweep.js";
export { pickByMaxCost, pickByMaxDrop, thresholdSweep } from "./selection/sweep.js";
export type { AdamOptions } from "./training/adam.js";
export { Adam } from "./training/adam.js";
export { oneHot, softCrossEntropy } from "./training/loss.js";
export type { EpochRecord, TrainHeadResult } from "./training/train-head.js";
export { resolveTrainHeadOptions } from "./training/train-head.js";
export { ProgressBar } from "./util/progress.js";
export type { SideBySideOptions, Timing } from "./util/timing.js";
export { median, roundOrder, summarise } from "./util/timing.js";
