/**
 * `pnpm bench --scale --tau1-only`: the τ = 1 overhead again, apart from the speed run and with more
 * rounds — the stock pipeline and the SideNet pipeline with its exit off (it runs the unsplit MainNet),
 * and nothing else, side by side. The speed run times 38 units per round, so its 3 rounds leave the two
 * that matter here far apart in time; this run alternates just them.
 */
import { chunk, pairedRatio, sideBySide } from "@sidenet/core";
import type { Timing } from "@sidenet/core/internal";
import type { ScaleModel } from "./scale-models.js";

/** One model × dtype × batch size: stock → SideNet at τ = 1, paired by round. */
export interface Tau1Cell {
  model: string;
  dtype: string;
  batch: number;
  tau1: Timing;
}

/** The τ = 1 run: when, on what, and its cells. */
export interface Tau1Run {
  date: string;
  commit: string;
  rounds: number;
  items: number;
  cells: Tau1Cell[];
}

type Pipe = (x: string[], o?: object) => Promise<unknown>;

/** Stock vs SideNet at τ = 1 on `items` test inputs of `m` at each batch size, `rounds` paired rounds. */
export async function measureTau1(
  m: ScaleModel,
  dtype: string,
  stock: Pipe,
  sidenet: Pipe,
  o: { rounds: number; items: number; batches: readonly number[] },
): Promise<Tau1Cell[]> {
  const inputs = m
    .rows("test")
    .slice(0, o.items)
    .map((r) => r.input);
  const cells: Tau1Cell[] = [];
  for (const batch of o.batches) {
    const parts = chunk(inputs, batch);
    const pass = (p: Pipe, options: object) => async () => {
      for (const b of parts) await p(b, options);
    };
    const [s, off] = await sideBySide([0], [pass(stock, {}), pass(sidenet, { threshold: 1 })], {
      rounds: o.rounds,
      sizeOf: () => inputs.length,
    });
    cells.push({ model: m.name, dtype, batch, tau1: pairedRatio(s!, off!) });
  }
  return cells;
}
