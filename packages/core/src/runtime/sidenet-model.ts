import { mainnetGraph, mainnetModelName, SIDENET_JSON } from "../artefact/files.js";
import type { SideNetManifest } from "../artefact/format.js";
import { checkPinnedFile, checkSideFiles } from "../artefact/pins.js";
import {
  checkMainNet,
  checkPoolings,
  checkSegments,
  type GraphNames,
  readConfig,
  readHeads,
  readManifest,
  segmentModelNames,
  sessionError,
} from "../artefact/read.js";
import type { ArtefactFiles } from "../artefact/source.js";
import { checkLabelMap } from "../artefact/validate.js";
import { IncompatibleModelError, InvalidArgumentError, invalid } from "../errors.js";
import type { MlpHead } from "../head/mlp-head.js";
import { confidence } from "../math/confidence.js";
import { softmax } from "../math/softmax.js";
import type { Architecture } from "../models/architecture.js";
import { POOLINGS } from "../pooling/index.js";
import { type CascadeOutput, runCascade } from "../routing/cascade.js";
import { checkThreshold } from "../routing/exit-rule.js";
import { type SegmentRunner, segmentCascadeSpec } from "./segment-cascade.js";
import { type ExitTelemetry, telemetryOf } from "./telemetry.js";
import {
  AutoModel,
  DEFAULT_SESSION_OPTIONS,
  type HfModel,
  type HfTensor,
  PreTrainedModel,
  SequenceClassifierOutput,
  Tensor,
  type TensorMap,
} from "./transformers.js";

/** Options of {@link SideNetModel.load}; the transformers.js ones are passed through to every segment. */
export interface LoadSideNetOptions {
  /** "fp32" (default) or "q8": which segment files to load. */
  dtype?: string;
  /** The task the caller serves: an artefact of another task is refused (IncompatibleModelError). */
  task?: string;
  /**
   * The caller's registry of architectures: when the MainNet's `model_type` is in it, every exit's
   * pooling must be one of that architecture's (a CorruptArtefactError otherwise).
   */
  architectures?: readonly Architecture[];
  /**
   * Files the task's pre-processing reads (e.g. tokenizer.json): each is checked against its pin, and
   * one the artefact has but does not pin is refused.
   */
  preprocessing_files?: readonly string[];
  device?: string;
  session_options?: Record<string, unknown>;
  /** Overrides the stored τ of each exit. */
  thresholds?: number[];
  /** Hub revision of a fetched artefact (transformers.js's option). */
  revision?: string;
  /**
   * Overrides sidenet.json's `mainnet_below_rows`: calls on batches of fewer rows that keep the stored τ
   * run the unsplit MainNet (0: never).
   */
  mainnet_below_rows?: number;
}

/** Per-call τ override of {@link SideNetModel.run}: `thresholds` (one per exit) wins over `threshold` (all exits). */
export interface RunSideNetOptions {
  threshold?: number;
  thresholds?: readonly number[];
  /** `false` ignores patience (agreement with the previous exit), to read each exit on its own. */
  patience?: boolean;
}

/** The input and output names of a transformers.js model's ONNX session (undefined when it has none). */
const graphNames = (m: HfModel): GraphNames | undefined =>
  (m as unknown as { sessions?: { model?: GraphNames } }).sessions?.model;

/** Rows of a batch of model inputs (the first dimension of its first tensor). */
const batchRows = (inputs: TensorMap) => Object.values(inputs)[0]?.dims[0] ?? 0;

/**
 * A MainNet with SideNets, loaded from an artefact (a local directory, or fetched in the browser): segment
 * sessions through transformers.js, heads from the heads safetensors file. It is a transformers.js `PreTrainedModel`: calling it on tokenizer or
 * processor outputs returns a `SequenceClassifierOutput` whose logits are the exit's (temperature-scaled)
 * logits for rows that exit and the MainNet's own logits for the others.
 */
export class SideNetModel extends PreTrainedModel {
  readonly manifest: SideNetManifest;
  readonly heads: MlpHead[];
  readonly segments: HfModel[];
  thresholds: number[];
  /** Batches of fewer rows that keep the stored τ run the unsplit MainNet (sidenet.json `mainnet_below_rows`; 0: never). */
  mainnetBelowRows: number;
  /** Telemetry of the last `_call` (per-call telemetry: use {@link SideNetModel.run}). */
  lastTelemetry: ExitTelemetry[] = [];
  private readonly spec;
  /** How to load the unsplit MainNet, used when every exit is off (τ ≥ 1). */
  private readonly loadFull: () => Promise<HfModel>;
  private full: Promise<HfModel> | undefined;
  private disposed = false;

