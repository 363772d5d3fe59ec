/**
 * `@sidenet/vision` in the browser (the `browser` export condition): the image-classification pipeline on
 * transformers.js's web build. Artefacts are fetched as transformers.js fetches models; inputs are what
 * its pipeline reads (URLs, Blobs, RawImages, canvases) and decoded pixels (`ImageData`, uint8 Tensors).
 * Attaching (`attachVisionSideNet`) and reading data files are Node-only.
 */
import { remoteArtefact } from "@sidenet/core/runtime";
import { visionApi } from "./api.js";

export type { SideNetVisionLoader, VisionApi } from "./api.js";
export type { SideNetImageCallOptions } from "./image-pipeline.js";
export { SideNetImageClassificationPipeline } from "./image-pipeline.js";
export { VISION_ARCHITECTURES } from "./models/index.js";
export type { CanvasLike, ImageDataLike, ImageInput } from "./read-image.js";
export { readImage } from "./read-image.js";

export const { pipeline, SideNetForImageClassification, registerSideNet, unregisterSideNet } =
  visionApi(remoteArtefact);
