/**
 * The per-dtype checks of an artefact attached to a trained fixture that has every dtype file
 * transformers.js loads (fixtures/tools/dtypes.py), for any modality: each dtype's graph has the fp32
 * taps by name, its segments equal its full graph within the dtype's tolerance, τ = 1 through the SideNet
 * pipeline loaded with `{ dtype }` ≡ the stock pipeline loaded with the same dtype, and heads folded into
 * that dtype's segments (float16 ones in an fp16 graph) ≡ the JavaScript heads within the tolerance.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { DTYPE_SUFFIX, SIDENET_JSON, type SideNetManifest } from "../../src/artefact/index.js";
import { decodeModel, findTapCandidates } from "../../src/index.js";
import type { Classify, Ranked, RunModel } from "./attached.js";
import { maxAbsDiff, worstSplitDiff } from "./fixtures.js";

/** Every dtype transformers.js loads (the fixtures have a file for each). */
export const ALL_DTYPES = Object.keys(DTYPE_SUFFIX);

/**
 * Max |Δlogit| allowed between two computations of the same graph in one dtype (segments vs full) and
 * between a folded head and the JavaScript head on the same tap. float32 activations: 1e-4, as for fp32.
 * float16 activations (fp16, q4f16): a float16 has 11 significant bits (relative step 2^-11 ≈ 4.9e-4), and
 * logits of a few units pass through tens of rounded operations.
 */
export const DTYPE_TOLERANCE: Readonly<Record<string, number>> = {
  fp32: 1e-4,
  q8: 1e-4,
  int8: 1e-4,
  uint8: 1e-4,
  q4: 1e-4,
  bnb4: 1e-4,
  fp16: 1e-2,
  q4f16: 1e-2,
};

export interface DtypeCase {
  /** The MainNet directory (a trained fixture with every dtype file). */
  mainnet: string;
  /** The attached artefact directory (attached with every dtype). */
  dir: string;
  scratch: string;
  items: unknown[];
  callOptions?: object;
  /** Model inputs for `items` (ORT tensors), to run the graphs directly. */
  feeds: Record<string, ort.Tensor>;
  ranked(answer: unknown): Ranked;
  /** The SideNet pipeline and the stock one, loaded with `dtype`. */
  sidenet(dir: string, dtype: string): Promise<Classify>;
  stock(dtype: string): Promise<Classify>;
  modelInputs(dir: string): Promise<unknown>;
  loadModel(dir: string, dtype: string): Promise<RunModel>;
}

const graphBytes = (dir: string, dtype: string) =>
  readFileSync(join(dir, "onnx", `model${DTYPE_SUFFIX[dtype]}.onnx`));

/** The fp32 graph's tap candidates are tensors of every dtype's graph, and the finder finds the same ones. */
export function checkTapsByName(c: DtypeCase, dtype: string): string[] {
  const fp32 = findTapCandidates(decodeModel(graphBytes(c.mainnet, "fp32"))).map((t) => t.name);
  const own = findTapCandidates(decodeModel(graphBytes(c.mainnet, dtype))).map((t) => t.name);
  expect(own).toEqual(fp32);
  return fp32;
}

/** Segments of the dtype's graph cut at the first, a middle and the last tap ≡ its full graph. */
export async function checkSplit(c: DtypeCase, dtype: string, taps: readonly string[]): Promise<number> {
  const cuts = [...new Set([taps[0]!, taps[Math.floor(taps.length / 2)]!, taps[taps.length - 1]!])];
  const worst = await worstSplitDiff(graphBytes(c.mainnet, dtype), cuts, c.feeds);
  expect(worst).toBeLessThanOrEqual(DTYPE_TOLERANCE[dtype]!);
  return worst;
}

/** τ = 1 through the SideNet pipeline with `{ dtype }` gives the stock pipeline's labels and scores in that dtype. */
export async function checkTau1(c: DtypeCase, dtype: string): Promise<void> {
  const sidenet = await c.sidenet(c.dir, dtype);
  const stock = await c.stock(dtype);
  const a = await sidenet(c.items, { ...c.callOptions, threshold: 1 });
  const b = await stock(c.items, c.callOptions);
  expect(a.map(c.ranked)).toEqual(b.map(c.ranked));
  expect(a.sidenet!.every((t) => t.exit === -1)).toBe(true);
  await sidenet.model.dispose();
  await stock.model.dispose();
}

/**
 * Heads folded into the dtype's segments ≡ the same heads run in JavaScript on the dtype's taps: at τ = 0
 * (every row leaves at exit 0) the logits agree within the tolerance. Returns the worst difference.
 */
export async function checkFolded(c: DtypeCase, dtype: string): Promise<number> {
  const manifest = JSON.parse(readFileSync(join(c.dir, SIDENET_JSON), "utf8")) as SideNetManifest;
  const js = join(c.scratch, `js-heads-${dtype}`);
  cpSync(c.dir, js, { recursive: true });
  const jsManifest = { ...manifest, exits: manifest.exits.map(({ logits_output: _, ...e }) => e) };
  writeFileSync(join(js, SIDENET_JSON), JSON.stringify(jsManifest));
  const inputs = await c.modelInputs(c.dir);
  const folded = await c.loadModel(c.dir, dtype);
  const inJs = await c.loadModel(js, dtype);
  const a = await folded.run(inputs, { threshold: 0 });
  const b = await inJs.run(inputs, { threshold: 0 });
  expect(Array.from(a.exitIndex).every((e) => e === 0)).toBe(true);
  expect(Array.from(b.exitIndex)).toEqual(Array.from(a.exitIndex));
  const worst = maxAbsDiff(a.logits, b.logits);
  expect(worst).toBeLessThanOrEqual(DTYPE_TOLERANCE[dtype]!);
  await folded.dispose();
  await inJs.dispose();
  return worst;
}

/**
 * Registers the suite: attach wrote segments for every dtype (the default), then per dtype the taps by
 * name and the split, τ = 1 ≡ stock, folded ≡ JavaScript heads. `manifest` is read once the artefact is
 * attached (in the caller's `beforeAll`).
 */
export function dtypeSuite(c: DtypeCase, manifest: () => SideNetManifest): void {
  it("attach writes segments for every dtype file the MainNet has (the default)", () => {
    const m = manifest();
    expect(Object.keys(m.segments).sort()).toEqual([...ALL_DTYPES].sort());
    for (const files of Object.values(m.segments)) expect(files).toHaveLength(m.exits.length + 1);
  });

  describe.each(ALL_DTYPES)("%s", (dtype) => {
    it("its graph has the fp32 taps by name; its segments equal its full graph", async () => {
      await checkSplit(c, dtype, checkTapsByName(c, dtype));
    });

    it("τ = 1 through pipeline(…, { dtype }) ≡ the stock pipeline loaded with the same dtype", async () => {
      await checkTau1(c, dtype);
    });

    it("the folded head ≡ the JavaScript head on this dtype's tap", async () => {
      await checkFolded(c, dtype);
    });
  });
}