  private constructor(
    config: HfModel["config"],
    manifest: SideNetManifest,
    segments: HfModel[],
    heads: MlpHead[],
    thresholds: number[],
    mainnetBelowRows: number,
    loadFull: () => Promise<HfModel>,
  ) {
    super(config as never, {}, {});
    this.mainnetBelowRows = mainnetBelowRows;
    this.loadFull = loadFull;
    this.manifest = manifest;
    this.segments = segments;
    this.heads = heads;
    this.thresholds = thresholds;
    const pools = manifest.exits.map((e) => POOLINGS[e.pooling]);
    this.spec = segmentCascadeSpec<HfTensor>({
      classes: Object.keys(manifest.id2label).length,
      segments: segments.map((s) => s as unknown as SegmentRunner<HfTensor>),
      segmentInputs: manifest.segment_inputs,
      shared: manifest.shared,
      exits: manifest.exits.map((e, i) => ({
        tap: e.tap,
        pool: (state) => pools[i]!.pool(state, e.tap),
        head: heads[i]!,
        logitsOutput: e.logits_output,
        temperature: e.temperature,
        threshold: e.threshold,
        measure: e.confidence,
        agreeWithPrevious: e.agree_with_previous === true,
      })),
      // a folded exit's pooling inputs are inputs of its segment (segment_inputs)
      poolingInputs: [
        ...new Set(pools.flatMap((p, i) => (manifest.exits[i]!.logits_output ? [] : p.inputs))),
      ],
      makeTensor: (type, data, dims) => new Tensor(type, data, dims),
      disposeTensor: (t) => t.dispose(),
    });
  }

  /** True when the artefact source holds a `sidenet.json` (a local directory, or a fetched model id). */
  static isArtefact(files: ArtefactFiles): Promise<boolean> {
    return files.exists(SIDENET_JSON);
  }

  /**
   * Loads and validates an artefact: manifest fields, the MainNet's hash, the label map, segment files,
   * head shapes and weights. Every failure names the file, the field and the fix. `files` says where
   * the files come from: `localArtefact(dir)` in Node, `remoteArtefact(id)` in the browser.
   *
   * @example
   * ```ts
   * const model = await SideNetModel.load(localArtefact("./bert-sidenet"), { task: "text-classification" });
   * const out = await model.run(tokenizer(["win a free cruise!!!"], { padding: true, truncation: true }));
   * out.exitIndex; // Int32Array [0]: the row left at exit 0
   * ```
   */
  static async load(files: ArtefactFiles, options: LoadSideNetOptions = {}): Promise<SideNetModel> {
    const manifestPath = files.where(SIDENET_JSON);
    const manifest = await readManifest(files);
    if (options.task !== undefined && manifest.task !== options.task) {
      throw new IncompatibleModelError(
        `${manifestPath}: field \`task\` is "${manifest.task}"; this loader serves "${options.task}". Load it with the ${manifest.task} pipeline, or re-run \`sidenet attach\` for this task.`,
      );
    }
    // config, tokenizer and processor files: present and unchanged (pins), before any session
    await checkSideFiles(files, manifest, options.preprocessing_files);
    const artefactConfig = await readConfig(files);
    checkPoolings(manifest, manifestPath, artefactConfig.model_type, options.architectures);
    // a local MainNet is verified now; a fetched one when it is first needed (see ArtefactFiles.local)
    if (files.local) await checkMainNet(files, manifest);
    const dtype = options.dtype ?? "fp32";
    const segmentFiles = manifest.segments[dtype];
    if (!segmentFiles) {
      throw new InvalidArgumentError(
        `${manifestPath}: field \`segments\` has segments for ${Object.keys(manifest.segments).join(", ")}; option \`dtype\` is ${JSON.stringify(dtype)}. Load one of those dtypes, or re-run \`sidenet attach\` on a MainNet with ${JSON.stringify(dtype)} files.`,
      );
    }
    // names transformers.js loads the segments by; each file present and matching its pin
    const names = await segmentModelNames(files, manifest, dtype);
    const heads = await readHeads(files, manifest);
    const thresholds = manifest.exits.map((e, i) =>
      checkThreshold("SideNetModel.load", `thresholds[${i}]`, options.thresholds?.[i] ?? e.threshold),
    );
    const belowRows = options.mainnet_below_rows ?? manifest.mainnet_below_rows ?? 0;
    if (!Number.isSafeInteger(belowRows) || belowRows < 0) {
      invalid(
        "SideNetModel.load",
        "mainnet_below_rows",
        belowRows,
        "an integer ≥ 0 (0: the cascade at every batch size)",
      );
    }
    // the caller's transformers.js options for every session; segments also stop ORT's thread spinning
    // at the end of each run (the next segment needs the cores), the unsplit MainNet runs alone and
    // keeps transformers.js's defaults, as the stock pipeline does
    const loadSession = (file: string, model_file_name: string, base: Record<string, unknown>) =>
      AutoModel.from_pretrained(files.id, {
        model_file_name,
        dtype,
        ...(options.device ? { device: options.device } : {}),
        ...(options.revision ? { revision: options.revision } : {}),
        session_options: { ...base, ...options.session_options },
      }).catch((e: unknown) => {
        throw sessionError(files.where(file), e);
      });
    const segments: HfModel[] = [];
    try {
      for (const [i, name] of names.entries())
        segments.push(await loadSession(segmentFiles[i]!, name, DEFAULT_SESSION_OPTIONS));
      checkSegments(files, manifest, segmentFiles, segments.map(graphNames));
      checkLabelMap(manifest, segments[0]!.config.id2label, files.where("config.json"));
    } catch (e) {
      // no half-loaded model: release what was created
      await Promise.all(segments.map((s) => s.dispose()));
      throw e;
    }
    const config = segments[0]!.config;
    const full = mainnetGraph(manifest, dtype);
    const loadFull = async () => {
      if (!files.local) await checkMainNet(files, manifest);
      if (full !== manifest.mainnet.file) await checkPinnedFile(files, manifest, full, "mainnet.file");
      return loadSession(full, mainnetModelName(manifest.mainnet.file), {});
    };
    return new SideNetModel(config, manifest, segments, heads, thresholds, belowRows, loadFull);
  }

