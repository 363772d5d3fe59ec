import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import { DTYPE_SUFFIX, type SideNetManifest, SWEEP_JSON, type SweepRecord } from "@sidenet/core/artefact";
import { signTestP } from "@sidenet/core/internal";
import { sha256File } from "@sidenet/core/node";
import {
  attachTextSideNet,
  evaluateTextSideNet,
  pipeline,
  SideNetForSequenceClassification,
} from "@sidenet/text";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spamRows } from "../../text/test/helpers/spam.js";
import { reportData } from "../src/report/data.js";
import { writeReport } from "../src/report/render.js";

env.allowRemoteModels = false;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MAINNET = join(ROOT, "fixtures", "models", "bert");
const rows = (s: "train" | "validation" | "test") => spamRows(s);

let dir: string;
let manifest: SideNetManifest;
let sweep: SweepRecord;
let options: Parameters<typeof attachTextSideNet>[0];
const calibration = rows("validation");

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), "sidenet-sweep-")), "artefact");
  const taps = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx"))));
  // a cost budget, so that the chosen cascade has exits whatever the small head's accuracy (with 600
  // training rows no cascade stays within 0 pt of the MainNet); patience and margin in the mix
  options = {
    mainnet: MAINNET,
    train: rows("train").slice(0, 600),
    calibration,
    out: dir,
    taps: [taps[0]!.name, taps[3]!.name, taps[6]!.name],
    poolings: ["cls"],
    maxCost: 0.3,
    maxExits: 3,
    log: () => {},
  };
  const r = await attachTextSideNet(options);
  manifest = r.manifest;
  sweep = r.sweep;
}, 600_000);

afterAll(() => rmSync(dirname(dir), { recursive: true, force: true }));

