/** A self-contained HTML report (inline SVG) and a markdown summary of one SideNet artefact. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { lossName, type PointRecord } from "@sidenet/core/artefact";
import { writeFileAtomic } from "@sidenet/core/node";
import { shortTap } from "../architectures.js";
import { type CalibrationIntervals, costMeasureOf, type ReportData } from "./data.js";
import { confidenceSpec, exitRateSpec, paretoSpec, reliabilitySpec, toSvg } from "./plots.js";

type WithInterval = CalibrationIntervals["ece"];

const pct = (x: number, d = 2) => `${(x * 100).toFixed(d)} %`;
const ci = (w: WithInterval, d = 4) => `${w.value.toFixed(d)} [${w.lo.toFixed(d)}, ${w.hi.toFixed(d)}]`;
const FIGURES = ["ece", "adaptiveEce", "mce", "nll", "brier"] as const;
const FIGURE_NAMES = {
  ece: "ECE (15 bins)",
  adaptiveEce: "adaptive ECE",
  mce: "MCE",
  nll: "NLL",
  brier: "Brier",
};

const cascadeText = (p: PointRecord) =>
  p.taps.length === 0
    ? "MainNet alone"
    : `${p.taps
        .map((t, i) => `${shortTap(t)} (τ ${p.thresholds[i]!.toFixed(3)}, exit ${pct(p.exit_rates[i]!, 1)})`)
        .join(" → ")} [${p.criterion}]`;

const same = (a: PointRecord, b: PointRecord) =>
  a.cost === b.cost && a.accuracy === b.accuracy && a.taps.join() === b.taps.join();

/** Markdown table rows: header, separator, rows. */
const table = (head: string[], rows: string[][]) =>
  [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");

/** The best single-exit front accuracy at a cost no higher than `cost`. */
function singleFrontAt(d: ReportData, cost: number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const p of d.sweep.front_single) if (p.cost <= cost + 1e-12) best = Math.max(best, p.accuracy);
  return best;
}

/** The budget's guarantee: certified (bound vs the drop observed on the test rows) or empirical. */
function budgetLine(d: ReportData): string {
  const c = d.manifest.selection?.certification;
  const pt = (x: number) => `${(x * 100).toFixed(2)} pt`;
  const observed = pt(d.test.mainnetAccuracy - d.test.cascadeAccuracy);
  if (!c) {
    return `The budget is empirical: met on the calibration rows, not certified on new rows. Observed drop on the test rows: ${observed}.`;
  }
  const loss = lossName(c);
  if (c.certified === 0) {
    return `Certified budget (risk δ = ${c.delta}): no cascade's ${loss} could be certified below ${pt(c.epsilon)} with ${c.test_rows} test rows, so the MainNet runs alone${c.rows_needed ? ` (about ${c.rows_needed} calibration rows would be needed)` : ""}.`;
  }
  return `Certified budget: ${loss} ≤ ${pt(c.bound!)} (budget ${pt(c.epsilon)}) with probability ≥ ${1 - c.delta} on new rows (${c.procedure}; ${c.selection_rows} + ${c.test_rows} calibration rows, ${c.certified} of ${c.tested} front cascades certified). Observed drop on the test rows: ${observed}.`;
}

