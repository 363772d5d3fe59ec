import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "../errors.js";
import type { Table } from "./table.js";

/** A JSON Lines file: one JSON object per non-empty line. */
export function readJsonl(file: string): Table {
  const rows: Record<string, unknown>[] = [];
  const lines: number[] = [];
  const columns = new Set<string>();
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      let r: unknown;
      try {
        r = JSON.parse(line);
      } catch (e) {
        throw new InvalidArgumentError(`${file} line ${i + 1}: not valid JSON (${(e as Error).message}).`);
      }
      if (typeof r !== "object" || r === null || Array.isArray(r)) {
        throw new InvalidArgumentError(
          `${file} line ${i + 1}: expected a JSON object, found ${JSON.stringify(r)?.slice(0, 40)}.`,
        );
      }
      for (const k of Object.keys(r)) columns.add(k);
      rows.push(r as Record<string, unknown>);
      lines.push(i + 1);
    });
  return { file, columns: [...columns], rows, where: (i) => `${file} line ${lines[i]}` };
}
