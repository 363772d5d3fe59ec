import { describe, expect, it } from "vitest";
import { type ExitSpec, parseManifest, type SideNetManifest } from "../src/artefact/index.js";
import type { ArtefactFiles } from "../src/artefact/source.js";
import { CorruptArtefactError, MlpHead, writeSafetensors } from "../src/index.js";
import {
  checkPin,
  headsFromSafetensors,
  headsToSafetensors,
  selectTensorRows,
  sha256Hex,
} from "../src/internal.js";
import { POOLINGS } from "../src/runtime/index.js";

const exit: ExitSpec = {
  tap: "/bert/encoder/layer.0/output/LayerNorm/Add_1_output_0",
  pooling: "cls",
  head: { input_size: 4, hidden_size: 3, classes: 2, activation: "relu" },
  weights: "exit0",
  temperature: 1.5,
  threshold: 0.9,
  confidence: "max-prob",
};
const manifest: SideNetManifest = {
  format_version: 1,
  task: "text-classification",
  mainnet: { file: "onnx/model.onnx", sha256: "a".repeat(64) },
  segments: { fp32: ["onnx/sidenet_segment_0.onnx", "onnx/sidenet_segment_1.onnx"] },
  segment_inputs: [["input_ids"], ["/bert/Mul_output_0"]],
  carried: ["/bert/Mul_output_0"],
  exits: [exit],
  id2label: { "0": "ham", "1": "spam" },
};

const point = {
  taps: [],
  thresholds: [],
  criterion: "max-prob" as const,
  accuracy: 0.9,
  agreement: 1,
  exit_rates: [],
  cost: 1,
};
const selection = { exit_criterion: "entropy", chosen: point, mainnet: point, front: [point], swept: 3 };

const mutate = (f: (m: Record<string, unknown>) => void) => {
  const m = structuredClone(manifest) as unknown as Record<string, unknown>;
  f(m);
  return JSON.stringify(m);
};

