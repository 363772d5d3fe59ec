/**
 * `@sidenet/core/runtime`: loading and running SideNet artefacts on transformers.js, in Node and in the
 * browser (no Node module). Artefacts come from an {@link ArtefactFiles} source: `remoteArtefact(id)`
 * here (fetched as transformers.js fetches models), `localArtefact(dir)` in `@sidenet/core/node`.
 * Attaching is Node-only: `@sidenet/core/attach`.
 */
export type { ArtefactFiles } from "../artefact/source.js";
export type { Architecture, SideNetTask } from "../models/architecture.js";
export {
  architectureOf,
  defineArchitecture,
  findArchitecture,
  namedTaps,
  tapLabel,
} from "../models/architecture.js";
export type { Pooling, PoolingName, TensorLayout } from "../pooling/index.js";
export { POOLINGS } from "../pooling/index.js";
export type {
  SideNetPipelineFactory,
  SideNetPipelineOptions,
  SideNetPipelineSpec,
} from "./pipeline-factory.js";
export { sideNetPipeline } from "./pipeline-factory.js";
export { loadPreprocessing } from "./preprocessing.js";
export type { OpenArtefact } from "./register.js";
export { sideNetRegistration } from "./register.js";
export type { RemoteArtefactOptions } from "./remote-artefact.js";
export { remoteArtefact } from "./remote-artefact.js";
export type { LoadSideNetOptions, RunSideNetOptions } from "./sidenet-model.js";
export { SideNetModel } from "./sidenet-model.js";
export type { ExitTelemetry } from "./telemetry.js";
export { telemetryOf, withTelemetry } from "./telemetry.js";
export type { HfModel, HfTensor, TensorMap } from "./transformers.js";
export { DEFAULT_SESSION_OPTIONS, Tensor } from "./transformers.js";
