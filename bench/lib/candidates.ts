/**
 * The benchmarks' candidate exits of a fixture: heads trained once per tap (resnet: on a seeded 10 000-row
 * subset of its training split, as `pnpm bench:certify` and `pnpm bench:search` say), temperatures fitted
 * on the given held-out rows, as attach does — for benchmarks that sweep many times over the same exits.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type AttachOptions, openMainNet } from "@sidenet/core/attach";
import { type CascadeSweepInput, Rng, trainCandidates } from "@sidenet/core/internal";
import { writeFileAtomic } from "@sidenet/core/node";
import { architectureOf } from "@sidenet/core/runtime";
import { type Fixture, mainnetDir, ROOT, type Row } from "@sidenet/examples/fixtures";

/** Training rows per fixture (undefined: the whole split). */
export const TRAIN_ROWS: Record<string, number | undefined> = { bert: undefined, resnet: 10_000 };

/** The fixture's training rows, subset as {@link TRAIN_ROWS} says (seeded). */
export function benchTrainRows(f: Fixture): Row[] {
  const train = f.split("train");
  const limit = TRAIN_ROWS[f.name];
  if (limit === undefined) return train;
  const order = new Rng(7).shuffle(Int32Array.from({ length: train.length }, (_, i) => i));
  return Array.from(order.subarray(0, limit), (i) => train[i]!);
}

interface Cached {
  key: string;
  taps: string[];
  classes: number;
  labels: number[];
  mainnetPrediction: number[];
  candidates: { probs: string; share: number; headCost: number; flopsShare?: number }[];
}

const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
const fromF32 = (s: string) => {
  const b = Buffer.from(s, "base64");
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/**
 * The sweep input of the fixture's candidates, calibrated on `held` (every tap the structure finds).
 * Cached in .cache/bench, keyed by the MainNet's sha256, the rows and the training subset: the heads are
 * the same for the same inputs (seeded), so a rerun of a benchmark skips the feature pass.
 */
export async function fixtureCandidates(
  f: Fixture,
  held: readonly Row[],
): Promise<{ input: CascadeSweepInput; taps: string[] }> {
  const mainnet = await openMainNet(f.adapter, mainnetDir(f));
  const key = `${mainnet.sha256}|${held.length}|${held[0]?.input}|${held.at(-1)?.input}|${TRAIN_ROWS[f.name] ?? "all"}`;
  const file = join(ROOT, ".cache", "bench", `${f.name}-${held.length}-candidates.json`);
  if (existsSync(file)) {
    const c = JSON.parse(readFileSync(file, "utf8")) as Cached;
    if (c.key === key) {
      process.stderr.write(`${f.name}: candidates from ${file}\n`);
      return {
        taps: c.taps,
        input: {
          classes: c.classes,
          labels: Int32Array.from(c.labels),
          mainnetPrediction: Int32Array.from(c.mainnetPrediction),
          candidates: c.candidates.map(({ probs, ...rest }) => ({ ...rest, probs: fromF32(probs) })),
        },
      };
    }
  }
  const arch = architectureOf(f.adapter.architectures, mainnet.config.model_type, mainnet.configPath);
  const train = benchTrainRows(f);
  const options = {
    train: { items: train.map((r) => r.input), labels: train.map((r) => r.label) },
    calibration: { items: held.map((r) => r.input), labels: held.map((r) => r.label) },
    seed: 0,
  } as unknown as AttachOptions<string>;
  const taps = mainnet.candidates.map((t) => t.name);
  const c = await trainCandidates(mainnet, options, taps, arch.poolings, (l) =>
    process.stderr.write(`${l}\n`),
  );
  const cached: Cached = {
    key,
    taps,
    classes: c.classes,
    labels: [...c.labels],
    mainnetPrediction: [...c.mainnetPrediction],
    candidates: c.candidates.map(({ probs, ...rest }) => ({ ...rest, probs: f32(probs) })),
  };
  writeFileAtomic(file, JSON.stringify(cached));
  return {
    input: {
      candidates: c.candidates,
      classes: c.classes,
      mainnetPrediction: c.mainnetPrediction,
      labels: c.labels,
    },
    taps,
  };
}
