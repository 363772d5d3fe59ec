import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { type ExitCriterion, InvalidArgumentError } from "@sidenet/core";
import { DTYPE_SUFFIX } from "@sidenet/core/artefact";
import { checkAttachOptions, isLocalDir, parseModelRef } from "@sidenet/core/attach";
import type { PoolingName } from "@sidenet/core/runtime";
import { USAGE } from "./usage.js";

const SPEC = {
  json: { type: "boolean" },
  time: { type: "boolean" },
  debug: { type: "boolean" },
  data: { type: "string" },
  calibration: { type: "string" },
  "calibration-split": { type: "string" },
  out: { type: "string" },
  taps: { type: "string" },
  pooling: { type: "string" },
  "max-drop": { type: "string" },
  "max-cost": { type: "string" },
  "min-agreement": { type: "string" },
  risk: { type: "string" },
  "max-exits": { type: "string" },
  criteria: { type: "string" },
  seed: { type: "string" },
  dtype: { type: "string" },
  dtypes: { type: "string" },
  batch: { type: "string" },
  name: { type: "string" },
  resamples: { type: "string" },
  task: { type: "string" },
  revision: { type: "string" },
  "cache-dir": { type: "string" },
  "attach-cache": { type: "string" },
  "no-attach-cache": { type: "boolean" },
  workers: { type: "string" },
  "text-column": { type: "string" },
  "image-column": { type: "string" },
  "label-column": { type: "string" },
  limit: { type: "string" },
  shuffle: { type: "boolean" },
} as const;

/** Every option of every command, parsed and checked. */
export interface CliOptions {
  command: string;
  target: string;
  json: boolean;
  time: boolean;
  debug: boolean;
  data?: string;
  calibration?: string;
  calibrationSplit?: number;
  out?: string;
  taps?: string[];
  poolings?: PoolingName[];
  maxDrop?: number;
  maxCost?: number;
  minAgreement?: number;
  risk?: number;
  maxExits?: number;
  criteria?: ExitCriterion[];
  seed: number;
  dtype: string;
  /** `--dtypes fp32,fp16,q4`: the dtypes attach writes segments for (default: every dtype file present). */
  dtypes?: string[];
  batch: number;
  name?: string;
  resamples: number;
  task?: string;
  revision?: string;
  cacheDir?: string;
  /** `--attach-cache <dir>` (attach's features and heads), false with `--no-attach-cache`. */
  attachCache?: string | false;
  /** `--workers N`: threads the heads train on. */
  workers?: number;
  columns: { textColumn?: string; imageColumn?: string; labelColumn?: string };
  limit?: number;
  shuffle: boolean;
}

const COMMANDS = ["inspect", "sweep", "attach", "eval", "report"] as const;

/** A number option: undefined when absent; a value that is no number names the option and the value. */
function number(values: Record<string, unknown>, option: string, expected: string): number | undefined {
  const raw = values[option];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(v)) {
    throw new InvalidArgumentError(`--${option} is ${JSON.stringify(raw)}; expected ${expected}.`);
  }
  return v;
}

function whole(values: Record<string, unknown>, option: string, lo: number, hi: number, fallback?: number) {
  const expected = `a whole number in [${lo}, ${hi}]`;
  const v = number(values, option, expected) ?? fallback;
  if (v !== undefined && !(Number.isInteger(v) && v >= lo && v <= hi)) {
    throw new InvalidArgumentError(`--${option} is ${v}; expected ${expected}.`);
  }
  return v;
}

function existing(path: string | undefined, option: string): string | undefined {
  if (path !== undefined && !existsSync(path)) {
    throw new InvalidArgumentError(`--${option} ${path}: no such file or directory (from ${process.cwd()}).`);
  }
  return path;
}

const list = (s: string | undefined) => (s === undefined ? undefined : s.split(",").map((x) => x.trim()));

/**
 * Parses the command line and checks every option and input path before any work starts: a bad value
 * names the option, the value and what is accepted; an unknown option or a missing one, the usage.
 */
