/**
 * `pnpm bench:certify`: does a budget hold on new rows? For each fixture, the held-out rows (validation
 * and test splits, which the MainNet never trained on) are pooled; heads are trained once per tap on
 * the training split (resnet: a seeded 10 000-row subset); then, for ≥ 1 000 random splits of the pooled
 * rows into a calibration part (200, 500, 2 000, … rows) and a test part (the rest), the cascade is
 * chosen on the calibration part — by the empirical rule (drop ≤ ε there) and certified (Learn-then-Test,
 * risk δ) — and scored on the test part. Reported: the share of splits whose test drop exceeds ε
 * (must be ≤ δ for the certified rule) and the price (expected FLOPs cost of each choice).
 *
 * Single-exit cascades with the max-prob criterion (the τ grid per tap as attach sweeps it): the full
 * sweep of two-exit cascades × four criteria costs ~88 000 cascades per split, too slow for thousands of
 * splits. Writes bench/certify-results.json, the README section between `certify:` markers and the plots in
 * docs/certify/ (`--plot`: only the plots, from the stored results).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { env } from "@huggingface/transformers";
import { pickCascade, sweepCascades } from "@sidenet/core";
import {
  type CascadeSweepInput,
  certifiedPick,
  evaluateCascade,
  Rng,
  selectSweepRows,
} from "@sidenet/core/internal";
import { FIXTURES, ROOT } from "@sidenet/examples/fixtures";
import { fixtureCandidates } from "./lib/candidates.js";
import { writeCertifyPlots } from "./lib/certify-plot.js";
import { README, writeReadme } from "./lib/readme.js";

env.allowRemoteModels = false;
const EPSILON_PT = 0.5;
const DELTA = 0.1;
const SPLITS = Number(process.env.SIDENET_SPLITS ?? 1000);
const SIZES: Record<string, number[]> = { bert: [200, 500, 1000], resnet: [200, 500, 2000, 5000] };
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;

// --plot: redraw the plots from the stored results, without resplitting
if (process.argv.includes("--plot")) {
  const stored = JSON.parse(readFileSync(join(ROOT, "bench", "certify-results.json"), "utf8")) as {
    rows: Row[];
    delta: number;
    epsilon_pt: number;
  };
  for (const f of await writeCertifyPlots(ROOT, stored.rows, stored.delta, stored.epsilon_pt))
    console.log(`wrote ${f}`);
  process.exit(0);
}

interface Row {
  fixture: string;
  calibration_rows: number;
  test_rows: number;
  splits: number;
  empirical: { violation_rate: number; mean_cost: number; mean_test_drop_pt: number };
  certified: {
    violation_rate: number;
    mean_cost: number;
    mean_test_drop_pt: number;
    mainnet_alone_rate: number;
  };
}

/** `n` indices in a seeded random order. */
const shuffled = (n: number, rng: Rng): Int32Array =>
  rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const dropOf = (input: CascadeSweepInput, exits: number[], taus: number[], criterion: "max-prob") => {
  const p = evaluateCascade(input, exits, taus, criterion);
  return { drop: (p.newlyWrong - p.newlyRight) / input.labels.length, cost: p.cost };
};

const rows: Row[] = [];
for (const f of FIXTURES) {
  if (only && only !== f.name) continue;
  const held = [...f.split("validation"), ...f.split("test")];
  const { input: c } = await fixtureCandidates(f, held);
  const pooled: CascadeSweepInput = {
    candidates: c.candidates,
    classes: c.classes,
    mainnetPrediction: c.mainnetPrediction,
    labels: c.labels,
    criteria: ["max-prob"],
    maxExits: 1,
  };
  for (const size of SIZES[f.name]!) {
    const rng = new Rng(1000 + size);
    const emp: { drop: number; cost: number }[] = [];
    const cert: { drop: number; cost: number; alone: boolean }[] = [];
    const t0 = performance.now();
    for (let s = 0; s < SPLITS; s++) {
      const order = shuffled(held.length, rng);
      const cal = selectSweepRows(pooled, order.slice(0, size).sort());
      const test = selectSweepRows(pooled, order.slice(size).sort());
      const e = pickCascade(sweepCascades(cal), { maxDropPt: EPSILON_PT })!;
      emp.push(dropOf(test, e.exits, e.thresholds, "max-prob"));
      const r = certifiedPick(cal, { epsilon: EPSILON_PT / 100, delta: DELTA, seed: s });
      cert.push({
        ...dropOf(test, r.point.exits, r.point.thresholds, "max-prob"),
        alone: r.point.exits.length === 0,
      });
    }
    const eps = EPSILON_PT / 100;
    const row: Row = {
      fixture: f.name,
      calibration_rows: size,
      test_rows: held.length - size,
      splits: SPLITS,
      empirical: {
        violation_rate: emp.filter((x) => x.drop > eps).length / SPLITS,
        mean_cost: mean(emp.map((x) => x.cost)),
        mean_test_drop_pt: mean(emp.map((x) => x.drop)) * 100,
      },
      certified: {
        violation_rate: cert.filter((x) => x.drop > eps).length / SPLITS,
        mean_cost: mean(cert.map((x) => x.cost)),
        mean_test_drop_pt: mean(cert.map((x) => x.drop)) * 100,
        mainnet_alone_rate: cert.filter((x) => x.alone).length / SPLITS,
      },
    };
    rows.push(row);
    process.stderr.write(
      `${f.name} ${size} rows: ${SPLITS} splits in ${((performance.now() - t0) / 1000).toFixed(1)} s — empirical violates ${(row.empirical.violation_rate * 100).toFixed(1)} %, certified ${(row.certified.violation_rate * 100).toFixed(1)} %\n`,
    );
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const table = [
  `\`pnpm bench:certify\`: ${SPLITS} random splits of each fixture's pooled held-out rows (validation + test) into a calibration part and a test part; budget ε = ${EPSILON_PT} pt, risk δ = ${DELTA}; single-exit cascades, max-prob. Violation: the choice's drop on the test part exceeds ε. Cost: expected share of the MainNet's FLOPs on the test part (1 = the MainNet alone).`,
  "",
  "| fixture | calibration rows | empirical: violations | certified: violations (≤ δ) | empirical: cost | certified: cost | certified: MainNet alone | test drop, empirical / certified |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map(
    (r) =>
      `| \`${r.fixture}\` | ${r.calibration_rows} (test ${r.test_rows}) | ${pct(r.empirical.violation_rate)} | **${pct(r.certified.violation_rate)}** | ${pct(r.empirical.mean_cost)} | ${pct(r.certified.mean_cost)} | ${pct(r.certified.mainnet_alone_rate)} | ${r.empirical.mean_test_drop_pt.toFixed(2)} / ${r.certified.mean_test_drop_pt.toFixed(2)} pt |`,
  ),
].join("\n");
writeFileSync(
  join(ROOT, "bench", "certify-results.json"),
  `${JSON.stringify({ epsilon_pt: EPSILON_PT, delta: DELTA, rows }, null, 2)}\n`,
);
if (!only) {
  for (const f of await writeCertifyPlots(ROOT, rows, DELTA, EPSILON_PT)) console.log(`wrote ${f}`);
  const text = readFileSync(README, "utf8");
  const begin = "<!-- certify:begin (generated by `pnpm bench:certify`; do not edit) -->";
  const end = "<!-- certify:end -->";
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) writeReadme(`${text.slice(0, a + begin.length)}\n\n${table}\n\n${text.slice(b)}`);
}
console.log(table);
