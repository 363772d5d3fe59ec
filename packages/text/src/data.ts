import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "@sidenet/core";

/** A labelled text row of a JSONL data set: `{"text": "...", "label": "spam"}` (other fields ignored). */
export interface TextRow {
  text: string;
  label: string;
}

/** Reads a JSONL file of `{text, label}` rows, naming the file and line of any bad row. */
export function readTextJsonl(path: string): TextRow[] {
  const lines = readFileSync(path, "utf8").split("\n");
  const rows: TextRow[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch (e) {
      throw new InvalidArgumentError(`${path}:${i + 1}: not valid JSON (${(e as Error).message}).`);
    }
    const row = r as Partial<TextRow>;
    if (typeof row.text !== "string" || typeof row.label !== "string") {
      throw new InvalidArgumentError(`${path}:${i + 1}: expected {"text": string, "label": string}.`);
    }
    rows.push({ text: row.text, label: row.label });
  });
  return rows;
}

/** Label ids of rows under a MainNet's label2id, naming unknown labels. */
export function labelIds(
  rows: readonly TextRow[],
  id2label: Record<string, string>,
  source: string,
): Int32Array {
  const label2id = new Map(Object.entries(id2label).map(([id, l]) => [l, Number(id)]));
  return Int32Array.from(rows, (r, i) => {
    const id = label2id.get(r.label);
    if (id === undefined) {
      throw new InvalidArgumentError(
        `${source}: row ${i + 1} has label "${r.label}", which the MainNet does not know (labels: ${[...label2id.keys()].join(", ")}).`,
      );
    }
    return id;
  });
}