/** The report's tables as markdown (shared by the .md and, converted, the .html). */
export function summaryTables(d: ReportData): { title: string; body: string }[] {
  const s = d.sweep;
  const budget =
    "max_drop_pt" in s.budget
      ? `at most ${s.budget.max_drop_pt} pt below the MainNet`
      : "max_cost" in s.budget
        ? `at most ${pct(s.budget.max_cost, 0)} of its cost`
        : `answers equal to the MainNet's on at least ${pct(s.budget.min_agreement, 1)} of rows`;
  const multi = s.front.filter((p) => p.taps.length > 1);
  // the front near the MainNet's accuracy (within 3 pt), at most 16 rows evenly spread, the choice kept
  const near = s.front.filter((p) => p.accuracy >= s.mainnet.accuracy - 0.03);
  const step = Math.max(1, Math.ceil(near.length / 16));
  const shown = near.filter((p, i) => i % step === 0 || i === near.length - 1 || same(p, s.chosen));
  const frontRows = shown.map((p) => [
    same(p, s.chosen) ? `(chosen) ${cascadeText(p)}` : cascadeText(p),
    pct(p.accuracy),
    pct(p.agreement),
    pct(p.cost, 1),
    p.flops === undefined ? "–" : pct(p.flops, 1),
    p.taps.length > 1 ? `${((p.accuracy - singleFrontAt(d, p.cost)) * 100).toFixed(2)} pt` : "–",
  ]);
  const cal = (name: string, x: CalibrationIntervals) => [name, ...FIGURES.map((k) => ci(x[k]))];
  return [
    {
      title: "Choice",
      body: [
        `Swept ${Object.entries(s.swept)
          .filter(([k]) => k !== "0")
          .map(
            ([k, n]) =>
              `${n} cascades of ${k} exit${k === "1" ? "" : "s"}${Number(k) > 2 ? " (searched)" : ""}`,
          )
          .join(
            ", ",
          )} (taps × τ × criterion) on ${s.rows} calibration rows, features extracted once. Budget: ${budget}.`,
        "",
        table(
          ["", "cascade", "accuracy", "cost"],
          [
            ["MainNet (calibration)", "–", pct(s.mainnet.accuracy), "100 %"],
            ["chosen (calibration)", cascadeText(s.chosen), pct(s.chosen.accuracy), pct(s.chosen.cost, 1)],
            [
              `on the ${d.test.rows} test rows`,
              `exit rates ${d.test.exitRates.map((e) => pct(e, 1)).join(" + ")}`,
              `${pct(d.test.cascadeAccuracy)} vs MainNet ${pct(d.test.mainnetAccuracy)}`,
              "",
            ],
          ],
        ),
        "",
        budgetLine(d),
      ].join("\n"),
    },
    {
      title: "Pareto front (calibration rows)",
      body: [
        `${shown.length} of the ${s.front.length} front points (those within 3 pt of the MainNet, evenly spread). Cost: expected ${costMeasureOf(s)}; FLOPs: expected share of its FLOPs counted on the graph (heads left out). The last column: how far a point of several exits lies above the best single-exit cascade of no higher cost (≥ 0: on or beyond the single-exit front). ${multi.length} of ${s.front.length} front points have more than one exit.`,
        "",
        table(
          [
            "cascade",
            "accuracy",
            "agreement with MainNet",
            s.cost_measure === "flops" ? "cost (FLOPs + heads)" : "cost (measured time)",
            "FLOPs",
            "vs single-exit front",
          ],
          frontRows,
        ),
      ].join("\n"),
    },
    {
      title: `Calibration on the test rows (95 % bootstrap intervals, ${d.resamples} resamples)`,
      body: table(
        ["", ...FIGURES.map((k) => FIGURE_NAMES[k])],
        [
          ...d.exits.flatMap((e, i) => [
            cal(`exit ${i} (${shortTap(e.tap)}), before temperature`, e.before),
            cal(`exit ${i} (${shortTap(e.tap)}), after T = ${e.temperature.toFixed(2)}`, e.after),
          ]),
          cal("MainNet", d.mainnet.intervals),
        ],
      ),
    },
  ];
}

function mdToHtmlTable(md: string): string {
  const out: string[] = [];
  let rows: string[][] = [];
  const flush = () => {
    if (!rows.length) return;
    const [head, , ...body] = rows;
    out.push(
      `<table><thead><tr>${head!.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>${body
        .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`)
        .join("")}</tbody></table>`,
    );
    rows = [];
  };
  for (const line of md.split("\n")) {
    if (line.startsWith("|")) rows.push(line.slice(2, -2).split(" | "));
    else {
      flush();
      if (line.trim()) out.push(`<p>${esc(line)}</p>`);
    }
  }
  flush();
  return out.join("\n");
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Writes report.html, report.md and one SVG per plot into `out`. */
export async function writeReport(d: ReportData, out: string): Promise<string[]> {
  mkdirSync(out, { recursive: true });
  const plots = [
    { file: "pareto.svg", title: "Compute–accuracy: the Pareto front", svg: await toSvg(paretoSpec(d)) },
    { file: "reliability.svg", title: "Reliability diagrams", svg: await toSvg(reliabilitySpec(d)) },
    { file: "exit-rate.svg", title: "Exit rate vs τ", svg: await toSvg(exitRateSpec(d)) },
    { file: "confidence.svg", title: "Confidence per exit", svg: await toSvg(confidenceSpec(d)) },
  ];
  const tables = summaryTables(d);
  // choice, the front drawn then listed, calibration in numbers then drawn
  const sections = [tables[0]!, plots[0]!, tables[1]!, tables[2]!, ...plots.slice(1)];
  const heading = `SideNet report: ${d.name} (${d.manifest.task})`;
  const md = [
    `# ${heading}`,
    "",
    `Artefact \`${d.dir}\`; MainNet sha256 \`${d.manifest.mainnet.sha256.slice(0, 12)}…\`. Generated by \`sidenet report\`.`,
    "",
    ...sections.flatMap((x) =>
      "body" in x ? [`## ${x.title}`, "", x.body, ""] : [`## ${x.title}`, "", `![${x.title}](${x.file})`, ""],
    ),
  ].join("\n");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(heading)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1250px; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
th { background: #f4f4f4; } h2 { margin-top: 1.6em; border-bottom: 1px solid #eee; }
figure { margin: 0 0 1.5em; overflow-x: auto; }
</style></head><body>
<h1>${esc(heading)}</h1>
<p>Artefact <code>${esc(d.dir)}</code>; MainNet sha256 <code>${d.manifest.mainnet.sha256.slice(0, 12)}…</code>.</p>
${sections
  .map((x) =>
    "body" in x
      ? `<h2>${esc(x.title)}</h2>\n${mdToHtmlTable(x.body)}`
      : `<h2>${esc(x.title)}</h2>\n<figure>${x.svg}</figure>`,
  )
  .join("\n")}
</body></html>
`;
  const files = ["report.html", "report.md", ...plots.map((p) => p.file)];
  writeFileAtomic(join(out, "report.html"), html);
  writeFileAtomic(join(out, "report.md"), `${md}\n`);
  for (const p of plots) writeFileAtomic(join(out, p.file), p.svg);
  return files.map((f) => join(out, f));
}
