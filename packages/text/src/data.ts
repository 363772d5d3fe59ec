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
