/**
 * The page's image tab in Debian's headless Chromium: it loads the resnet fixture's SideNet with
 * @sidenet/vision's browser build on transformers.js's web build (onnxruntime-web, wasm); what it shows for
 * picked Fashion-MNIST images must equal the Node pipeline's answers (onnxruntime-node) for the same files.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import type { ExitTelemetry, SideNetModel } from "@sidenet/core/runtime";
import { attachVisionSideNet, pipeline, readImageDataset } from "@sidenet/vision";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, type ImageRow, ImageTabDriver, launch, servePage } from "./harness.js";

env.allowRemoteModels = false;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MAINNET = join(ROOT, "fixtures", "models", "resnet");
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const rows = (s: string) => readImageDataset(join(DATA, "fashion-mnist", `${s}.jsonl`));
/** Where the test leaves its screenshot of the tab. */
const SHOT = join(ROOT, ".cache", "browser", "image-tab.png");

type Classify = ((
  x: string[],
  o?: { top_k?: number },
) => Promise<{ label: string; score: number }[][] & { sidenet: ExitTelemetry[] }>) & { model: SideNetModel };

let models: string;
let node: Classify;
let served: Awaited<ReturnType<typeof servePage>>;
let browser: Awaited<ReturnType<typeof launch>>;
let tab: ImageTabDriver;
let files: string[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (scripts/setup.sh does).`);
  models = mkdtempSync(join(tmpdir(), "sidenet-browser-images-"));
  const dir = join(models, "resnet-sidenet");
  const taps = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx"))));
  await attachVisionSideNet({
    mainnet: MAINNET,
    train: rows("train").slice(0, 2000),
    calibration: rows("validation").slice(0, 1000),
    out: dir,
    taps: [taps.find((t) => t.block === "/resnet/encoder/stages.1")!.name],
    // the test is about the browser, not accuracy: a cost budget so that the cascade has an exit, and the
    // cascade at every batch size whatever this machine's timings
    maxCost: 0.6,
    measureSmallBatches: false,
    log: () => {},
  });
  node = (await pipeline("image-classification", dir)) as unknown as Classify;
  // images the Node pipeline answers in both places — some at the exit, some by the MainNet
  const pool = rows("test")
    .slice(0, 200)
    .map((r) => r.image);
  const probe = await node(pool);
  const at = (leaves: boolean) => pool.filter((_, i) => probe.sidenet[i]!.exit >= 0 === leaves);
  files = [...at(true).slice(0, 6), ...at(false).slice(0, 4)];
  served = await servePage(models);
  browser = await launch();
  tab = new ImageTabDriver(await browser.context.newPage());
  await tab.open(served.url);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await node?.model.dispose();
  if (models) rmSync(models, { recursive: true, force: true });
});

describe("the image tab in headless Chromium", () => {
  it("answers picked images as the Node pipeline does: labels, exit points, scores, confidences", async () => {
    const shown = await tab.pick(files);
    const out = await node(files, { top_k: 1 });
    const ref: ImageRow[] = out.map((r, i) => ({
      file: basename(files[i]!),
      label: r[0]!.label,
      score: r[0]!.score,
      exit: out.sidenet[i]!.exit,
      confidence: out.sidenet[i]!.confidence,
    }));
    expect(shown.map((r) => [r.file, r.label, r.exit])).toEqual(ref.map((r) => [r.file, r.label, r.exit]));
    for (const [i, r] of shown.entries()) {
      expect(r.score).toBeCloseTo(ref[i]!.score, 4);
      expect(r.confidence).toBeCloseTo(ref[i]!.confidence, 4);
    }
    // one batch routed both ways in the browser: some rows left at the exit, the rest ran the MainNet
    expect([shown.some((r) => r.exit >= 0), shown.some((r) => r.exit === -1)]).toEqual([true, true]);
    mkdirSync(dirname(SHOT), { recursive: true });
    await tab.page.screenshot({ path: SHOT, fullPage: true });
  });

  it("raised no page errors", () => {
    expect(tab.errors).toEqual([]);
  });
});
