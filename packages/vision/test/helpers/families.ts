/**
 * The vision structural test MainNets (fixtures/models/vision-families/<family>, made by
 * fixtures/tools/make_vision_families.py): tiny random-weight exports of every image family in the
 * registry, with torch's reference logits, and the taps each should have by its config.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { float32Tensor } from "../../../core/test/helpers/fixtures.js";

export const VISION_FAMILIES_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  ...["..", "..", "..", "..", "fixtures", "models", "vision-families"],
);

/** Family directory names, sorted. */
export const VISION_FAMILIES = readdirSync(VISION_FAMILIES_DIR).sort();

type Config = Record<string, unknown> & { model_type: string };

export interface VisionFamilyFixture {
  family: string;
  dir: string;
  config: Config;
  /** Every block whose output is a tap, in graph order, as the registry names it. */
  blocks: string[];
  reference: { dims: number[]; pixel_values: number[]; logits: number[][] };
  bytes(file: "model.onnx" | "model_quantized.onnx"): Uint8Array;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const ints = (c: Config, key: string) => c[key] as number[];

/** The blocks of each family by its config (transformers' module lists). */
function blocksOf(c: Config): string[] {
  switch (c.model_type) {
    case "resnet":
    case "convnext":
      return ints(c, "depths").flatMap((d, s) => range(d).map((b) => `stage ${s} block ${b}`));
    case "vit":
    case "deit":
      return range(c.num_hidden_layers as number).map((i) => `layer ${i}`);
    case "swin": {
      const depths = ints(c, "depths");
      return depths.flatMap((d, s) => [
        ...range(d).map((b) => `stage ${s} block ${b}`),
        ...(s < depths.length - 1 ? [`stage ${s} merged`] : []),
      ]);
    }
    case "mobilenet_v2":
      return range(16).map((i) => `layer ${i}`);
    case "efficientnet": {
      const repeats = ints(c, "num_block_repeats").map((r) => Math.ceil((c.depth_coefficient as number) * r));
      return range(repeats.reduce((a, b) => a + b, 0)).map((i) => `block ${i}`);
    }
    default:
      throw new Error(`no block list for model_type ${c.model_type}`);
  }
}

export function visionFamilyFixture(family: string): VisionFamilyFixture {
  const dir = join(VISION_FAMILIES_DIR, family);
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Config;
  return {
    family,
    dir,
    config,
    blocks: blocksOf(config),
    reference: JSON.parse(readFileSync(join(dir, "reference.json"), "utf8")),
    bytes: (file) => readFileSync(join(dir, "onnx", file)),
  };
}

/** The reference batch as ORT feeds. */
export function referenceFeeds(f: VisionFamilyFixture): Record<string, ReturnType<typeof float32Tensor>> {
  return { pixel_values: float32Tensor(f.reference.pixel_values, f.reference.dims) };
}
