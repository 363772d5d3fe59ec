import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  type ExitSpec,
  FORMAT_VERSION,
  HEADS_FILE,
  SIDENET_JSON,
  type SideNetManifest,
} from "../artefact/format.js";
import { sha256File, writeFileAtomic } from "../artefact/fs.js";
import { headsToSafetensors } from "../artefact/heads.js";
import { applyTemperature, fitTemperature } from "../calibration/temperature.js";
import { InvalidArgumentError } from "../errors.js";
import type { MlpHead } from "../head/mlp-head.js";
import { confidence } from "../math/confidence.js";
import { argmaxRows, softmax } from "../math/softmax.js";
import { decodeModel } from "../onnx/graph.js";
import { splitModel } from "../onnx/split.js";
import { findTapCandidates } from "../onnx/taps.js";
import { pickByMaxDrop, type SweepPoint, thresholdSweep } from "../selection/sweep.js";
import { trainHead } from "../training/train-head.js";
import type { ModalityAdapter } from "./adapter.js";
import { extractFeatures } from "./features.js";

/** Labelled items: `items[i]` has label name `labels[i]` (a label of the MainNet's id2label). */
export interface LabelledItems<Item> {
  items: readonly Item[];
  labels: readonly string[];
}

/** Options of {@link attachSideNet}. */
export interface AttachOptions<Item> {
  /** MainNet directory (transformers.js layout). */
  mainnet: string;
  /** Rows the heads train on (may be the MainNet's own training rows). */
  train: LabelledItems<Item>;
  /** Held-out rows the MainNet never trained on: temperature and τ are fitted here (design.md §6). */
  calibration: LabelledItems<Item>;
  /** Where the artefact directory is written. */
  out: string;
  /** Taps to consider (default: every candidate found by structure). */
  taps?: readonly string[];
  /** Poolings to consider (default: all the adapter's). */
  poolings?: readonly string[];
  /** Accuracy budget in percentage points below the MainNet, on the calibration rows. */
  maxDrop?: number;
  hiddenSize?: number;
  seed?: number;
  /** Names of the splits, stored in sidenet.json. */
  trainName?: string;
  calibrationName?: string;
  log?: (line: string) => void;
}

/** One evaluated (tap, pooling) candidate. */
export interface ExitCandidateReport {
  tap: string;
  pooling: string;
  /** Measured share of the MainNet's time spent before this tap. */
  share: number;
  temperature: number;
  headAccuracy: number;
  chosen: SweepPoint;
  sweep: SweepPoint[];
}

/** Label ids of label names under a MainNet's id2label, naming unknown labels. */
export function labelIds(
  labels: readonly string[],
  id2label: Record<string, string>,
  source: string,
): Int32Array {
  const label2id = new Map(Object.entries(id2label).map(([id, l]) => [l, Number(id)]));
  return Int32Array.from(labels, (label, i) => {
    const id = label2id.get(label);
    if (id === undefined) {
      throw new InvalidArgumentError(
        `${source}: row ${i + 1} has label "${label}", which the MainNet does not know (labels: ${[...label2id.keys()].join(", ")}).`,
      );
    }
    return id;
  });
}

/**
 * Attaches a SideNet to a MainNet: features at every candidate tap in one pass, a head per
 * (tap, pooling) trained on `train`, a temperature and a τ per head fitted on `calibration`, then the
 * (tap, pooling, τ) of least expected cost within `maxDrop` is written as an artefact.
 */
