/**
 * Every image family in the registry, on a tiny random-weight export of its Hugging Face modules
 * (fixtures/models/vision-families): the export matches torch, the tap finder (filtered by the registry,
 * as attach does) finds every block's output in order, segments equal the full model at every cut (fp32
 * and q8), and an attached SideNet runs through `pipeline()` on Fashion-MNIST images with τ = 1 ≡ the
 * stock pipeline, τ = 0 ⇒ every row exits, folded heads ≡ JavaScript heads. What passed is rendered into
 * the README's vision coverage table, which must match (UPDATE_COVERAGE=1 rewrites it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AutoProcessor, env, pipeline as hfPipeline, RawImage } from "@huggingface/transformers";
import { decodeModel, findTapCandidates, MAX_TAP_WEIGHT_SHARE } from "@sidenet/core";
import { findArchitecture, namedTaps } from "@sidenet/core/runtime";
import { afterAll, describe, expect, it } from "vitest";
import { type Classify, checkAttachedSideNet, type Ranked } from "../../core/test/helpers/attached.js";
import {
  type CoverageTable,
  type FamilyCoverage,
  readBench,
  readmeCoverage,
  renderCoverage,
  unpadded,
  writeReadmeCoverage,
} from "../../core/test/helpers/coverage.js";
import { maxAbsDiff, runFull, worstSplitDiff } from "../../core/test/helpers/fixtures.js";
import {
  attachVisionSideNet,
  pipeline,
  readImageDataset,
  SideNetForImageClassification,
  VISION_ARCHITECTURES,
} from "../src/index.js";
import { referenceFeeds, VISION_FAMILIES, visionFamilyFixture } from "./helpers/families.js";

env.allowRemoteModels = false;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const rows = (s: string) => readImageDataset(join(DATA, "fashion-mnist", `${s}.jsonl`));
const scratch = mkdtempSync(join(tmpdir(), "sidenet-vision-families-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const coverage = new Map<string, FamilyCoverage>();
const TABLE: CoverageTable = {
  name: "vision-coverage",
  writer: "packages/vision/test/families.test.ts",
  note: "Structural columns: `packages/vision/test/families.test.ts` on the tiny random-weight export of each family (`fixtures/models/vision-families`, 32 × 32 inputs, made by `fixtures/tools/make_vision_families.py`): taps are found by the structural finder with no tensor names given and named by the registry, one per block in order (the last block's output is no tap when under 1 % of the weights follow it); a split is exact when max |Δlogit| ≤ 1e-4 against the full model at every single cut and at all cuts at once; τ = 1 compares labels and scores with the stock transformers.js pipeline on Fashion-MNIST images. Trained column: `pnpm bench` (`bench/results.json`), the fixtures trained on Fashion-MNIST, drop on its 10 000-image test split.",
  trained: (family) =>
    family === "resnet" ? ["resnet"] : family === "resnet-bottleneck" ? ["resnet50"] : [],
};
const DTYPE = { "model.onnx": "fp32", "model_quantized.onnx": "q8" } as const;

describe.each(VISION_FAMILIES.filter((x) => !process.env.ONLY_FAMILY || x === process.env.ONLY_FAMILY))(
  "family %s",
  (family) => {
    const f = visionFamilyFixture(family);
    const arch = findArchitecture(VISION_ARCHITECTURES, f.config.model_type);
    const covered: FamilyCoverage = {
      family,
      modelType: f.config.model_type,
      layers: f.blocks.length,
      taps: {},
      split: {},
    };
    coverage.set(family, covered);

    it("has a registry entry for its model_type, with poolings of its tap layout", () => {
      expect(arch, `no registry entry covers model_type ${f.config.model_type}`).toBeDefined();
      const layout = ["vit", "deit", "swin"].includes(f.config.model_type) ? "sequence" : "feature-map";
      expect(arch!.tapLayout).toBe(layout);
      expect(arch!.poolings.length).toBeGreaterThan(0);
    });

    it("the ONNX export computes torch's logits (another batch size than the export's)", async () => {
      const logits = await runFull(f.bytes("model.onnx"), referenceFeeds(f));
      expect(maxAbsDiff(logits, Float32Array.from(f.reference.logits.flat()))).toBeLessThanOrEqual(1e-4);
    });

    describe.each(["model.onnx", "model_quantized.onnx"] as const)("%s", (file) => {
      const model = decodeModel(f.bytes(file));
      const taps = namedTaps(arch, findTapCandidates(model));

      it("the tap finder finds every block's output, in order, and the registry names each", () => {
        const names = taps.map((t) => arch!.tapName(t.name));
        expect(names).toEqual(f.blocks.slice(0, names.length));
        expect(names.length).toBeGreaterThanOrEqual(f.blocks.length - 1);
        if (names.length < f.blocks.length) {
          // the last block's output is dropped only because too little of the network follows it
          const all = namedTaps(arch, findTapCandidates(model, { maxWeightShare: Number.POSITIVE_INFINITY }));
          expect(all.map((t) => arch!.tapName(t.name))).toEqual(f.blocks);
          expect(all.at(-1)!.weightShare).toBeGreaterThanOrEqual(MAX_TAP_WEIGHT_SHARE);
        }
        covered.taps[DTYPE[file]] = taps.length;
      });

      it("segments equal the full model at every cut (max |Δlogit| ≤ 1e-4)", async () => {
        const names = taps.map((t) => t.name);
        const worst = await worstSplitDiff(f.bytes(file), names, referenceFeeds(f));
        expect(worst).toBeLessThanOrEqual(1e-4);
        covered.split[DTYPE[file]] = worst;
      });
    });

    it("an attached SideNet: τ = 1 ≡ stock pipeline, τ = 0 ⇒ all exit at the first exit, folded ≡ JavaScript heads", async () => {
      const out = join(scratch, family);
      await attachVisionSideNet({
        mainnet: f.dir,
        train: rows("train").slice(0, 160),
        calibration: rows("validation").slice(0, 160),
        out,
        maxCost: 0.6,
        maxExits: 2,
        measureSmallBatches: false,
        log: () => {},
      });
      const images = rows("test")
        .slice(0, 48)
        .map((r) => r.image);
      const manifest = await checkAttachedSideNet({
        dir: out,
        scratch: join(scratch, `${family}-checks`),
        items: images,
        callOptions: { top_k: 3 },
        sidenet: (await pipeline("image-classification", out)) as unknown as Classify,
        stock: (await hfPipeline("image-classification", f.dir)) as unknown as Classify,
        ranked: (answer) => answer as Ranked,
        modelInputs: async (dir) => {
          const processor = (await AutoProcessor.from_pretrained(dir)) as unknown as (
            x: unknown[],
          ) => Promise<unknown>;
          return processor(await Promise.all(images.map((x) => RawImage.read(x))));
        },
        loadModel: (dir) => SideNetForImageClassification.from_pretrained(dir),
        covered,
      });
      expect(arch!.poolings).toContain(manifest.exits[0]!.pooling);
    }, 300_000);
  },
);

describe.skipIf(Boolean(process.env.ONLY_FAMILY))("the README's vision coverage table", () => {
  it("is what this run measured (families) and bench/results.json holds (trained fixtures)", () => {
    const table = renderCoverage(TABLE, [...coverage.values()], readBench());
    if (process.env.UPDATE_COVERAGE) writeReadmeCoverage(TABLE, table);
    expect(
      unpadded(readmeCoverage(TABLE) ?? ""),
      "README.md's vision coverage table is out of date: UPDATE_COVERAGE=1 pnpm vitest run --project vision families && pnpm format",
    ).toBe(unpadded(table));
  });
});