describe("sweep → artefact → pipeline → report, on the bert fixture", () => {
  it("chooses a cascade of three exits, searched (the pipeline tests below run it)", () => {
    expect(sweep.chosen.taps).toHaveLength(3);
    expect(manifest.exits).toHaveLength(3);
    expect(sweep.swept["3"]).toBeGreaterThan(0);
    expect(manifest.selection?.swept).toBe(Object.values(sweep.swept).reduce((a, b) => a + b, 0));
  });

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

  it("pins every file loading reads: MainNet graphs, every dtype's segments, heads, config and tokenizer", () => {
    const pins = manifest.files!;
    const expected = [
      "config.json",
      "tokenizer.json",
      "tokenizer_config.json",
      // the MainNet's graph of every dtype segmented (the bert fixture has all eight)
      ...Object.keys(manifest.segments).map((d) => `onnx/model${DTYPE_SUFFIX[d]}.onnx`),
      manifest.heads!,
      ...Object.values(manifest.segments).flat(),
    ];
    expect(Object.keys(manifest.segments)).toHaveLength(8);
    expect(Object.keys(pins).sort()).toEqual(expected.sort());
    for (const [f, h] of Object.entries(pins)) expect(sha256File(join(dir, f))).toBe(h);
    expect(pins["onnx/model.onnx"]).toBe(manifest.mainnet.sha256);
  });

  it("has exits (the tests below are not about the MainNet alone)", () => {
    expect(sweep.chosen.taps.length).toBeGreaterThan(0);
  });

  it("times the cascade against the MainNet at batch sizes 1 … 32 in paired rounds and stores a rule only where a sign test says slower", () => {
    const rule = manifest.small_batches!;
    const timings = rule.timings;
    expect(timings.map((t) => t.batch)).toEqual([1, 2, 4, 8, 16, 32]);
    for (const t of timings) {
      expect(t.speedup).toBeGreaterThan(0);
      expect(t.rounds).toBe(9);
      expect(t.p_slower).toBeCloseTo(signTestP(t.slower_rounds!, t.rounds!), 12);
    }
    const slow = timings.filter((t) => t.p_slower! <= rule.alpha).map((t) => t.batch);
    const from = manifest.mainnet_below_rows;
    if (from === undefined) {
      // no rule: nothing significantly slower, or slower even at 32 rows (a busy machine)
      expect(rule.decision).toMatch(/^no rule/);
      if (slow.length > 0) expect(slow).toContain(32);
    } else {
      // the rule covers exactly the sizes up to the largest significantly slower one
      expect(slow).not.toContain(32);
      expect(from).toBe(timings[timings.findIndex((t) => t.batch === Math.max(...slow)) + 1]!.batch);
      expect(rule.decision).toContain(`below ${from} rows`);
    }
    const stored = JSON.parse(readFileSync(join(dir, "sidenet.json"), "utf8"));
    expect(stored.mainnet_below_rows).toBe(manifest.mainnet_below_rows);
    expect(stored.small_batches).toEqual(rule);
  });

  it("chooses by FLOPs: a second attach of the same MainNet on the same data gives the same selection", async () => {
    expect(manifest.selection?.cost_measure).toBe("flops");
    // (the small-batch timing is not part of the selection: left out here)
    const again = await attachTextSideNet({
      ...options,
      out: join(dirname(dir), "again"),
      measureSmallBatches: false,
    });
    expect(again.manifest.selection).toEqual(manifest.selection);
    const pick = (m: SideNetManifest) =>
      m.exits.map((e) => ({ tap: e.tap, threshold: e.threshold, temperature: e.temperature, head: e.head }));
    expect(pick(again.manifest)).toEqual(pick(manifest));
    expect(again.sweep.front).toEqual(sweep.front);
    expect(again.sweep.chosen).toEqual(sweep.chosen);
    // the same heads, bit for bit
    const heads = (m: SideNetManifest, d: string) => readFileSync(join(d, m.heads!));
    expect(heads(again.manifest, join(dirname(dir), "again")).equals(heads(manifest, dir))).toBe(true);
  }, 600_000);

  it("a certified budget (risk 0.1): with 269 test rows nothing is certified at 0.5 pt — the MainNet alone, said plainly", async () => {
    const { maxCost: _cost, ...rest } = options;
    const lines: string[] = [];
    const out = join(dirname(dir), "certified");
    const r = await attachTextSideNet({
      ...rest,
      out,
      maxDrop: 0.5,
      risk: 0.1,
      measureSmallBatches: false,
      log: (l) => lines.push(l),
    });
    const c = r.manifest.selection!.certification!;
    expect(c.delta).toBe(0.1);
    expect(c.epsilon).toBe(0.005);
    expect(c.selection_rows + c.test_rows).toBe(calibration.length);
    expect(c.certified).toBe(0);
    expect(c.rows_needed).toBeGreaterThan(calibration.length);
    expect(r.manifest.exits.every((e) => e.threshold === 1)).toBe(true);
    expect(r.manifest.calibration!.criterion).toMatch(/certified below max_drop_pt with probability ≥ 0\.9/);
    expect(lines.join("\n")).toMatch(
      /no cascade's drop could be certified below 0\.50 pt at risk 0\.1 .*: the MainNet alone\. .*about \d+ calibration rows would be needed/,
    );
    // the artefact loads (sidenet.json with its certification validates) and runs the MainNet
    const model = await SideNetForSequenceClassification.from_pretrained(out);
    expect(model.manifest.selection?.certification).toEqual(c);
    await model.dispose();
    await expect(attachTextSideNet({ ...options, risk: 0.1, out })).rejects.toThrow(
      /certifies an accuracy budget/,
    );
    await expect(attachTextSideNet({ ...rest, maxDrop: 0.5, risk: 1.5, out })).rejects.toThrow(
      /option `risk` is 1\.5; expected a probability in \[0, 1\)/,
    );
  }, 600_000);

  it("an agreement budget (--min-agreement 0.9): empirical, then certified at risk 0.1", async () => {
    const { maxCost: _cost, ...rest } = options;
    const out = join(dirname(dir), "agreement");
    const empirical = await attachTextSideNet({
      ...rest,
      out,
      minAgreement: 0.9,
      measureSmallBatches: false,
    });
    expect(empirical.sweep.chosen.agreement).toBeGreaterThanOrEqual(0.9);
    expect(empirical.sweep.chosen.taps.length).toBeGreaterThan(0);
    expect(empirical.manifest.calibration).toMatchObject({ min_agreement: 0.9 });
    expect(empirical.manifest.calibration!.criterion).toMatch(
      /agreeing with the MainNet on at least min_agreement/,
    );
    const r = await attachTextSideNet({
      ...rest,
      out,
      minAgreement: 0.9,
      risk: 0.1,
      measureSmallBatches: false,
    });
    const c = r.manifest.selection!.certification!;
    expect(c.loss).toBe("disagreement");
    expect(c.epsilon).toBeCloseTo(0.1, 12);
    // 269 test rows bound a disagreement of a few rows well below 10 %: certified, with exits
    expect(c.certified).toBeGreaterThan(0);
    expect(r.manifest.exits.some((e) => e.threshold < 1)).toBe(true);
    expect(c.bound!).toBeLessThan(0.1);
    expect(c.bound!).toBeGreaterThanOrEqual(c.observed_disagreement!);
    const model = await SideNetForSequenceClassification.from_pretrained(out);
    expect(model.manifest.selection?.certification).toEqual(c);
    await model.dispose();
  }, 600_000);

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
