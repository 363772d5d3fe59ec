import type {
  ArtefactCalibration,
  ArtefactSelection,
  CalibrationSplitOff,
  ExitSpec,
  SideNetManifest,
} from "../artefact/format.js";
import { rewriteManifest, writeArtefact } from "../artefact/write.js";
import { IncompatibleModelError, InvalidArgumentError } from "../errors.js";
import { architectureOf, findArchitecture } from "../models/architecture.js";
import { GraphIndex } from "../onnx/graph.js";
import { suggestTaps } from "../onnx/taps.js";
import { type PoolingName, poolingOf } from "../pooling/index.js";
import { EXIT_CRITERIA, type ExitCriterion, exitRule } from "../routing/exit-rule.js";
import { type Budget, pickCascade } from "../selection/budget.js";
import { type CascadeSweepInput, type ExitCandidate, sweepCascades } from "../selection/cascade-sweep.js";
import { type CertifiedPick, certifiedPick, lossName } from "../selection/certified-pick.js";
import { budgetRecord, describePoint, type SweepRecord, sweepRecord } from "../selection/record.js";
import type { ModalityAdapter } from "./adapter.js";
import { trainCandidates } from "./candidates.js";
import { type HubOptions, type ResolvedMainNet, resolveMainNet } from "./hub.js";
import { type MainNet, openMainNet } from "./mainnet.js";
import { checkAttachOptions } from "./options.js";
import { attachDtypes, cascadeSegments, foldedLogitsName } from "./segments.js";
import { measureSmallBatches } from "./small-batches.js";

/** Labelled items: `items[i]` has label `labels[i]` (a name or an id of the MainNet's id2label). */
export interface LabelledItems<Item> {
  items: readonly Item[];
  labels: readonly string[];
  /** Where item `i` came from, for messages (`"reviews.csv line 12"`); default `"row i+1"`. */
  where?: (i: number) => string;
}

/** Options of {@link attachSideNet}. */
export interface AttachOptions<Item> {
  /**
   * MainNet directory (transformers.js layout), or a hub model id / URL downloaded through transformers.js
   * (its cache; `hub` for revision and cache directory), or one {@link resolveMainNet} already resolved.
   */
  mainnet: string | ResolvedMainNet;
  /** Revision and cache directory when `mainnet` is a hub id. */
  hub?: Pick<HubOptions, "revision" | "cacheDir">;
  /** Rows the heads train on (may be the MainNet's own training rows). */
  train: LabelledItems<Item>;
  /** Held-out rows the MainNet never trained on: temperature and τ are fitted here (design.md §6). */
  calibration: LabelledItems<Item>;
  /** Where the artefact directory is written. */
  out: string;
  /** Taps to consider: any node outputs of the graph (default: every candidate found by structure). */
  taps?: readonly string[];
  /** Poolings to consider (default: the architecture's); each tap keeps the one of least calibration NLL. */
  poolings?: readonly PoolingName[];
  /** Accuracy budget in percentage points below the MainNet, on the calibration rows (default 0.5). */
  maxDrop?: number;
  /** Cost budget instead: the most accurate cascade costing at most this fraction of the MainNet. */
  maxCost?: number;
  /**
   * Agreement budget instead: the cheapest cascade whose answers equal the MainNet's on at least this
   * share of the calibration rows (with `risk`: certified on new rows).
   */
  minAgreement?: number;
  /**
   * Risk δ of a certified budget: with `maxDrop`, the cheapest cascade whose drop is certified below
   * `maxDrop` with probability ≥ 1 − δ on new rows (Learn-then-Test, `selection/certified-pick.ts`);
   * none certified: the MainNet alone. Absent or 0: the empirical rule (drop ≤ maxDrop on the calibration
   * rows, not certified).
   */
  risk?: number;
  /**
   * Most exits in one cascade (any K ≥ 1, default 3): cascades of up to two exits are enumerated with
   * every τ of the grid, longer ones found by coordinate search (selection/search.ts).
   */
  maxExits?: number;
  /** Exit criteria to sweep (default all). */
  criteria?: readonly ExitCriterion[];
  hiddenSize?: number;
  seed?: number;
  /**
   * Worker threads the heads train on, one (tap, pooling) head per thread at a time (default: the
   * machine's available parallelism; 1: on the calling thread). The heads are the same whatever the number.
   */
  workers?: number;
  /**
   * attach's cache of features (per split, in shards) and trained heads, keyed by the MainNet's files and
   * the data's content: a second attach of the same MainNet and rows with another budget reuses them, an
   * interrupted one resumes. Default `$SIDENET_CACHE_DIR`, else `~/.cache/sidenet` (`SIDENET_CACHE=0`:
   * none); false: none.
   */
  attachCache?: string | false;
  /**
   * The dtypes to write segments for (fp32 always; default: every dtype whose MainNet file is present,
   * e.g. `onnx/model_fp16.onnx`, `onnx/model_q4.onnx`). Loading with `{ dtype }` picks that dtype's segments.
   * For a hub id, these dtypes are downloaded (default: q8 besides fp32).
   */
  dtypes?: readonly string[];
  /** Names of the splits, stored in sidenet.json. */
  trainName?: string;
  calibrationName?: string;
  /** Recorded as `calibration.split_off` when the calibration rows were split off the training file. */
  splitOff?: CalibrationSplitOff;
  /**
   * Time the chosen cascade against the MainNet at batch sizes 1 … 32 and store in sidenet.json below
   * which size the MainNet alone runs (`mainnet_below_rows`; default true).
   */
  measureSmallBatches?: boolean;
  log?: (line: string) => void;
}

