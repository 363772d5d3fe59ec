/**
 * Every dtype transformers.js loads, on the resnet fixture (fixtures/tools/dtypes.py wrote fp16, int8,
 * uint8, q4, q4f16 and bnb4 beside fp32 and q8; the 4-bit ones leave Conv and Gemm in float32, as
 * transformers.js's quantiser does): attach writes segments for each, taps are the fp32 names, each
 * dtype's segments ≡ its full graph, τ = 1 ≡ the stock pipeline in that dtype, folded heads (float16 in
 * the fp16 graphs) ≡ JavaScript heads.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AutoProcessor, env, pipeline as hfPipeline, RawImage } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import type { SideNetManifest } from "@sidenet/core/artefact";
import { afterAll, beforeAll, describe } from "vitest";
import type { Classify, Ranked } from "../../core/test/helpers/attached.js";
import { type DtypeCase, dtypeSuite } from "../../core/test/helpers/dtypes.js";
import { resnetFeeds } from "../../core/test/helpers/fixtures.js";
import {
  attachVisionSideNet,
  pipeline,
  readImageDataset,
  SideNetForImageClassification,
} from "../src/index.js";

env.allowRemoteModels = false;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MAINNET = join(ROOT, "fixtures", "models", "resnet");
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const rows = (s: string) => readImageDataset(join(DATA, "fashion-mnist", `${s}.jsonl`));
const scratch = mkdtempSync(join(tmpdir(), "sidenet-vision-dtypes-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const dir = join(scratch, "artefact");
const images = rows("test")
  .slice(0, 24)
  .map((r) => r.image);

const c: DtypeCase = {
  mainnet: MAINNET,
  dir,
  scratch,
  items: images,
  callOptions: { top_k: 3 },
  feeds: resnetFeeds(6, 22),
  ranked: (answer) => answer as Ranked,
  sidenet: async (d, dtype) => (await pipeline("image-classification", d, { dtype })) as unknown as Classify,
  stock: async (dtype) =>
    (await hfPipeline("image-classification", MAINNET, { dtype: dtype as "fp32" })) as unknown as Classify,
  modelInputs: async (d) => {
    const processor = (await AutoProcessor.from_pretrained(d)) as unknown as (x: unknown[]) => unknown;
    return processor(await Promise.all(images.map((x) => RawImage.read(x))));
  },
  loadModel: (d, dtype) => SideNetForImageClassification.from_pretrained(d, { dtype }),
};

let manifest: SideNetManifest;
beforeAll(async () => {
  const taps = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx"))));
  await attachVisionSideNet({
    mainnet: MAINNET,
    train: rows("train").slice(0, 600),
    calibration: rows("validation").slice(0, 600),
    out: dir,
    taps: [taps.find((t) => t.block === "/resnet/encoder/stages.1")!.name],
    maxDrop: 5,
    measureSmallBatches: false,
    log: () => {},
  });
  manifest = JSON.parse(readFileSync(join(dir, "sidenet.json"), "utf8")) as SideNetManifest;
}, 600_000);

describe("the resnet fixture in every dtype", () => {
  dtypeSuite(c, () => manifest);
});
