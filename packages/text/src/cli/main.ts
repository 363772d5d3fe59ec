#!/usr/bin/env node
/**
 * sidenet CLI (text): `inspect`, `attach`, `eval`. Run through `pnpm sidenet <command> …`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { decodeModel, findTapCandidates, SideNetError, splitModel } from "@sidenet/core";
import { attachTextSideNet, evaluateTextSideNet } from "../adapter.js";
import { readTextJsonl } from "../data.js";
import { SideNetForSequenceClassification } from "../load.js";

const USAGE = `usage:
  sidenet inspect <model dir> [--json]
  sidenet attach <model dir> --data <train.jsonl> --calibration <held-out.jsonl> --out <dir> [--taps a,b] [--pooling cls|mean] [--max-drop 0.5] [--seed 0]
  sidenet eval <sidenet dir> --data <test.jsonl> [--json] [--dtype fp32|q8]

JSONL rows are {"text": "...", "label": "<a label of the MainNet>"}. --calibration must be rows the
MainNet never trained on: temperature and τ are fitted there.`;

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
      "max-drop": { type: "string", default: "0.5" },
      seed: { type: "string", default: "0" },
      dtype: { type: "string", default: "fp32" },
    },
  });
  if (!command || !target || command === "help") {
    console.log(USAGE);
    return;
  }
  if (command === "inspect") {
    const bytes = readFileSync(join(target, "onnx", "model.onnx"));
    const taps = findTapCandidates(decodeModel(bytes));
    const split = splitModel(decodeModel(bytes), taps.length ? [taps[0]!.name] : []);
    const info = { model: target, taps, carried: split.carried };
    if (values.json) console.log(JSON.stringify(info, null, 2));
    else {
      console.log(
        `${target}: ${taps.length} candidate taps (share = MatMul/Gemm/Conv weights before the tap)`,
      );
      for (const t of taps) console.log(`  ${(t.weightShare * 100).toFixed(1).padStart(5)} %  ${t.name}`);
      if (split.carried.length) console.log(`carried across cuts: ${split.carried.join(", ")}`);
    }
    return;
  }
  if (command === "attach") {
    if (!values.data || !values.calibration || !values.out)
      throw new SideNetError("INVALID_ARGUMENT", `attach needs --data, --calibration and --out.\n${USAGE}`);
    console.error(
      `heads train on ${values.data}; temperature and τ are fitted on ${values.calibration} (it must be rows the MainNet never trained on)`,
    );
    const { manifest } = await attachTextSideNet({
      mainnet: target,
      train: readTextJsonl(values.data),
      calibration: readTextJsonl(values.calibration),
      out: values.out,
      taps: values.taps?.split(","),
      poolings: values.pooling ? [values.pooling as "cls" | "mean"] : undefined,
      maxDrop: Number(values["max-drop"]),
      seed: Number(values.seed),
      trainName: values.data,
      calibrationName: values.calibration,
    });
    console.log(
      `wrote ${values.out} (exit at ${manifest.exits[0]!.tap}, τ = ${manifest.exits[0]!.threshold.toFixed(4)})`,
    );
    return;
  }
  if (command === "eval") {
    if (!values.data) throw new SideNetError("INVALID_ARGUMENT", `eval needs --data.\n${USAGE}`);
    const model = await SideNetForSequenceClassification.from_pretrained(target, { dtype: values.dtype });
    const r = await evaluateTextSideNet(model, target, readTextJsonl(values.data));
    await model.dispose();
    if (values.json) console.log(JSON.stringify(r, null, 2));
    else {
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
    return;
  }
  throw new SideNetError("INVALID_ARGUMENT", `unknown command "${command}".\n${USAGE}`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof SideNetError ? `sidenet: ${e.message}` : e);
  process.exitCode = 1;
});
