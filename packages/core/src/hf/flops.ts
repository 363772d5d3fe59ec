import { readFileSync } from "node:fs";
import { join } from "node:path";
import { countFlops, type FlopsCount, flopsProbe } from "../onnx/flops.js";
import { decodeModel } from "../onnx/graph.js";
import type { ModalityAdapter } from "./adapter.js";
import { loadGraphSessions } from "./graph-sessions.js";

/**
 * FLOPs of a MainNet counted on its graph, with the shapes of one run on `items` (a representative
 * batch: for text, sequence lengths matter). Returns the count and the FLOPs per item.
 */
export async function measureFlops<Item>(
  adapter: ModalityAdapter<Item>,
  mainnetDir: string,
  items: Item[],
): Promise<FlopsCount & { perItem: number }> {
  const model = decodeModel(readFileSync(join(mainnetDir, "onnx", "model.onnx")));
  const probe = flopsProbe(model);
  const [session] = await loadGraphSessions(mainnetDir, [{ name: "flops_probe", bytes: probe.bytes }]);
  try {
    const inputs = await (await adapter.prepare(mainnetDir))(items);
    const out = await session!(inputs);
    const dims: Record<string, number[]> = {};
    for (const [k, t] of Object.entries({ ...inputs, ...out })) dims[k] = t.dims;
    for (const t of Object.values(out)) t.dispose();
    const count = countFlops(model, dims);
    return { ...count, shareBefore: count.shareBefore, perItem: count.total / items.length };
  } finally {
    await session!.dispose();
  }
}
