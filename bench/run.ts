/**
 * `pnpm bench`: for each fixture, the stock transformers.js pipeline on the MainNet vs the SideNet
 * pipeline (and at τ = 1, and both on the q8 MainNet), side by side in one process at batch 32 and 1;
 * accuracy of each on the whole test split in a process of its own (with its peak RSS); the pieces of a
 * call and the ideal bound. Writes bench/results.json and the README's benchmark table.
 *
 * Flags: `--only <fixture>` and `--speed-only` (no accuracy runs) print and write nothing, unless
 * `--only <fixture> --merge`: that fixture's entry in results.json is replaced (or added), stamped with
 * its own run (date, commit, load), the others kept; `--rounds N` (default 7), `--table-only` (re-render
 * the README from results.json), `--fresh` (re-attach the SideNets). A whole run ends with
 * `bench/dtypes.ts` (every dtype of the fixtures that ship them). `--scale` runs `bench/scale.ts` instead
 * (hub-size random-weight graphs, timing only; its flags pass through).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "@huggingface/transformers";
import { chunk, pairedRatio, sideBySide } from "@sidenet/core";
import type { SideNetManifest } from "@sidenet/core/artefact";
import { writeFileAtomic } from "@sidenet/core/node";
import type { SideNetModel } from "@sidenet/core/runtime";
import { ensureArtefact, FIXTURES, type Fixture, mainnetDir, ROOT } from "@sidenet/examples/fixtures";
import { idealBounds, pieceVariants } from "./lib/profile.js";
import { README, spliceSection, writeReadme } from "./lib/readme.js";
import type { BatchResult, BenchResults, FixtureResult, VariantAccuracy } from "./lib/results.js";
import { BENCH_SECTION, renderBench } from "./lib/table.js";
import { loadVariant, VARIANTS, type VariantName } from "./lib/variants.js";

env.allowRemoteModels = false;
const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, "results.json");
const arg = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const rounds = Number(arg("--rounds") ?? 7);

function writeBenchReadme(r: BenchResults) {
  writeReadme(spliceSection(readFileSync(README, "utf8"), BENCH_SECTION, renderBench(r)));
}

if (process.argv.includes("--scale")) {
  // the hub-size timing bench is a run of its own (bench/scale.ts), with its own flags
  const args = process.argv.slice(2).filter((a) => a !== "--scale");
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=source", join(HERE, "scale.ts"), ...args],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
  process.exit(r.status ?? 1);
}

if (process.argv.includes("--table-only")) {
  // derived figures (bounds, efficiencies) are recomputed from the measured ones
  const r = JSON.parse(readFileSync(RESULTS, "utf8")) as BenchResults;
  for (const f of r.fixtures) {
    for (const b of f.batches) {
      // results of earlier versions: no rule, the pipeline's exit rates were the cascade's
      b.cascadeExitRates ??= b.exitRates;
      b.mainnetAlone ??= false;
      Object.assign(b, derived(b));
    }
  }
  writeFileAtomic(RESULTS, `${JSON.stringify(r, null, 2)}\n`);
  writeBenchReadme(r);
  console.log(`README table re-rendered from ${RESULTS}`);
  process.exit(0);
}

/** The bound and the efficiencies of a batch result, from its measured throughputs and pieces. */
function derived(
  b: Pick<
    BatchResult,
    "pieces" | "cascadeExitRates" | "mainnetAlone" | "throughput" | "ratios" | "modelSpeedup"
  >,
) {
  const ideal = idealBounds(
    b.pieces,
    b.cascadeExitRates,
    1000 / b.throughput.stock.median,
    1000 / b.throughput["sidenet-off"].median,
    b.mainnetAlone,
  );
  return {
    pieces: { ...b.pieces, post: ideal.post, ownPost: ideal.ownPost },
    ideal: { model: ideal.model, pipeline: ideal.pipeline },
    limit: ideal.limit,
    efficiency: { model: b.modelSpeedup / ideal.model, pipeline: b.ratios.speedup.median / ideal.pipeline },
  };
}

const log = (s: string) => process.stderr.write(`${s}\n`);

/** Accuracy, exit rate and peak RSS of every variant, each in a child process. */
function accuracies(f: Fixture): Record<VariantName, VariantAccuracy> {
  const runs = new Map<
    VariantName,
    { predicted: string[]; accuracy: number; exitRate: number; peakRssMiB: number; rssLoadedMiB: number }
  >();
  for (const v of VARIANTS) {
    log(`[${f.name}] accuracy on the test split: ${v.label} …`);
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "--conditions=source", join(HERE, "lib", "accuracy-child.ts"), f.name, v.name],
      { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 2 ** 20, stdio: ["ignore", "pipe", "inherit"] },
    );
    if (child.status !== 0) throw new Error(`accuracy-child ${f.name} ${v.name} exited with ${child.status}`);
    runs.set(v.name, JSON.parse(child.stdout.trim().split("\n").at(-1)!));
  }
  const agree = (a: string[], b: string[]) => a.filter((x, i) => x === b[i]).length / a.length;
  const out = {} as Record<VariantName, VariantAccuracy>;
  for (const v of VARIANTS) {
    const r = runs.get(v.name)!;
    const reference = runs.get(v.dtype === "q8" ? "stock-q8" : "stock")!;
    out[v.name] = {
      accuracy: r.accuracy,
      exitRate: r.exitRate,
      agreement: agree(r.predicted, reference.predicted),
      peakRssMiB: r.peakRssMiB,
      rssLoadedMiB: r.rssLoadedMiB,
    };
  }
  return out;
}

