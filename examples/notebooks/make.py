"""Writes the three notebooks' cells (run once by hand; `pnpm notebooks` executes them in place)."""
import json

def nb(cells):
    out = []
    for i, (kind, src) in enumerate(cells):
        c = {"cell_type": kind, "id": f"c{i}", "metadata": {}, "source": src}
        if kind == "code":
            c.update({"execution_count": None, "outputs": []})
        out.append(c)
    return {"cells": out, "metadata": {"kernelspec": {"display_name": "TypeScript", "language": "typescript", "name": "tslab"}}, "nbformat": 4, "nbformat_minor": 5}

COMMON = '''import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as tslab from "tslab";
const ROOT = resolve("..", "..");
process.env.SIDENET_PROGRESS = "0"; // no progress bars in the saved outputs
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const WORK = mkdtempSync(join(tmpdir(), "sidenet-notebook-"));
/** `sidenet report` (vega-lite plots) for an artefact, into WORK/report. */
function report(dir: string, data: string, name: string): string {
  const out = join(WORK, "report");
  execFileSync(process.execPath, ["--import", "tsx", "--conditions=source", join(ROOT, "packages", "cli", "src", "main.ts"), "report", dir, "--data", data, "--out", out, "--name", name, "--resamples", "100"], { cwd: ROOT, stdio: "ignore" });
  return out;
}
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const table = (head: string[], rows: (string | number)[][]) =>
  tslab.display.html(`<table><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</table>`);'''

text = nb([
 ("markdown", "# A SideNet on BERT (text classification)\n\nThe `bert` fixture (12-layer BERT trained on SpamAssassin) gets a SideNet: features at every tap in one pass, a head per tap, temperature and τ fitted on the validation split, every cascade of up to two exits swept, the cheapest within 0.5 pt of the MainNet kept. To keep the notebook quick (about a minute), the sweep considers four of the eleven taps."),
 ("code", COMMON),
 ("code", '''import { decodeModel, findTapCandidates } from "@sidenet/core";
import type { SweepRecord } from "@sidenet/core/artefact";
import { attachTextSideNet, readTextJsonl } from "@sidenet/text";
const MAINNET = join(ROOT, "fixtures", "models", "bert");
const rows = (s: string) => readTextJsonl(join(DATA, "spam-assassin", `${s}.jsonl`));
const taps = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx")))).map((t) => t.name);
const dir = join(WORK, "bert-sidenet");
const { sweep } = (await attachTextSideNet({ mainnet: MAINNET, out: dir, train: rows("train"), calibration: rows("validation"), taps: [taps[0]!, taps[1]!, taps[3]!, taps[6]!], maxDrop: 0.5, log: () => {} })) as { sweep: SweepRecord };
console.log(`swept ${Object.values(sweep.swept).reduce((a, b) => a + b, 0)} cascades on ${sweep.rows} validation emails`);'''),
 ("markdown", "The Pareto front on the validation split: cost is the expected share of the MainNet's measured time."),
 ("code", '''table(["cascade", "τ", "criterion", "accuracy", "exit rates", "cost"], sweep.front.map((p) => [p.taps.map((t) => t.split("/")[3]).join(" → ") || "MainNet", p.thresholds.map((t) => t.toFixed(3)).join(", "), p.criterion, pct(p.accuracy), p.exit_rates.map(pct).join(" + "), pct(p.cost)]));
console.log(`chosen: ${sweep.chosen.taps.map((t) => t.split("/")[3]).join(" → ")} [${sweep.chosen.criterion}], ${pct(sweep.chosen.accuracy)} at ${pct(sweep.chosen.cost)} of the MainNet's cost (MainNet ${pct(sweep.mainnet.accuracy)})`);'''),
 ("markdown", "Now the pipeline, exactly as transformers.js users call it, with per-item telemetry:"),
 ("code", '''import { pipeline } from "@sidenet/text";
const classify = (await pipeline("text-classification", dir)) as unknown as (t: string[]) => Promise<{ label: string; score: number }[] & { sidenet: { exit: number; confidence: number }[] }>;
const out = await classify(["Win a FREE cruise now!!! Click here", "Minutes of Tuesday's meeting attached."]);
console.log(JSON.stringify(out), JSON.stringify(out.sidenet.map((t) => ({ exit: t.exit, confidence: +t.confidence.toFixed(4) }))));'''),
 ("code", '''const test = rows("test");
let right = 0, exited = 0;
for (let i = 0; i < test.length; i += 32) {
  const batch = test.slice(i, i + 32);
  const r = await classify(batch.map((x) => x.text));
  r.forEach((o, k) => { if (o.label === batch[k]!.label) right++; if (r.sidenet[k]!.exit >= 0) exited++; });
}
console.log(`test split: ${test.length} emails, accuracy ${pct(right / test.length)}, ${pct(exited / test.length)} answered by the SideNet`);'''),
 ("markdown", "The front drawn by `sidenet report` (vega-lite): orange, cascades of up to two exits; blue, single exits; the red ring, the choice."),
 ("code", '''const rep = report(dir, join(DATA, "spam-assassin", "test.jsonl"), "bert (notebook)");
tslab.display.svg(readFileSync(join(rep, "pareto.svg"), "utf8"));'''),
])

