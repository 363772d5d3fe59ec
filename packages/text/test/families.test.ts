/**
 * Every text family in the registry, on a tiny random-weight export of its Hugging Face modules
 * (fixtures/models/families): the export matches torch, the tap finder finds one tap per layer, segments
 * equal the full model at every cut (fp32 and q8), and an attached SideNet runs through `pipeline()`
 * with τ = 1 ≡ the stock pipeline, τ = 0 ⇒ every row exits, folded heads ≡ JavaScript heads.
 * What passed is rendered into the README's coverage table, which must match (UPDATE_COVERAGE=1 rewrites it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AutoTokenizer, env, pipeline as hfPipeline } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import { findArchitecture } from "@sidenet/core/runtime";
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
  attachTextSideNet,
  pipeline,
  SideNetForSequenceClassification,
  TEXT_ARCHITECTURES,
} from "../src/index.js";
import { FAMILIES, familyFixture, referenceFeeds } from "./helpers/families.js";
import { spamRows } from "./helpers/spam.js";

env.allowRemoteModels = false;
const scratch = mkdtempSync(join(tmpdir(), "sidenet-families-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const coverage = new Map<string, FamilyCoverage>();
const TABLE: CoverageTable = {
  name: "coverage",
  writer: "packages/text/test/families.test.ts",
  note: "Structural columns: `packages/text/test/families.test.ts` on the tiny random-weight export of each family (`fixtures/models/families`, 4 layers): taps are found by the structural finder with no tensor names given, one per layer; a split is exact when max |Δlogit| ≤ 1e-4 against the full model at every single cut and at all cuts at once; τ = 1 compares labels and scores with the stock transformers.js pipeline. Trained column: `pnpm bench` (`bench/results.json`), the fixture trained on SpamAssassin, drop on its 1 154-email test split.",
};
const DTYPE = { "model.onnx": "fp32", "model_quantized.onnx": "q8" } as const;

describe.each(FAMILIES.filter((x) => !process.env.ONLY_FAMILY || x === process.env.ONLY_FAMILY))(
  "family %s",
  (family) => {
    const f = familyFixture(family);
    const arch = findArchitecture(TEXT_ARCHITECTURES, f.config.model_type);
    const covered: FamilyCoverage = {
      family,
      modelType: f.config.model_type,
      layers: f.layers,
      taps: {},
      split: {},
    };
    coverage.set(family, covered);

    it("has a registry entry for its model_type, with sequence poolings", () => {
      expect(arch, `no registry entry covers model_type ${f.config.model_type}`).toBeDefined();
      expect(arch!.tapLayout).toBe("sequence");
      expect([...arch!.poolings].sort()).toEqual(["cls", "mean"]);
    });

    it("the ONNX export computes torch's logits (another sequence length than the export's, with padding)", async () => {
      const logits = await runFull(f.bytes("model.onnx"), referenceFeeds(f));
      expect(maxAbsDiff(logits, Float32Array.from(f.reference.logits.flat()))).toBeLessThanOrEqual(1e-4);
    });

    describe.each(["model.onnx", "model_quantized.onnx"] as const)("%s", (file) => {
      const taps = findTapCandidates(decodeModel(f.bytes(file)));

      it("the tap finder finds one tap per layer, in order, and the registry names each", () => {
        expect(taps.map((t) => arch!.tapName(t.name))).toEqual(
          Array.from({ length: f.layers }, (_, i) => `layer ${i}`),
        );
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
      const rows = (s: "train" | "validation") => spamRows(s).slice(0, 160);
      await attachTextSideNet({
        mainnet: f.dir,
        train: rows("train"),
        calibration: rows("validation"),
        out,
        maxCost: 0.6,
        maxExits: 2,
        measureSmallBatches: false,
        log: () => {},
      });
      const texts = spamRows("test")
        .slice(0, 48)
        .map((r) => r.text);
      await checkAttachedSideNet({
        dir: out,
        scratch: join(scratch, `${family}-checks`),
        items: texts,
        sidenet: (await pipeline("text-classification", out)) as unknown as Classify,
        stock: (await hfPipeline("text-classification", f.dir)) as unknown as Classify,
        ranked: (answer) => [answer] as Ranked,
        modelInputs: async (dir) => {
          const tokenizer = (await AutoTokenizer.from_pretrained(dir)) as unknown as (
            t: string[],
            o: object,
          ) => unknown;
          return tokenizer(texts, { padding: true, truncation: true });
        },
        loadModel: (dir) => SideNetForSequenceClassification.from_pretrained(dir),
        covered,
      });
    }, 300_000);
  },
);

describe.skipIf(Boolean(process.env.ONLY_FAMILY))("the README's coverage table", () => {
  it("is what this run measured (families) and bench/results.json holds (trained fixtures)", () => {
    const table = renderCoverage(TABLE, [...coverage.values()], readBench());
    if (process.env.UPDATE_COVERAGE) writeReadmeCoverage(TABLE, table);
    expect(
      unpadded(readmeCoverage(TABLE) ?? ""),
      "README.md's coverage table is out of date: UPDATE_COVERAGE=1 pnpm vitest run --project text families && pnpm format",
    ).toBe(unpadded(table));
  });
});