async function speed(f: Fixture): Promise<BatchResult[]> {
  const loaded = new Map<VariantName, Awaited<ReturnType<typeof loadVariant>>>();
  for (const v of VARIANTS) loaded.set(v.name, await loadVariant(f, v));
  const inputs = f.split("test").map((r) => r.input);
  const out: BatchResult[] = [];
  try {
    for (const batch of [32, 1]) {
      const items = inputs.slice(0, batch === 32 ? f.timed.b32 : f.timed.b1);
      const batches = chunk(items, batch);
      const model = loaded.get("sidenet")!.pipe.model as SideNetModel;
      // as the pipeline runs, and the cascade itself (a per-call τ always runs it, below the rule too)
      const rates = async (o?: object) => {
        const counts: number[] = [];
        for (const b of batches) {
          const r = (await loaded.get("sidenet")!.classify(b, o)) as unknown as {
            sidenet: { exit: number }[];
          };
          for (const x of r.sidenet) if (x.exit >= 0) counts[x.exit] = (counts[x.exit] ?? 0) + 1;
        }
        return model.manifest.exits.map((_, k) => (counts[k] ?? 0) / items.length);
      };
      const exitRates = await rates();
      const cascadeExitRates = await rates({ thresholds: model.thresholds });
      const exitRate = exitRates.reduce((a, b) => a + b, 0);
      const mainnetAlone = batch < model.mainnetBelowRows;
      // the pipelines and the pieces of a call, all in one side-by-side run: same inputs, same machine
      const pv = await pieceVariants({
        adapter: f.adapter,
        mainnetDir: mainnetDir(f),
        stockModel: loaded.get("stock")!.pipe.model as never,
        sidenet: model,
        inputs: items,
        batchSize: batch,
        decode: f.decode,
      });
      // the same items decoded in memory beforehand (RawImage): the pipelines without their file decoding
      const decoded = f.decode
        ? await Promise.all(batches.map((b) => f.decode!(b) as Promise<string[]>))
        : [];
      const onDecoded = (name: "stock" | "sidenet") => async () => {
        for (const b of decoded) await loaded.get(name)!.classify(b);
      };
      const extra = f.decode ? [onDecoded("stock"), onDecoded("sidenet")] : [];
      log(
        `[${f.name}] batch ${batch}: ${items.length} items; ${VARIANTS.length} pipelines${f.decode ? " (+ 2 on decoded inputs)" : ""} and ${pv.variants.length} pieces side by side, ${rounds} rounds …`,
      );
      // one timed unit per variant: its whole pass over the timed items
      const t = await sideBySide(
        [0],
        [
          ...VARIANTS.map((v) => async () => {
            for (const b of batches) await loaded.get(v.name)!.classify(b);
          }),
          ...pv.variants.map((run) => async () => {
            for (const b of pv.batches) await run(b);
          }),
          ...extra,
        ],
        { rounds, sizeOf: () => items.length },
      );
      const throughput = Object.fromEntries(
        VARIANTS.map((v, k) => [v.name, t[k]!]),
      ) as BatchResult["throughput"];
      const pieceTimings = t.slice(VARIANTS.length, VARIANTS.length + pv.variants.length);
      const [dStock, dSide] = t.slice(VARIANTS.length + pv.variants.length);
      const onDecodedInputs =
        dStock && dSide ? { stock: dStock, sidenet: dSide, speedup: pairedRatio(dStock, dSide) } : undefined;
      const pieces = pv.read(pieceTimings.map((x) => x.median));
      // MainNet session vs the whole cascade on the same prepared batches, paired by round
      const modelSpeedup = pairedRatio(pieceTimings[pv.fullIndex]!, pieceTimings[pv.cascadeIndex]!).median;
      const ratios = {
        speedup: pairedRatio(throughput.stock, throughput.sidenet),
        tau1: pairedRatio(throughput.stock, throughput["sidenet-off"]),
        exitOnly: pairedRatio(throughput["sidenet-off"], throughput.sidenet),
        q8: pairedRatio(throughput.stock, throughput["stock-q8"]),
        q8Speedup: pairedRatio(throughput["stock-q8"], throughput["sidenet-q8"]),
        q8Total: pairedRatio(throughput.stock, throughput["sidenet-q8"]),
      };
      const d = derived({
        pieces: { ...pieces, post: 0, ownPost: 0 },
        cascadeExitRates,
        mainnetAlone,
        throughput,
        ratios,
        modelSpeedup,
      });
      out.push({
        batch,
        items: items.length,
        throughput,
        ratios,
        exitRate,
        exitRates,
        cascadeExitRates,
        mainnetAlone,
        modelSpeedup,
        ...(onDecodedInputs ? { decoded: onDecodedInputs } : {}),
        ...d,
      });
      const ideal = d.ideal;
      log(
        `[${f.name}] batch ${batch}: speed-up ${ratios.speedup.median.toFixed(2)}× (ideal ${ideal.pipeline.toFixed(2)}×; model level ${modelSpeedup.toFixed(2)}× of ideal ${ideal.model.toFixed(2)}×), τ=1 ${ratios.tau1.median.toFixed(3)}×, q8+SideNet vs q8 ${ratios.q8Speedup.median.toFixed(2)}×`,
      );
    }
  } finally {
    for (const l of loaded.values()) await l.pipe.dispose();
  }
  return out;
}

