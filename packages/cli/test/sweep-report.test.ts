import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import { type SideNetManifest, SWEEP_JSON, type SweepRecord } from "@sidenet/core/artefact";
import {
  attachTextSideNet,
  evaluateTextSideNet,
  pipeline,
  readTextJsonl,
  SideNetForSequenceClassification,
} from "@sidenet/text";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportData } from "../src/report/data.js";
import { writeReport } from "../src/report/render.js";

env.allowRemoteModels = false;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MAINNET = join(ROOT, "fixtures", "models", "bert");
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const rows = (s: string) => readTextJsonl(join(DATA, "spam-assassin", `${s}.jsonl`));

let dir: string;
let manifest: SideNetManifest;
let sweep: SweepRecord;
const calibration = rows("validation");

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), "sidenet-sweep-")), "artefact");
  const taps = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx"))));
  // a cost budget, so that the chosen cascade has exits whatever the small head's accuracy (with 600
  // training rows no cascade stays within 0 pt of the MainNet); patience and margin in the mix
  const r = await attachTextSideNet({
    mainnet: MAINNET,
    train: rows("train").slice(0, 600),
    calibration,
    out: dir,
    taps: [taps[0]!.name, taps[3]!.name, taps[6]!.name],
    poolings: ["cls"],
    maxCost: 0.3,
    maxExits: 2,
    log: () => {},
  });
  manifest = r.manifest;
  sweep = r.sweep;
}, 600_000);

afterAll(() => rmSync(dirname(dir), { recursive: true, force: true }));

describe("sweep → artefact → pipeline → report, on the bert fixture", () => {
  it("stores the choice, the front and the criterion in sidenet.json and the whole sweep in sweep.json", () => {
    const stored = JSON.parse(readFileSync(join(dir, SWEEP_JSON), "utf8")) as SweepRecord;
    expect(stored.chosen).toEqual(sweep.chosen);
    expect(manifest.selection?.exit_criterion).toBe(sweep.chosen.criterion);
    expect(manifest.selection?.front).toEqual(sweep.front);
    expect(stored.swept["2"]).toBeGreaterThan(0);
    // within the budget, and the most accurate cascade that is
    expect(sweep.chosen.cost).toBeLessThanOrEqual(0.3);
    for (const p of sweep.front)
      if (p.cost <= 0.3) expect(p.accuracy).toBeLessThanOrEqual(sweep.chosen.accuracy);
    // the chosen point is on the front
    expect(sweep.front).toContainEqual(sweep.chosen);
  });

  it("has exits (the tests below are not about the MainNet alone)", () => {
    expect(sweep.chosen.taps.length).toBeGreaterThan(0);
  });

  it("times the cascade against the MainNet at batch sizes 1 … 32 and stores where the MainNet alone is faster", () => {
    const timings = manifest.selection?.small_batches as { batch: number; speedup: number }[];
    expect(timings.map((t) => t.batch)).toEqual([1, 2, 4, 8, 16, 32]);
    for (const t of timings) expect(t.speedup).toBeGreaterThan(0);
    const from = manifest.mainnet_below_rows ?? 1;
    // faster from `from` on, and not faster just below it
    for (const t of timings) if (t.batch >= from) expect(t.speedup).toBeGreaterThan(1);
    const below = timings.filter((t) => t.batch < from).at(-1);
    if (below) expect(below.speedup).toBeLessThanOrEqual(1);
    const stored = JSON.parse(readFileSync(join(dir, "sidenet.json"), "utf8"));
    expect(stored.mainnet_below_rows).toBe(manifest.mainnet_below_rows);
  });

  it("the pipeline reproduces the sweep's exit rates and accuracy on the calibration rows", async () => {
    // the cascade at every batch size (the last batch is smaller: no small-batch MainNet policy here)
    const classify = (await pipeline("text-classification", dir, { mainnet_below_rows: 0 })) as unknown as ((
      t: string[],
      o?: object,
    ) => Promise<{ label: string }[] & { sidenet: { exit: number }[] }>) & {
      model: { dispose(): Promise<unknown> };
    };
    const counts = new Array<number>(manifest.exits.length).fill(0);
    let right = 0;
    for (let i = 0; i < calibration.length; i += 32) {
      const batch = calibration.slice(i, i + 32);
      const out = await classify(batch.map((r) => r.text));
      for (const [k, t] of out.sidenet.entries()) {
        if (t.exit >= 0) counts[t.exit]!++;
        if (out[k]!.label === batch[k]!.label) right++;
      }
    }
    await classify.model.dispose();
    const exitRates = counts.map((c) => c / calibration.length);
    const expected = sweep.chosen.taps.length ? sweep.chosen.exit_rates : [0];
    for (const [k, e] of expected.entries()) expect(exitRates[k]).toBeCloseTo(e, 10);
    expect(right / calibration.length).toBeCloseTo(sweep.chosen.accuracy, 10);
  });

  it("writes a report: HTML with every plot inline, markdown, SVGs drawn by vega", async () => {
    const model = await SideNetForSequenceClassification.from_pretrained(dir);
    const ev = await evaluateTextSideNet(model, dir, rows("test").slice(0, 200));
    await model.dispose();
    const out = join(dirname(dir), "report");
    const files = await writeReport(reportData("bert (test)", dir, ev, 20), out);
    expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual(
      ["confidence.svg", "exit-rate.svg", "pareto.svg", "reliability.svg", "report.html", "report.md"].sort(),
    );
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html.match(/<svg/g)?.length).toBe(4);
    for (const f of ["pareto.svg", "reliability.svg", "exit-rate.svg", "confidence.svg"]) {
      const svg = readFileSync(join(out, f), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      // marks were drawn, not just axes
      expect(svg.match(/<path/g)?.length ?? 0).toBeGreaterThan(5);
    }
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("## Pareto front (calibration rows)");
    expect(md).toContain(`${(ev.mainnetAccuracy * 100).toFixed(2)} %`);
  });
});
