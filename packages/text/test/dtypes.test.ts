/**
 * Every dtype transformers.js loads, on the bert fixture (fixtures/tools/dtypes.py wrote fp16, int8, uint8,
 * q4, q4f16 and bnb4 beside fp32 and q8): attach writes segments for each, taps are the fp32 names, each
 * dtype's segments ≡ its full graph, τ = 1 ≡ the stock pipeline in that dtype, folded heads (float16 in
 * the fp16 graphs) ≡ JavaScript heads; `dtypes` picks what is written and a missing one is named.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AutoTokenizer, env, pipeline as hfPipeline } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import type { SideNetManifest } from "@sidenet/core/artefact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Classify, Ranked } from "../../core/test/helpers/attached.js";
import { type DtypeCase, dtypeSuite } from "../../core/test/helpers/dtypes.js";
import { bertFeeds } from "../../core/test/helpers/fixtures.js";
import { attachTextSideNet, pipeline, SideNetForSequenceClassification } from "../src/index.js";
import { MAINNET, rows } from "./helpers/small-artefact.js";

env.allowRemoteModels = false;
const scratch = mkdtempSync(join(tmpdir(), "sidenet-dtypes-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const dir = join(scratch, "artefact");
const texts = rows("test")
  .slice(0, 24)
  .map((r) => r.text);
const tokenize = async (d: string) =>
  ((await AutoTokenizer.from_pretrained(d)) as unknown as (t: string[], o: object) => unknown)(texts, {
    padding: true,
    truncation: true,
  });

const c: DtypeCase = {
  mainnet: MAINNET,
  dir,
  scratch,
  items: texts,
  feeds: bertFeeds(6, 40, 21),
  ranked: (answer) => [answer] as Ranked,
  sidenet: async (d, dtype) => (await pipeline("text-classification", d, { dtype })) as unknown as Classify,
  stock: async (dtype) =>
    (await hfPipeline("text-classification", MAINNET, { dtype: dtype as "fp32" })) as unknown as Classify,
  modelInputs: tokenize,
  loadModel: (d, dtype) => SideNetForSequenceClassification.from_pretrained(d, { dtype }),
};

let manifest: SideNetManifest;
beforeAll(async () => {
  const tap = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx"))))[2]!.name;
  await attachTextSideNet({
    mainnet: MAINNET,
    train: rows("train").slice(0, 300),
    calibration: rows("validation"),
    out: dir,
    taps: [tap],
    poolings: ["mean"],
    maxDrop: 5,
    measureSmallBatches: false,
    log: () => {},
  });
  manifest = JSON.parse(readFileSync(join(dir, "sidenet.json"), "utf8")) as SideNetManifest;
}, 600_000);

describe("the bert fixture in every dtype", () => {
  dtypeSuite(c, () => manifest);

  it("`dtypes` picks the dtypes written; loading another names those present", async () => {
    const out = join(scratch, "q4-only");
    await attachTextSideNet({
      mainnet: MAINNET,
      train: rows("train").slice(0, 100),
      calibration: rows("validation").slice(0, 200),
      out,
      taps: [manifest.exits[0]!.tap],
      poolings: ["mean"],
      maxDrop: 5,
      dtypes: ["q4"],
      measureSmallBatches: false,
      log: () => {},
    });
    const m = JSON.parse(readFileSync(join(out, "sidenet.json"), "utf8")) as SideNetManifest;
    expect(Object.keys(m.segments).sort()).toEqual(["fp32", "q4"]);
    await expect(SideNetForSequenceClassification.from_pretrained(out, { dtype: "fp16" })).rejects.toThrow(
      /segments for fp32, q4; option `dtype` is "fp16"/,
    );
  }, 300_000);

  it("a dtype transformers.js does not load, or one without its file, fails before any work", async () => {
    const attach = (dtypes: string[]) =>
      attachTextSideNet({
        mainnet: MAINNET,
        train: rows("train").slice(0, 10),
        calibration: rows("validation").slice(0, 10),
        out: join(scratch, "never"),
        dtypes,
        log: () => {},
      });
    await expect(attach(["fp8"])).rejects.toThrow(/dtype "fp8" is not one transformers.js loads/);
    const families = join(MAINNET, "..", "families", "bert");
    await expect(
      attachTextSideNet({
        mainnet: families,
        train: rows("train").slice(0, 10),
        calibration: rows("validation").slice(0, 10),
        out: join(scratch, "never"),
        dtypes: ["q4"],
        log: () => {},
      }),
    ).rejects.toThrow(/onnx\/model_q4\.onnx does not exist; the MainNet has fp32, q8/);
  });
});