  /**
   * Runs the cascade on model inputs; a per-call τ (one for every exit, or one per exit) overrides the
   * model's. When every exit is off
   * (all τ ≥ 1) the MainNet's own unsplit graph runs instead (loaded on first use): τ = 1 is then exactly
   * the MainNet, bit for bit, without the cost of running it in pieces. So does a call that keeps the
   * stored τ on a batch of fewer than {@link SideNetModel.mainnetBelowRows} rows, where the cascade was
   * measured slower than the MainNet.
   */
  async run(inputs: TensorMap, options: RunSideNetOptions = {}): Promise<CascadeOutput> {
    if (this.disposed) {
      throw new InvalidArgumentError(
        "SideNetModel.run: the model was disposed (its sessions are released). Load it again to use it.",
      );
    }
    const thresholds =
      options.thresholds ??
      (options.threshold === undefined ? this.thresholds : this.thresholds.map(() => options.threshold!));
    const stored = options.threshold === undefined && options.thresholds === undefined;
    if (stored && this.mainnetBelowRows > 0 && batchRows(inputs) < this.mainnetBelowRows) {
      return this.runMainNet(inputs);
    }
    if (thresholds.length > 0 && thresholds.every((t) => t >= 1)) {
      for (const [i, t] of thresholds.entries()) checkThreshold("SideNetModel.run", `thresholds[${i}]`, t);
      return this.runMainNet(inputs);
    }
    return runCascade(this.spec, inputs, { thresholds, patience: options.patience });
  }

  private async runMainNet(inputs: TensorMap): Promise<CascadeOutput> {
    const t0 = performance.now();
    // a failed load is not cached: the next call tries again
    this.full ??= this.loadFull().catch((e: unknown) => {
      this.full = undefined;
      throw e;
    });
    const out = await (await this.full)(inputs);
    const logitsTensor = out.logits!;
    const logits = Float32Array.from(logitsTensor.data as Float32Array);
    for (const t of Object.values(out)) t.dispose();
    const classes = Object.keys(this.manifest.id2label).length;
    const rows = logits.length / classes;
    const probs = softmax(logits, classes);
    const ms = performance.now() - t0;
    return {
      rows,
      classes,
      logits,
      probs,
      exitIndex: new Int32Array(rows).fill(-1),
      confidence: confidence(probs, classes),
      elapsedMs: new Float64Array(rows).fill(ms),
      exitCounts: [...new Array<number>(this.manifest.exits.length).fill(0), rows],
    };
  }

  /** transformers.js entry point: model inputs → `SequenceClassifierOutput`. */
  override async _call(inputs: TensorMap) {
    const out = await this.run(inputs);
    this.lastTelemetry = telemetryOf(out, this.manifest.exits);
    return new SequenceClassifierOutput({
      logits: new Tensor("float32", out.logits, [out.rows, out.classes]),
    });
  }

  override async forward(inputs: TensorMap) {
    return this._call(inputs);
  }

  /** Releases every segment's session; later calls are refused with an InvalidArgumentError. */
  override async dispose(): Promise<undefined[]> {
    this.disposed = true;
    const full = this.full;
    this.full = undefined;
    return Promise.all(
      [...this.segments, ...(full ? [await full] : [])].map(async (s) => {
        await s.dispose();
        return undefined;
      }),
    );
  }
}
