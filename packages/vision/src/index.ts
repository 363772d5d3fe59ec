/** `@sidenet/vision` (Node): attach SideNets to image-classification MainNets and load artefact directories. */
export type { AttachVisionOptions } from "./adapter.js";
export { attachVisionSideNet, evaluateVisionSideNet, visionAdapter } from "./adapter.js";
export { pipeline, registerSideNet, SideNetForImageClassification, unregisterSideNet } from "./api.js";
export type { ImageColumns, ImageRow } from "./data.js";
export { readImageData, readImageDataset } from "./data.js";
export type { SideNetImageCallOptions } from "./image-pipeline.js";
export { SideNetImageClassificationPipeline } from "./image-pipeline.js";
export { VISION_ARCHITECTURES } from "./models/index.js";
export type { CanvasLike, ImageDataLike, ImageInput } from "./read-image.js";
export { readImage } from "./read-image.js";