/** What {@link attachSideNet} returns: the manifest written and the whole sweep (also in sweep.json). */
export interface AttachResult {
  manifest: SideNetManifest;
  sweep: SweepRecord;
}

/**
 * Attaches a SideNet to a MainNet: the MainNet is opened once; features at every candidate tap in one
 * pass, a head per tap trained on `train` (on worker threads; features and heads cached on disk, see
 * `attachCache`), a temperature per head fitted on `calibration`; then every
 * cascade of up to two exits × τ × criterion, and longer ones up to `maxExits` found by search, are evaluated on `calibration` (features reused), the
 * budget picks one, and the artefact is written with the choice, the Pareto front and the criterion in
 * sidenet.json and the whole sweep in sweep.json.
 */
export async function attachSideNet<Item>(
  adapter: ModalityAdapter<Item>,
  o: AttachOptions<Item>,
): Promise<AttachResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  checkAttachOptions(o);
  const budget: Budget =
    o.maxCost !== undefined
      ? { maxCost: o.maxCost }
      : o.minAgreement !== undefined
        ? { minAgreement: o.minAgreement }
        : { maxDropPt: o.maxDrop ?? 0.5 };
  const resolved =
    typeof o.mainnet === "string"
      ? await resolveMainNet(o.mainnet, {
          ...o.hub,
          task: adapter.task,
          log,
          ...(o.dtypes ? { dtypes: o.dtypes } : {}),
        })
      : o.mainnet;
  const mainnet = await openMainNet(adapter, resolved.dir);
  const { taps, poolings } = attachPlan(adapter, mainnet, o);
  const dtypes = attachDtypes(mainnet, o.dtypes, taps);
  const c = await trainCandidates(mainnet, o, taps, poolings, log);
  const input = {
    candidates: c.candidates,
    classes: c.classes,
    mainnetPrediction: c.mainnetPrediction,
    labels: c.labels,
    criteria: o.criteria ?? EXIT_CRITERIA,
    maxExits: o.maxExits ?? 3,
  };
  const evaluated: Record<string, number> = {};
  const points = sweepCascades(input, evaluated);
  const certified = certify(input, budget, o, log);
  const chosen = certified?.point ?? pickCascade(points, budget);
  if (!chosen) {
    throw new InvalidArgumentError(
      `attach: no cascade costs at most ${(o.maxCost! * 100).toFixed(1)} % of the MainNet (the cheapest costs ${(Math.min(...points.map((p) => p.cost)) * 100).toFixed(1)} %). Raise maxCost.`,
    );
  }
  const record = sweepRecord(c, points, chosen, budget, evaluated);
  const total = Object.values(evaluated).reduce((a, b) => a + b, 0);
  log(
    `swept ${total} cascades (${Object.entries(evaluated)
      .map(([k, v]) => `${v} of ${k} exit${k === "1" ? "" : "s"}`)
      .join(", ")}); chosen: ${describePoint(record.chosen)}`,
  );
  if (chosen.exits.length === 0) {
    log("no cascade within the budget beats the MainNet alone: the artefact's exits are off (τ = 1).");
  }
  // the MainNet alone is written as the cheapest single exit, switched off
  const exits = chosen.exits.length > 0 ? chosen.exits : [cheapest(c.candidates)];
  const taus = chosen.exits.length > 0 ? chosen.thresholds : [1];
  const specs: ExitSpec[] = exits.map((e, j) => {
    const k = c.reports[e]!;
    const rule = exitRule(chosen.criterion, j);
    return {
      tap: k.tap,
      pooling: k.pooling,
      head: {
        input_size: k.head.shape.inputSize,
        hidden_size: k.head.shape.hiddenSize,
        classes: c.classes,
        activation: k.head.shape.activation,
      },
      weights: `exit${j}`,
      temperature: k.temperature,
      threshold: taus[j]!,
      confidence: rule.measure,
      ...(rule.agreeWithPrevious ? { agree_with_previous: true } : {}),
      logits_output: foldedLogitsName(j),
      metrics: {
        calibration_exit_rate: chosen.exitRates[j] ?? 0,
        measured_cost_share: k.share,
        head_cost_share: k.headCost,
        flops_share: k.flopsShare,
        head_accuracy: k.headAccuracy,
      },
    };
  });
  const heads = exits.map((e) => c.reports[e]!.head);
  const calibration: ArtefactCalibration = {
    train_split: o.trainName ?? "train",
    calibration_split: o.calibrationName ?? "calibration",
    calibration_rows: o.calibration.items.length,
    ...(o.splitOff ? { split_off: o.splitOff } : {}),
    ...budgetRecord(budget),
    criterion: certified
      ? "maxDropPt" in budget
        ? `least expected cost whose drop is certified below max_drop_pt with probability ≥ ${1 - certified.certification.delta} on new rows (Learn-then-Test)`
        : `least expected cost whose disagreement with the MainNet is certified below 1 − min_agreement with probability ≥ ${1 - certified.certification.delta} on new rows (Learn-then-Test)`
      : "maxDropPt" in budget
        ? "least expected cost within max_drop_pt of the MainNet's accuracy on the calibration split (empirical: not certified)"
        : "minAgreement" in budget
          ? "least expected cost agreeing with the MainNet on at least min_agreement of the calibration split (empirical: not certified)"
          : "best accuracy within max_cost on the calibration split",
  };
  const selection: ArtefactSelection = {
    exit_criterion: chosen.criterion,
    chosen: record.chosen,
    mainnet: record.mainnet,
    front: record.front,
    swept: total,
    cost_measure: c.costMeasure,
    ...(certified ? { certification: certified.certification } : {}),
  };
  const manifest = writeArtefact({
    out: o.out,
    task: adapter.task,
    mainnet: {
      dir: mainnet.dir,
      sha256: mainnet.sha256,
      ...(resolved.source ? { source: resolved.source } : {}),
    },
    ...cascadeSegments(mainnet, specs, heads, dtypes),
    exits: specs,
    heads,
    id2label: mainnet.config.id2label,
    calibration,
    selection,
    sweep: record,
  });
  if (chosen.exits.length === 0 || o.measureSmallBatches === false) return { manifest, sweep: record };
  const m = await measureSmallBatches(mainnet, o.out, o.calibration.items, 1 / chosen.cost);
  log(
    `cascade vs MainNet by batch size: ${m.rule.timings.map((t) => `${t.batch}: ${t.speedup.toFixed(2)}× (slower in ${t.slower_rounds}/${t.rounds} rounds)`).join(", ")}; ${m.rule.decision}`,
  );
  const { mainnet_below_rows: _old, ...rest } = manifest;
  const timed: SideNetManifest = {
    ...rest,
    ...(m.mainnetBelowRows > 1 ? { mainnet_below_rows: m.mainnetBelowRows } : {}),
    small_batches: m.rule,
  };
  rewriteManifest(o.out, timed);
  return { manifest: timed, sweep: record };
}

