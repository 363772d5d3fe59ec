/**
 * Reliability of loading and calling (issue "Reliability"): damaged artefacts, bad inputs, concurrency.
 * Every damaged artefact must give a SideNetError that names a file, never a crash or a stray error type;
 * calls must give the sequential answers under concurrency. Memory over many calls and loads: the soak
 * tests in test/slow/soak.test.ts (`pnpm test:slow`).
 */
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test as propTest } from "@fast-check/vitest";
import { env } from "@huggingface/transformers";
import { InvalidArgumentError, SideNetError } from "@sidenet/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipeline } from "../src/index.js";
import {
  cloneArtefact,
  edit,
  editConfig,
  editJson,
  fieldPaths,
  flipByte,
  type Json,
  manifestOf,
  overwrite,
  partPath,
  repin,
  snapshot,
  truncate,
  wrongType,
} from "./helpers/damage.js";
import { attachSmallArtefact, type Classify, type Item, texts } from "./helpers/small-artefact.js";

env.allowRemoteModels = false;

let work: string;
let good: string;
const tried = { artefacts: 0, loaded: 0, refused: 0, inputs: 0 };
/** Any error that is not a SideNetError, or a load that wrote to the artefact, fails its test: counted here too. */
const other = { errors: 0, writes: 0 };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "sidenet-reliability-"));
  good = join(work, "good");
  await attachSmallArtefact(good);
}, 600_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  console.log(
    `reliability: ${tried.artefacts} damaged artefacts: ${tried.refused} refused with a SideNetError, ${tried.loaded} still valid and answering, ${other.errors} other errors, ${other.writes} loads that wrote to disk, 0 crashes (the process is alive); ${tried.inputs} bad inputs`,
  );
});

const clone = () => cloneArtefact(good, work);

/** The artefact's files a loader reads, by the names the damage arbitraries use. */
const GRAPHS = [
  "segment fp32 0",
  "segment fp32 1",
  "segment q8 0",
  "segment q8 1",
  "onnx/model.onnx",
  "onnx/model_quantized.onnx",
] as const;
const SIDE_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json"] as const;
const FILE_MESSAGE =
  /(sidenet\.json|\.safetensors|config\.json|tokenizer\.json|tokenizer_config\.json|\.onnx)/;

/**
 * Loads `dir` (with `dtype`), classifies a few texts at the stored τ and at τ = 1 (the unsplit MainNet):
 * either valid answers, or a SideNetError naming a file and the fix. Any other error fails the test; so
 * does a load that changed any file of the artefact.
 */