const t0 = performance.now();
const loadAverageStart = loadavg();
const only = arg("--only");
const fixtures: FixtureResult[] = [];
for (const f of FIXTURES) {
  if (only && only !== f.name) continue;
  const dir = await ensureArtefact(f, process.argv.includes("--fresh"));
  const manifest = JSON.parse(readFileSync(join(dir, "sidenet.json"), "utf8")) as SideNetManifest;
  const exits = manifest.exits;
  const accuracy = process.argv.includes("--speed-only") ? ({} as FixtureResult["accuracy"]) : accuracies(f);
  const batches = await speed(f);
  fixtures.push({
    name: f.name,
    describe: f.describe,
    testItems: f.split("test").length,
    mainnetBelowRows: manifest.mainnet_below_rows ?? 0,
    exits: exits.map((e) => ({
      tap: e.tap,
      pooling: e.pooling,
      threshold: e.threshold,
      temperature: e.temperature,
      confidence: e.confidence,
      patience: e.agree_with_previous === true,
    })),
    accuracy,
    batches,
  });
}
const git = (...a: string[]) => execFileSync("git", a, { cwd: ROOT, encoding: "utf8" }).trim();
const dirty = git("status", "--porcelain", "--untracked-files=no") !== "";
const pkgVersion = (p: string) =>
  JSON.parse(readFileSync(join(ROOT, "node_modules", ".pnpm", "node_modules", p, "package.json"), "utf8"))
    .version as string;
const results: BenchResults = {
  date: new Date().toISOString(),
  commit: `${git("rev-parse", "--short", "HEAD")}${dirty ? "+dirty" : ""}`,
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.versions.node,
    os: `${process.platform} ${release()}`,
    loadAverageStart,
    loadAverageEnd: loadavg(),
  },
  versions: {
    "@huggingface/transformers": pkgVersion("@huggingface/transformers"),
    "onnxruntime-node": pkgVersion("onnxruntime-node"),
  },
  rounds,
  seconds: (performance.now() - t0) / 1000,
  fixtures,
};
const merge = process.argv.includes("--merge") && only && !process.argv.includes("--speed-only");
if (merge) {
  // every comparison is within one fixture, side by side: a fixture measured alone stands on its own
  const previous = JSON.parse(readFileSync(RESULTS, "utf8")) as BenchResults;
  const m = results.machine;
  const stamped = results.fixtures.map((f) => ({
    ...f,
    run: {
      date: results.date,
      commit: results.commit,
      cpu: m.cpu,
      cores: m.cores,
      loadAverageStart: m.loadAverageStart,
      loadAverageEnd: m.loadAverageEnd,
      seconds: results.seconds,
    },
  }));
  const names = new Set(stamped.map((f) => f.name));
  previous.fixtures = [...previous.fixtures.filter((f) => !names.has(f.name)), ...stamped];
  writeFileAtomic(RESULTS, `${JSON.stringify(previous, null, 2)}\n`);
  writeBenchReadme(previous);
  console.log(renderBench(previous));
} else if (only || process.argv.includes("--speed-only")) {
  // the README table and results.json come from whole runs only
  console.log(
    JSON.stringify(
      results.fixtures.map((f) => f.batches),
      null,
      1,
    ),
  );
} else {
  writeFileAtomic(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  writeBenchReadme(results);
  console.log(renderBench(results));
  // then every dtype of the fixtures that ship them (its own table and results file)
  const dtypes = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--conditions=source",
      join(HERE, "dtypes.ts"),
      "--rounds",
      String(Math.min(rounds, 5)),
    ],
    { cwd: ROOT, stdio: "inherit" },
  );
  if (dtypes.status !== 0) throw new Error(`bench/dtypes.ts exited with ${dtypes.status}`);
}
