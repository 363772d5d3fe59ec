import {
  checkLabelMap,
  type ExitSpec,
  HEADS_FILE,
  parseManifest,
  SIDENET_JSON,
  type SideNetManifest,
} from "../artefact/format.js";
import { headsFromSafetensors } from "../artefact/heads.js";
import { CorruptArtefactError, IncompatibleModelError, InvalidArgumentError, invalid } from "../errors.js";
import type { MlpHead } from "../head/mlp-head.js";
import { confidence } from "../math/confidence.js";
import type { Matrix } from "../math/matrix.js";
import { softmax } from "../math/softmax.js";
import { type CascadeOutput, runCascade } from "../routing/cascade.js";
import { checkThreshold } from "../routing/policy.js";
import { type SegmentRunner, segmentCascadeSpec, type TensorState } from "../runtime/segment-cascade.js";
import { checkSegments, DTYPE_SUFFIX, readConfig } from "./artefact-checks.js";
import type { ArtefactFiles } from "./artefact-files.js";
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

/** How a modality pools an exit's tap: the function and the extra inputs it reads. */
export type PoolingFactory = (exit: ExitSpec) => {
  pool(state: TensorState<HfTensor>): Matrix;
  inputs: readonly string[];
};

/** Options of {@link SideNetModel.load}; the transformers.js ones are passed through to every segment. */
export interface LoadSideNetOptions {
  /** "fp32" (default) or "q8": which segment files to load. */
  dtype?: string;
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

/** The MainNet file is there and is the one the SideNet was attached to (sidenet.json `mainnet.sha256`). */
async function checkMainNet(files: ArtefactFiles, manifest: SideNetManifest): Promise<void> {
  const hash = await files.sha256(manifest.mainnet.file);
  if (hash === undefined) {
    throw new CorruptArtefactError(
      files.where(manifest.mainnet.file),
      "is missing (sidenet.json field `mainnet.file`). Copy the MainNet back or re-run `sidenet attach`.",
    );
  }
  if (hash !== manifest.mainnet.sha256) {
    throw new CorruptArtefactError(
      files.where(SIDENET_JSON),
      `field \`mainnet.sha256\` is ${manifest.mainnet.sha256} but ${manifest.mainnet.file} hashes to ${hash}: the MainNet changed since the SideNet was attached. Re-run \`sidenet attach\`.`,
    );
  }
}

/** Rows of a batch of model inputs (the first dimension of its first tensor). */
const batchRows = (inputs: TensorMap) => Object.values(inputs)[0]?.dims[0] ?? 0;

/** Per-row telemetry of a SideNet call. */
export interface ExitTelemetry {
  /** Exit index the row left at, or −1 when the MainNet answered. */
  exit: number;
  /** Tap the row left at (undefined for the MainNet). */
  tap: string | undefined;
  confidence: number;
  /** Milliseconds from the start of the batch until this row's answer was known. */
  ms: number;
}

/** `result` with `telemetry` attached as its non-enumerable `sidenet` property (the output shape stays transformers.js's). */
export function withTelemetry<T extends object>(result: T, telemetry: ExitTelemetry[]): T {
  Object.defineProperty(result, "sidenet", { value: telemetry, enumerable: false });
  return result;
}

/** Telemetry rows of a {@link CascadeOutput}. */
export function telemetryOf(out: CascadeOutput, exits: readonly ExitSpec[]): ExitTelemetry[] {
  return Array.from(out.exitIndex, (e, r) => ({
    exit: e,
    tap: e >= 0 ? exits[e]!.tap : undefined,
    confidence: out.confidence[r]!,
    ms: out.elapsedMs[r]!,
  }));
}

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
    pooling: PoolingFactory,
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
    const pools = manifest.exits.map((e) => pooling(e));
    this.spec = segmentCascadeSpec<HfTensor>({
      classes: Object.keys(manifest.id2label).length,
      segments: segments.map((s) => s as unknown as SegmentRunner<HfTensor>),
      segmentInputs: manifest.segment_inputs,
      exits: manifest.exits.map((e, i) => ({
        tap: e.tap,
        pool: pools[i]!.pool,
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
   */
  static async load(
    files: ArtefactFiles,
    pooling: PoolingFactory,
    options: LoadSideNetOptions = {},
  ): Promise<SideNetModel> {
    const manifestPath = files.where(SIDENET_JSON);
    const manifestBytes = await files.read(SIDENET_JSON);
    if (!manifestBytes) {
      throw new IncompatibleModelError(
        `${manifestPath} not found: "${files.id}" is not a SideNet artefact. Create one with \`sidenet attach\`.`,
      );
    }
    const manifest = parseManifest(new TextDecoder().decode(manifestBytes), manifestPath);
    if (!/^onnx\/[\w.-]+\.onnx$/.test(manifest.mainnet.file) || manifest.mainnet.file.includes("..")) {
      throw new CorruptArtefactError(
        manifestPath,
        `field \`mainnet.file\` is ${JSON.stringify(manifest.mainnet.file)}; expected a file in the artefact's onnx/ folder, e.g. "onnx/model.onnx". Re-run \`sidenet attach\`.`,
      );
    }
    await readConfig(files);
    // a local MainNet is verified now; a fetched one when it is first needed (see ArtefactFiles.local)
    if (files.local) await checkMainNet(files, manifest);
    const dtype = options.dtype ?? "fp32";
    const segmentFiles = manifest.segments[dtype];
    if (!segmentFiles) {
      invalid(
        "SideNetModel.load",
        "dtype",
        dtype,
        `one of the dtypes this artefact has segments for: ${Object.keys(manifest.segments).join(", ")}`,
      );
    }
    const bases: string[] = [];
    for (const [i, f] of segmentFiles.entries()) {
      // transformers.js loads onnx/<name><dtype suffix>.onnx: the manifest must name such a file of ours
      const suffix = DTYPE_SUFFIX[dtype] ?? `_${dtype}`;
      const base = new RegExp(`^onnx/(sidenet_[\\w-]*segment_\\d+)${suffix}\\.onnx$`).exec(f)?.[1];
      if (base === undefined) {
        throw new CorruptArtefactError(
          manifestPath,
          `field \`segments.${dtype}[${i}]\` is ${JSON.stringify(f)}; expected "onnx/sidenet_<id>_segment_${i}${suffix}.onnx". Re-run \`sidenet attach\`.`,
        );
      }
      bases.push(base);
      // a fetched segment's absence shows when transformers.js loads it
      if (files.local && !(await files.exists(f))) {
        throw new CorruptArtefactError(
          files.where(f),
          `is missing (sidenet.json field \`segments.${dtype}[${i}]\`). Re-run \`sidenet attach\`.`,
        );
      }
    }
    const headsFile = manifest.heads ?? HEADS_FILE;
    const headsBytes = await files.read(headsFile);
    if (!headsBytes) {
      throw new CorruptArtefactError(
        files.where(headsFile),
        "is missing (sidenet.json field `heads`). Re-run `sidenet attach`.",
      );
    }
    const heads = headsFromSafetensors(headsBytes, manifest.exits, files.where(headsFile));
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
    const loadSession = (model_file_name: string, base: Record<string, unknown>) =>
      AutoModel.from_pretrained(files.id, {
        model_file_name,
        dtype,
        ...(options.device ? { device: options.device } : {}),
        ...(options.revision ? { revision: options.revision } : {}),
        session_options: { ...base, ...options.session_options },
      });
    const segments: HfModel[] = [];
    for (let i = 0; i < segmentFiles.length; i++) {
      segments.push(await loadSession(bases[i]!, DEFAULT_SESSION_OPTIONS));
    }
    checkSegments(files, manifest, segmentFiles, segments);
    const config = segments[0]!.config;
    checkLabelMap(manifest, config.id2label, files.where("config.json"));
    const loadFull = async () => {
      if (!files.local) await checkMainNet(files, manifest);
      return loadSession(manifest.mainnet.file.replace(/^onnx\//, "").replace(/\.onnx$/, ""), {});
    };
    return new SideNetModel(config, manifest, segments, heads, pooling, thresholds, belowRows, loadFull);
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
