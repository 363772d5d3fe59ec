import type { Architecture } from "@sidenet/core/runtime";
import { resnet } from "./resnet.js";

/** The image-classification families sidenet supports, one file each; frozen. */
export const VISION_ARCHITECTURES: readonly Architecture[] = Object.freeze([resnet]);
