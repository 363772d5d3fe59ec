import { thresholdMeaning } from "@sidenet/core";
import { lossName, type SideNetManifest } from "@sidenet/core/artefact";
import type { Evaluation } from "@sidenet/core/attach";
import { shortTap } from "./architectures.js";

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

const tau = (x: number) => String(Number(x.toFixed(3)));
const pt = (x: number) => `${(x * 100).toFixed(2)} pt`;

/** `sidenet eval`'s figures: accuracy, drop, exit rates, calibration of each exit and of the MainNet. */
export function printEvaluation(r: Evaluation): void {
  console.log(
    `${r.rows} rows: MainNet ${pct(r.mainnetAccuracy)}, cascade ${pct(r.cascadeAccuracy)} (observed drop ${((r.mainnetAccuracy - r.cascadeAccuracy) * 100).toFixed(2)} pt), exit rate ${r.exitRates.map(pct).join(" / ")}`,
  );
  for (const [e, c] of r.exitCalibration.entries()) {
    console.log(
      `exit ${e}: ECE ${c.before.ece.toFixed(4)} → ${c.after.ece.toFixed(4)} after temperature, NLL ${c.before.nll.toFixed(4)} → ${c.after.nll.toFixed(4)}`,
    );
  }
  console.log(
    `MainNet: ECE ${r.mainnetCalibration.ece.toFixed(4)}, NLL ${r.mainnetCalibration.nll.toFixed(4)}`,
  );
  const b = r.atBatch;
  if (b.mainnetOnlyRows === r.rows) {
    console.log(
      `at batch ${b.batch}: the small-batch rule runs the MainNet alone on every batch — no row exits early (accuracy ${pct(b.accuracy)}); call with larger batches to use the SideNet.`,
    );
  } else {
    console.log(
      `at batch ${b.batch} (what the pipeline does): accuracy ${pct(b.accuracy)}, exit rate ${b.exitRates.map(pct).join(" / ")}${b.mainnetOnlyRows ? ` (${b.mainnetOnlyRows} rows in batches below the small-batch rule ran the MainNet alone)` : ""}`,
    );
  }
}

/** The artefact's stored policies: each exit's τ in words, the small-batch rule with its evidence, the budget, the pins. */
export function printPolicies(m: SideNetManifest): void {
  const classes = Object.keys(m.id2label).length;
  for (const [i, e] of m.exits.entries()) {
    const rule = { measure: e.confidence, agreeWithPrevious: e.agree_with_previous ?? false };
    const meaning = thresholdMeaning(e.threshold, rule, classes);
    const words =
      meaning === "off"
        ? "off (τ = 1: every row goes on)"
        : meaning === "every row"
          ? `every row exits (τ ${tau(e.threshold)} ≤ the lowest ${e.confidence} of ${classes} classes)`
          : meaning === "every agreeing row"
            ? `every row that agrees with the exit before exits (τ ${tau(e.threshold)})`
            : `rows with ${e.confidence} ≥ ${tau(e.threshold)}${rule.agreeWithPrevious ? " that agree with the exit before" : ""} exit`;
    console.log(`exit ${i} at ${shortTap(e.tap)}: ${words}`);
  }
  const rule = m.small_batches;
  const old = m.selection?.small_batches;
  if (rule) {
    console.log(`small-batch rule: ${rule.decision}`);
    console.log(
      `  cascade vs MainNet at attach: ${rule.timings.map((t) => `${t.batch}: ${t.speedup.toFixed(2)}× (slower in ${t.slower_rounds ?? "?"}/${t.rounds ?? "?"} rounds${t.p_slower === undefined ? "" : `, p ${t.p_slower.toPrecision(2)}`})`).join(", ")}`,
    );
  } else if (old) {
    console.log(
      `small-batch rule: ${m.mainnet_below_rows ? `batches below ${m.mainnet_below_rows} rows run the MainNet alone` : "none"} (timed once per size at attach: ${old.map((t) => `${t.batch}: ${t.speedup.toFixed(2)}×`).join(", ")})`,
    );
  } else if (m.mainnet_below_rows) {
    console.log(
      `small-batch rule: batches below ${m.mainnet_below_rows} rows run the MainNet alone (no timings stored)`,
    );
  } else console.log("small-batch rule: none (the cascade at every batch size)");
  const c = m.selection?.certification;
  if (c) {
    const observed = c.observed_drop ?? c.observed_disagreement;
    console.log(
      c.certified > 0
        ? `budget: certified — ${lossName(c)} ≤ ${pt(c.bound!)} (< ${pt(c.epsilon)}) with probability ≥ ${1 - c.delta} on new rows; observed ${observed === undefined ? "?" : pt(observed)} on its ${c.test_rows} test rows at attach`
        : `budget: no ${lossName(c)} certified below ${pt(c.epsilon)} at risk ${c.delta} with ${c.test_rows} test rows: the MainNet alone${c.rows_needed ? ` (about ${c.rows_needed} calibration rows would be needed)` : ""}`,
    );
  } else if (m.calibration?.min_agreement !== undefined) {
    console.log(
      `budget: empirical — answers equal to the MainNet's on ≥ ${pct(m.calibration.min_agreement)} of the ${m.calibration.calibration_rows} calibration rows, not certified on new rows (attach with --risk 0.1 to certify)`,
    );
  } else if (m.calibration?.max_drop_pt !== undefined) {
    console.log(
      `budget: empirical — drop ≤ ${m.calibration.max_drop_pt} pt on the ${m.calibration.calibration_rows} calibration rows, not certified on new rows (attach with --risk 0.1 to certify)`,
    );
  }
  const split = m.calibration?.split_off;
  if (split) {
    console.log(
      `calibration rows: a stratified ${(split.fraction * 100).toFixed(0)} % of ${split.from} (seed ${split.seed}), not a held-out file — if the MainNet trained on them, the figures above are optimistic`,
    );
  }
  const pins = Object.keys(m.files ?? {}).length;
  console.log(
    pins
      ? `files: ${pins} pinned by sha256 in sidenet.json, checked at every load`
      : "files: not pinned (an artefact written before pins; re-run `sidenet attach` to pin them)",
  );
}
