/**
 * The resplit benchmark's picture: per fixture, the share of splits whose test drop broke the budget
 * (empirical vs certified, beside δ) and the price of the certificate (expected cost), against the number
 * of calibration rows. Rendered to SVG by the reports' vega-lite renderer; `pnpm bench:certify` writes it,
 * `pnpm bench:certify --plot` redraws it from bench/certify-results.json alone.
 */
import { join } from "node:path";
import { writeFileAtomic } from "@sidenet/core/node";
import { toSvg } from "../../packages/cli/src/report/plots.js";

type TopLevelSpec = Parameters<typeof toSvg>[0];

/** One fixture × calibration size of bench/certify-results.json. */
export interface ResplitRow {
  fixture: string;
  calibration_rows: number;
  splits: number;
  empirical: { violation_rate: number; mean_cost: number };
  certified: { violation_rate: number; mean_cost: number };
}

/** Where the plots go, relative to the repository root (linked from the README). */
export const CERTIFY_PLOTS = ["docs/certify/violations.svg", "docs/certify/cost.svg"] as const;

function specs(rows: readonly ResplitRow[], delta: number, epsilonPt: number): TopLevelSpec[] {
  const values = rows.flatMap((r) =>
    (["empirical", "certified"] as const).map((rule) => ({
      fixture: r.fixture,
      rows: r.calibration_rows,
      rule: rule === "empirical" ? "empirical" : `certified, δ = ${delta}`,
      violations: r[rule].violation_rate,
      cost: r[rule].mean_cost,
    })),
  );
  const x = {
    field: "rows",
    type: "quantitative",
    scale: { type: "log" },
    title: "calibration rows",
  } as const;
  const color = { field: "rule", type: "nominal", title: null, legend: { labelLimit: 300 } } as const;
  const base = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { values },
    width: 220,
    height: 180,
  } as const;
  return [
    {
      ...base,
      title: `Splits whose test drop exceeds ${epsilonPt} pt (${rows[0]?.splits ?? 0} resplits per point; dashed: δ = ${delta})`,
      facet: { field: "fixture", type: "nominal", title: null },
      spec: {
        width: 220,
        height: 180,
        layer: [
          {
            mark: { type: "line", point: true },
            encoding: {
              x,
              y: { field: "violations", type: "quantitative", axis: { format: ".0%" }, title: "violations" },
              color,
            },
          },
          { mark: { type: "rule", strokeDash: [4, 3] }, encoding: { y: { datum: delta } } },
        ],
      },
    } as TopLevelSpec,
    {
      ...base,
      title: "Price of the certificate: expected cost (1 = the MainNet alone)",
      facet: { field: "fixture", type: "nominal", title: null },
      spec: {
        width: 220,
        height: 180,
        mark: { type: "line", point: true },
        encoding: {
          x,
          y: { field: "cost", type: "quantitative", axis: { format: ".0%" }, title: "expected cost" },
          color,
        },
      },
    } as TopLevelSpec,
  ];
}

/** Writes the two plots under `root` and returns their paths. */
export async function writeCertifyPlots(
  root: string,
  rows: readonly ResplitRow[],
  delta: number,
  epsilonPt: number,
) {
  const svgs = await Promise.all(specs(rows, delta, epsilonPt).map(toSvg));
  for (const [i, f] of CERTIFY_PLOTS.entries()) writeFileAtomic(join(root, f), svgs[i]!);
  return CERTIFY_PLOTS.map((f) => join(root, f));
}
