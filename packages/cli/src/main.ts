#!/usr/bin/env node
/**
 * The sidenet CLI: `inspect`, `sweep` / `attach`, `eval`, `report`, for text (BERT family) and image (ResNet) MainNets.
 * Run through `pnpm sidenet <command> …` from the repository root.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import {
  decodeModel,
  describePoint,
  type ExitCriterion,
  findTapCandidates,
  SIDENET_JSON,
  SideNetError,
  splitModel,
} from "@sidenet/core";
import type { Evaluation } from "@sidenet/core/hf";
import * as text from "@sidenet/text";
import * as vision from "@sidenet/vision";
import { reportData } from "./report/data.js";
import { writeReport } from "./report/render.js";

const USAGE = `usage:
  sidenet inspect <model dir> [--json]
  sidenet sweep <model dir> --data <train> --calibration <held-out> --out <dir>
      [--max-drop 0.5 | --max-cost 0.4] [--max-exits 2] [--criteria max-prob,margin,entropy,patience]
      [--taps a,b] [--pooling p] [--seed 0]
  sidenet attach …   (the same as sweep, printing only the choice)
  sidenet eval <sidenet dir> --data <test> [--json] [--dtype fp32|q8]
  sidenet report <sidenet dir> --data <test> [--out <dir>] [--name <title>] [--resamples 200]
      report.html (self-contained, plots inline), report.md and SVG plots: the Pareto front, reliability
      before/after temperature, exit rate vs τ, confidence per exit, calibration with bootstrap intervals

Text data: JSONL rows {"text": "...", "label": "..."}. Image data: JSONL rows {"image": "<path>", "label": "..."}
(paths relative to the file) or an image folder <root>/<label>/*.png|jpg. --calibration must be rows the
MainNet never trained on: temperature and τ are fitted there. sweep evaluates every cascade of up to
--max-exits exits × τ × criterion on those rows, picks one by the budget, prints the Pareto front, and writes
the artefact (the choice, the front and the criterion in sidenet.json; the whole sweep in sweep.json).`;

const IMAGE_MODEL_TYPES = new Set(["resnet"]);

/** "image" for ResNet-like MainNets or image-classification artefacts, else "text". */
function modalityOf(dir: string): "text" | "image" {
  if (existsSync(join(dir, SIDENET_JSON))) {
    return JSON.parse(readFileSync(join(dir, SIDENET_JSON), "utf8")).task === "image-classification"
      ? "image"
      : "text";
  }
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { model_type?: string };
  return IMAGE_MODEL_TYPES.has(config.model_type ?? "") ? "image" : "text";
}

