/**
 * `@sidenet/core/hf`: the transformers.js glue shared by @sidenet/text and @sidenet/vision (segment
 * sessions, the SideNet `PreTrainedModel`, feature extraction, attach and evaluate over a
 * {@link ModalityAdapter}). A separate entry point, so `@sidenet/core` itself never loads transformers.js.
 * This is the Node entry: everything in the browser entry (`./browser.ts`), plus local artefact
 * directories and attaching.
 */

export type { AttachOptions, AttachResult, LabelledItems } from "./attach.js";
export { attachSideNet } from "./attach.js";
export * from "./browser.js";
export type { CandidateReport, TrainedCandidates } from "./candidates.js";
export { labelIds, trainCandidates } from "./candidates.js";
export type { Evaluation } from "./evaluate.js";
export { evaluateSideNet } from "./evaluate.js";
export type { Features } from "./features.js";
export { extractFeatures } from "./features.js";
export { measureFlops } from "./flops.js";
export { localArtefact } from "./local-files.js";
export type { SmallBatchTiming } from "./small-batches.js";
export { measureSmallBatches, SMALL_BATCH_SIZES } from "./small-batches.js";