export async function attachSideNet<Item>(
  adapter: ModalityAdapter<Item>,
  o: AttachOptions<Item>,
): Promise<{ manifest: SideNetManifest; candidates: ExitCandidateReport[] }> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const config = JSON.parse(readFileSync(join(o.mainnet, "config.json"), "utf8")) as {
    id2label: Record<string, string>;
  };
  const classes = Object.keys(config.id2label).length;
  const candidates = findTapCandidates(decodeModel(readFileSync(join(o.mainnet, "onnx", "model.onnx"))));
  const taps = o.taps ?? candidates.map((c) => c.name);
  const shareOf = new Map(candidates.map((c) => [c.name, c.weightShare]));
  for (const t of taps) {
    if (!shareOf.has(t)) {
      throw new InvalidArgumentError(
        `attach: "${t}" is not a candidate tap; candidates: ${[...shareOf.keys()].join(", ")}.`,
      );
    }
  }
  const poolings = o.poolings ?? adapter.poolings;
  for (const p of poolings) {
    if (!adapter.poolings.includes(p)) {
      throw new InvalidArgumentError(`attach: pooling "${p}" is not one of ${adapter.poolings.join(", ")}.`);
    }
  }
  const yTrain = labelIds(o.train.labels, config.id2label, o.trainName ?? "train");
  const yCal = labelIds(o.calibration.labels, config.id2label, o.calibrationName ?? "calibration");

  const fTrain = await extractFeatures(adapter, o.mainnet, o.train.items, {
    taps,
    poolings,
    label: "features (train)",
  });
  const fCal = await extractFeatures(adapter, o.mainnet, o.calibration.items, {
    taps,
    poolings,
    label: "features (calibration)",
  });
  const mainPred = argmaxRows(fCal.logits.data, classes);
  // Cost share of each tap: measured wall time of the segments before it in the training pass (design.md
  // §7); weight share is kept beside it. Weights are a fair proxy for transformers, not for CNNs, whose
  // early high-resolution stages hold few weights but most of the work.
  const totalMs = fTrain.segmentMs.reduce((a, b) => a + b, 0);
  const measured = new Map(
    taps.map((t, i) => [t, fTrain.segmentMs.slice(0, i + 1).reduce((a, b) => a + b, 0) / totalMs]),
  );
  log(
    `measured cost share per tap: ${taps.map((t) => `${(measured.get(t)! * 100).toFixed(1)} %`).join(", ")}`,
  );

  const reports: (ExitCandidateReport & { head: MlpHead })[] = [];
  for (const tap of taps) {
    for (const pooling of poolings) {
      const { head } = trainHead(fTrain.features[tap]![pooling]!, yTrain, {
        classes,
        hiddenSize: o.hiddenSize ?? 128,
        seed: o.seed ?? 0,
        validation: 0.1,
      });
      const calLogits = head.forward(fCal.features[tap]![pooling]!.data);
      const T = fitTemperature(calLogits, classes, yCal);
      const probs = softmax(applyTemperature(calLogits, T), classes);
      const predicted = argmaxRows(probs, classes);
      const sweep = thresholdSweep({
        confidence: confidence(probs, classes),
        exitPrediction: predicted,
        mainnetPrediction: mainPred,
        labels: yCal,
        share: measured.get(tap)!,
      });
      const chosen = pickByMaxDrop(sweep, o.maxDrop ?? 0.5);
      const headAccuracy = predicted.reduce((a, p, i) => a + (p === yCal[i] ? 1 : 0), 0) / yCal.length;
      reports.push({
        tap,
        pooling,
        share: shareOf.get(tap)!,
        temperature: T,
        headAccuracy,
        chosen,
        sweep,
        head,
      });
      log(
        `  ${tap} [${pooling}]: head acc ${(headAccuracy * 100).toFixed(1)} %, T ${T.toFixed(2)}, τ ${chosen.threshold.toFixed(3)} → exit ${(chosen.exitRate * 100).toFixed(1)} %, cost ${(chosen.cost * 100).toFixed(1)} %`,
      );
    }
  }
  const best = reports.reduce((a, b) => (b.chosen.cost < a.chosen.cost - 1e-12 ? b : a));
  log(
    `chosen: ${best.tap} [${best.pooling}] τ = ${best.chosen.threshold.toFixed(4)} (calibration: exit ${(best.chosen.exitRate * 100).toFixed(1)} %, accuracy ${(best.chosen.accuracy * 100).toFixed(2)} %)`,
  );

  const exit: ExitSpec = {
    tap: best.tap,
    pooling: best.pooling,
    head: {
      input_size: best.head.shape.inputSize,
      hidden_size: best.head.shape.hiddenSize,
      classes,
      activation: best.head.shape.activation,
    },
    weights: "exit0",
    temperature: best.temperature,
    threshold: best.chosen.threshold,
    confidence: "max-prob",
    metrics: {
      calibration_exit_rate: best.chosen.exitRate,
      calibration_accuracy: best.chosen.accuracy,
      calibration_mainnet_accuracy: best.sweep.find((p) => p.threshold === 1)!.accuracy,
      calibration_agreement: best.chosen.agreement,
      expected_cost: best.chosen.cost,
      measured_cost_share: best.share,
      weight_share: shareOf.get(best.tap)!,
      head_accuracy: best.headAccuracy,
    },
  };
  const manifest = writeArtefact(adapter.task, o, [exit], [best.head], {
    train_split: o.trainName ?? "train",
    calibration_split: o.calibrationName ?? "calibration",
    calibration_rows: o.calibration.items.length,
    max_drop_pt: o.maxDrop ?? 0.5,
    criterion: "least expected cost within max_drop on the calibration split",
  });
  return { manifest, candidates: reports.map(({ head: _h, ...r }) => r) };
}