function printEvaluation(r: Evaluation): void {
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  console.log(
    `${r.rows} rows: MainNet ${pct(r.mainnetAccuracy)}, cascade ${pct(r.cascadeAccuracy)}, exit rate ${r.exitRates.map(pct).join(" / ")}`,
  );
  for (const [e, c] of r.exitCalibration.entries()) {
    console.log(
      `exit ${e}: ECE ${c.before.ece.toFixed(4)} → ${c.after.ece.toFixed(4)} after temperature, NLL ${c.before.nll.toFixed(4)} → ${c.after.nll.toFixed(4)}`,
    );
  }
  console.log(
    `MainNet: ECE ${r.mainnetCalibration.ece.toFixed(4)}, NLL ${r.mainnetCalibration.nll.toFixed(4)}`,
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, target, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      json: { type: "boolean", default: false },
      data: { type: "string" },
      calibration: { type: "string" },
      out: { type: "string" },
      taps: { type: "string" },
      pooling: { type: "string" },
      "max-drop": { type: "string" },
      "max-cost": { type: "string" },
      "max-exits": { type: "string", default: "2" },
      criteria: { type: "string" },
      seed: { type: "string", default: "0" },
      dtype: { type: "string", default: "fp32" },
      name: { type: "string" },
      resamples: { type: "string", default: "200" },
    },
  });
  if (!command || !target || command === "help") {
    console.log(USAGE);
    return;
  }
  const modality = modalityOf(target);
  if (command === "inspect") {
    const bytes = readFileSync(join(target, "onnx", "model.onnx"));
    const taps = findTapCandidates(decodeModel(bytes));
    const split = splitModel(decodeModel(bytes), taps.length ? [taps[0]!.name] : []);
    if (values.json)
      console.log(JSON.stringify({ model: target, modality, taps, carried: split.carried }, null, 2));
    else {
      console.log(
        `${target} (${modality}): ${taps.length} candidate taps (share = MatMul/Gemm/Conv weights before the tap; attach measures time)`,
      );
      for (const t of taps) console.log(`  ${(t.weightShare * 100).toFixed(1).padStart(5)} %  ${t.name}`);
      if (split.carried.length) console.log(`carried across cuts: ${split.carried.join(", ")}`);
    }
    return;
  }
  if (command === "attach" || command === "sweep") {
    if (!values.data || !values.calibration || !values.out) {
      throw new SideNetError("INVALID_ARGUMENT", `attach needs --data, --calibration and --out.\n${USAGE}`);
    }
    console.error(
      `heads train on ${values.data}; temperature and τ are fitted on ${values.calibration} (rows the MainNet must never have trained on)`,
    );
    const common = {
      mainnet: target,
      out: values.out,
      taps: values.taps?.split(","),
      ...(values["max-cost"] !== undefined
        ? { maxCost: Number(values["max-cost"]) }
        : { maxDrop: Number(values["max-drop"] ?? 0.5) }),
      maxExits: Number(values["max-exits"]),
      criteria: values.criteria?.split(",") as ExitCriterion[] | undefined,
      seed: Number(values.seed),
      trainName: values.data,
      calibrationName: values.calibration,
    };
    const { manifest, sweep } =
      modality === "image"
        ? await vision.attachVisionSideNet({
            ...common,
            train: vision.readImageDataset(values.data),
            calibration: vision.readImageDataset(values.calibration),
            poolings: values.pooling ? [values.pooling as vision.VisionPooling] : undefined,
          })
        : await text.attachTextSideNet({
            ...common,
            train: text.readTextJsonl(values.data),
            calibration: text.readTextJsonl(values.calibration),
            poolings: values.pooling ? [values.pooling as text.TextPooling] : undefined,
          });
    if (command === "sweep") {
      console.log(
        `Pareto front on ${sweep.rows} calibration rows (cost: share of the MainNet's measured time):`,
      );
      for (const p of sweep.front)
        console.log(
          `  ${p === sweep.front.find((q) => q.cost === sweep.chosen.cost && q.accuracy === sweep.chosen.accuracy) ? "*" : " "} ${describePoint(p)}`,
        );
    }
    console.log(`chosen: ${describePoint(sweep.chosen)}`);
    console.log(`wrote ${values.out} (${manifest.exits.length} exit${manifest.exits.length > 1 ? "s" : ""})`);
    return;
  }
  if (command === "eval" || command === "report") {
    if (!values.data) throw new SideNetError("INVALID_ARGUMENT", `${command} needs --data.\n${USAGE}`);
    const options = { dtype: values.dtype };
    let r: Evaluation;
    if (modality === "image") {
      const model = await vision.SideNetForImageClassification.from_pretrained(target, options);
      r = await vision.evaluateVisionSideNet(model, target, vision.readImageDataset(values.data));
      await model.dispose();
    } else {
      const model = await text.SideNetForSequenceClassification.from_pretrained(target, options);
      r = await text.evaluateTextSideNet(model, target, text.readTextJsonl(values.data));
      await model.dispose();
    }
    if (command === "report") {
      const out = values.out ?? join(target, "report");
      const data = reportData(values.name ?? basename(target), target, r, Number(values.resamples));
      for (const f of await writeReport(data, out)) console.log(`wrote ${f}`);
      return;
    }
    if (values.json) console.log(JSON.stringify({ ...r, raw: undefined }, null, 2));
    else printEvaluation(r);
    return;
  }
  throw new SideNetError("INVALID_ARGUMENT", `unknown command "${command}".\n${USAGE}`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof SideNetError ? `sidenet: ${e.message}` : e);
  process.exitCode = 1;
});
