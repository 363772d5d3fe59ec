#!/usr/bin/env node
/**
 * The sidenet CLI: `inspect`, `sweep` / `attach`, `eval`, `report`, for text (BERT family) and image (ResNet) MainNets.
 * Run through `pnpm sidenet <command> …` from the repository root.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { decodeModel, type ExitCriterion, findTapCandidates, SideNetError, splitModel } from "@sidenet/core";
import { describePoint, type SideNetManifest } from "@sidenet/core/artefact";
import type { Evaluation } from "@sidenet/core/attach";
import type { PoolingName } from "@sidenet/core/runtime";
import * as text from "@sidenet/text";
import * as vision from "@sidenet/vision";
import { taskOf } from "./architectures.js";
import { reportData } from "./report/data.js";
import { writeReport } from "./report/render.js";

const USAGE = `usage:
  sidenet inspect <model dir> [--json]
  sidenet sweep <model dir> --data <train> --calibration <held-out> --out <dir>
      [--max-drop 0.5 [--risk 0.1] | --max-cost 0.4] [--max-exits 2] [--criteria max-prob,margin,entropy,patience]
      [--taps a,b] [--pooling cls|mean|global-average] [--seed 0]
      [--task text-classification|image-classification]   (for a model_type outside the registry)
  sidenet attach …   (the same as sweep, printing only the choice)
  sidenet eval <sidenet dir> --data <test> [--json] [--dtype fp32|q8]
  sidenet report <sidenet dir> --data <test> [--out <dir>] [--name <title>] [--resamples 200]
      report.html (self-contained, plots inline), report.md and SVG plots: the Pareto front, reliability
      before/after temperature, exit rate vs τ, confidence per exit, calibration with bootstrap intervals

Text data: JSONL rows {"text": "...", "label": "..."}. Image data: JSONL rows {"image": "<path>", "label": "..."}
(paths relative to the file) or an image folder <root>/<label>/*.png|jpg. --calibration must be rows the
MainNet never trained on: temperature and τ are fitted there. sweep evaluates every cascade of up to
--max-exits exits × τ × criterion on those rows, picks one by the budget, prints the Pareto front, and writes
the artefact (the choice, the front and the criterion in sidenet.json; the whole sweep in sweep.json).
--max-drop alone is empirical: the drop is ≤ the budget on the calibration rows, which overshoots on new rows
when they are few. --risk δ certifies it: the cheapest cascade whose drop is below the budget with
probability ≥ 1 − δ on new rows (Learn-then-Test on a random half of the calibration rows); when none is,
the MainNet alone, with the number of rows a certificate would need.`;

function printEvaluation(r: Evaluation): void {
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  console.log(
    `${r.rows} rows: MainNet ${pct(r.mainnetAccuracy)}, cascade ${pct(r.cascadeAccuracy)} (observed drop ${((r.mainnetAccuracy - r.cascadeAccuracy) * 100).toFixed(2)} pt), exit rate ${r.exitRates.map(pct).join(" / ")}`,
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

/** The artefact's stored policies: the small-batch rule with its evidence, the file pins. */
function printPolicies(m: SideNetManifest): void {
  const rule = m.small_batches;
  const old = m.selection?.small_batches;
  if (rule) {
    console.log(`small-batch rule: ${rule.decision}`);
    console.log(
      `  cascade vs MainNet at attach: ${rule.timings.map((t) => `${t.batch}: ${t.speedup.toFixed(2)}× (slower in ${t.slower_rounds ?? "?"}/${t.rounds ?? "?"} rounds${t.p_slower === undefined ? "" : `, p ${t.p_slower.toPrecision(2)}`})`).join(", ")}`,
    );
  } else if (old) {
    console.log(
      `small-batch rule: ${m.mainnet_below_rows ? `batches below ${m.mainnet_below_rows} rows run the MainNet alone` : "none"} (timed once per size at attach: ${old.map((t) => `${t.batch}: ${t.speedup.toFixed(2)}×`).join(", ")})`,
    );
  } else console.log("small-batch rule: none (the cascade at every batch size)");
  const c = m.selection?.certification;
  const pt = (x: number) => `${(x * 100).toFixed(2)} pt`;
  if (c) {
    console.log(
      c.certified > 0
        ? `budget: certified — drop ≤ ${pt(c.bound!)} (< ${pt(c.epsilon)}) with probability ≥ ${1 - c.delta} on new rows; observed ${pt(c.observed_drop!)} on its ${c.test_rows} test rows at attach`
        : `budget: nothing certified below ${pt(c.epsilon)} at risk ${c.delta} with ${c.test_rows} test rows: the MainNet alone${c.rows_needed ? ` (about ${c.rows_needed} calibration rows would be needed)` : ""}`,
    );
  } else if (m.calibration?.max_drop_pt !== undefined) {
    console.log(
      `budget: empirical — drop ≤ ${m.calibration.max_drop_pt} pt on the ${m.calibration.calibration_rows} calibration rows, not certified on new rows (attach with --risk 0.1 to certify)`,
    );
  }
  const pins = Object.keys(m.files ?? {}).length;
  console.log(
    pins
      ? `files: ${pins} pinned by sha256 in sidenet.json, checked at every load`
      : "files: not pinned (an artefact written before pins; re-run `sidenet attach` to pin them)",
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
      risk: { type: "string" },
      "max-exits": { type: "string", default: "2" },
      criteria: { type: "string" },
      seed: { type: "string", default: "0" },
      dtype: { type: "string", default: "fp32" },
      name: { type: "string" },
      resamples: { type: "string", default: "200" },
      task: { type: "string" },
    },
  });
  if (!command || !target || command === "help") {
    console.log(USAGE);
    return;
  }
  if (command === "inspect") {
    // any graph can be inspected; the task is shown when the registry (or --task) knows it
    let modality: string;
    try {
      modality = taskOf(target, values.task);
    } catch (e) {
      if (!(e instanceof SideNetError && e.code === "INCOMPATIBLE_MODEL")) throw e;
      modality = "architecture not in the registry: attach needs --taps, --pooling and --task";
    }
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
  const modality = taskOf(target, values.task) === "image-classification" ? "image" : "text";
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
      ...(values.risk !== undefined ? { risk: Number(values.risk) } : {}),
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
            poolings: values.pooling ? [values.pooling as PoolingName] : undefined,
          })
        : await text.attachTextSideNet({
            ...common,
            train: text.readTextJsonl(values.data),
            calibration: text.readTextJsonl(values.calibration),
            poolings: values.pooling ? [values.pooling as PoolingName] : undefined,
          });
    if (command === "sweep") {
      console.log(
        `Pareto front on ${sweep.rows} calibration rows (cost: expected share of the MainNet's FLOPs, heads included):`,
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
    let manifest: SideNetManifest;
    if (modality === "image") {
      const model = await vision.SideNetForImageClassification.from_pretrained(target, options);
      manifest = model.manifest;
      r = await vision.evaluateVisionSideNet(model, target, vision.readImageDataset(values.data));
      await model.dispose();
    } else {
      const model = await text.SideNetForSequenceClassification.from_pretrained(target, options);
      manifest = model.manifest;
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
    else {
      printEvaluation(r);
      printPolicies(manifest);
    }
    return;
  }
  throw new SideNetError("INVALID_ARGUMENT", `unknown command "${command}".\n${USAGE}`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof SideNetError ? `sidenet: ${e.message}` : e);
  process.exitCode = 1;
});