describe("sidenet.json validation", () => {
  it("accepts a valid manifest", () => {
    expect(parseManifest(JSON.stringify(manifest)).exits[0]!.tap).toBe(exit.tap);
  });

  it("accepts the typed calibration and selection records (with the small-batch timings)", () => {
    const full = {
      ...manifest,
      calibration: {
        train_split: "train",
        calibration_split: "validation",
        calibration_rows: 538,
        max_drop_pt: 0.5,
        criterion: "least expected cost within max_drop_pt",
      },
      selection: { ...selection, small_batches: [{ batch: 1, speedup: 0.9 }] },
      mainnet_below_rows: 2,
      small_batches: {
        decision: "batches below 2 rows run the MainNet alone",
        alpha: 0.05,
        timings: [
          { batch: 1, speedup: 0.9, rounds: 9, slower_rounds: 9, p_slower: 0.002 },
          { batch: 2, speedup: 1.2, rounds: 9, slower_rounds: 0, p_slower: 1 },
        ],
      },
      files: { "onnx/model.onnx": "a".repeat(64), "config.json": "b".repeat(64) },
    };
    const m = parseManifest(JSON.stringify(full));
    expect(m.small_batches?.timings[0]?.slower_rounds).toBe(9);
    expect(m.files?.["config.json"]).toBe("b".repeat(64));
    expect(m.selection?.exit_criterion).toBe("entropy");
    expect(m.calibration?.calibration_rows).toBe(538);
  });

  const cases: [string, string, RegExp][] = [
    ["truncated JSON", JSON.stringify(manifest).slice(0, 40), /not valid JSON/],
    ["unknown format_version", mutate((m) => (m.format_version = 7)), /`format_version` is 7/],
    ["missing mainnet", mutate((m) => delete m.mainnet), /`mainnet`/],
    ["bad sha256", mutate((m) => ((m.mainnet as { sha256: string }).sha256 = "xyz")), /`mainnet.sha256`/],
    ["no exits", mutate((m) => (m.exits = [])), /`exits`/],
    [
      "head classes ≠ labels",
      mutate((m) => ((m.exits as ExitSpec[])[0]!.head.classes = 3)),
      /`exits\[0\]\.head\.classes` is 3 but id2label has 2/,
    ],
    [
      "threshold outside [0, 1]",
      mutate((m) => ((m.exits as ExitSpec[])[0]!.threshold = 1.5)),
      /`exits\[0\]\.threshold`/,
    ],
    [
      "zero temperature",
      mutate((m) => ((m.exits as ExitSpec[])[0]!.temperature = 0)),
      /`exits\[0\]\.temperature`/,
    ],
    [
      "unknown confidence",
      mutate((m) => ((m.exits as { confidence: string }[])[0]!.confidence = "vibes")),
      /`exits\[0\]\.confidence`/,
    ],
    [
      "wrong segment count",
      mutate((m) => ((m.segments as Record<string, string[]>).fp32 = ["a.onnx"])),
      /`segments.fp32` lists 1 files for 1 exits/,
    ],
    [
      "unknown pooling",
      mutate((m) => ((m.exits as { pooling: string }[])[0]!.pooling = "max")),
      // every pooling sidenet knows, in the registry's order
      new RegExp(
        `\`exits\\[0\\]\\.pooling\` is "max"; expected one of ${Object.keys(POOLINGS).join(", ")}\\.`,
      ),
    ],
    [
      "a metric that is not a number",
      mutate((m) => ((m.exits as { metrics: unknown }[])[0]!.metrics = { head_accuracy: "high" })),
      /`exits\[0\]\.metrics\.head_accuracy`/,
    ],
    [
      "calibration without its split names",
      mutate((m) => (m.calibration = { calibration_rows: 5, criterion: "x" })),
      /`calibration\.train_split`/,
    ],
    [
      "an unknown exit criterion in selection",
      mutate((m) => (m.selection = { ...selection, exit_criterion: "luck" })),
      /`selection\.exit_criterion` is "luck"/,
    ],
    [
      "a small-batch timing without its speed-up",
      mutate((m) => (m.selection = { ...selection, small_batches: [{ batch: 8 }] })),
      /`selection\.small_batches\[0\]\.speedup`/,
    ],
    [
      "a pin that is not a sha256",
      mutate((m) => (m.files = { "config.json": "abc" })),
      /`files\["config\.json"\]` is "abc"; expected a hex sha256/,
    ],
    [
      "a pin outside the artefact",
      mutate((m) => (m.files = { "../secret.json": "a".repeat(64) })),
      /`files` names "\.\.\/secret\.json"/,
    ],
    [
      "a MainNet pin that is not mainnet.sha256",
      mutate((m) => (m.files = { "onnx/model.onnx": "c".repeat(64) })),
      /`mainnet\.sha256` is "a{64}" but the MainNet's pin `files\["onnx\/model\.onnx"\]` is "c{64}": one of them was edited/,
    ],
    [
      "a small-batch rule without its decision",
      mutate((m) => (m.small_batches = { alpha: 0.05, timings: [] })),
      /`small_batches\.decision`/,
    ],
    [
      "a p-value above 1",
      mutate(
        (m) =>
          (m.small_batches = {
            decision: "x",
            alpha: 0.05,
            timings: [{ batch: 1, speedup: 1, p_slower: 2 }],
          }),
      ),
      /`small_batches\.timings\[0\]\.p_slower`/,
    ],
  ];
  it.each(cases)(
    "rejects %s with a CorruptArtefactError naming the file and the field",
    (_, text, pattern) => {
      expect(() => parseManifest(text, "dir/sidenet.json")).toThrow(CorruptArtefactError);
      expect(() => parseManifest(text, "dir/sidenet.json")).toThrow(/^dir\/sidenet\.json: /);
      expect(() => parseManifest(text, "dir/sidenet.json")).toThrow(pattern);
    },
  );
});

