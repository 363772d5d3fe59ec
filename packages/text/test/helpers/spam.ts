/**
 * The fixtures' data sets as tests read them. SpamAssassin's train split is sorted by label (2 910 ham,
 * then 1 187 spam), so a test that takes its first rows gets one label only — heads that cannot learn,
 * refused by attach: train rows come in a seeded random order here.
 */
import { join } from "node:path";
import { subsetIndices } from "@sidenet/core/node";
import { readTextJsonl, type TextRow } from "../../src/index.js";

/** The materialised data (`pnpm data`): `SIDENET_DATA_DIR` or `.cache/data` of the repository. */
export const DATA =
  process.env.SIDENET_DATA_DIR ?? join(import.meta.dirname, "..", "..", "..", "..", ".cache", "data");

/** A SpamAssassin split; `train` shuffled with a fixed seed. */
export function spamRows(split: "train" | "validation" | "test"): TextRow[] {
  const rows = readTextJsonl(join(DATA, "spam-assassin", `${split}.jsonl`));
  if (split !== "train") return rows;
  return [...subsetIndices(rows.length, { shuffle: true, seed: 0 })].map((i) => rows[i]!);
}
