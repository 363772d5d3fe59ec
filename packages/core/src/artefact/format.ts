import { CorruptArtefactError, IncompatibleModelError } from "../errors.js";
import type { Activation } from "../head/activation.js";
import { CONFIDENCE_MEASURES, type ConfidenceMeasure } from "../math/confidence.js";

/** The artefact format this version writes and reads. */
export const FORMAT_VERSION = 1;
export const SIDENET_JSON = "sidenet.json";
export const HEADS_FILE = "heads.safetensors";

/** One exit of a SideNet artefact (`sidenet.json` → `exits[i]`). snake_case: it is a file format. */
export interface ExitSpec {
  tap: string;
  /** Modality-specific pooling name ("cls", "mean", "global-average"). */
  pooling: string;
  head: { input_size: number; hidden_size: number; classes: number; activation: Activation };
  /** Prefix of this head's tensors in heads.safetensors (`<prefix>.w1`, `.b1`, `.w2`, `.b2`). */
  weights: string;
  temperature: number;
  threshold: number;
  confidence: ConfidenceMeasure;
  /** Patience: a row leaves here only with the same answer as at the previous exit (default false). */
  agree_with_previous?: boolean;
  /**
   * Output of segment i (this exit's) carrying the head's logits `[rows, classes]` before temperature:
   * pooling and head folded into the segment graph. Absent: the cascade pools the tap and runs the head
   * from the heads file in JavaScript.
   */
  logits_output?: string;
  /** Validation figures the threshold was chosen with (free-form numbers). */
  metrics?: Record<string, number>;
}

