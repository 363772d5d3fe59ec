/**
 * The pieces of one call, timed side by side on the same prepared batches: pre-processing (tokeniser or
 * image processor), the stock MainNet's session, the SideNet's prefix segment, pooling + head + softmax,
 * the rest of the MainNet on the whole batch (what a row that does not exit costs), and the whole cascade
 * on the prepared batch (the achieved model-level time, without pre- and post-processing).
 */
import { chunk, confidence, type ExitSpec, median, sideBySide, softmax } from "@sidenet/core";
import type { HfModel, ModalityAdapter, SideNetModel, TensorMap } from "@sidenet/core/hf";

/** Milliseconds per item of each piece (medians over the rounds). */
export interface Pieces {
  pre: number;
  full: number;
  seg0: number;
  head: number;
  rest: number;
  /** The whole SideNet cascade (`SideNetModel.run`) on the prepared batch. */
  cascade: number;
}

const disposeAll = (m: TensorMap) => {
  for (const t of Object.values(m)) t.dispose();
};

export async function profilePieces(o: {
  adapter: ModalityAdapter<string>;
  mainnetDir: string;
  stockModel: HfModel;
  sidenet: SideNetModel;
  inputs: readonly string[];
  batchSize: number;
  rounds: number;
}): Promise<Pieces> {
  const { sidenet } = o;
  if (sidenet.segments.length !== 2) {
    throw new Error(`profilePieces: expects one exit (two segments), found ${sidenet.segments.length}.`);
  }
  const [seg0, seg1] = sidenet.segments as [HfModel, HfModel];
  const exit = sidenet.manifest.exits[0] as ExitSpec;
  const head = sidenet.heads[0]!;
  const classes = Object.keys(sidenet.manifest.id2label).length;
  const prepare = await o.adapter.prepare(o.mainnetDir);
  const raw = chunk(o.inputs, o.batchSize);
  const prepared = await Promise.all(raw.map((b) => prepare(b)));
  const after0 = await Promise.all(prepared.map(async (p) => ({ ...p, ...(await seg0(p)) })));
  const batches = raw.map((b, i) => ({ i, n: b.length }));
  const pieces = [
    async ({ i }: { i: number }) => disposeAll(await prepare(raw[i]!)),
    async ({ i }: { i: number }) => disposeAll(await o.stockModel(prepared[i]!)),
    async ({ i }: { i: number }) => disposeAll(await seg0(prepared[i]!)),
    async ({ i }: { i: number }) => {
      const f = o.adapter.pool(after0[i]!, exit.tap, exit.pooling);
      const probs = softmax(head.forward(f.data, f.rows), classes);
      confidence(probs, classes, exit.confidence);
    },
    async ({ i }: { i: number }) => disposeAll(await seg1(after0[i]!)),
    async ({ i }: { i: number }) => sidenet.run(prepared[i]!),
  ];
  const t = await sideBySide(batches, pieces, { rounds: o.rounds, sizeOf: (b) => b.n });
  const ms = t.map((x) => 1000 / median(x.rounds));
  return { pre: ms[0]!, full: ms[1]!, seg0: ms[2]!, head: ms[3]!, rest: ms[4]!, cascade: ms[5]! };
}

/**
 * The ideal bound for exit rate `e`: the MainNet's time over the cascade's if nothing but the
 * prefix, the head and the rest for non-exiting rows cost anything, `T_full / (T_seg0 + T_head + (1 − e) T_rest)`;
 * and the same bound for a whole pipeline call, with the pre-processing and the stock pipeline's own
 * per-call overhead (`post`) added to both sides.
 */
export function idealBounds(p: Pieces, e: number, stockMsPerItem: number) {
  const cascade = p.seg0 + p.head + (1 - e) * p.rest;
  const post = Math.max(0, stockMsPerItem - p.pre - p.full);
  return {
    model: p.full / cascade,
    pipeline: (p.pre + p.full + post) / (p.pre + cascade + post),
    post,
  };
}
