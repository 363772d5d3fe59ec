import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test as propTest } from "@fast-check/vitest";
import { AutoTokenizer, env, pipeline as hfPipeline } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import { SideNetModel } from "@sidenet/core/runtime";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxAbsDiff } from "../../core/test/helpers/fixtures.js";
import {
  attachTextSideNet,
  pipeline,
  registerSideNet,
  SideNetForSequenceClassification,
  type TextRow,
  unregisterSideNet,
} from "../src/index.js";
import { spamRows } from "./helpers/spam.js";

env.allowRemoteModels = false;
/** The workspace's transformers.js (the lowest of the peer range). */
const TRANSFORMERS_VERSION = "4.3.1";
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MAINNET = join(ROOT, "fixtures", "models", "bert");
const rows = (s: "train" | "validation" | "test") => spamRows(s);

type Item = { label: string; score: number };
type Classify = ((
  t: string[] | string,
  o?: object,
) => Promise<Item[] & { sidenet: { exit: number; confidence: number }[] }>) & {
  model: SideNetModel;
};

let dir: string;
let test: TextRow[];
let sidenet: Classify;
let stock: Classify;
let tap: string;

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), "sidenet-e2e-")), "artefact");
  tap = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx"))))[2]!.name;
  await attachTextSideNet({
    mainnet: MAINNET,
    train: rows("train").slice(0, 800),
    calibration: rows("validation"),
    out: dir,
    taps: [tap],
    poolings: ["mean"],
    log: () => {},
  });
  test = rows("test");
  sidenet = (await pipeline("text-classification", dir)) as unknown as Classify;
  stock = (await hfPipeline("text-classification", MAINNET)) as unknown as Classify;
}, 600_000);

afterAll(async () => {
  await sidenet?.model.dispose();
  rmSync(dirname(dir), { recursive: true, force: true });
});

async function all(classify: Classify, texts: string[], o?: object) {
  const out: Item[] = [];
  const exits: number[] = [];
  for (let i = 0; i < texts.length; i += 32) {
    const r = await classify(texts.slice(i, i + 32), o);
    out.push(...r);
    exits.push(...(r.sidenet ?? []).map((t) => t.exit));
  }
  return { out, exits };
}

