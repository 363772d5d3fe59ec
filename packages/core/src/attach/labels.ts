import { InvalidArgumentError } from "../errors.js";

/**
 * Label ids of data labels under a MainNet's id2label. A label is a name of id2label (`"spam"`) or, when
 * it is no name, one of its ids (`"1"`, as CSV and Parquet files often store labels); names win when a
 * string is both. Unknown labels fail together, each with its count and first row, next to the MainNet's
 * id2label — so a wrong column or a data set for another model is seen at once.
 */
export function labelIds(
  labels: readonly string[],
  id2label: Record<string, string>,
  source: string,
  where: (i: number) => string = (i) => `row ${i + 1}`,
): Int32Array {
  const byName = new Map(Object.entries(id2label).map(([id, l]) => [l, Number(id)]));
  const byId = new Map(Object.keys(id2label).map((id) => [id, Number(id)]));
  const unknown = new Map<string, { count: number; first: number }>();
  const ids = Int32Array.from(labels, (label, i) => {
    const id = byName.get(label) ?? byId.get(label.trim());
    if (id !== undefined) return id;
    const u = unknown.get(label);
    if (u) u.count++;
    else unknown.set(label, { count: 1, first: i });
    return -1;
  });
  if (unknown.size > 0) {
    const shown = [...unknown.entries()].slice(0, 8);
    throw new InvalidArgumentError(
      `${source}: ${unknown.size} label${unknown.size > 1 ? "s" : ""} the MainNet does not know: ${shown
        .map(
          ([l, u]) =>
            `${JSON.stringify(l)} (${u.count} row${u.count > 1 ? "s" : ""}, first at ${where(u.first)})`,
        )
        .join(", ")}${unknown.size > shown.length ? ", …" : ""}. The MainNet's id2label: ${Object.entries(
        id2label,
      )
        .map(([id, l]) => `${id} ${JSON.stringify(l)}`)
        .join(", ")}. Use label names or ids of id2label (or choose another column with --label-column).`,
    );
  }
  return ids;
}
