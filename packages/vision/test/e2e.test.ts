import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { env, pipeline as hfPipeline, RawImage } from "@huggingface/transformers";
import { CorruptArtefactError, decodeModel, findTapCandidates, InvalidArgumentError } from "@sidenet/core";
import { SideNetModel, Tensor } from "@sidenet/core/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attachVisionSideNet,
  type ImageRow,
  pipeline,
  readImageDataset,
  registerSideNet,
  unregisterSideNet,
} from "../src/index.js";

env.allowRemoteModels = false;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MAINNET = join(ROOT, "fixtures", "models", "resnet");
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const rows = (s: string) => readImageDataset(join(DATA, "fashion-mnist", `${s}.jsonl`));

type Item = { label: string; score: number };
type Classify = ((
  x: string[] | string,
  o?: object,
) => Promise<Item[][] & { sidenet: { exit: number; confidence: number }[] }>) & { model: SideNetModel };

let dir: string;
let test: ImageRow<string>[];
let sidenet: Classify;
let stock: Classify;

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), "sidenet-vision-")), "artefact");
  const taps = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx"))));
  await attachVisionSideNet({
    mainnet: MAINNET,
    train: rows("train").slice(0, 3000),
    calibration: rows("validation").slice(0, 2000),
    out: dir,
    taps: [taps.find((t) => t.block === "/resnet/encoder/stages.1")!.name],
    log: () => {},
  });
  test = rows("test");
  sidenet = (await pipeline("image-classification", dir)) as unknown as Classify;
  stock = (await hfPipeline("image-classification", MAINNET)) as unknown as Classify;
}, 600_000);

afterAll(async () => {
  await sidenet?.model.dispose();
  rmSync(dirname(dir), { recursive: true, force: true });
});

async function all(classify: Classify, images: string[], o?: object) {
  const out: Item[][] = [];
  const exits: number[] = [];
  for (let i = 0; i < images.length; i += 64) {
    const r = await classify(images.slice(i, i + 64), o);
    out.push(...r);
    exits.push(...(r.sidenet ?? []).map((t) => t.exit));
  }
  return { out, exits };
}

