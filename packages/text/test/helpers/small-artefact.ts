/**
 * The small bert artefact the reliability and soak tests load (one exit at layer 1, [CLS] pooling, heads
 * on 400 training rows): attached once per test file into a scratch directory.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import { attachTextSideNet } from "../../src/index.js";
import { spamRows } from "./spam.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
export const MAINNET = join(ROOT, "fixtures", "models", "bert");
export const rows = (s: "train" | "validation" | "test") => spamRows(s);

/** 64 test-split emails to call the pipeline on. */
export const texts = rows("test")
  .slice(0, 64)
  .map((r) => r.text);

/** Attaches the small artefact into `out`. */
export async function attachSmallArtefact(out: string): Promise<void> {
  const tap = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx"))))[1]!.name;
  await attachTextSideNet({
    mainnet: MAINNET,
    train: rows("train").slice(0, 400),
    calibration: rows("validation"),
    out,
    taps: [tap],
    poolings: ["cls"],
    log: () => {},
  });
}

export type Item = { label: string; score: number };
export type Classify = ((
  t: string[] | string,
  o?: object,
) => Promise<Item[] & { sidenet: { exit: number }[] }>) & {
  model: { dispose(): Promise<unknown> };
};
