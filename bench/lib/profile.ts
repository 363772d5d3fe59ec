/**
 * The pieces of one call, timed on the same prepared batches: pre-processing (tokeniser or
 * image processor), the stock MainNet's session, the SideNet's prefix segment (with the exit's pooling
 * and head when they are folded into its graph), the exit's remaining work (pooling + head when they are
 * not folded) + softmax + confidence,
 * the rest of the MainNet on the whole batch (what a row that does not exit costs), and the whole cascade
 * on the prepared batch (the achieved model-level time, without pre- and post-processing).
 */
import { chunk, confidence, softmax } from "@sidenet/core";
import type { ModalityAdapter } from "@sidenet/core/attach";
import type { HfModel, SideNetModel, TensorMap } from "@sidenet/core/runtime";
import { POOLINGS } from "@sidenet/core/runtime";

/** Milliseconds per item of each piece (medians over the rounds). */
export interface Pieces {
  pre: number;
  /** Of `pre`, decoding the inputs (image files), when the fixture can time it apart. */
  decode?: number;
  full: number;
  /** Each segment of the split MainNet, run on the whole batch. */
  segments: number[];
  /** Each exit's pooling + head + softmax + confidence. */
  heads: number[];
  /** The whole SideNet cascade (`SideNetModel.run`) on the prepared batch (unless left out). */
  cascade?: number;
}

const disposeAll = (m: TensorMap) => {
  for (const t of Object.values(m)) t.dispose();
};

/**
 * Timed variants for the pieces of a call (to run side by side with the pipelines, so that both see the
 * same machine), and how to read their throughputs back as {@link Pieces}.
 */
export async function pieceVariants(o: {
  adapter: ModalityAdapter<string>;
  mainnetDir: string;
  stockModel: HfModel;
  sidenet: SideNetModel;
  inputs: readonly string[];
  batchSize: number;
  decode?: (inputs: string[]) => Promise<unknown>;
  /** false: leave out the whole cascade at its stored τ (a caller that times its own τ). */
  cascade?: boolean;
}): Promise<{
  batches: { i: number; n: number }[];
  variants: ((b: { i: number; n: number }) => Promise<unknown>)[];
  /** Which of `variants` runs the unsplit MainNet session, and which the whole cascade (−1: left out). */
  fullIndex: number;
  cascadeIndex: number;
  read(itemsPerSecond: readonly number[]): Pieces;
}> {
  const { sidenet } = o;
  const segments = sidenet.segments;
  const exits = sidenet.manifest.exits;
  const classes = Object.keys(sidenet.manifest.id2label).length;
  const prepare = await o.adapter.prepare(o.mainnetDir);
  const raw = chunk(o.inputs, o.batchSize);
  const prepared = await Promise.all(raw.map((b) => prepare(b)));
  // states[k][i]: batch i with every tensor up to segment k's input (all rows: the cost of a segment
  // for rows that reach it)
  const states: TensorMap[][] = [prepared];
  for (const seg of segments.slice(0, -1)) {
    const prev = states.at(-1)!;
    states.push(await Promise.all(prev.map(async (p) => ({ ...p, ...(await seg(p)) }))));
  }
  type B = { i: number; n: number };
  const variants = [
    async ({ i }: B) => disposeAll(await prepare(raw[i]!)),
    async ({ i }: B) => disposeAll(await o.stockModel(prepared[i]!)),
    ...segments.map(
      (seg, k) =>
        async ({ i }: B) =>
          disposeAll(await seg(states[k]![i]!)),
    ),
    // a folded exit's pooling and head run inside its segment: what is left is softmax and confidence
    ...exits.map((exit, k) => async ({ i }: B) => {
      const state = states[k + 1]![i]!;
      const folded = exit.logits_output === undefined ? undefined : state[exit.logits_output];
      const f = folded ? undefined : POOLINGS[exit.pooling].pool(state, exit.tap);
      const logits = folded
        ? (folded.data as Float32Array).slice()
        : sidenet.heads[k]!.forward(f!.data, f!.rows);
      confidence(softmax(logits, classes), classes, exit.confidence);
    }),
    ...(o.cascade === false ? [] : [async ({ i }: B) => sidenet.run(prepared[i]!)]),
    ...(o.decode ? [async ({ i }: B) => o.decode!(raw[i]!)] : []),
  ];
  const S = segments.length;
  const headsEnd = 2 + S + exits.length;
  const cascadeIndex = o.cascade === false ? -1 : headsEnd;
  const decodeIndex = o.cascade === false ? headsEnd : headsEnd + 1;
  return {
    batches: raw.map((b, i) => ({ i, n: b.length })),
    variants,
    fullIndex: 1,
    cascadeIndex,
    read(ips) {
      const ms = ips.map((x) => 1000 / x);
      return {
        pre: ms[0]!,
        full: ms[1]!,
        segments: ms.slice(2, 2 + S),
        heads: ms.slice(2 + S, headsEnd),
        ...(cascadeIndex >= 0 ? { cascade: ms[cascadeIndex]! } : {}),
        ...(o.decode ? { decode: ms[decodeIndex]! } : {}),
      };
    },
  };
}

/**
 * The ideal bound for exit rates `e` (share of all rows leaving at each exit): the MainNet's time over
 * the cascade's if nothing but the segments and heads a row reaches cost anything. With one exit this is
 * `T_full / (T_seg0 + T_head + (1 − e) T_rest)`; in general each segment and head is weighted by the
 * share of rows that reach it. The pipeline bound keeps everything of the stock pipeline's measured call
 * but its MainNet time, which becomes the ideal cascade's: `T_stock / (T_stock − T_full + T_cascade)`.
 * `e` are the cascade's exit rates; below the artefact's `mainnet_below_rows` (`mainnetAlone`), where
 * the SideNet pipeline runs the MainNet alone, the bound is the better of the two, i.e. at least 1. `post` is the stock pipeline's time outside pre-processing and the MainNet,
 * `ownPost` the SideNet pipeline's (from its τ = 1 time).
 */
export function idealBounds(
  p: Pieces,
  e: readonly number[],
  stockMsPerItem: number,
  offMsPerItem: number,
  mainnetAlone: boolean,
) {
  const cascade = idealCascade(p, e);
  // below the rule's batch size the better of the MainNet alone and an overhead-free cascade
  const floor = mainnetAlone ? 1 : 0;
  return {
    model: Math.max(floor, p.full / cascade),
    pipeline: Math.max(floor, stockMsPerItem / Math.max(cascade, stockMsPerItem - p.full + cascade)),
    /** The pipeline's speed-up if the MainNet cost nothing (what pre- and post-processing allow). */
    limit: stockMsPerItem / Math.max(1e-9, stockMsPerItem - p.full),
    post: Math.max(0, stockMsPerItem - p.pre - p.full),
    ownPost: Math.max(0, offMsPerItem - p.pre - p.full),
  };
}

/** ms per item of a cascade that costs only the segments and heads each row reaches. */
function idealCascade(p: Pieces, e: readonly number[]): number {
  let reach = 1;
  let cascade = p.segments[0]!;
  for (const [k, rate] of e.entries()) {
    cascade += reach * p.heads[k]!;
    reach -= rate;
    cascade += reach * p.segments[k + 1]!;
  }
  return cascade;
}
