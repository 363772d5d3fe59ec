/**
 * `@sidenet/core/artefact`: the SideNet artefact format as data — the manifest's schema (`sidenet.json`)
 * and the sweep's (`sweep.json`), their file names, and the validating parser. Runs anywhere. The
 * specification is docs/artefact-format.md; loading an artefact is `@sidenet/core/runtime`, writing one
 * `@sidenet/core/attach`.
 */

export { lossName } from "../selection/certified-pick.js";
export type { PointRecord, SweepRecord } from "../selection/record.js";
export { describePoint } from "../selection/record.js";
export { DTYPE_SUFFIX, SIDENET_JSON, SWEEP_JSON } from "./files.js";
export type {
  ArtefactCalibration,
  ArtefactSelection,
  CalibrationSplitOff,
  ExitMetrics,
  ExitSpec,
  MainNetSource,
  SideNetManifest,
  SmallBatchRule,
  SmallBatchTiming,
} from "./format.js";
export { FORMAT_VERSION } from "./format.js";
export { parseManifest } from "./validate.js";
