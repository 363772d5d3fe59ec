/**
 * End to end in the browser: the page (vite build + preview) loads the bert fixture's SideNet with
 * transformers.js's web build (onnxruntime-web, wasm) in Debian's headless Chromium; what it shows for the
 * texts typed must equal the Node pipeline's answers (onnxruntime-node) for the same τ.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import type { SideNetManifest } from "@sidenet/core/artefact";
import type { ExitTelemetry, SideNetModel } from "@sidenet/core/runtime";
import { attachTextSideNet, pipeline, type TextClassificationItem } from "@sidenet/text";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spamRows } from "../../../packages/text/test/helpers/spam.js";
import { startHub } from "../../../scripts/test/hub.js";
import { CHROMIUM, launch, oneLine, PageDriver, type PageRow, servePage } from "./harness.js";

env.allowRemoteModels = false;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MAINNET = join(ROOT, "fixtures", "models", "bert");
const rows = (s: "train" | "validation" | "test") => spamRows(s);
/** Where the test leaves its screenshot of the page. */
const SHOT = join(ROOT, ".cache", "browser", "page.png");

type Classify = ((
  t: string[],
  o?: { threshold?: number },
) => Promise<TextClassificationItem[] & { sidenet: ExitTelemetry[] }>) & { model: SideNetModel };

let models: string;
let manifest: SideNetManifest;
let node: Classify;
let served: Awaited<ReturnType<typeof servePage>>;
let browser: Awaited<ReturnType<typeof launch>>;
let page: PageDriver;
let texts: string[];

/** The Node pipeline's answers in the page's row shape. */
async function nodeRows(items: string[], threshold?: number): Promise<PageRow[]> {
  const out = await node(items, threshold === undefined ? {} : { threshold });
  return out.map((r, i) => ({
    text: items[i]!,
    label: r.label,
    score: r.score,
    exit: out.sidenet[i]!.exit,
    confidence: out.sidenet[i]!.confidence,
  }));
}

/**
 * Same labels and exit points; scores and confidences equal up to float32 kernel differences (wasm vs
 * native). At a slider τ, a row whose confidence is within those differences of τ may leave on one side
 * and not the other: such rows (at most two of ten) are left out of the comparison.
 */
