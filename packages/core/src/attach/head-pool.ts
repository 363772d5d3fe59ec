import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { MlpHead, type MlpHeadShape } from "../head/mlp-head.js";
import type { Matrix } from "../math/matrix.js";
import { type EpochRecord, type TrainHeadOptions, trainHead } from "../training/train-head.js";

/** One head to train: {@link trainHead}'s arguments (no callbacks: they cannot cross threads). */
export interface HeadJob {
  features: Matrix;
  labels: Int32Array;
  options: Omit<TrainHeadOptions, "onEpoch">;
}

/** A trained head as it crosses back from a worker. @internal */
export interface HeadJobResult {
  params: Float32Array;
  shape: MlpHeadShape;
  history: EpochRecord[];
  bestEpoch: number;
}

/** A trained head of {@link trainHeads}. */
export interface TrainedHead {
  head: MlpHead;
  history: EpochRecord[];
  bestEpoch: number;
}

/** Options of {@link trainHeads}. */
export interface HeadPoolOptions {
  /** Worker threads (default: the machine's available parallelism; 1: on this thread). */
  workers?: number;
  /** Called when job `index` is done (in completion order). */
  onDone?: (index: number, head: TrainedHead) => void;
  /** Told when a worker fails and its job runs on this thread instead. */
  log?: (line: string) => void;
}

/**
 * Trains `jobs` in parallel on worker threads, the largest (most features per row) first, and returns
 * the heads in job order. Each worker runs {@link trainHead} itself, so a head is the same, bit for bit,
 * whatever the number of workers. A job whose worker fails (it cannot start, it throws) is run on this
 * thread, which throws the error itself with its type and message.
 */
export async function trainHeads(jobs: readonly HeadJob[], o: HeadPoolOptions = {}): Promise<TrainedHead[]> {
  const results = new Array<TrainedHead | undefined>(jobs.length);
  const inProcess = (i: number): TrainedHead => {
    const j = jobs[i]!;
    const r = trainHead(j.features, j.labels, j.options);
    return { head: r.head, history: r.history, bestEpoch: r.bestEpoch };
  };
  const finish = (i: number, h: TrainedHead) => {
    results[i] = h;
    o.onDone?.(i, h);
  };
  const n = Math.max(1, Math.min(jobs.length, o.workers ?? availableParallelism()));
  const order = jobs
    .map((_, i) => i)
    .sort((a, b) => jobs[b]!.features.cols - jobs[a]!.features.cols || a - b);
  if (n === 1) {
    for (const i of order) finish(i, inProcess(i));
    return results as TrainedHead[];
  }
  const queue = [...order];
  const failed: number[] = [];
  await Promise.all(
    Array.from({ length: n }, async () => {
      const worker = startWorker();
      try {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          const r = await runOn(worker, i, jobs[i]!).catch((e: unknown) => {
            o.log?.(
              `head worker failed (${(e as Error).message}); training head ${i + 1} on the main thread`,
            );
            return undefined;
          });
          if (!r) {
            failed.push(i);
            break;
          }
          finish(i, {
            head: new MlpHead(r.shape, r.params),
            history: r.history,
            bestEpoch: r.bestEpoch,
          });
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  // what a worker could not do (it failed to start, or the job threw) runs here, and throws here
  for (const i of [...failed, ...queue]) finish(i, inProcess(i));
  return results as TrainedHead[];
}

/**
 * A worker on `head-worker`: the built `.js` next to this file, or — when this module runs from its
 * TypeScript source (tests, `tsx --conditions=source`) — the `.ts` source loaded through tsx.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./head-worker.js", import.meta.url));
  // (a worker does not run the parent's `--import tsx`: it registers tsx's hooks itself, then loads the source)
  const pkg = createRequire(import.meta.url).resolve("tsx/package.json");
  const api = JSON.parse(readFileSync(pkg, "utf8")).exports["./esm/api"].import.default as string;
  const tsx = pathToFileURL(join(dirname(pkg), api)).href;
  const entry = new URL("./head-worker.ts", import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true },
  );
}

function runOn(worker: Worker, id: number, job: HeadJob): Promise<HeadJobResult> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { id: number; result?: HeadJobResult; error?: string }) => {
      if (m.id !== id) return;
      cleanup();
      if (m.result) resolve(m.result);
      else reject(new Error(m.error));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`head worker exited with code ${code}`));
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ id, job });
  });
}