/** Contents of `sidenet.json`. */
export interface SideNetManifest {
  format_version: number;
  task: string;
  mainnet: { file: string; sha256: string };
  /** Segment files per dtype, relative to the artefact directory, e.g. `{ fp32: ["onnx/sidenet_segment_0.onnx", …] }`. */
  segments: Record<string, string[]>;
  /** The heads file in the artefact directory (default `heads.safetensors`). */
  heads?: string;
  /** Tensors each segment reads. */
  segment_inputs: string[][];
  carried: string[];
  exits: ExitSpec[];
  id2label: Record<string, string>;
  /** Where temperature and τ were fitted, and how the choice was made (free-form). */
  calibration?: Record<string, unknown>;
  /** How the cascade was chosen: the exit criterion, the chosen point, the Pareto front (free-form). */
  selection?: Record<string, unknown>;
  /**
   * Batches of fewer rows run the unsplit MainNet when a call keeps the artefact's τ: at attach the
   * cascade was measured slower than the MainNet there (each extra session call has a fixed cost, which
   * small batches do not amortise). Absent: the cascade runs at every batch size.
   */
  mainnet_below_rows?: number;
  created_by?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Parses and validates `sidenet.json` text. Every problem is a {@link CorruptArtefactError} naming the
 * file, the field, what was found and the fix.
 */
export function parseManifest(text: string, file = SIDENET_JSON): SideNetManifest {
  const fail = (field: string, msg: string): never => {
    throw new CorruptArtefactError(
      file,
      `field \`${field}\` ${msg} Re-create the artefact with \`sidenet attach\`.`,
    );
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CorruptArtefactError(
      file,
      `is not valid JSON (${(e as Error).message}). Re-create it with \`sidenet attach\`.`,
    );
  }
  if (!isObj(raw)) return fail("(root)", "is not a JSON object.");
  if (raw.format_version !== FORMAT_VERSION) {
    return fail(
      "format_version",
      `is ${JSON.stringify(raw.format_version)}; this version of sidenet reads ${FORMAT_VERSION}. Upgrade sidenet or`,
    );
  }
  const str = (v: unknown, field: string) =>
    typeof v === "string" && v.length > 0
      ? v
      : fail(field, `is ${JSON.stringify(v)}; expected a non-empty string.`);
  const num = (v: unknown, field: string, lo: number, hi: number) =>
    typeof v === "number" && Number.isFinite(v) && v >= lo && v <= hi
      ? v
      : fail(field, `is ${JSON.stringify(v)}; expected a number in [${lo}, ${hi}].`);
  const int = (v: unknown, field: string) =>
    Number.isSafeInteger(v) && (v as number) > 0
      ? (v as number)
      : fail(field, `is ${JSON.stringify(v)}; expected a positive integer.`);
  const strList = (v: unknown, field: string) =>
    Array.isArray(v)
      ? v.map((x, i) => str(x, `${field}[${i}]`))
      : fail(field, "is missing or not a list of strings.");

  str(raw.task, "task");
  if (!isObj(raw.mainnet)) fail("mainnet", "is missing; expected { file, sha256 }.");
  const mainnet = raw.mainnet as Record<string, unknown>;
  str(mainnet.file, "mainnet.file");
  if (typeof mainnet.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(mainnet.sha256))
    fail("mainnet.sha256", "is not a hex sha256.");
  if (!isObj(raw.segments) || Object.keys(raw.segments).length === 0)
    fail("segments", "is missing; expected { fp32: [files…] }.");
  for (const [dtype, files] of Object.entries(raw.segments as Record<string, unknown>))
    strList(files, `segments.${dtype}`);
  if (!Array.isArray(raw.segment_inputs)) fail("segment_inputs", "is missing.");
  for (const [i, l] of (raw.segment_inputs as unknown[]).entries()) strList(l, `segment_inputs[${i}]`);
  strList(raw.carried, "carried");
  if (!isObj(raw.id2label) || Object.keys(raw.id2label).length < 2)
    fail("id2label", "is missing or has fewer than 2 labels.");
  const classes = Object.keys(raw.id2label as object).length;
  if (!Array.isArray(raw.exits) || raw.exits.length === 0)
    fail("exits", "is missing or empty; expected at least one exit.");
  for (const [i, e] of (raw.exits as unknown[]).entries()) {
    const f = `exits[${i}]`;
    if (!isObj(e)) return fail(f, "is not an object.");
    str(e.tap, `${f}.tap`);
    str(e.pooling, `${f}.pooling`);
    str(e.weights, `${f}.weights`);
    if (!isObj(e.head)) fail(`${f}.head`, "is missing.");
    const head = e.head as Record<string, unknown>;
    int(head.input_size, `${f}.head.input_size`);
    int(head.hidden_size, `${f}.head.hidden_size`);
    if (int(head.classes, `${f}.head.classes`) !== classes) {
      fail(
        `${f}.head.classes`,
        `is ${head.classes} but id2label has ${classes} labels; the head does not fit this label map.`,
      );
    }
    if (head.activation !== "relu" && head.activation !== "gelu")
      fail(`${f}.head.activation`, `is ${JSON.stringify(head.activation)}; expected "relu" or "gelu".`);
    if (num(e.temperature, `${f}.temperature`, 0, Number.MAX_VALUE) === 0)
      fail(`${f}.temperature`, "is 0; expected > 0.");
    num(e.threshold, `${f}.threshold`, 0, 1);
    if (!CONFIDENCE_MEASURES.includes(e.confidence as ConfidenceMeasure))
      fail(
        `${f}.confidence`,
        `is ${JSON.stringify(e.confidence)}; expected one of ${CONFIDENCE_MEASURES.join(", ")}.`,
      );
    if (e.logits_output !== undefined) str(e.logits_output, `${f}.logits_output`);
    if (e.agree_with_previous !== undefined && typeof e.agree_with_previous !== "boolean")
      fail(
        `${f}.agree_with_previous`,
        `is ${JSON.stringify(e.agree_with_previous)}; expected true or false.`,
      );
  }
  const m = raw as unknown as SideNetManifest;
  if (
    m.heads !== undefined &&
    (typeof m.heads !== "string" || !/^[\w-]+(\.[\w-]+)*\.safetensors$/.test(m.heads))
  )
    fail(
      "heads",
      `is ${JSON.stringify(m.heads)}; expected a .safetensors file name in the artefact directory.`,
    );
  if (m.mainnet_below_rows !== undefined) int(m.mainnet_below_rows, "mainnet_below_rows");
  for (const [dtype, files] of Object.entries(m.segments)) {
    if (files.length !== m.exits.length + 1)
      fail(
        `segments.${dtype}`,
        `lists ${files.length} files for ${m.exits.length} exits; expected exits + 1.`,
      );
  }
  if (m.segment_inputs.length !== m.exits.length + 1)
    fail("segment_inputs", `has ${m.segment_inputs.length} lists for ${m.exits.length + 1} segments.`);
  return m;
}

/** Checks that the artefact's label map is the MainNet's (same ids, same names). */
export function checkLabelMap(
  manifest: SideNetManifest,
  mainnetId2label: Record<string, string> | undefined,
  configFile: string,
): void {
  const a = JSON.stringify(Object.entries(manifest.id2label).sort());
  const b = JSON.stringify(Object.entries(mainnetId2label ?? {}).sort());
  if (a !== b) {
    throw new IncompatibleModelError(
      `${SIDENET_JSON}: field \`id2label\` ${a} differs from ${configFile}'s id2label ${b}; the SideNet was trained for another label map. Re-run \`sidenet attach\` on this MainNet.`,
    );
  }
}