describe("SideNet text-classification pipeline on the bert fixture", () => {
  it("runs on the transformers.js the run asks for (scripts/test/peers.sh sets SIDENET_TRANSFORMERS_VERSION)", () => {
    expect(env.version).toBe(process.env.SIDENET_TRANSFORMERS_VERSION ?? TRANSFORMERS_VERSION);
  });

  it("τ = 1 gives exactly the stock pipeline's outputs on the whole test split", async () => {
    const texts = test.map((r) => r.text);
    const a = await all(sidenet, texts, { threshold: 1 });
    const b = await all(stock, texts);
    expect(a.out).toEqual(b.out);
    expect(a.exits.every((e) => e === -1)).toBe(true);
  });

  it("mainnet_below_rows: smaller batches at the stored τ run the MainNet; a per-call τ or a larger batch runs the cascade", async () => {
    const model = await SideNetForSequenceClassification.from_pretrained(dir, {
      thresholds: [0],
      mainnet_below_rows: 4,
    });
    const tokenizer = (await AutoTokenizer.from_pretrained(dir)) as unknown as (
      t: string[],
      o: object,
    ) => Record<string, never>;
    const texts = test.slice(0, 4).map((r) => r.text);
    const run = (n: number, o = {}) =>
      model.run(tokenizer(texts.slice(0, n), { padding: true, truncation: true }), o);
    const three = await run(3);
    expect([...three.exitIndex]).toEqual([-1, -1, -1]);
    expect(three.logits).toEqual((await run(3, { threshold: 1 })).logits);
    expect([...(await run(3, { threshold: 0 })).exitIndex]).toEqual([0, 0, 0]);
    expect([...(await run(4)).exitIndex]).toEqual([0, 0, 0, 0]);
    await model.dispose();
  });

  it("the exit's pooling and head run inside segment 0; an artefact without `logits_output` (heads in JavaScript) answers the same", async () => {
    const manifest = JSON.parse(readFileSync(join(dir, "sidenet.json"), "utf8"));
    expect(manifest.exits[0].logits_output).toBe("sidenet_exit_0_logits");
    // attention_mask (mean pooling) is an input of the segment that ends at the tap
    expect(manifest.segment_inputs[0]).toContain("attention_mask");
    const js = join(dirname(dir), "js-heads");
    cpSync(dir, js, { recursive: true });
    delete manifest.exits[0].logits_output;
    writeFileSync(join(js, "sidenet.json"), JSON.stringify(manifest));
    const tokenizer = (await AutoTokenizer.from_pretrained(dir)) as unknown as (
      t: string[],
      o: object,
    ) => Record<string, never>;
    const folded = await SideNetForSequenceClassification.from_pretrained(dir);
    const inJs = await SideNetForSequenceClassification.from_pretrained(js);
    for (let i = 0; i < 96; i += 32) {
      const inputs = tokenizer(
        test.slice(i, i + 32).map((r) => r.text),
        { padding: true, truncation: true },
      );
      for (const threshold of [0, folded.thresholds[0]!]) {
        const a = await folded.run(inputs, { threshold });
        const b = await inJs.run(inputs, { threshold });
        expect([...a.exitIndex]).toEqual([...b.exitIndex]);
        expect(maxAbsDiff(a.logits, b.logits)).toBeLessThan(1e-4);
      }
    }
    await folded.dispose();
    await inJs.dispose();
  });

  it("τ = 0 exits every row at the first tap", async () => {
    const { exits } = await all(
      sidenet,
      test.slice(0, 200).map((r) => r.text),
      { threshold: 0 },
    );
    expect(exits).toHaveLength(200);
    expect(exits.every((e) => e === 0)).toBe(true);
  });

  it("keeps transformers.js's output shapes: single string, top_k, telemetry out of the enumerable shape", async () => {
    const one = await sidenet("Buy cheap meds now!!!");
    const ref = await stock("Buy cheap meds now!!!");
    expect(Object.keys(one)).toEqual(Object.keys(ref));
    expect(Object.keys(one[0]!).sort()).toEqual(["label", "score"]);
    const top2 = await sidenet(["a", "b"], { top_k: 2 });
    expect(top2).toHaveLength(2);
    expect((top2[0] as unknown as Item[]).length).toBe(2);
    expect(JSON.parse(JSON.stringify(one))).toEqual(one);
    expect(one.sidenet[0]).toMatchObject({ exit: expect.any(Number), confidence: expect.any(Number) });
  });

  propTest.prop(
    [
      fc.uniqueArray(fc.integer({ min: 0, max: 1153 }), { minLength: 1, maxLength: 24 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    ],
    {
      numRuns: 12,
    },
  )("compaction and scatter: each row's answer equals its answer when run alone", async (idx, tau) => {
    const texts = idx.map((i) => test[i]!.text);
    const batch = await sidenet(texts, { threshold: tau });
    expect(batch).toHaveLength(texts.length);
    for (const [k, t] of texts.entries()) {
      const alone = await sidenet([t], { threshold: tau });
      // the confidence of a row does not depend on its batch-mates beyond float noise
      expect(Math.abs(alone.sidenet[0]!.confidence - batch.sidenet[k]!.confidence)).toBeLessThan(1e-4);
      if (Math.abs(batch.sidenet[k]!.confidence - tau) > 1e-4) {
        expect(batch.sidenet[k]!.exit).toBe(alone.sidenet[0]!.exit);
        expect(batch[k]!.label).toBe(alone[0]!.label);
        expect(Math.abs(batch[k]!.score - alone[0]!.score)).toBeLessThan(1e-4);
      }
    }
  });

  it("registerSideNet(): the stock pipeline() loads SideNet directories; plain models are unchanged; unregister restores", async () => {
    const texts = test.slice(0, 64).map((r) => r.text);
    const before = await all(stock, texts);
    registerSideNet();
    try {
      const viaStock = (await hfPipeline("text-classification", dir)) as unknown as Classify;
      expect(viaStock.model).toBeInstanceOf(SideNetModel);
      const plain = (await hfPipeline("text-classification", MAINNET)) as unknown as Classify;
      expect(plain.model).not.toBeInstanceOf(SideNetModel);
      expect((await all(plain, texts)).out).toEqual(before.out);
      const ours = await all(sidenet, texts);
      const registered = await all(viaStock, texts);
      expect(registered.out).toEqual(ours.out);
      // the stock pipeline's results carry the same per-item telemetry, and take per-call τ
      expect(registered.exits).toEqual(ours.exits);
      expect(registered.exits).toHaveLength(texts.length);
      const off = await viaStock(texts.slice(0, 4), { threshold: 1 });
      expect(off.sidenet.map((t) => t.exit)).toEqual([-1, -1, -1, -1]);
      await viaStock.model.dispose();
    } finally {
      unregisterSideNet();
    }
    // without the patch, an artefact directory is still a valid plain MainNet for stock transformers.js
    const after = (await hfPipeline("text-classification", dir)) as unknown as Classify;
    expect(after.model).not.toBeInstanceOf(SideNetModel);
    expect((await all(after, texts)).out).toEqual(before.out);
    expect((await after(texts.slice(0, 2))).sidenet).toBeUndefined();
  });
});
