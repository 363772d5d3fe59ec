/**
 * `@sidenet/vision` (Node): attach SideNets to image-classification MainNets and load artefact directories
 * or hub ids. The browser build (`./browser.ts`) has the same runtime API over fetched artefacts.
 */
import { openArtefact } from "@sidenet/core/node";
import { visionApi } from "./api.js";

export type { AttachVisionOptions } from "./adapter.js";
export { attachVisionSideNet, evaluateVisionSideNet, visionAdapter } from "./adapter.js";
export type { SideNetVisionLoader, VisionApi } from "./api.js";
export type { ImageColumns, ImageRow } from "./data.js";
export { readImageData, readImageDataset } from "./data.js";
export type { SideNetImageCallOptions } from "./image-pipeline.js";
export { SideNetImageClassificationPipeline } from "./image-pipeline.js";
export { VISION_ARCHITECTURES } from "./models/index.js";
export type { CanvasLike, ImageDataLike, ImageInput } from "./read-image.js";
export { readImage } from "./read-image.js";

export const { pipeline, SideNetForImageClassification, registerSideNet, unregisterSideNet } =
  visionApi(openArtefact);