/**
 * Writes the artefact into a fresh temporary directory beside `out`, then swaps it in with renames, so
 * an interrupted attach leaves the previous artefact as it was.
 */
function writeArtefact<Item>(
  task: string,
  o: AttachOptions<Item>,
  exits: ExitSpec[],
  heads: MlpHead[],
  calibration: Record<string, unknown>,
): SideNetManifest {
  const tmp = join(dirname(o.out), `.${basename(o.out)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, "onnx"), { recursive: true });
  for (const f of readdirSync(o.mainnet)) {
    if ((f.endsWith(".json") || f.endsWith(".txt")) && f !== SIDENET_JSON)
      copyFileSync(join(o.mainnet, f), join(tmp, f));
  }
  const taps = exits.map((e) => e.tap);
  const segments: Record<string, string[]> = {};
  let split: ReturnType<typeof splitModel> | undefined;
  for (const [dtype, file, suffix] of [
    ["fp32", "model.onnx", ""],
    ["q8", "model_quantized.onnx", "_quantized"],
  ] as const) {
    const src = join(o.mainnet, "onnx", file);
    if (!existsSync(src)) continue;
    copyFileSync(src, join(tmp, "onnx", file));
    const s = splitModel(decodeModel(readFileSync(src)), taps);
    if (dtype === "fp32") split = s;
    segments[dtype] = s.segments.map((seg, i) => {
      const name = `onnx/sidenet_segment_${i}${suffix}.onnx`;
      writeFileAtomic(join(tmp, name), seg.bytes);
      return name;
    });
  }
  if (!split) throw new InvalidArgumentError(`attach: ${join(o.mainnet, "onnx", "model.onnx")} not found.`);
  writeFileAtomic(
    join(tmp, HEADS_FILE),
    headsToSafetensors(heads.map((head, i) => ({ prefix: exits[i]!.weights, head }))),
  );
  const config = JSON.parse(readFileSync(join(o.mainnet, "config.json"), "utf8")) as {
    id2label: Record<string, string>;
  };
  const manifest: SideNetManifest = {
    format_version: FORMAT_VERSION,
    task,
    mainnet: { file: "onnx/model.onnx", sha256: sha256File(join(o.mainnet, "onnx", "model.onnx")) },
    segments,
    segment_inputs: split.segments.map((s) => s.inputs),
    carried: split.carried,
    exits,
    id2label: config.id2label,
    calibration,
    created_by: "sidenet 0.1.0",
  };
  writeFileAtomic(join(tmp, SIDENET_JSON), `${JSON.stringify(manifest, null, 2)}\n`);
  const old = `${o.out}.old-${process.pid}`;
  if (existsSync(o.out)) renameSync(o.out, old);
  renameSync(tmp, o.out);
  rmSync(old, { recursive: true, force: true });
  return manifest;
}