describe("SideNet image-classification pipeline on the resnet fixture", () => {
  it("τ = 1 gives exactly the stock pipeline's outputs on the whole test split", async () => {
    const images = test.map((r) => r.image);
    const a = await all(sidenet, images, { threshold: 1 });
    const b = await all(stock, images);
    expect(a.out).toEqual(b.out);
    expect(a.exits.every((e) => e === -1)).toBe(true);
  });

  it("τ = 0 exits every image at the first tap", async () => {
    const { exits } = await all(
      sidenet,
      test.slice(0, 300).map((r) => r.image),
      { threshold: 0 },
    );
    expect(exits).toHaveLength(300);
    expect(exits.every((e) => e === 0)).toBe(true);
  });

  it("a file that is not an image → InvalidArgumentError naming it; NaN pixels never exit (the MainNet answers)", async () => {
    const notImage = join(dirname(dir), "not-an-image.png");
    writeFileSync(notImage, "this is text, not a PNG");
    await expect(sidenet([test[0]!.image, notImage])).rejects.toThrow(InvalidArgumentError);
    await expect(sidenet([notImage])).rejects.toThrow(/not-an-image\.png/);
    const nan = new Tensor("float32", new Float32Array(2 * 3 * 28 * 28).fill(Number.NaN), [2, 3, 28, 28]);
    const out = await sidenet.model.run({ pixel_values: nan }, { threshold: 0 });
    expect(Array.from(out.exitIndex)).toEqual([-1, -1]);
    // and the pipeline still works afterwards
    expect(await sidenet([test[0]!.image])).toHaveLength(1);
  });

  it("decoded inputs (RawImage, ImageData, uint8 Tensor CHW and HWC) give the answers of their files, as in the stock pipeline", async () => {
    const files = test.slice(0, 40).map((r) => r.image);
    const raw = await Promise.all(files.map((f) => RawImage.read(f)));
    const fromFiles = await sidenet(files, { top_k: 3 });
    // RawImage: the stock pipeline reads it too, and both agree with the files
    const stockRaw = await stock(raw as never, { top_k: 3 });
    expect([...(await sidenet(raw as never, { top_k: 3 }))]).toEqual([...fromFiles]);
    expect([...stockRaw]).toEqual([...(await stock(files, { top_k: 3 }))]);
    // ImageData-like RGBA pixels and uint8 tensors (the stock pipeline takes neither): the same answers
    const rgba = raw.map((im) => im.rgba());
    const imageData = rgba.map((im) => ({
      data: new Uint8ClampedArray(im.data),
      width: im.width,
      height: im.height,
    }));
    expect([...(await sidenet(imageData as never, { top_k: 3 }))]).toEqual([...fromFiles]);
    const hwc = raw.map((im) => im.toTensor("HWC"));
    const chw = raw.map((im) => im.toTensor("CHW"));
    expect([...(await sidenet(hwc as never, { top_k: 3 }))]).toEqual([...fromFiles]);
    expect([...(await sidenet(chw as never, { top_k: 3 }))]).toEqual([...fromFiles]);
    // telemetry is the same too
    const exits = (r: { sidenet: { exit: number; confidence: number }[] }) =>
      r.sidenet.map((t) => [t.exit, t.confidence]);
    expect(exits(await sidenet(chw as never))).toEqual(exits(await sidenet(files)));
    const float = new Tensor("float32", new Float32Array(3 * 28 * 28), [3, 28, 28]);
    await expect(sidenet([float] as never)).rejects.toThrow(/image 0 \(Tensor float32 \[3,28,28\]\)/);
  });

  it("keeps the stock output shapes (single image, top_k)", async () => {
    const one = await sidenet(test[0]!.image, { top_k: 3 });
    const ref = await stock(test[0]!.image, { top_k: 3 });
    expect((one as unknown as Item[]).length).toBe((ref as unknown as Item[]).length);
    expect(Object.keys((one as unknown as Item[])[0]!).sort()).toEqual(["label", "score"]);
  });

  it("registerSideNet(): the stock pipeline() loads SideNet directories; plain models unchanged", async () => {
    const images = test.slice(0, 64).map((r) => r.image);
    const before = await all(stock, images);
    registerSideNet();
    try {
      const viaStock = (await hfPipeline("image-classification", dir)) as unknown as Classify;
      expect(viaStock.model).toBeInstanceOf(SideNetModel);
      const registered = await all(viaStock, images);
      const ours = await all(sidenet, images);
      expect(registered.out).toEqual(ours.out);
      // the stock pipeline's results carry the same per-item telemetry
      expect(registered.exits).toEqual(ours.exits);
      expect(registered.exits).toHaveLength(images.length);
      const plain = (await hfPipeline("image-classification", MAINNET)) as unknown as Classify;
      expect(plain.model).not.toBeInstanceOf(SideNetModel);
      expect((await all(plain, images)).out).toEqual(before.out);
      await viaStock.model.dispose();
    } finally {
      unregisterSideNet();
    }
  });
});

describe("a damaged vision artefact", () => {
  /** A copy of the artefact with preprocessor_config.json replaced by `text` (re-pinned when `seal`). */
  function damaged(text: string, seal: boolean): string {
    const copy = join(dirname(dir), `damaged-${seal ? "sealed" : "plain"}`);
    cpSync(dir, copy, { recursive: true });
    writeFileSync(join(copy, "preprocessor_config.json"), text);
    if (seal) {
      const m = JSON.parse(readFileSync(join(copy, "sidenet.json"), "utf8"));
      m.files["preprocessor_config.json"] = createHash("sha256").update(text).digest("hex");
      writeFileSync(join(copy, "sidenet.json"), JSON.stringify(m));
    }
    return copy;
  }

  it("pins preprocessor_config.json: a changed one is refused, naming it", async () => {
    await expect(pipeline("image-classification", damaged('{"do_resize": false}', false))).rejects.toThrow(
      /preprocessor_config\.json: hashes to [0-9a-f]{64}, but sidenet\.json field `files\["preprocessor_config\.json"\]` pins/,
    );
  });

  it("a garbled processor file that matches its pin → a CorruptArtefactError naming it, not a SyntaxError", async () => {
    const err = await pipeline("image-classification", damaged("{ garbled", true)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptArtefactError);
    expect((err as Error).message).toMatch(
      /preprocessor_config\.json: the image processor could not be loaded from it \(.*\)\. Copy the MainNet's image processor files back/,
    );
  });
});
