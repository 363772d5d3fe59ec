import type { Architecture } from "@sidenet/core/runtime";
import { albert } from "./albert.js";
import { bert } from "./bert.js";
import { debertaV2 } from "./deberta-v2.js";
import { distilbert } from "./distilbert.js";
import { electra } from "./electra.js";
import { mobilebert } from "./mobilebert.js";
import { modernbert } from "./modernbert.js";
import { roberta } from "./roberta.js";
import { xlmRoberta } from "./xlm-roberta.js";

/** The text-classification families sidenet supports, one file each; frozen. */
export const TEXT_ARCHITECTURES: readonly Architecture[] = Object.freeze([
  bert,
  distilbert,
  roberta,
  xlmRoberta,
  albert,
  electra,
  debertaV2,
  mobilebert,
  modernbert,
]);
