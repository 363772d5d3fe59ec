/**
 * Worker-thread entry of {@link trainHeads}: trains one head per message with {@link trainHead} — the same
 * code as on the main thread, so the same weights bit for bit — and posts the parameters back.
 * @internal
 */
import { parentPort } from "node:worker_threads";
import { trainHead } from "../training/train-head.js";
import type { HeadJob, HeadJobResult } from "./head-pool.js";

parentPort!.on("message", (m: { id: number; job: HeadJob }) => {
  try {
    const r = trainHead(m.job.features, m.job.labels, m.job.options);
    const result: HeadJobResult = {
      params: r.head.params,
      shape: r.head.shape,
      history: r.history,
      bestEpoch: r.bestEpoch,
    };
    parentPort!.postMessage({ id: m.id, result }, [r.head.params.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
