import { countFlops, type FlopsCount, flopsProbe } from "../onnx/flops.js";
import type { MainNet } from "./mainnet.js";

/**
 * FLOPs of a MainNet counted on its graph, with the shapes of one run on `items` (a representative
 * batch: for text, sequence lengths matter). Returns the count and the FLOPs per item.
 */
export async function measureFlops<Item>(
  mainnet: MainNet<Item>,
  items: Item[],
): Promise<FlopsCount & { perItem: number }> {
  const probe = flopsProbe(mainnet.graph);
  const [session] = await mainnet.sessions([{ name: "flops_probe", bytes: probe.bytes }]);
  try {
    const inputs = await mainnet.prepare(items);
    const out = await session!(inputs);
    const dims: Record<string, number[]> = {};
    for (const [k, t] of Object.entries({ ...inputs, ...out })) dims[k] = t.dims;
    for (const t of Object.values(out)) t.dispose();
    const count = countFlops(mainnet.graph, dims);
    return { ...count, shareBefore: count.shareBefore, perItem: count.total / items.length };
  } finally {
    await session!.dispose();
  }
}
