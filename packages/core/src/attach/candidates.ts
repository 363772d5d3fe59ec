import { nll } from "../calibration/metrics.js";
import { applyTemperature, fitTemperature } from "../calibration/temperature.js";
import { InvalidArgumentError } from "../errors.js";
import { MlpHead } from "../head/mlp-head.js";
import { argmaxRows, softmax } from "../math/softmax.js";
import type { PoolingName } from "../pooling/index.js";
import type { ExitCandidate } from "../selection/cascade-sweep.js";
import { ProgressBar } from "../util/progress.js";
import type { AttachOptions } from "./attach.js";
import { AttachCache, featuresKey, headKey } from "./attach-cache.js";
import { featureExtractor, type ShardStore } from "./features.js";
import { measureFlops } from "./flops.js";
import { type HeadJob, type TrainedHead, trainHeads } from "./head-pool.js";
import { labelIds } from "./labels.js";
import type { MainNet } from "./mainnet.js";

/** A trained exit at one tap: the head, its temperature and how it did on the calibration rows. */
export interface CandidateReport {
  tap: string;
  /** The pooling kept for this tap (least calibration NLL among those tried). */
  pooling: PoolingName;
  /** Measured share of the MainNet's time spent before this tap. */
  share: number;
  /** Measured time of the head per row, as a share of the MainNet's. */
  headCost: number;
  /** Share of the MainNet's FLOPs (counted on the graph) before this tap. */
  flopsShare: number;
  /** FLOPs of the head per row (its two matrix products), as a share of the MainNet's per item. */
  headFlops: number;
  temperature: number;
  headAccuracy: number;
  head: MlpHead;
  /** Calibration NLL (after temperature) of every pooling tried. */
  poolings: { pooling: PoolingName; nll: number; accuracy: number }[];
}

/** Everything the cascade sweep needs, from one feature pass over train and calibration rows. */
export interface TrainedCandidates {
  classes: number;
  labels: Int32Array;
  mainnetPrediction: Int32Array;
  candidates: ExitCandidate[];
  reports: CandidateReport[];
  /** What the candidates' costs measure (FLOPs). */
  costMeasure: "flops";
}

/**
 * Features at every tap in one pass over train and calibration rows (design.md §6 step 2), a head per
 * (tap, pooling) on train — all of them at once on worker threads — and a temperature per head on
 * calibration; each tap keeps its best pooling. Features and heads are read from the attach cache when
 * there and written to it as they are computed ({@link AttachCache}).
 * The sweep's costs are FLOPs counted on the graph (tap share + head), the same on every machine, so
 * that two attaches on the same data choose the same cascade; the wall time of the segments before each
 * tap and of each head are measured in the pass too, and recorded beside them.
 */
