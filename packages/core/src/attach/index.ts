/**
 * `@sidenet/core/attach` (Node only): attaching a SideNet to a MainNet — the MainNet opened once,
 * candidate taps, features, FLOPs, head training, the cascade sweep, the artefact written, the
 * small-batch timing — and evaluating an artefact on labelled rows. Modality packages supply a
 * {@link ModalityAdapter} (`@sidenet/text`'s `attachTextSideNet`, `@sidenet/vision`'s `attachVisionSideNet`).
 */

export { isLocalDir } from "../artefact/fs.js";
export type { ModalityAdapter } from "./adapter.js";
export type { AttachOptions, AttachResult, LabelledItems } from "./attach.js";
export { attachSideNet } from "./attach.js";
export type { Evaluation } from "./evaluate.js";
export { evaluateSideNet } from "./evaluate.js";
export type { HubOptions, ModelRef, ResolvedMainNet } from "./hub.js";
export { parseModelRef, resolveMainNet } from "./hub.js";
export { labelIds } from "./labels.js";
export type { MainNet, MainNetConfig } from "./mainnet.js";
export { mainnetDtypes, openMainNet } from "./mainnet.js";
export type { CheckedAttachOptions, OptionNames } from "./options.js";
export { checkAttachOptions } from "./options.js";
export type { ProfileOptions, TapProfile } from "./profile.js";
export { profileTaps } from "./profile.js";