vision = nb([
 ("markdown", "# A SideNet on ResNet (image classification)\n\nThe `resnet` fixture (a small ResNet trained on Fashion-MNIST). Heads train on 3 000 images and three taps are considered, so the notebook runs in about a minute; `pnpm demo` attaches on the full 55 000."),
 ("code", COMMON),
 ("code", '''import { decodeModel, findTapCandidates } from "@sidenet/core";
import type { SweepRecord } from "@sidenet/core/artefact";
import { attachVisionSideNet, readImageDataset } from "@sidenet/vision";
const MAINNET = join(ROOT, "fixtures", "models", "resnet");
const rows = (s: string) => readImageDataset(join(DATA, "fashion-mnist", `${s}.jsonl`));
const taps = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx")))).map((t) => t.name);
const dir = join(WORK, "resnet-sidenet");
const { sweep } = (await attachVisionSideNet({ mainnet: MAINNET, out: dir, train: rows("train").slice(0, 3000), calibration: rows("validation").slice(0, 2000), taps: [taps[0]!, taps[2]!, taps[4]!], maxDrop: 0.5, log: () => {} })) as { sweep: SweepRecord };
console.log(`swept ${Object.values(sweep.swept).reduce((a, b) => a + b, 0)} cascades on ${sweep.rows} validation images`);
console.log(`chosen: ${sweep.chosen.taps.map((t) => t.split("/").slice(3, 6).join("/")).join(" → ") || "MainNet alone"} [${sweep.chosen.criterion}], ${pct(sweep.chosen.accuracy)} at ${pct(sweep.chosen.cost)} of the cost (MainNet ${pct(sweep.mainnet.accuracy)})`);'''),
 ("code", '''table(["cascade", "accuracy", "exit rates", "cost"], sweep.front.filter((p) => p.accuracy >= sweep.mainnet.accuracy - 0.03).map((p) => [p.taps.map((t) => t.split("/").slice(3, 6).join("/")).join(" → ") + ` [${p.criterion}]`, pct(p.accuracy), p.exit_rates.map(pct).join(" + "), pct(p.cost)]));'''),
 ("code", '''import { pipeline } from "@sidenet/vision";
const classify = (await pipeline("image-classification", dir)) as unknown as (x: string[], o?: object) => Promise<{ label: string; score: number }[][] & { sidenet: { exit: number }[] }>;
const test = rows("test").slice(0, 2000);
let right = 0, exited = 0;
for (let i = 0; i < test.length; i += 64) {
  const batch = test.slice(i, i + 64);
  const r = await classify(batch.map((x) => x.image), { top_k: 1 });
  r.forEach((o, k) => { if (o[0]!.label === batch[k]!.label) right++; if (r.sidenet[k]!.exit >= 0) exited++; });
}
console.log(`2 000 test images: accuracy ${pct(right / test.length)}, ${pct(exited / test.length)} answered early`);'''),
 ("code", '''const rep = report(dir, join(DATA, "fashion-mnist", "test.jsonl"), "resnet (notebook)");
tslab.display.svg(readFileSync(join(rep, "pareto.svg"), "utf8"));
tslab.display.svg(readFileSync(join(rep, "exit-rate.svg"), "utf8"));'''),
])