/** The certified pick when `o.risk` asks for one (a `maxDrop` or `minAgreement` budget), logged in words. */
function certify<Item>(
  input: CascadeSweepInput,
  budget: Budget,
  o: AttachOptions<Item>,
  log: (line: string) => void,
): CertifiedPick | undefined {
  // (a risk with a cost budget is refused before any work, in attachSideNet)
  if (o.risk === undefined || o.risk === 0 || "maxCost" in budget) return undefined;
  const r = certifiedPick(input, {
    ...("maxDropPt" in budget
      ? { epsilon: budget.maxDropPt / 100, loss: "drop" as const }
      : { epsilon: 1 - budget.minAgreement, loss: "disagreement" as const }),
    delta: o.risk,
    seed: o.seed ?? 0,
  });
  const c = r.certification;
  const loss = lossName(c);
  const pt = (x: number) => `${(x * 100).toFixed(2)} pt`;
  if (c.certified === 0) {
    log(
      `certified budget: no cascade's ${loss} could be certified below ${pt(c.epsilon)} at risk ${c.delta} with ${c.test_rows} test rows (of ${c.selection_rows + c.test_rows} calibration rows): the MainNet alone.${c.rows_needed ? ` At the safest cascade's rates about ${c.rows_needed} calibration rows would be needed.` : ""}`,
    );
  } else {
    log(
      `certified budget: ${c.certified} of ${c.tested} front cascades tested certified; the cheapest has ${loss} ≤ ${pt(c.bound!)} with probability ≥ ${1 - c.delta} (observed ${pt((c.observed_drop ?? c.observed_disagreement)!)} on ${c.test_rows} test rows)`,
    );
  }
  return r;
}