export function parseCli(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof SPEC; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: SPEC, allowPositionals: true, strict: true });
  } catch (e) {
    throw new InvalidArgumentError(`${(e as Error).message.replace(/\.$/, "")}.\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [command = "help", target, ...extra] = positionals;
  if (command !== "help" && !COMMANDS.includes(command as (typeof COMMANDS)[number])) {
    throw new InvalidArgumentError(
      `unknown command "${command}"; expected one of ${COMMANDS.join(", ")}.\n${USAGE}`,
    );
  }
  if (extra.length) throw new InvalidArgumentError(`unexpected argument "${extra[0]}".\n${USAGE}`);
  const o: CliOptions = {
    command,
    target: target ?? "",
    json: values.json ?? false,
    time: values.time ?? false,
    debug: values.debug ?? false,
    data: existing(values.data, "data"),
    calibration: existing(values.calibration, "calibration"),
    calibrationSplit: number(values, "calibration-split", "a fraction in (0, 1), e.g. 0.2"),
    out: values.out,
    taps: list(values.taps),
    poolings: list(values.pooling) as PoolingName[] | undefined,
    maxDrop: number(values, "max-drop", "a number of percentage points, e.g. 0.5"),
    maxCost: number(values, "max-cost", "a fraction of the MainNet's cost, e.g. 0.4"),
    minAgreement: number(values, "min-agreement", "a share of rows, e.g. 0.99"),
    risk: number(values, "risk", "a probability, e.g. 0.1"),
    maxExits: number(values, "max-exits", "a whole number of exits per cascade ≥ 1"),
    criteria: list(values.criteria) as ExitCriterion[] | undefined,
    seed: number(values, "seed", "a whole number, e.g. 0") ?? 0,
    dtype: values.dtype ?? "fp32",
    dtypes: list(values.dtypes),
    batch: whole(values, "batch", 1, 4096, 32)!,
    name: values.name,
    resamples: whole(values, "resamples", 1, 100_000, 200)!,
    task: values.task,
    revision: values.revision,
    cacheDir: values["cache-dir"],
    attachCache: values["no-attach-cache"] ? false : values["attach-cache"],
    workers: number(values, "workers", "a whole number of threads ≥ 1, e.g. 2"),
    columns: {
      textColumn: values["text-column"],
      imageColumn: values["image-column"],
      labelColumn: values["label-column"],
    },
    limit: whole(values, "limit", 1, Number.MAX_SAFE_INTEGER),
    shuffle: values.shuffle ?? false,
  };
  if (command === "help") return o;
  if (!target)
    throw new InvalidArgumentError(`${command} needs a model: a directory, a hub id or a URL.\n${USAGE}`);
  if (!isLocalDir(target) && !parseModelRef(target)) {
    throw new InvalidArgumentError(
      `${target}: ${existsSync(target) ? "is a file" : "no such directory"} (from ${process.cwd()}), and not a hub model id (owner/name) or URL either. Expected ${command === "inspect" || command === "sweep" || command === "attach" ? "a MainNet directory (config.json, onnx/model.onnx)" : "a SideNet artefact directory (sidenet.json)"}, or a hub id such as Xenova/distilbert-base-uncased-finetuned-sst-2-english.`,
    );
  }
  if (!Object.hasOwn(DTYPE_SUFFIX, o.dtype)) {
    throw new InvalidArgumentError(
      `--dtype is "${o.dtype}"; expected one of ${Object.keys(DTYPE_SUFFIX).join(", ")}.`,
    );
  }
  if (command === "sweep" || command === "attach") checkAttach(o);
  if ((command === "eval" || command === "report") && !o.data) {
    throw new InvalidArgumentError(`${command} needs --data <test file>.\n${USAGE}`);
  }
  return o;
}

function checkAttach(o: CliOptions): void {
  if (!o.data || !o.out) throw new InvalidArgumentError(`${o.command} needs --data and --out.\n${USAGE}`);
  if (o.calibration === undefined && o.calibrationSplit === undefined) {
    throw new InvalidArgumentError(
      `${o.command} needs held-out rows: --calibration <file the MainNet never trained on>, or --calibration-split 0.2 to hold out a stratified share of --data.`,
    );
  }
  if (o.calibration !== undefined && o.calibrationSplit !== undefined) {
    throw new InvalidArgumentError("give --calibration or --calibration-split, not both.");
  }
  if (o.calibrationSplit !== undefined && !(o.calibrationSplit > 0 && o.calibrationSplit < 1)) {
    throw new InvalidArgumentError(
      `--calibration-split is ${o.calibrationSplit}; expected a fraction in (0, 1), e.g. 0.2.`,
    );
  }
  if (existsSync(o.out) && !statSync(o.out).isDirectory()) {
    throw new InvalidArgumentError(
      `--out ${o.out} is a file; expected a directory to write the artefact to.`,
    );
  }
  if (resolve(o.out) === resolve(o.target)) {
    throw new InvalidArgumentError(
      `--out ${o.out} is the MainNet's own directory; write the artefact elsewhere.`,
    );
  }
  checkAttachOptions(
    {
      maxDrop: o.maxDrop,
      maxCost: o.maxCost,
      minAgreement: o.minAgreement,
      risk: o.risk,
      maxExits: o.maxExits,
      criteria: o.criteria,
      poolings: o.poolings,
      taps: o.taps,
      seed: o.seed,
      workers: o.workers,
      attachCache: o.attachCache,
      dtypes: o.dtypes,
    },
    {
      maxDrop: "--max-drop",
      maxCost: "--max-cost",
      minAgreement: "--min-agreement",
      risk: "--risk",
      maxExits: "--max-exits",
      criteria: "--criteria",
      poolings: "--pooling",
      taps: "--taps",
      seed: "--seed",
      workers: "--workers",
      attachCache: "--attach-cache",
      dtypes: "--dtypes",
    },
  );
}
