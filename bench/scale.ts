/**
 * `pnpm bench --scale` (or `pnpm bench:scale`): sidenet's machinery at the sizes users run. On random-weight
 * graphs in the hub layouts of bert-base-uncased, distilbert-base-uncased and microsoft/resnet-50
 * (timing only: `lib/scale-models.ts`), the stock pipeline vs the SideNet pipeline with one exit at the
 * first and at a middle tap, at exit rates forced to 0, 25, 50, 75, 90 and 100 % by a per-call τ taken
 * from the measured confidences, batch 32 and 1, fp32 and q8 — all variants of a model × dtype × batch
 * side by side in one process, with the pieces of a call (pre-processing, MainNet, segments, head) for
 * the ideal bound at the achieved exit rate; then peak RSS of each pipeline in a process of its own.
 * Writes bench/scale-results.json, docs/scale/model.svg and pipeline.svg and the README's scale table.
 *
 * Flags: `--only <model>` (prints, writes nothing), `--rounds N` (default 3), `--items N` (default 32),
 * `--attach-rows N` (default 128), `--table-only` (re-render README and plot from the JSON), `--rss-only`
 * (measure peak RSS again, keep the speed figures; the RSS run is stamped apart), `--tau1-only` (the τ = 1
 * overhead again, stock and τ = 1 alone side by side, `--rounds` default 15; stamped apart).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "@huggingface/transformers";
import { chunk, pairedRatio, sideBySide, thresholdForRate } from "@sidenet/core";
import type { SideNetModel } from "@sidenet/core/runtime";
import { ROOT } from "@sidenet/examples/fixtures";
import { idealBounds, pieceVariants } from "./lib/profile.js";
import { README, spliceSection, writeFormatted, writeReadme } from "./lib/readme.js";
import {
  ensureScaleArtefact,
  ensureScaleModels,
  SCALE_MODELS,
  type ScaleModel,
  scaleArtefactDir,
  scaleDir,
  stockPipeline,
  TAP_POSITIONS,
  type TapPosition,
  tapAt,
} from "./lib/scale-models.js";
import {
  renderScale,
  SCALE_RATES,
  SCALE_SECTION,
  type ScaleBatch,
  type ScaleResults,
  type ScaleRss,
  writeScalePlots,
} from "./lib/scale-report.js";
import { measureTau1 } from "./lib/scale-tau1.js";

env.allowRemoteModels = false;
const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, "scale-results.json");
const arg = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const rounds = Number(arg("--rounds") ?? 3);
const itemCount = Number(arg("--items") ?? 32);
const attachRows = Number(arg("--attach-rows") ?? 128);
const only = arg("--only");
const log = (s: string) => process.stderr.write(`${s}\n`);

type Pipe = ((x: string[], o?: object) => Promise<unknown>) & {
  model: unknown;
  dispose(): Promise<unknown>;
};
type Telemetry = { sidenet: { exit: number; confidence: number }[] };

async function publish(r: ScaleResults) {
  writeFormatted(RESULTS, `${JSON.stringify(r, null, 2)}\n`);
  writeReadme(spliceSection(readFileSync(README, "utf8"), SCALE_SECTION, renderScale(r)));
  await writeScalePlots(r);
}

if (process.argv.includes("--table-only")) {
  await publish(JSON.parse(readFileSync(RESULTS, "utf8")) as ScaleResults);
  console.log(`README scale table and docs/scale plot re-rendered from ${RESULTS}`);
  process.exit(0);
}

/** Every variant of one model × dtype × batch size, side by side. */
async function measureBatch(
  m: ScaleModel,
  dtype: string,
  batch: number,
  stock: Pipe,
  sides: Record<TapPosition, Pipe>,
): Promise<ScaleBatch> {
  const inputs = m
    .rows("test")
    .slice(0, itemCount)
    .map((r) => r.input);
  const batches = chunk(inputs, batch);
  const prepare = await m.adapter.prepare(scaleDir(m));
  const prepared = await Promise.all(batches.map((b) => prepare(b)));
  // per tap: the exit's confidence of every item (τ = 0: every row leaves there), then the τ of each rate
  const plans = [];
  for (const at of TAP_POSITIONS) {
    const conf: number[] = [];
    for (const b of batches) {
      const r = (await sides[at](b, { threshold: 0 })) as unknown as Telemetry;
      conf.push(...r.sidenet.map((t) => t.confidence));
    }
    const model = sides[at].model as SideNetModel;
    const pv = await pieceVariants({
      adapter: m.adapter,
      mainnetDir: scaleDir(m),
      stockModel: stock.model as never,
      sidenet: model,
      inputs,
      batchSize: batch,
      cascade: false, // each exit rate's cascade is timed below, at its own τ
    });
    const taus = SCALE_RATES.map((e) => thresholdForRate(conf, e));
    plans.push({ at, model, taus, pv, exited: [] as number[], modelExited: [] as number[] });
  }
  // a pipeline's pass over the items, counting the rows that left at an exit
  const pass = (p: Pipe, o: object, count?: (n: number) => void) => async () => {
    let n = 0;
    for (const b of batches) {
      const r = (await p(b, o)) as unknown as Partial<Telemetry>;
      n += (r.sidenet ?? []).filter((t) => t.exit >= 0).length;
    }
    count?.(n);
  };
  // the cascade alone (SideNetModel.run) on the prepared batches: what the model-level ideal bounds
  const run = (model: SideNetModel, threshold: number, count: (n: number) => void) => async () => {
    let n = 0;
    for (const x of prepared) {
      const out = await model.run(x, { threshold });
      n += out.exitCounts.slice(0, -1).reduce((a, b) => a + b, 0);
    }
    count(n);
  };
  // every unit of the side-by-side run, named by where its timing goes
  const units: { key: string; f: () => Promise<unknown> }[] = [
    { key: "stock", f: pass(stock, {}) },
    { key: "off", f: pass(sides.first, { threshold: 1 }) },
  ];
  for (const p of plans) {
    for (const [k, tau] of p.taus.entries()) {
      units.push({
        key: `${p.at} pipeline ${k}`,
        f: pass(sides[p.at], { threshold: tau }, (n) => (p.exited[k] = n)),
      });
      units.push({ key: `${p.at} model ${k}`, f: run(p.model, tau, (n) => (p.modelExited[k] = n)) });
    }
    for (const [k, v] of p.pv.variants.entries()) {
      units.push({
        key: `${p.at} piece ${k}`,
        f: async () => {
          for (const b of p.pv.batches) await v(b);
        },
      });
    }
  }
  log(
    `[${m.name} ${dtype}] batch ${batch}: ${inputs.length} items, ${units.length} units side by side, ${rounds} rounds …`,
  );
  const t0 = performance.now();
  const timings = await sideBySide(
    [0],
    units.map((u) => u.f),
    { rounds, sizeOf: () => inputs.length },
  );
  for (const x of prepared) for (const t of Object.values(x)) t.dispose();
  log(`[${m.name} ${dtype}] batch ${batch}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const t = new Map(units.map((u, i) => [u.key, timings[i]!]));
  const stockT = t.get("stock")!;
  const offT = t.get("off")!;
  const taps = plans.map((p) => {
    const pieceTimings = p.pv.variants.map((_, k) => t.get(`${p.at} piece ${k}`)!);
    const pieces = p.pv.read(pieceTimings.map((x) => x.median));
    const fullT = pieceTimings[p.pv.fullIndex]!;
    const tap = tapAt(m, p.at);
    const exit = p.model.manifest.exits[0]!;
    return {
      at: p.at,
      tap: tap.name,
      label: tap.label,
      flopsShare: exit.metrics?.flops_share ?? Number.NaN,
      pieces,
      points: SCALE_RATES.map((target, k) => {
        const exitRate = p.exited[k]! / inputs.length;
        const ideal = idealBounds(pieces, [exitRate], 1000 / stockT.median, 1000 / offT.median, false);
        const speedup = pairedRatio(stockT, t.get(`${p.at} pipeline ${k}`)!);
        const modelRate = p.modelExited[k]! / inputs.length;
        const modelIdeal = idealBounds(pieces, [modelRate], 1000 / stockT.median, 1000 / offT.median, false);
        const modelSpeedup = pairedRatio(fullT, t.get(`${p.at} model ${k}`)!);
        return {
          target,
          tau: p.taus[k]!,
          exitRate,
          pipeline: { speedup, ideal: ideal.pipeline, efficiency: speedup.median / ideal.pipeline },
          model: {
            exitRate: modelRate,
            speedup: modelSpeedup,
            ideal: modelIdeal.model,
            efficiency: modelSpeedup.median / modelIdeal.model,
          },
        };
      }),
    };
  });
  return {
    model: m.name,
    dtype,
    batch,
    items: inputs.length,
    stockMsPerItem: 1000 / stockT.median,
    tau1: pairedRatio(stockT, offT),
    taps,
  };
}

/** Peak RSS of the stock pipeline and of each SideNet pipeline (every exit run, none taken), each alone. */
function peakRss(m: ScaleModel, dtype: string): ScaleRss {
  const child = (extra: string[]) => {
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=source",
        join(HERE, "lib", "scale-rss-child.ts"),
        m.name,
        dtype,
        String(itemCount),
        ...extra,
      ],
      { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    if (r.status !== 0)
      throw new Error(`scale-rss-child ${m.name} ${dtype} ${extra} exited with ${r.status}`);
    return (JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { peakRssMiB: number }).peakRssMiB;
  };
  // τ just below 1: every exit runs, no row is confident enough (τ = 1 would run the unsplit MainNet)
  const off = String(1 - 1e-9);
  return {
    model: m.name,
    dtype,
    stockMiB: child([]),
    firstMiB: child(["first", off]),
    middleMiB: child(["middle", off]),
  };
}

const models = SCALE_MODELS.filter((m) => !only || m.name === only);
if (models.length === 0) {
  console.error(`--only ${only}: expected one of ${SCALE_MODELS.map((m) => m.name).join(", ")}`);
  process.exit(2);
}
/** The commit measured, `+dirty` when the work tree has changes. */
function commit(): string {
  const git = (...a: string[]) => execFileSync("git", a, { cwd: ROOT, encoding: "utf8" }).trim();
  return git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain") ? "+dirty" : "");
}

if (process.argv.includes("--rss-only")) {
  // peak RSS again (after a memory fix), the speed figures kept; the run is stamped apart
  const r = JSON.parse(readFileSync(RESULTS, "utf8")) as ScaleResults;
  r.rss = models.flatMap((m) => ["fp32", "q8"].map((dtype) => peakRss(m, dtype)));
  r.rssRun = { date: new Date().toISOString().slice(0, 10), commit: commit() };
  await publish(r);
  console.log(renderScale(r));
  process.exit(0);
}

if (process.argv.includes("--tau1-only")) {
  // the τ = 1 overhead again with more rounds (default 15), the other figures kept; stamped apart
  const r = JSON.parse(readFileSync(RESULTS, "utf8")) as ScaleResults;
  const tau1Rounds = Number(arg("--rounds") ?? 15);
  ensureScaleModels(models);
  const cells = [];
  for (const m of models) {
    await ensureScaleArtefact(m, "first", attachRows, log);
    for (const dtype of ["fp32", "q8"]) {
      const stock = (await stockPipeline(m, dtype)) as unknown as Pipe;
      const side = (await m.sidenet(scaleArtefactDir(m, "first"), dtype)) as Pipe;
      log(`[${m.name} ${dtype}] τ = 1 vs stock, ${tau1Rounds} rounds …`);
      cells.push(
        ...(await measureTau1(m, dtype, stock, side, {
          rounds: tau1Rounds,
          items: itemCount,
          batches: [32, 1],
        })),
      );
      for (const p of [stock, side]) await p.dispose();
    }
  }
  r.tau1Run = {
    date: new Date().toISOString().slice(0, 10),
    commit: commit(),
    rounds: tau1Rounds,
    items: itemCount,
    cells,
  };
  if (!only) await publish(r);
  console.log(renderScale(r));
  process.exit(0);
}

const started = performance.now();
const load0 = loadavg();
ensureScaleModels(models);
const batches: ScaleBatch[] = [];
const rss: ScaleRss[] = [];
for (const m of models) {
  for (const at of TAP_POSITIONS) await ensureScaleArtefact(m, at, attachRows, log);
  for (const dtype of ["fp32", "q8"]) {
    const stock = (await stockPipeline(m, dtype)) as unknown as Pipe;
    const sides = {} as Record<TapPosition, Pipe>;
    for (const at of TAP_POSITIONS) sides[at] = (await m.sidenet(scaleArtefactDir(m, at), dtype)) as Pipe;
    for (const batch of [32, 1]) batches.push(await measureBatch(m, dtype, batch, stock, sides));
    for (const p of [stock, ...Object.values(sides)]) await p.dispose();
    log(`[${m.name} ${dtype}] peak RSS, each pipeline in a process of its own …`);
    rss.push(peakRss(m, dtype));
  }
}
const results: ScaleResults = {
  date: new Date().toISOString().slice(0, 10),
  commit: commit(),
  machine: {
    cpu: cpus()[0]?.model ?? "?",
    cores: cpus().length,
    loadBefore: load0[0]!,
    loadAfter: loadavg()[0]!,
  },
  rounds,
  items: itemCount,
  attachRows,
  seconds: Math.round((performance.now() - started) / 1000),
  batches,
  rss,
};
if (only) console.log(renderScale(results));
else {
  await publish(results);
  console.log(renderScale(results));
  console.log(`wrote ${RESULTS}, docs/scale/model.svg and pipeline.svg and the README's scale table`);
}