/** The taps (in MainNet order) and poolings an attach tries, checked against the MainNet. */
function attachPlan<Item>(
  adapter: ModalityAdapter<Item>,
  mainnet: MainNet<Item>,
  o: AttachOptions<Item>,
): { taps: string[]; poolings: PoolingName[] } {
  const found = mainnet.candidates.map((c) => c.name);
  // any tensor a node computes can be named as a tap (the candidates are only what structure suggests);
  // in graph order, whatever order the caller gave
  let taps = found;
  if (o.taps) {
    const producer = new GraphIndex(mainnet.graph).producer;
    for (const t of o.taps) {
      if (!producer.has(t)) {
        throw new InvalidArgumentError(
          `attach: tap "${t}" is not a tensor computed by ${mainnet.dir}/onnx/model.onnx. Name any node output (\`sidenet inspect --json\` lists the candidates found by structure: ${found.join(", ") || "none"}).`,
        );
      }
    }
    taps = [...new Set(o.taps)].sort((a, b) => producer.get(a)! - producer.get(b)!);
  }
  if (taps.length === 0) {
    const cuts = suggestTaps(mainnet.graph);
    throw new IncompatibleModelError(
      `attach: found no taps by structure in ${mainnet.dir}/onnx/model.onnx: its node names have no numbered repeated blocks (layer.N, layers.N, stages.N …), and no shared layer repeats. ${cuts.length ? `Tensors that cut the graph cleanly with heavy work behind them (in graph order):\n${cuts.map((c) => `  ${c}`).join("\n")}\nName some as taps` : "Name taps yourself (any node output)"} with \`taps\` (CLI: --taps a,b).`,
    );
  }
  // an architecture outside the registry works with named poolings (any graph has node outputs to tap)
  const arch = o.poolings
    ? findArchitecture(adapter.architectures, mainnet.config.model_type)
    : architectureOf(adapter.architectures, mainnet.config.model_type, mainnet.configPath);
  const poolings = (o.poolings ?? arch!.poolings).map((p) => poolingOf(p, "attach").name);
  for (const p of poolings) {
    if (arch && !arch.poolings.includes(p)) {
      throw new InvalidArgumentError(
        `attach: pooling "${p}" does not fit ${arch.family} taps (${arch.tapLayout}); use ${arch.poolings.join(" or ")}.`,
      );
    }
  }
  return { taps, poolings };
}

const cheapest = (cands: readonly ExitCandidate[]) =>
  cands.reduce((best, x, i) => (x.share < cands[best]!.share ? i : best), 0);
