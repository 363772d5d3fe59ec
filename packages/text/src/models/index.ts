import type { Architecture } from "@sidenet/core/runtime";
import { bert } from "./bert.js";

/** The text-classification families sidenet supports, one file each; frozen. */
export const TEXT_ARCHITECTURES: readonly Architecture[] = Object.freeze([bert]);
