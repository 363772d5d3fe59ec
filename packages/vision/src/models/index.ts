import type { Architecture } from "@sidenet/core/runtime";
import { convnext } from "./convnext.js";
import { deit } from "./deit.js";
import { efficientnet } from "./efficientnet.js";
import { mobilenetV2 } from "./mobilenet-v2.js";
import { resnet } from "./resnet.js";
import { swin } from "./swin.js";
import { vit } from "./vit.js";

/** The image-classification families sidenet supports, one file each; frozen. */
export const VISION_ARCHITECTURES: readonly Architecture[] = Object.freeze([
  resnet,
  vit,
  deit,
  convnext,
  mobilenetV2,
  efficientnet,
  swin,
]);
