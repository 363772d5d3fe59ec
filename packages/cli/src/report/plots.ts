/** The report's plots: vega-lite specs rendered to SVG by vega in Node. */
import type { PointRecord } from "@sidenet/core/artefact";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { shortTap } from "../architectures.js";
import { costMeasureOf, type ReportData } from "./data.js";

const cascadeName = (p: PointRecord) =>
  p.taps.length === 0 ? "MainNet" : `${p.taps.map(shortTap).join(" → ")} [${p.criterion}]`;

/** Renders a vega-lite spec to an SVG string. */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  return view.toSVG();
}

const pctAxis = { format: ".0%" };

/** Accuracy vs expected cost: every single-exit point, the fronts, the MainNet and the chosen cascade. */
export function paretoSpec(d: ReportData): TopLevelSpec {
  const s = d.sweep;
  const row = (p: PointRecord, kind: string) => ({
    cost: p.cost,
    accuracy: p.accuracy,
    kind,
    cascade: cascadeName(p),
    exits: p.exit_rates.map((e) => `${(e * 100).toFixed(1)} %`).join(" + "),
  });
  const values = [
    ...s.single.map((p) => row(p, "single exit (every τ, criterion)")),
    ...s.front_single.map((p) => row(p, "front: single exit")),
    ...s.front.map((p) => row(p, "front: up to 2 exits")),
    row(s.mainnet, "MainNet"),
    row(s.chosen, "chosen"),
  ];
  const base = (kind: string) => ({ filter: `datum.kind === '${kind}'` });
  // zoom on the fronts: from a point below the lowest front point to above the best
  const shown = [...s.front, ...s.front_single, s.mainnet, s.chosen].map((p) => p.accuracy);
  const lo = Math.max(0, Math.min(...shown) - 0.01);
  const hi = Math.min(1, Math.max(...shown) + 0.005);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${d.name}: accuracy vs expected cost on ${s.rows} calibration rows`,
      subtitle: `orange: Pareto front of cascades of up to ${Math.max(...s.front.map((p) => p.taps.length), 1)} exits · blue: best single exit · grey: every single-exit point`,
    },
    width: 560,
    height: 320,
    data: { values },
    encoding: {
      x: {
        field: "cost",
        type: "quantitative",
        title: `expected cost (${costMeasureOf(s)})`,
        axis: pctAxis,
      },
      y: {
        field: "accuracy",
        type: "quantitative",
        title: "accuracy",
        axis: { format: ".1%" },
        scale: { zero: false, domain: [lo, hi] },
      },
      tooltip: [
        { field: "cascade" },
        { field: "exits" },
        { field: "accuracy", format: ".2%" },
        { field: "cost", format: ".1%" },
      ],
    },
    layer: [
      {
        transform: [base("single exit (every τ, criterion)")],
        mark: { type: "point", size: 10, color: "#bbb", clip: true },
      },
      {
        transform: [base("front: single exit")],
        mark: {
          type: "line",
          point: { color: "#4c78a8" },
          color: "#4c78a8",
          clip: true,
          interpolate: "step-after",
        },
      },
      {
        transform: [base("front: up to 2 exits")],
        mark: {
          type: "line",
          point: { color: "#f58518" },
          color: "#f58518",
          clip: true,
          interpolate: "step-after",
        },
      },
      {
        transform: [base("MainNet")],
        mark: { type: "point", shape: "diamond", size: 140, filled: true, color: "black" },
      },
      {
        transform: [base("chosen")],
        mark: { type: "point", shape: "circle", size: 260, color: "#e45756", strokeWidth: 2.5 },
      },
      {
        transform: [{ filter: "datum.kind === 'MainNet' || datum.kind === 'chosen'" }],
        mark: { type: "text", align: "right", dx: -10, dy: -8, fontSize: 11 },
        encoding: { text: { field: "kind" } },
      },
    ],
  } as TopLevelSpec;
}

/** Reliability diagrams: each exit before and after temperature, and the MainNet. */
export function reliabilitySpec(d: ReportData): TopLevelSpec {
  const values: Record<string, unknown>[] = [];
  const add = (panel: string, series: string, bins: ReportData["mainnet"]["bins"]) => {
    for (const b of bins) {
      if (b.count > 0)
        values.push({ panel, series, confidence: b.confidence, accuracy: b.accuracy, count: b.count });
    }
  };
  for (const [i, e] of d.exits.entries()) {
    add(`exit ${i} (${shortTap(e.tap)})`, "before temperature", e.binsBefore);
    add(`exit ${i} (${shortTap(e.tap)})`, `after (T = ${e.temperature.toFixed(2)})`, e.binsAfter);
  }
  add("MainNet", "MainNet", d.mainnet.bins);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `${d.name}: reliability on ${d.test.rows} test rows (15 bins; point size = rows in the bin)`,
    data: { values },
    facet: { column: { field: "panel", type: "nominal", title: null } },
    spec: {
      width: 220,
      height: 220,
      layer: [
        {
          data: {
            values: [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
          },
          mark: { type: "line", color: "#999", strokeDash: [4, 4] },
          encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
        },
        {
          mark: { type: "line", strokeWidth: 1.5 },
          encoding: {
            x: { field: "confidence", type: "quantitative", title: "confidence", scale: { domain: [0, 1] } },
            y: { field: "accuracy", type: "quantitative", title: "accuracy", scale: { domain: [0, 1] } },
            color: { field: "series", type: "nominal", title: null },
          },
        },
        {
          mark: { type: "circle", opacity: 0.8 },
          encoding: {
            x: { field: "confidence", type: "quantitative" },
            y: { field: "accuracy", type: "quantitative" },
            color: { field: "series", type: "nominal", title: null },
            size: {
              field: "count",
              type: "quantitative",
              legend: null,
              scale: { type: "sqrt", range: [15, 400] },
            },
            tooltip: [
              { field: "series" },
              { field: "count" },
              { field: "confidence", format: ".3f" },
              { field: "accuracy", format: ".3f" },
            ],
          },
        },
      ],
    },
  } as unknown as TopLevelSpec;
}

/** Exit rate vs τ of every single-exit candidate under the chosen criterion (chosen taps in bold). */
export function exitRateSpec(d: ReportData): TopLevelSpec {
  const criterion = d.sweep.chosen.taps.length ? d.sweep.chosen.criterion : "max-prob";
  const chosen = new Set(d.sweep.chosen.taps);
  const values = d.sweep.single
    .filter((p) => p.criterion === criterion)
    .map((p) => ({
      tap: shortTap(p.taps[0]!),
      chosen: chosen.has(p.taps[0]!),
      threshold: p.thresholds[0],
      exit: p.exit_rates[0],
      order: d.sweep.candidates.findIndex((c) => c.tap === p.taps[0]),
    }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `${d.name}: exit rate vs τ per tap (${criterion}, calibration rows)`,
    width: 480,
    height: 280,
    data: { values },
    mark: { type: "line", point: { size: 12 } },
    encoding: {
      x: { field: "threshold", type: "quantitative", title: "τ", scale: { zero: false } },
      y: { field: "exit", type: "quantitative", title: "exit rate", axis: pctAxis },
      color: { field: "tap", type: "nominal", sort: { field: "order" }, title: "tap" },
      strokeWidth: { condition: { test: "datum.chosen", value: 3.5 }, value: 1 },
    },
  } as TopLevelSpec;
}

/** Confidence histograms per exit on the test rows, right vs wrong, with the exit's τ. */
export function confidenceSpec(d: ReportData): TopLevelSpec {
  const values = d.exits.flatMap((e, i) =>
    e.confidences.map((c) => ({
      panel: `exit ${i} (${shortTap(e.tap)}), τ ${e.threshold.toFixed(3)}`,
      confidence: c.confidence,
      answer: c.correct ? "right" : "wrong",
    })),
  );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `${d.name}: max-prob confidence of each exit's head on the ${d.test.rows} test rows (after temperature)`,
    data: { values },
    facet: { column: { field: "panel", type: "nominal", title: null } },
    spec: {
      width: 300,
      height: 200,
      layer: [
        {
          mark: "bar",
          encoding: {
            x: { field: "confidence", type: "quantitative", bin: { maxbins: 40 }, title: "confidence" },
            y: { aggregate: "count", type: "quantitative", title: "rows" },
            color: {
              field: "answer",
              type: "nominal",
              scale: { domain: ["right", "wrong"], range: ["#54a24b", "#e45756"] },
            },
          },
        },
      ],
    },
  } as unknown as TopLevelSpec;
}
