/**
 * The structural test MainNets (fixtures/models/families/<family>, made by fixtures/tools/make_families.py):
 * tiny random-weight exports of every text family in the registry, with torch's reference logits.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { int64Tensor } from "../../../core/test/helpers/fixtures.js";

export const FAMILIES_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  ...["..", "..", "..", "..", "fixtures", "models", "families"],
);

/** Family directory names, sorted. */
export const FAMILIES = readdirSync(FAMILIES_DIR).sort();

export interface FamilyFixture {
  family: string;
  dir: string;
  config: { model_type: string; num_hidden_layers?: number; n_layers?: number };
  layers: number;
  reference: { input_ids: number[][]; attention_mask: number[][]; logits: number[][] };
  bytes(file: "model.onnx" | "model_quantized.onnx"): Uint8Array;
}

export function familyFixture(family: string): FamilyFixture {
  const dir = join(FAMILIES_DIR, family);
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
  return {
    family,
    dir,
    config,
    layers: config.num_hidden_layers ?? config.n_layers,
    reference: JSON.parse(readFileSync(join(dir, "reference.json"), "utf8")),
    bytes: (file) => readFileSync(join(dir, "onnx", file)),
  };
}

/** The reference batch as ORT feeds (token_type_ids zero; a graph reads the ones it has). */
export function referenceFeeds(f: FamilyFixture): Record<string, ReturnType<typeof int64Tensor>> {
  const rows = f.reference.input_ids.length;
  const cols = f.reference.input_ids[0]!.length;
  return {
    input_ids: int64Tensor(f.reference.input_ids.flat(), [rows, cols]),
    attention_mask: int64Tensor(f.reference.attention_mask.flat(), [rows, cols]),
    token_type_ids: int64Tensor(new Array<number>(rows * cols).fill(0), [rows, cols]),
  };
}
