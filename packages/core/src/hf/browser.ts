/**
 * `@sidenet/core/hf` in the browser (the `browser` export condition): loading and running SideNet
 * artefacts on transformers.js's web build. No Node modules: artefacts are fetched
 * ({@link remoteArtefact}); attaching (graph splitting, training) stays in Node.
 */
export type { ModalityAdapter, PoolingSpec } from "./adapter.js";
export { poolingFactoryOf } from "./adapter.js";
export type { ArtefactFiles } from "./artefact-files.js";
export type { OpenArtefact } from "./register.js";
export { sideNetRegistration } from "./register.js";
export type { RemoteArtefactOptions } from "./remote-files.js";
export { remoteArtefact } from "./remote-files.js";
export type {
  ExitTelemetry,
  LoadSideNetOptions,
  PoolingFactory,
  RunSideNetOptions,
} from "./sidenet-model.js";
export { SideNetModel, telemetryOf, withTelemetry } from "./sidenet-model.js";
export type { HfModel, HfTensor, PretrainedOptions, TensorMap } from "./transformers.js";
export {
  AutoConfig,
  AutoModel,
  AutoModelForSequenceClassification,
  AutoTokenizer,
  DEFAULT_SESSION_OPTIONS,
  Tensor,
} from "./transformers.js";