describe("file pins", () => {
  const source = (files: Record<string, Uint8Array>): ArtefactFiles => ({
    id: "mem",
    local: true,
    where: (f) => `mem/${f}`,
    read: async (f) => files[f],
    exists: async (f) => f in files,
    sha256: async (f) => (files[f] ? sha256Hex(files[f]!, f) : undefined),
  });
  const bytes = new TextEncoder().encode('{"a":1}');

  it("passes a file that hashes to its pin, and every file of an artefact without pins", async () => {
    const pinned = { ...manifest, files: { "config.json": await sha256Hex(bytes, "x") } };
    await expect(checkPin(source({}), pinned, "config.json", bytes)).resolves.toBeUndefined();
    await expect(checkPin(source({}), manifest, "tokenizer.json", bytes)).resolves.toBeUndefined();
  });

  it("refuses a changed file naming it and its pin, and an unpinned file naming sidenet.json", async () => {
    const pinned = { ...manifest, files: { "config.json": "0".repeat(64) } };
    await expect(checkPin(source({}), pinned, "config.json", bytes)).rejects.toThrow(
      /^mem\/config\.json: hashes to [0-9a-f]{64}, but sidenet\.json field `files\["config\.json"\]` pins 0{64}/,
    );
    await expect(checkPin(source({}), pinned, "tokenizer.json", bytes)).rejects.toThrow(
      /^mem\/sidenet\.json: field `files` does not pin "tokenizer\.json"/,
    );
    await expect(checkPin(source({}), pinned, "__proto__", bytes)).rejects.toThrow(CorruptArtefactError);
  });

  it("sha256Hex is the SHA-256 of the bytes", async () => {
    // FIPS 180-2 test vector
    expect(await sha256Hex(new TextEncoder().encode("abc"), "x")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

describe("heads.safetensors", () => {
  const head = MlpHead.init({ inputSize: 4, hiddenSize: 3, classes: 2, activation: "relu" }, 3);

  it("round-trips heads bit-exactly", () => {
    const [back] = headsFromSafetensors(headsToSafetensors([{ prefix: "exit0", head }]), [exit]);
    expect(Array.from(back!.params)).toEqual(Array.from(head.params));
  });

  it("names a missing tensor, a shape that does not fit sidenet.json, and non-finite weights", () => {
    const bytes = headsToSafetensors([{ prefix: "exit0", head }]);
    expect(() => headsFromSafetensors(bytes, [{ ...exit, weights: "exit1" }], "h.safetensors")).toThrow(
      /"exit1\.w1" of exits\[0\] is missing/,
    );
    const wide = { ...exit, head: { ...exit.head, input_size: 8 } };
    expect(() => headsFromSafetensors(bytes, [wide], "h.safetensors")).toThrow(/expects F32 \[8,3\]/);
    const bad = head.clone();
    bad.w2[1] = Number.NaN;
    expect(() => headsFromSafetensors(headsToSafetensors([{ prefix: "exit0", head: bad }]), [exit])).toThrow(
      /non-finite weight/,
    );
    const i64 = writeSafetensors({
      "exit0.w1": { dtype: "I64", shape: [4, 3], data: new BigInt64Array(12) },
    });
    expect(() => headsFromSafetensors(i64, [exit])).toThrow(CorruptArtefactError);
  });
});

describe("selectTensorRows", () => {
  it("compacts any dtype along dim 0, in the order given", () => {
    const t = { type: "int64", dims: [3, 1, 2], data: BigInt64Array.from([1n, 2n, 3n, 4n, 5n, 6n]) };
    const out = selectTensorRows(t, [2, 0]);
    expect(out.dims).toEqual([2, 1, 2]);
    expect(Array.from(out.data as BigInt64Array)).toEqual([5n, 6n, 1n, 2n]);
    const f = selectTensorRows({ type: "float32", dims: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }, []);
    expect(f.dims).toEqual([0, 2]);
    expect(f.data).toBeInstanceOf(Float32Array);
  });
});