async function loadOrRefuse(dir: string, dtype = "fp32"): Promise<"loaded" | SideNetError> {
  tried.artefacts++;
  let classify: Classify | undefined;
  const before = snapshot(dir);
  try {
    classify = (await pipeline("text-classification", dir, { dtype })) as unknown as Classify;
    for (const o of [undefined, { threshold: 1 }]) {
      const out = await classify(texts.slice(0, 4), o);
      for (const r of out) {
        expect(["ham", "spam"]).toContain(r.label);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(1);
      }
    }
    tried.loaded++;
    return "loaded";
  } catch (e) {
    if (!(e instanceof SideNetError)) {
      other.errors++;
      throw e;
    }
    expect(e.message).toMatch(FILE_MESSAGE);
    expect(e.message).toMatch(/(Re-run|re-run|Re-create|Copy|Re-train|Create|Restore)/);
    tried.refused++;
    return e;
  } finally {
    await classify?.model.dispose();
    const after = snapshot(dir);
    if (JSON.stringify(after) !== JSON.stringify(before)) other.writes++;
    expect(after).toEqual(before);
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("damaged artefacts", () => {
  const at = fc.double({ min: 0, max: 0.999, noNaN: true });
  const mask = fc.integer({ min: 1, max: 255 });
  const file = fc.constantFrom("sidenet.json", "heads", ...SIDE_FILES, ...GRAPHS);
  const corruption = fc.oneof(
    fc.record({ kind: fc.constant("truncate"), file, at }),
    fc.record({ kind: fc.constant("byte"), file, at, mask }),
    fc.record({
      kind: fc.constant("json-field"),
      pick: fc.nat(),
      value: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
    }),
    fc.record({
      kind: fc.constant("heads-header-length"),
      value: fc.bigUint64Array({ minLength: 1, maxLength: 1 }),
    }),
    // a segment replaced by another valid graph (another segment, another dtype's, the MainNet)
    fc.record({
      kind: fc.constant("swap"),
      target: fc.constantFrom(...GRAPHS.slice(0, 4)),
      source: fc.constantFrom(...GRAPHS),
    }),
    fc.record({ kind: fc.constant("remove"), file }),
  );

  propTest.prop([corruption, fc.boolean(), fc.constantFrom("fp32", "q8")], {
    numRuns: 120,
    endOnFailure: true,
  })(
    "any damage (re-pinned or not) gives a SideNetError naming the file and the fix, or an artefact that still answers validly; nothing is written",
    async (c, sealed, dtype) => {
      const dir = clone();
      const json = join(dir, "sidenet.json");
      let damaged: string | undefined;
      if (c.kind === "truncate" || c.kind === "byte") {
        const f = partPath(dir, c.file);
        if (c.kind === "truncate") truncate(f, c.at);
        else flipByte(f, c.at, c.mask);
        damaged = f;
      } else if (c.kind === "json-field") {
        const m = JSON.parse(readFileSync(json, "utf8")) as Json;
        const all = fieldPaths(m);
        edit(m, all[c.pick % all.length]!, c.value as Json | undefined);
        writeFileSync(json, JSON.stringify(m));
      } else if (c.kind === "heads-header-length") {
        const f = partPath(dir, "heads");
        const b = new Uint8Array(readFileSync(f));
        new DataView(b.buffer, b.byteOffset).setBigUint64(0, c.value[0]!, true);
        overwrite(f, b);
        damaged = f;
      } else if (c.kind === "swap") {
        const target = partPath(dir, c.target);
        overwrite(target, readFileSync(partPath(dir, c.source)));
        damaged = target;
      } else unlinkSync(partPath(dir, c.file));
      // sealed: the damaged file's new hash written into sidenet.json, so the checks behind the pins run
      if (sealed && damaged && !damaged.endsWith("sidenet.json")) repin(dir, damaged.slice(dir.length + 1));
      await loadOrRefuse(dir, dtype);
    },
    900_000,
  );

  // every field of sidenet.json (one path per schema field), deleted and given a value of another type
  it("every field of sidenet.json deleted or of another type → a SideNetError or a valid artefact", async () => {
    const fields = fieldPaths(manifestOf(good) as unknown as Json);
    expect(fields.length).toBeGreaterThan(40);
    for (const path of fields) {
      for (const change of ["delete", "type"] as const) {
        const dir = clone();
        const json = join(dir, "sidenet.json");
        const m = JSON.parse(readFileSync(json, "utf8")) as Json;
        let v: Json = m;
        for (const k of path) v = (v as Record<string | number, Json>)[k]!;
        edit(m, path, change === "delete" ? undefined : wrongType(v));
        writeFileSync(json, JSON.stringify(m));
        await loadOrRefuse(dir);
      }
    }
  }, 900_000);
  const named: [string, (dir: string) => void, RegExp, string?][] = [
    ["unknown format_version", (d) => editJson(d, (m) => (m.format_version = 99)), /`format_version` is 99/],
    [
      "head input size ≠ the heads file",
      (d) => editJson(d, (m) => (m.exits[0].head.input_size = 64)),
      /heads_[0-9a-f]+\.safetensors/,
    ],
    [
      // found by the fuzzer (seed -749913253): the head was allocated from sidenet.json's shape before the
      // heads file was checked → RangeError
      "head hidden size 3.4e128",
      (d) => editJson(d, (m) => (m.exits[0].head.hidden_size = 3.43837400769865e128)),
      /hidden_size/,
    ],
    [
      "head input size 2^52 (a safe integer the heads file does not match)",
      (d) => editJson(d, (m) => (m.exits[0].head.input_size = 2 ** 52)),
      /heads_[0-9a-f]+\.safetensors/,
    ],
    ["mainnet_below_rows −1", (d) => editJson(d, (m) => (m.mainnet_below_rows = -1)), /mainnet_below_rows/],
    [
      "folded head output the segment lacks",
      (d) => editJson(d, (m) => (m.exits[0].logits_output = "no_such_output")),
      /`exits\[0\]\.logits_output`/,
    ],
    [
      "folded head output not a string",
      (d) => editJson(d, (m) => (m.exits[0].logits_output = 7)),
      /logits_output/,
    ],
    [
      "a pooling that does not fit bert taps",
      (d) => editJson(d, (m) => (m.exits[0].pooling = "global-average")),
      /`exits\[0\]\.pooling` is "global-average", which does not fit bert taps/,
    ],
    [
      "an artefact of another task",
      (d) => editJson(d, (m) => (m.task = "image-classification")),
      /`task` is "image-classification"; this loader serves "text-classification"/,
    ],
    [
      "label map ≠ the MainNet's (config.json re-pinned)",
      (d) => sealed(d, "config.json", () => editConfig(d, (c) => (c.id2label = { 0: "ham", 1: "eggs" }))),
      /id2label/,
    ],
    [
      "label map ≠ the MainNet's",
      (d) => editConfig(d, (c) => (c.id2label = { 0: "ham", 1: "eggs" })),
      /config\.json: hashes to [0-9a-f]{64}, but sidenet\.json field `files\["config\.json"\]` pins/,
    ],
    ["MainNet changed", (d) => changeMainNet(d), /`mainnet\.sha256`/],
    ["missing segment", (d) => unlinkSync(partPath(d, "segment fp32 1")), /segment_1\.onnx: is missing/],
    [
      "segment 1 truncated",
      (d) => truncate(partPath(d, "segment fp32 1"), 0.5),
      /segment_1\.onnx: hashes to [0-9a-f]{64}, but sidenet\.json field `files\["onnx\/sidenet_[0-9a-f]+_segment_1\.onnx"\]` pins/,
    ],
    [
      "segment 1 truncated (re-pinned)",
      (d) => sealedPart(d, "segment fp32 1", (f) => truncate(f, 0.5)),
      /segment_1\.onnx: could not be loaded as an ONNX graph \(.*\)\. The file is damaged or not a graph/,
    ],
    [
      "segment 0 replaced by segment 1, a valid graph",
      (d) => overwrite(partPath(d, "segment fp32 0"), readFileSync(partPath(d, "segment fp32 1"))),
      /segment_0\.onnx: hashes to/,
    ],
    [
      "segment 0 replaced by segment 1, a valid graph (re-pinned)",
      (d) =>
        sealedPart(d, "segment fp32 0", (f) => overwrite(f, readFileSync(partPath(d, "segment fp32 1")))),
      /field `segment_inputs\[0\]` does not list "\/bert\/encoder\/layer\.1\/.*", which onnx\/sidenet_[0-9a-f]+_segment_0\.onnx reads/,
    ],
    [
      "segment 1 replaced by the q8 segment 1, a valid graph with the same inputs and outputs",
      (d) => overwrite(partPath(d, "segment fp32 1"), readFileSync(partPath(d, "segment q8 1"))),
      /segment_1\.onnx: hashes to/,
    ],
    [
      "q8 segment 0 byte-flipped, loaded as q8",
      (d) => flipByte(partPath(d, "segment q8 0"), 0.5, 0x5a),
      /segment_0_quantized\.onnx: hashes to/,
      "q8",
    ],
    [
      "q8 MainNet changed, loaded as q8 and called at τ = 1",
      (d) => flipByte(partPath(d, "onnx/model_quantized.onnx"), 0.99, 1),
      /model_quantized\.onnx: hashes to/,
      "q8",
    ],
    [
      "tokenizer.json garbled",
      (d) => writeFileSync(join(d, "tokenizer.json"), "{ nope"),
      /tokenizer\.json: hashes to/,
    ],
    [
      "tokenizer.json garbled (re-pinned)",
      (d) => sealed(d, "tokenizer.json", () => writeFileSync(join(d, "tokenizer.json"), "{ nope")),
      /tokenizer\.json: the tokenizer could not be loaded from it \(.*\)\. Copy the MainNet's tokenizer files back/,
    ],
    [
      "tokenizer_config.json garbled (re-pinned)",
      (d) =>
        sealed(d, "tokenizer_config.json", () => writeFileSync(join(d, "tokenizer_config.json"), "[1, 2")),
      /tokenizer_config\.json: the tokenizer could not be loaded from it/,
    ],
    ["tokenizer.json missing", (d) => unlinkSync(join(d, "tokenizer.json")), /tokenizer\.json: is missing/],
    [
      "tokenizer.json not pinned",
      (d) => editJson(d, (m) => delete m.files["tokenizer.json"]),
      /sidenet\.json: field `files` does not pin "tokenizer\.json"/,
    ],
    [
      "heads not pinned",
      (d) => editJson(d, (m) => delete m.files[m.heads]),
      /field `files` does not pin "heads_[0-9a-f]+\.safetensors"/,
    ],
    [
      "a pin that is not a sha256",
      (d) => editJson(d, (m) => (m.files["config.json"] = "abc")),
      /field `files\["config\.json"\]` is "abc"; expected a hex sha256/,
    ],
    [
      "a pin outside the artefact",
      (d) => editJson(d, (m) => (m.files["../x.json"] = "0".repeat(64))),
      /field `files` names "\.\.\/x\.json"/,
    ],
    [
      "segment renamed in sidenet.json",
      (d) => editJson(d, (m) => (m.segments.fp32[1] = "onnx/model.onnx")),
      /`segments\.fp32\[1\]`/,
    ],
    [
      "MainNet outside the artefact",
      (d) => editJson(d, (m) => (m.mainnet.file = "../../etc/passwd")),
      /`mainnet\.file`/,
    ],
    [
      "tap renamed",
      (d) => editJson(d, (m) => (m.exits[0].tap = "/bert/pooler/dense/MatMul_output_0")),
      /does not produce/,
    ],
    [
      "segment inputs dropped",
      (d) => editJson(d, (m) => (m.segment_inputs[1] = [])),
      /`segment_inputs\[1\]`/,
    ],
    [
      "oversized safetensors header (re-pinned)",
      (d) => sealedPart(d, "heads", () => setHeaderLength(d, 2n ** 62n)),
      /heads_[0-9a-f]+\.safetensors: (?!hashes)/,
    ],
    [
      "negative safetensors header",
      (d) => sealedPart(d, "heads", () => setHeaderLength(d, 2n ** 64n - 8n)),
      /heads_[0-9a-f]+\.safetensors/,
    ],
    ["NaN weight", (d) => poisonWeight(d, Number.NaN), /heads_[0-9a-f]+\.safetensors: hashes to/],
    [
      "NaN weight (re-pinned)",
      (d) => sealedPart(d, "heads", () => poisonWeight(d, Number.NaN)),
      /non-finite/,
    ],
    [
      "Inf weight (re-pinned)",
      (d) => sealedPart(d, "heads", () => poisonWeight(d, Number.POSITIVE_INFINITY)),
      /non-finite/,
    ],
    [
      "config.json unreadable (re-pinned)",
      (d) => sealed(d, "config.json", () => writeFileSync(join(d, "config.json"), "{ nope")),
      /config\.json: is not a valid config/,
    ],
  ];
  it.each(named)("%s → a SideNetError naming the file and the field", async (_, damage, pattern, dtype) => {
    const dir = clone();
    damage(dir);
    const r = await loadOrRefuse(dir, dtype);
    expect(r).toBeInstanceOf(SideNetError);
    expect((r as SideNetError).message).toMatch(pattern);
  });
});

/** Runs `damage`, then seals `rel`'s new bytes into sidenet.json's pins. */
function sealed(dir: string, rel: string, damage: () => void) {
  damage();
  repin(dir, rel);
}
/** {@link sealed} for a named part ("heads", "segment fp32 1"), given its path. */
function sealedPart(dir: string, part: string, damage: (path: string) => void) {
  const path = partPath(dir, part);
  damage(path);
  repin(dir, path.slice(dir.length + 1));
}
function changeMainNet(dir: string) {
  flipByte(join(dir, "onnx", "model.onnx"), 0.999, 1);
}
function setHeaderLength(dir: string, n: bigint) {
  const p = partPath(dir, "heads");
  const b = new Uint8Array(readFileSync(p));
  new DataView(b.buffer, b.byteOffset).setBigUint64(0, n, true);
  overwrite(p, b);
}
function poisonWeight(dir: string, x: number) {
  const p = partPath(dir, "heads");
  const b = new Uint8Array(readFileSync(p));
  const headerLength = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
  new DataView(b.buffer, b.byteOffset).setFloat32(8 + headerLength + 4 * 3, x, true);
  overwrite(p, b);
}

describe("bad inputs", () => {
  let classify: Classify;
  beforeAll(async () => {
    classify = (await pipeline("text-classification", good)) as unknown as Classify;
  });
  afterAll(() => classify.model.dispose());

  it("empty batch → an empty result; empty string, 100 000 characters and mixed lengths → answers", async () => {
    tried.inputs += 4;
    const none = await classify([]);
    expect(none).toEqual([]);
    expect(none.sidenet).toEqual([]);
    const out = await classify(["", "x".repeat(100_000), "short", texts[0]!]);
    expect(out).toHaveLength(4);
    for (const o of out) expect(["ham", "spam"]).toContain(o.label);
    // a row's answer does not depend on what it is batched with
    const alone = await classify([texts[0]!]);
    expect(out[3]).toEqual(alone[0]);
  });

  it.each([-0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("τ = %s → InvalidArgumentError", async (tau) => {
    tried.inputs++;
    await expect(classify(["hello"], { threshold: tau })).rejects.toThrow(InvalidArgumentError);
  });

  it("1 000 concurrent calls give exactly the sequential answers", async () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => texts[i % texts.length]!);
    const sequential: Item[] = [];
    for (const t of inputs.slice(0, texts.length)) sequential.push((await classify([t]))[0]!);
    const concurrent = await Promise.all(inputs.map((t) => classify([t])));
    for (const [i, r] of concurrent.entries()) expect(r[0]).toEqual(sequential[i % texts.length]);
  });
});