calib = nb([
 ("markdown", "# Calibration: what temperature scaling buys when picking τ\n\nA SideNet exit answers when its confidence reaches τ. If its confidences are calibrated, τ reads directly as the accuracy of the rows it lets out: τ = 0.95 means about 95 % of those rows are right. Here a head on BERT's layer 0 is trained, its temperature fitted on the validation split, and both read on the test split."),
 ("code", COMMON),
 ("code", '''import { calibrationIntervals, confidence, decodeModel, findTapCandidates } from "@sidenet/core";
import { attachTextSideNet, evaluateTextSideNet, readTextJsonl, SideNetForSequenceClassification } from "@sidenet/text";
const MAINNET = join(ROOT, "fixtures", "models", "bert");
const rows = (s: string) => readTextJsonl(join(DATA, "spam-assassin", `${s}.jsonl`));
const tap = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx"))))[0]!.name;
const dir = join(WORK, "bert-sidenet");
await attachTextSideNet({ mainnet: MAINNET, out: dir, train: rows("train"), calibration: rows("validation"), taps: [tap], poolings: ["cls"], maxExits: 1, log: () => {} });
const model = await SideNetForSequenceClassification.from_pretrained(dir);
const T = model.manifest.exits[0]!.temperature;
// the head's probabilities on every test email, before and after its temperature
const ev = await evaluateTextSideNet(model, dir, rows("test"));
const labels = ev.raw.labels;
const { before, after } = ev.raw.exits[0]!;
console.log(`temperature fitted on the validation split: T = ${T.toFixed(2)}`);'''),
 ("code", '''const ci = (p: Float32Array) => calibrationIntervals(p, 2, labels, { resamples: 200, seed: 0 });
const [b, a] = [ci(before), ci(after)];
const fmt = (w: { value: number; lo: number; hi: number }) => `${w.value.toFixed(4)} [${w.lo.toFixed(4)}, ${w.hi.toFixed(4)}]`;
table(["test split", "ECE (15 bins)", "adaptive ECE", "NLL", "Brier"], [["before temperature", fmt(b.ece), fmt(b.adaptiveEce), fmt(b.nll), fmt(b.brier)], [`after T = ${T.toFixed(2)}`, fmt(a.ece), fmt(a.adaptiveEce), fmt(a.nll), fmt(a.brier)]]);'''),
 ("markdown", "What τ promises: for each τ, the share of test emails that exit and the accuracy among them, before and after temperature scaling. Calibrated, the accuracy of exiting rows stays at or above τ."),
 ("code", '''const rowsAt = (p: Float32Array, tau: number) => {
  const conf = confidence(p, 2);
  let n = 0, right = 0;
  for (let r = 0; r < labels.length; r++) if (conf[r]! >= tau) { n++; if ((p[2 * r + 1]! > p[2 * r]! ? 1 : 0) === labels[r]) right++; }
  return { exit: n / labels.length, accuracy: n ? right / n : Number.NaN };
};
table(["τ", "exit rate (before)", "accuracy of exiting rows (before)", "exit rate (after)", "accuracy of exiting rows (after)"], [0.6, 0.7, 0.8, 0.9, 0.95, 0.99].map((tau) => { const x = rowsAt(before, tau), y = rowsAt(after, tau); return [tau, pct(x.exit), pct(x.accuracy), pct(y.exit), pct(y.accuracy)]; }));'''),
 ("code", '''const rep = report(dir, join(DATA, "spam-assassin", "test.jsonl"), "bert layer 0 (notebook)");
await model.dispose();
tslab.display.svg(readFileSync(join(rep, "reliability.svg"), "utf8"));'''),
])

for name, n in [("01-text-sidenet.ipynb", text), ("02-vision-sidenet.ipynb", vision), ("03-calibration.ipynb", calib)]:
    json.dump(n, open(name, "w"), indent=1)
