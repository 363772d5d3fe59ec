import { CorruptArtefactError, IncompatibleModelError } from "../errors.js";
import { CONFIDENCE_MEASURES, type ConfidenceMeasure } from "../math/confidence.js";
import { POOLINGS } from "../pooling/index.js";
import { EXIT_CRITERIA, type ExitCriterion } from "../routing/exit-rule.js";
import { isHeadsFileName, SIDENET_JSON } from "./files.js";
import { FORMAT_VERSION, type SideNetManifest } from "./format.js";
import { isPinnablePath } from "./pins.js";

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Parses and validates `sidenet.json` text against the schema of `format.ts` (docs/artefact-format.md).
 * Every problem is a {@link CorruptArtefactError} naming the file, the field, what was found and the fix.
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
  const obj = (v: unknown, field: string, expected: string) =>
    isObj(v) ? v : fail(field, `is ${JSON.stringify(v)}; expected ${expected}.`);
  const timings = (v: unknown, field: string) => {
    if (!Array.isArray(v)) return fail(field, "is not a list.");
    for (const [i, t] of v.entries()) {
      const b = obj(t, `${field}[${i}]`, "{ batch, speedup }");
      int(b.batch, `${field}[${i}].batch`);
      num(b.speedup, `${field}[${i}].speedup`, 0, Number.MAX_VALUE);
      if (b.rounds !== undefined) int(b.rounds, `${field}[${i}].rounds`);
      if (b.slower_rounds !== undefined)
        num(b.slower_rounds, `${field}[${i}].slower_rounds`, 0, Number.MAX_SAFE_INTEGER);
      if (b.p_slower !== undefined) num(b.p_slower, `${field}[${i}].p_slower`, 0, 1);
    }
  };
  const oneOf = <T extends string>(v: unknown, field: string, values: readonly T[]) =>
    values.includes(v as T)
      ? (v as T)
      : fail(field, `is ${JSON.stringify(v)}; expected one of ${values.join(", ")}.`);

  str(raw.task, "task");
  const mainnet = obj(raw.mainnet, "mainnet", "{ file, sha256 }");
  str(mainnet.file, "mainnet.file");
  if (typeof mainnet.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(mainnet.sha256))
    fail("mainnet.sha256", "is not a hex sha256.");
  if (mainnet.source !== undefined) {
    const source = obj(mainnet.source, "mainnet.source", "{ id, revision, host }");
    for (const k of ["id", "revision", "host"] as const) str(source[k], `mainnet.source.${k}`);
  }
  if (!isObj(raw.segments) || Object.keys(raw.segments).length === 0)
    fail("segments", "is missing; expected { fp32: [files…] }.");
  for (const [dtype, files] of Object.entries(raw.segments as Record<string, unknown>))
    strList(files, `segments.${dtype}`);
  if (!Array.isArray(raw.segment_inputs)) fail("segment_inputs", "is missing.");
  for (const [i, l] of (raw.segment_inputs as unknown[]).entries()) strList(l, `segment_inputs[${i}]`);
  strList(raw.carried, "carried");
  if (raw.shared !== undefined) {
    strList(raw.shared, "shared");
    const carried = new Set(raw.carried as string[]);
    for (const s of raw.shared as string[])
      if (!carried.has(s))
        fail("shared", `lists "${s}", which is not in \`carried\`; list only carried tensors.`);
  }
  if (!isObj(raw.id2label) || Object.keys(raw.id2label).length < 2)
    fail("id2label", "is missing or has fewer than 2 labels.");
  const classes = Object.keys(raw.id2label as object).length;
  if (!Array.isArray(raw.exits) || raw.exits.length === 0)
    fail("exits", "is missing or empty; expected at least one exit.");
  for (const [i, e] of (raw.exits as unknown[]).entries()) {
    const f = `exits[${i}]`;
    if (!isObj(e)) return fail(f, "is not an object.");
    str(e.tap, `${f}.tap`);
    oneOf(e.pooling, `${f}.pooling`, Object.keys(POOLINGS));
    str(e.weights, `${f}.weights`);
    const head = obj(e.head, `${f}.head`, "{ input_size, hidden_size, classes, activation }");
    int(head.input_size, `${f}.head.input_size`);
    int(head.hidden_size, `${f}.head.hidden_size`);
    if (int(head.classes, `${f}.head.classes`) !== classes) {
      fail(
        `${f}.head.classes`,
        `is ${head.classes} but id2label has ${classes} labels; the head does not fit this label map.`,
      );
    }
    oneOf(head.activation, `${f}.head.activation`, ["relu", "gelu"]);
    if (num(e.temperature, `${f}.temperature`, 0, Number.MAX_VALUE) === 0)
      fail(`${f}.temperature`, "is 0; expected > 0.");
    num(e.threshold, `${f}.threshold`, 0, 1);
    oneOf<ConfidenceMeasure>(e.confidence, `${f}.confidence`, CONFIDENCE_MEASURES);
    if (e.logits_output !== undefined) str(e.logits_output, `${f}.logits_output`);
    if (e.agree_with_previous !== undefined && typeof e.agree_with_previous !== "boolean")
      fail(
        `${f}.agree_with_previous`,
        `is ${JSON.stringify(e.agree_with_previous)}; expected true or false.`,
      );
    if (e.metrics !== undefined) {
      for (const [k, v] of Object.entries(obj(e.metrics, `${f}.metrics`, "an object of numbers")))
        num(v, `${f}.metrics.${k}`, -Number.MAX_VALUE, Number.MAX_VALUE);
    }
  }
  const m = raw as unknown as SideNetManifest;
  if (m.heads !== undefined && (typeof m.heads !== "string" || !isHeadsFileName(m.heads)))
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
  if (raw.calibration !== undefined) {
    const c = obj(raw.calibration, "calibration", "an object");
    str(c.train_split, "calibration.train_split");
    str(c.calibration_split, "calibration.calibration_split");
    int(c.calibration_rows, "calibration.calibration_rows");
    if (c.max_drop_pt !== undefined) num(c.max_drop_pt, "calibration.max_drop_pt", 0, 100);
    if (c.max_cost !== undefined) num(c.max_cost, "calibration.max_cost", 0, Number.MAX_VALUE);
    if (c.min_agreement !== undefined) num(c.min_agreement, "calibration.min_agreement", 0, 1);
    str(c.criterion, "calibration.criterion");
    if (c.split_off !== undefined) {
      const so = obj(c.split_off, "calibration.split_off", "{ from, fraction, seed, stratified }");
      str(so.from, "calibration.split_off.from");
      num(so.fraction, "calibration.split_off.fraction", 0, 1);
      if (!Number.isSafeInteger(so.seed) || (so.seed as number) < 0)
        fail("calibration.split_off.seed", `is ${JSON.stringify(so.seed)}; expected an integer ≥ 0.`);
      if (so.stratified !== true) fail("calibration.split_off.stratified", "is not true.");
    }
  }
  if (raw.selection !== undefined) {
    const s = obj(raw.selection, "selection", "an object");
    oneOf<ExitCriterion>(s.exit_criterion, "selection.exit_criterion", EXIT_CRITERIA);
    obj(s.chosen, "selection.chosen", "a cascade point");
    obj(s.mainnet, "selection.mainnet", "a cascade point");
    if (!Array.isArray(s.front)) fail("selection.front", "is not a list of cascade points.");
    if (!Number.isSafeInteger(s.swept) || (s.swept as number) < 0)
      fail("selection.swept", `is ${JSON.stringify(s.swept)}; expected an integer ≥ 0.`);
    if (s.small_batches !== undefined) timings(s.small_batches, "selection.small_batches");
    if (s.certification !== undefined) {
      const c = obj(s.certification, "selection.certification", "an object");
      str(c.procedure, "selection.certification.procedure");
      num(c.epsilon, "selection.certification.epsilon", 0, 1);
      num(c.delta, "selection.certification.delta", 0, 1);
      for (const k of ["selection_rows", "test_rows", "tested", "certified", "rows_needed"] as const)
        if (c[k] !== undefined || k !== "rows_needed")
          num(c[k], `selection.certification.${k}`, 0, Number.MAX_SAFE_INTEGER);
      for (const k of ["bound", "observed_drop"] as const)
        if (c[k] !== undefined) num(c[k], `selection.certification.${k}`, -1, 1);
    }
    if (s.cost_measure !== undefined)
      oneOf(s.cost_measure, "selection.cost_measure", ["flops", "measured-time"]);
  }
  if (raw.small_batches !== undefined) {
    const r = obj(raw.small_batches, "small_batches", "{ decision, alpha, timings }");
    str(r.decision, "small_batches.decision");
    num(r.alpha, "small_batches.alpha", 0, 1);
    timings(r.timings, "small_batches.timings");
  }
  if (raw.files !== undefined) {
    const pins = obj(raw.files, "files", "an object of file → sha256");
    for (const [f, h] of Object.entries(pins)) {
      if (!isPinnablePath(f))
        fail(`files`, `names ${JSON.stringify(f)}; expected a path inside the artefact (no "..").`);
      if (typeof h !== "string" || !/^[0-9a-f]{64}$/.test(h))
        fail(`files["${f}"]`, `is ${JSON.stringify(h)}; expected a hex sha256.`);
    }
    // the MainNet's pin is mainnet.sha256 (one hash, checked once)
    const file = mainnet.file as string;
    if (Object.hasOwn(pins, file) && pins[file] !== mainnet.sha256)
      fail(
        "mainnet.sha256",
        `is ${JSON.stringify(mainnet.sha256)} but the MainNet's pin \`files["${file}"]\` is ${JSON.stringify(pins[file])}: one of them was edited.`,
      );
  }
  if (m.created_by !== undefined) str(m.created_by, "created_by");
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