export async function trainCandidates<Item>(
  mainnet: MainNet<Item>,
  o: AttachOptions<Item>,
  taps: readonly string[],
  poolings: readonly PoolingName[],
  log: (line: string) => void,
): Promise<TrainedCandidates> {
  const { classes } = mainnet;
  const yTrain = labelIds(o.train.labels, mainnet.config.id2label, o.trainName ?? "train", o.train.where);
  const yCal = labelIds(
    o.calibration.labels,
    mainnet.config.id2label,
    o.calibrationName ?? "calibration",
    o.calibration.where,
  );
  checkLabelCoverage(yTrain, mainnet.config.id2label, o.trainName ?? "train", log);
  const cache = mainnet.itemKey ? AttachCache.open(o.attachCache, log) : undefined;
  const store = async (items: readonly Item[]): Promise<ShardStore | undefined> =>
    cache && { cache, key: await featuresKey(mainnet, taps, poolings, BATCH, items, mainnet.itemKey!) };
  const trainStore = await store(o.train.items);
  const extractor = await featureExtractor(mainnet, taps, poolings);
  let fTrain: Awaited<ReturnType<typeof extractor.run>>;
  let fCal: typeof fTrain;
  try {
    fTrain = await extractor.run(o.train.items, {
      label: "features (train)",
      batchSize: BATCH,
      ...opt(trainStore),
    });
    const calStore = await store(o.calibration.items);
    fCal = await extractor.run(o.calibration.items, {
      label: "features (calibration)",
      batchSize: BATCH,
      ...opt(calStore),
    });
  } finally {
    await extractor.dispose();
  }
  if (cache && fTrain.cachedRows + fCal.cachedRows > 0) {
    log(
      `features from the cache: ${fTrain.cachedRows} of ${o.train.items.length} train and ${fCal.cachedRows} of ${o.calibration.items.length} calibration rows (${cache.dir})`,
    );
  }
  // Cost share of each tap: measured wall time of the segments before it (design.md §7). Weights are a
  // fair proxy for transformers, not for CNNs, whose early stages hold few weights but most of the work.
  const totalMs = fTrain.segmentMs.reduce((a, b) => a + b, 0);
  const msPerRow = totalMs / o.train.items.length;
  const shares = taps.map((_, i) => fTrain.segmentMs.slice(0, i + 1).reduce((a, b) => a + b, 0) / totalMs);
  log(`measured cost share per tap: ${shares.map((s) => `${(s * 100).toFixed(1)} %`).join(", ")}`);
  const flops = await measureFlops(mainnet, o.calibration.items.slice(0, 32) as Item[]);
  const flopsShares = taps.map((t) => flops.shareBefore(t));
  log(
    `FLOPs counted on the graph: ${(flops.perItem / 1e9).toFixed(3)} GFLOPs per item; share per tap: ${flopsShares.map((s) => `${(s * 100).toFixed(1)} %`).join(", ")}`,
  );

  // every (tap, pooling) head at once, on worker threads; the same heads as one after another
  const options = { classes, hiddenSize: o.hiddenSize ?? 128, seed: o.seed ?? 0, validation: 0.1 };
  const jobs = taps.flatMap((tap) =>
    poolings.map((pooling) => ({
      features: fTrain.features[tap]![pooling]!,
      labels: yTrain,
      options,
      key: trainStore ? headKey(trainStore.key, tap, pooling, yTrain, options) : undefined,
    })),
  );
  const trained = await trainOrReuse(jobs, cache, o.workers, log);

  const reports: CandidateReport[] = [];
  const candidates: ExitCandidate[] = [];
  for (const [i, tap] of taps.entries()) {
    let best: (CandidateReport & { probs: Float32Array; nll: number }) | undefined;
    const tried: CandidateReport["poolings"] = [];
    for (const [k, pooling] of poolings.entries()) {
      const { head } = trained[i * poolings.length + k]!;
      const x = fCal.features[tap]![pooling]!;
      const t0 = performance.now();
      const calLogits = head.forward(x.data, x.rows);
      const headMs = (performance.now() - t0) / x.rows;
      const T = fitTemperature(calLogits, classes, yCal);
      const scaled = applyTemperature(calLogits, T);
      const probs = softmax(scaled, classes);
      const predicted = argmaxRows(probs, classes);
      const headAccuracy = predicted.reduce((a, p, r) => a + (p === yCal[r] ? 1 : 0), 0) / yCal.length;
      const loss = nll(probs, classes, yCal);
      tried.push({ pooling, nll: loss, accuracy: headAccuracy });
      log(
        `  ${tap} [${pooling}]: head acc ${(headAccuracy * 100).toFixed(1)} %, NLL ${loss.toFixed(3)}, T ${T.toFixed(2)}`,
      );
      if (!best || loss < best.nll) {
        best = {
          tap,
          pooling,
          share: shares[i]!,
          headCost: headMs / msPerRow,
          flopsShare: flopsShares[i]!,
          headFlops: (2 * MlpHead.parameterCount(head.shape)) / flops.perItem,
          temperature: T,
          headAccuracy,
          head,
          poolings: tried,
          probs,
          nll: loss,
        };
      }
    }
    const { probs, nll: _nll, ...report } = best!;
    reports.push(report);
    // costs for the choice: FLOPs, not timings (reproducible on any machine, under any load)
    candidates.push({
      probs,
      share: report.flopsShare,
      headCost: report.headFlops,
      flopsShare: report.flopsShare,
    });
  }
  return {
    classes,
    labels: yCal,
    mainnetPrediction: argmaxRows(fCal.logits.data, classes),
    candidates,
    reports,
    costMeasure: "flops",
  };
}

/** Rows per batch of the feature pass (part of the cache key: a text batch pads to its longest row). */
const BATCH = 32;

const opt = (store: ShardStore | undefined) => (store ? { store } : {});

/**
 * The heads of `jobs`: those in the cache read from it, the others trained on worker threads (with a
 * progress bar weighted by features per row) and written to it as each finishes.
 */
async function trainOrReuse(
  jobs: readonly (HeadJob & { key: string | undefined })[],
  cache: AttachCache | undefined,
  workers: number | undefined,
  log: (line: string) => void,
): Promise<TrainedHead[]> {
  const heads = jobs.map((j) => (j.key ? cache?.head(j.key) : undefined));
  const todo = jobs.flatMap((_, i) => (heads[i] ? [] : [i]));
  if (todo.length < jobs.length) log(`heads from the cache: ${jobs.length - todo.length} of ${jobs.length}`);
  const work = todo.reduce((a, i) => a + jobs[i]!.features.cols, 0);
  const bar = new ProgressBar(`heads (${todo.length})`, work);
  let done = 0;
  const trained = await trainHeads(
    todo.map((i) => jobs[i]!),
    {
      ...(workers !== undefined ? { workers } : {}),
      onDone: (k, h) => {
        const j = jobs[todo[k]!]!;
        if (j.key) cache?.saveHead(j.key, h);
        done += j.features.cols;
        bar.update(done);
      },
      log,
    },
  );
  for (const [k, i] of todo.entries()) heads[i] = trained[k];
  return heads as TrainedHead[];
}

/**
 * Heads learn only the labels they see: training rows of a single label are refused (a sorted file read
 * without `--shuffle --limit`, a filter gone wrong), labels of the MainNet missing from them are named.
 */
function checkLabelCoverage(
  y: Int32Array,
  id2label: Record<string, string>,
  source: string,
  log: (line: string) => void,
): void {
  const counts = new Map<number, number>();
  for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
  const missing = Object.entries(id2label).filter(([id]) => !counts.has(Number(id)));
  if (counts.size === 1 && y.length > 0) {
    throw new InvalidArgumentError(
      `${source}: all ${y.length} training rows have the label "${id2label[String(y[0])]}"; a head cannot learn to tell the MainNet's labels apart. Is the file sorted by label? Use more of it, or --shuffle with --limit.`,
    );
  }
  if (missing.length > 0) {
    log(
      `WARNING: ${source} has no training rows of ${missing.map(([, l]) => JSON.stringify(l)).join(", ")}: the heads can never answer ${missing.length > 1 ? "those labels" : "that label"}, so rows of it go on to the MainNet only if their heads are unsure.`,
    );
  }
}