function expectSame(page: PageRow[], ref: PageRow[], tau?: number) {
  expect(page.map((r) => r.text)).toEqual(ref.map((r) => r.text));
  const near = (c: number) => tau !== undefined && tau > 0 && tau < 1 && Math.abs(c - tau) < 1e-4;
  const borderline = page.map(
    (r, i) => r.exit !== ref[i]!.exit && (near(r.confidence) || near(ref[i]!.confidence)),
  );
  expect(borderline.filter(Boolean).length).toBeLessThanOrEqual(2);
  const keep = <T>(xs: T[]) => xs.filter((_, i) => !borderline[i]);
  expect(keep(page).map((r) => [r.label, r.exit])).toEqual(keep(ref).map((r) => [r.label, r.exit]));
  for (const [i, r] of page.entries()) {
    if (borderline[i]) continue;
    expect(r.score).toBeCloseTo(ref[i]!.score, 4);
    expect(r.confidence).toBeCloseTo(ref[i]!.confidence, 4);
  }
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (scripts/setup.sh does).`);
  models = mkdtempSync(join(tmpdir(), "sidenet-browser-"));
  const dir = join(models, "bert-sidenet");
  const taps = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx"))));
  await attachTextSideNet({
    mainnet: MAINNET,
    train: rows("train").slice(0, 800),
    calibration: rows("validation"),
    out: dir,
    taps: [taps[0]!.name, taps[2]!.name],
    poolings: ["mean"],
    // a cost budget, so that the cascade certainly has exits (the test is about the browser, not accuracy)
    maxCost: 0.5,
    // the cascade at every batch size, whatever this machine's timings (the page and Node would agree
    // anyway: both read the same sidenet.json)
    measureSmallBatches: false,
    log: () => {},
  });
  manifest = JSON.parse(readFileSync(join(dir, "sidenet.json"), "utf8"));
  node = (await pipeline("text-classification", dir)) as Classify;
  // texts the Node pipeline answers in both places at the stored τ — some at an exit, some by the MainNet —
  // so that one batch in the page routes rows both ways
  const pool = rows("test")
    .slice(0, 300)
    .map((r) => oneLine(r.text));
  const probe = await node(pool);
  const at = (leaves: boolean) => pool.filter((_, i) => probe.sidenet[i]!.exit >= 0 === leaves);
  texts = [...at(true).slice(0, 6), ...at(false).slice(0, 4)];
  served = await servePage(models);
  browser = await launch();
  page = new PageDriver(await browser.context.newPage());
  await page.open(served.url);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await node?.model.dispose();
  if (models) rmSync(models, { recursive: true, force: true });
});

describe("the SideNet page in headless Chromium", () => {
  it("builds for the browser without Node modules", () => {
    expect(served.warnings.filter((w) => /externalized|node:/i.test(w))).toEqual([]);
  });

  it("answers as the Node pipeline does at the artefact's τ", async () => {
    const shown = await page.classify(texts);
    expectSame(shown, await nodeRows(texts));
    // at the stored τ rows leave early (at τ = 0.999 below, some leave and the others run the rest of the
    // MainNet in the same batch: the cascade's routing really runs in the browser)
    expect(shown.some((r) => r.exit >= 0)).toBe(true);
    mkdirSync(dirname(SHOT), { recursive: true });
    await page.page.screenshot({ path: SHOT, fullPage: true });
  });

  it.each([0, 0.9, 0.999, 1])("answers as the Node pipeline does at τ = %s (slider)", async (tau) => {
    const shown = await page.setTau(tau);
    const ref = await nodeRows(texts, tau);
    expectSame(shown, ref, tau);
    if (tau === 0) expect(shown.every((r) => r.exit === 0)).toBe(true);
    if (tau === 0.999)
      expect([shown.some((r) => r.exit >= 0), shown.some((r) => r.exit === -1)]).toEqual([true, true]);
    if (tau === 1) expect(shown.every((r) => r.exit === -1)).toBe(true);
  });

  it("classifies what the user types", async () => {
    const typed = "URGENT: your account is suspended, verify your password at this link now";
    // the slider's step is 0.001: the page and Node at the same τ
    const tau = Number(manifest.exits[0]!.threshold.toFixed(3));
    await page.setTau(tau);
    const shown = await page.type(typed);
    expect(shown.at(-1)!.text).toBe(typed);
    expectSame(shown, await nodeRows([...texts, typed], tau), tau);
  });

  it("times the SideNet against the MainNet in the page (figures only; speed is a benchmark's business)", async () => {
    const c = await page.compare();
    for (const v of [c.sidenetMs, c.mainnetMs]) expect(v).toBeGreaterThan(0);
    expect(c.speedup).toBeCloseTo(c.mainnetMs / c.sidenetMs, 10);
    console.log(
      `browser: ${texts.length + 1} texts per call, SideNet ${c.sidenetMs.toFixed(1)} ms vs MainNet ${c.mainnetMs.toFixed(1)} ms`,
    );
  });

  it("loads the artefact by hub id from a hub on the loopback address, with the same answers", async () => {
    const hub = await startHub({ "sidenet-fixtures/bert-sidenet": join(models, "bert-sidenet") });
    const byId = new PageDriver(await browser.context.newPage());
    try {
      await byId.open(`${served.url}?hub=${encodeURIComponent(hub.url)}&model=sidenet-fixtures/bert-sidenet`);
      expectSame(await byId.classify(texts), await nodeRows(texts));
      expect(hub.requests).toContain("GET /sidenet-fixtures/bert-sidenet/resolve/main/sidenet.json 200");
      expect(
        hub.requests.some((r) => /\/resolve\/main\/onnx\/sidenet_\w+_segment_0\.onnx 200$/.test(r)),
      ).toBe(true);
      expect(byId.errors).toEqual([]);
    } finally {
      await byId.page.close();
      await hub.close();
    }
  });

  it("raised no page errors", () => {
    expect(page.errors).toEqual([]);
  });
});
