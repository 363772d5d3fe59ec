/**
 * The checks every family test runs on a SideNet attached to a tiny export, for any modality: τ = 1 ≡ the
 * stock pipeline, τ = 0 ⇒ every row leaves at the first exit, a τ between sends some rows out and the rest
 * (compacted into a smaller batch) get the MainNet's answers, and heads folded into ONNX ≡ the same heads
 * run in JavaScript. The modality supplies its pipelines, its pre-processing and its model class.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { SIDENET_JSON, type SideNetManifest } from "../../src/artefact/index.js";
import type { FamilyCoverage } from "./coverage.js";
import { maxAbsDiff } from "./fixtures.js";

/** One pipeline answer, reduced to its ranked labels and scores (one item for text, top-k for images). */
export type Ranked = { label: string; score: number }[];

/** A transformers.js-style pipeline as these tests call it (the SideNet one adds `sidenet` telemetry). */
export type Classify = ((
  inputs: unknown[],
  options?: object,
) => Promise<unknown[] & { sidenet?: { exit: number; confidence: number }[] }>) & {
  model: { dispose(): Promise<unknown> };
};

/** The model-level API both modalities' `SideNetFor…` classes share. */
export interface RunModel {
  run(
    inputs: unknown,
    options: { threshold: number },
  ): Promise<{ exitIndex: ArrayLike<number>; logits: Float32Array }>;
  dispose(): Promise<unknown>;
}

export interface AttachedCase {
  /** The attached artefact directory. */
  dir: string;
  /** Where the JavaScript-heads copy goes. */
  scratch: string;
  /** Raw pipeline inputs (texts, image paths). */
  items: unknown[];
  /** Extra call options for both pipelines, e.g. `{ top_k: 3 }`. */
  callOptions?: object;
  sidenet: Classify;
  stock: Classify;
  /** Reduces one pipeline answer to ranked labels and scores. */
  ranked(answer: unknown): Ranked;
  /** The model inputs for `items` from the artefact's own tokenizer / processor. */
  modelInputs(dir: string): Promise<unknown>;
  /** `SideNetFor….from_pretrained`. */
  loadModel(dir: string): Promise<RunModel>;
  covered: FamilyCoverage;
}

/**
 * Runs every check on an attached SideNet and records what passed in `covered`. Disposes `sidenet`.
 * Returns the artefact's manifest, for checks of the modality's own.
 */
export async function checkAttachedSideNet(c: AttachedCase): Promise<SideNetManifest> {
  const manifest = JSON.parse(readFileSync(join(c.dir, SIDENET_JSON), "utf8")) as SideNetManifest;
  expect(manifest.exits.length).toBeGreaterThan(0);
  const call = (threshold: object) => c.sidenet(c.items, { ...c.callOptions, ...threshold });
  const reference = (await c.stock(c.items, c.callOptions)).map(c.ranked);

  const one = await call({ threshold: 1 });
  expect(one.map(c.ranked)).toEqual(reference);
  expect(one.sidenet!.every((t) => t.exit === -1)).toBe(true);
  c.covered.tau1 = true;

  const zero = await call({ threshold: 0 });
  expect(zero.sidenet!.every((t) => t.exit === 0)).toBe(true);
  c.covered.tau0 = true;

  // halfway between two rows' confidences: no row sits on the threshold, where float rounding decides
  const conf = zero.sidenet!.map((t) => t.confidence).sort((a, b) => a - b);
  const half = Math.floor(conf.length / 2);
  const median = (conf[half - 1]! + conf[half]!) / 2;
  const thresholds = manifest.exits.map((_: unknown, i: number) => (i === 0 ? median : 1));
  const mixed = await call({ thresholds });
  const stayed = mixed.sidenet!.flatMap((t, i) => (t.exit === -1 ? [i] : []));
  expect(stayed.length).toBeGreaterThan(0);
  expect(stayed.length).toBeLessThan(c.items.length);
  for (const i of stayed) {
    const got = c.ranked(mixed[i]);
    expect(got.map((x) => x.label)).toEqual(reference[i]!.map((x) => x.label));
    expect(got[0]!.score).toBeCloseTo(reference[i]![0]!.score, 5);
  }
  await c.sidenet.model.dispose();

  // the same artefact without the folded logits outputs: the loader runs the heads in JavaScript
  const js = join(c.scratch, "js-heads");
  cpSync(c.dir, js, { recursive: true });
  const jsManifest = { ...manifest, exits: manifest.exits.map(({ logits_output: _, ...e }) => e) };
  writeFileSync(join(js, SIDENET_JSON), JSON.stringify(jsManifest));
  const inputs = await c.modelInputs(c.dir);
  const folded = await c.loadModel(c.dir);
  const inJs = await c.loadModel(js);
  let worst = 0;
  for (const threshold of [0, median]) {
    const a = await folded.run(inputs, { threshold });
    const b = await inJs.run(inputs, { threshold });
    expect(Array.from(a.exitIndex)).toEqual(Array.from(b.exitIndex));
    worst = Math.max(worst, maxAbsDiff(a.logits, b.logits));
  }
  expect(worst).toBeLessThan(1e-4);
  c.covered.folded = true;
  await folded.dispose();
  await inJs.dispose();
  return manifest;
}
