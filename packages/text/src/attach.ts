import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  applyTemperature,
  argmaxRows,
  confidence,
  decodeModel,
  type ExitSpec,
  FORMAT_VERSION,
  findTapCandidates,
  fitTemperature,
  HEADS_FILE,
  headsToSafetensors,
  InvalidArgumentError,
  type MlpHead,
  pickByMaxDrop,
  SIDENET_JSON,
  type SideNetManifest,
  type SweepPoint,
  sha256File,
  softmax,
  splitModel,
  thresholdSweep,
  trainHead,
  writeFileAtomic,
} from "@sidenet/core";
import { labelIds, type TextRow } from "./data.js";
import { extractTextFeatures } from "./features.js";
import { TEXT_POOLINGS, type TextPooling } from "./pooling.js";

/** Options of {@link attachTextSideNet}. */
export interface AttachTextOptions {
  /** MainNet directory (transformers.js layout). */
  mainnet: string;
  /** Rows the heads train on (may be the MainNet's own training rows). */
  train: readonly TextRow[];
  /** Held-out rows the MainNet never trained on: temperature and τ are fitted here (design.md §6). */
  calibration: readonly TextRow[];
  /** Where the artefact directory is written. */
  out: string;
  /** Taps to consider (default: every candidate found by structure). */
  taps?: readonly string[];
  poolings?: readonly TextPooling[];
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
  pooling: TextPooling;
  share: number;
  temperature: number;
  headAccuracy: number;
  chosen: SweepPoint;
  sweep: SweepPoint[];
}

/**
 * Attaches a SideNet to a BERT-family MainNet: features at every candidate tap in one pass, a head per
 * (tap, pooling) trained on `train`, a temperature per head and a τ per head fitted on `calibration`,
 * then the (tap, pooling, τ) of least expected cost within `maxDrop` is written as an artefact.
 */
export async function attachTextSideNet(
  o: AttachTextOptions,
): Promise<{ manifest: SideNetManifest; candidates: ExitCandidateReport[] }> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const config = JSON.parse(readFileSync(join(o.mainnet, "config.json"), "utf8")) as {
    id2label: Record<string, string>;
  };
  const classes = Object.keys(config.id2label).length;
  const modelPath = join(o.mainnet, "onnx", "model.onnx");
  const candidates = findTapCandidates(decodeModel(readFileSync(modelPath)));
  const taps = o.taps ?? candidates.map((c) => c.name);
  const shareOf = new Map(candidates.map((c) => [c.name, c.weightShare]));
  for (const t of taps) {
    if (!shareOf.has(t))
      throw new InvalidArgumentError(
        `attach: "${t}" is not a candidate tap; candidates: ${[...shareOf.keys()].join(", ")}.`,
      );
  }
  const poolings = o.poolings ?? TEXT_POOLINGS;
  const yTrain = labelIds(o.train, config.id2label, o.trainName ?? "train");
  const yCal = labelIds(o.calibration, config.id2label, o.calibrationName ?? "calibration");

  const fTrain = await extractTextFeatures(
    o.mainnet,
    o.train.map((r) => r.text),
    { taps, poolings, label: "features (train)" },
  );
  const fCal = await extractTextFeatures(
    o.mainnet,
    o.calibration.map((r) => r.text),
    { taps, poolings, label: "features (calibration)" },
  );
  const mainPred = argmaxRows(fCal.logits.data, classes);

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
      const sweep = thresholdSweep({
        confidence: confidence(probs, classes),
        exitPrediction: argmaxRows(probs, classes),
        mainnetPrediction: mainPred,
        labels: yCal,
        share: shareOf.get(tap)!,
      });
      const chosen = pickByMaxDrop(sweep, o.maxDrop ?? 0.5);
      const headAccuracy =
        argmaxRows(probs, classes).reduce((a, p, i) => a + (p === yCal[i] ? 1 : 0), 0) / yCal.length;
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
      head_accuracy: best.headAccuracy,
    },
  };
  const manifest = writeArtefact(o, [exit], [best.head], {
    train_split: o.trainName ?? "train",
    calibration_split: o.calibrationName ?? "calibration",
    calibration_rows: o.calibration.length,
    max_drop_pt: o.maxDrop ?? 0.5,
    criterion: "least expected cost within max_drop on the calibration split",
  });
  return { manifest, candidates: reports.map(({ head: _h, ...r }) => r) };
}

/**
 * Writes the artefact into a fresh temporary directory beside `out`, then swaps it in with renames, so
 * an interrupted attach leaves the previous artefact as it was.
 */
function writeArtefact(
  o: AttachTextOptions,
  exits: ExitSpec[],
  heads: MlpHead[],
  calibration: Record<string, unknown>,
): SideNetManifest {
  const tmp = join(dirname(o.out), `.${basename(o.out)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, "onnx"), { recursive: true });
  for (const f of readdirSync(o.mainnet))
    if (f.endsWith(".json") || f.endsWith(".txt")) copyFileSync(join(o.mainnet, f), join(tmp, f));
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
    task: "text-classification",
    mainnet: { file: "onnx/model.onnx", sha256: sha256File(join(o.mainnet, "onnx", "model.onnx")) },
    segments,
    segment_inputs: split.segments.map((s) => s.inputs),
    carried: split.carried,
    exits,
    id2label: config.id2label,
    calibration,
    created_by: "@sidenet/text 0.1.0",
  };
  writeFileAtomic(join(tmp, SIDENET_JSON), `${JSON.stringify(manifest, null, 2)}\n`);
  const old = `${o.out}.old-${process.pid}`;
  if (existsSync(o.out)) renameSync(o.out, old);
  renameSync(tmp, o.out);
  rmSync(old, { recursive: true, force: true });
  return manifest;
}
