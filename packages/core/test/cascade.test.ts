import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CascadeSpec,
  confidence,
  InvalidArgumentError,
  type Matrix,
  runCascade,
  softmax,
} from "../src/index.js";
import { matrix, selectRows, shouldExit } from "../src/internal.js";
import { thresholdArb } from "./helpers/arbitraries.js";
import { assertExitRateMonotoneInThreshold, assertOrderPreserved, exitRate } from "./helpers/laws.js";

/**
 * A synthetic MainNet: the state is a feature matrix; each stage applies a fixed row-wise map, each exit
 * and the final layer read fixed linear maps of the state. Row results depend only on the row, so an
 * un-compacted reference can be computed row by row.
 */
interface State {
  x: Matrix;
  id: number;
}

function makeSpec(
  weights: Float32Array[],
  classes: number,
  depth: number,
  thresholds: number[],
  log: string[],
) {
  const D = 3;
  const linear = (w: Float32Array, x: Matrix) => {
    const out = new Float32Array(x.rows * classes);
    for (let r = 0; r < x.rows; r++)
      for (let c = 0; c < classes; c++) {
        let s = 0;
        for (let d = 0; d < D; d++) s += x.data[r * D + d]! * w[d * classes + c]!;
        out[r * classes + c] = s;
      }
    return out;
  };
  let next = 1;
  const live = new Set<number>();
  const make = (x: Matrix): State => {
    const s = { x, id: next++ };
    live.add(s.id);
    return s;
  };
  const spec: CascadeSpec<State> = {
    classes,
    stages: Array.from({ length: depth + 1 }, (_, s) => ({
      run: async (st: State) => {
        log.push(`stage${s}:${st.x.rows}`);
        return make(
          matrix(
            st.x.data.map((v, i) => Math.sin(v * (s + 1) + (i % D))),
            st.x.rows,
            D,
          ),
        );
      },
    })),
    exits: Array.from({ length: depth }, (_, e) => ({
      logits: (st: State) => linear(weights[e]!, st.x),
      threshold: thresholds[e]!,
    })),
    final: (st) => linear(weights[depth]!, st.x),
    rows: (st) => st.x.rows,
    select: (st, rows) => make(selectRows(st.x, rows)),
    dispose: (st) => {
      if (!live.delete(st.id)) throw new Error(`state ${st.id} disposed twice or never made`);
    },
  };
  return { spec, live };
}

/** Row-by-row reference without compaction. */
async function reference(spec: CascadeSpec<State>, input: State, thresholds: number[]) {
  const C = spec.classes;
  const n = input.x.rows;
  const logits = new Float32Array(n * C);
  const exitIndex = new Int32Array(n).fill(-1);
  for (let r = 0; r < n; r++) {
    let st: State = { x: selectRows(input.x, [r]), id: -1 };
    for (let s = 0; s < spec.stages.length; s++) {
      st = await spec.stages[s]!.run(st);
      const last = s === spec.exits.length;
      const l = await (last ? spec.final(st) : spec.exits[s]!.logits(st));
      const conf = confidence(softmax(l, C), C)[0]!;
      if (last || shouldExit(conf, thresholds[s]!)) {
        logits.set(l, r * C);
        exitIndex[r] = last ? -1 : s;
        break;
      }
    }
  }
  return { logits, exitIndex };
}

const caseArb = fc
  .record({
    rows: fc.integer({ min: 0, max: 30 }),
    classes: fc.integer({ min: 2, max: 5 }),
    depth: fc.integer({ min: 1, max: 4 }),
  })
  .chain(({ rows, classes, depth }) =>
    fc.record({
      rows: fc.constant(rows),
      classes: fc.constant(classes),
      depth: fc.constant(depth),
      x: fc.float32Array({ min: -3, max: 3, noNaN: true, minLength: rows * 3, maxLength: rows * 3 }),
      weights: fc.array(
        fc.float32Array({ min: -4, max: 4, noNaN: true, minLength: 3 * classes, maxLength: 3 * classes }),
        {
          minLength: depth + 1,
          maxLength: depth + 1,
        },
      ),
      thresholds: fc.array(thresholdArb, { minLength: depth, maxLength: depth }),
    }),
  );

describe("runCascade", () => {
  test.prop([caseArb])(
    "preserves order and count for any batch and exit pattern, and frees every state once",
    async (c) => {
      const log: string[] = [];
      const { spec, live } = makeSpec(c.weights, c.classes, c.depth, c.thresholds, log);
      const input: State = { x: matrix(c.x, c.rows, 3), id: 0 };
      const out = await runCascade(spec, input);
      expect(live.size).toBe(0); // before the reference, which makes states of its own
      assertOrderPreserved(out, await reference(spec, input, c.thresholds));
    },
  );

  test.prop([caseArb, fc.array(thresholdArb, { minLength: 2, maxLength: 6 })])(
    "exit rate never rises when τ rises",
    async (c, taus) => {
      const { spec } = makeSpec(c.weights, c.classes, c.depth, c.thresholds, []);
      const input: State = { x: matrix(c.x, c.rows, 3), id: 0 };
      await assertExitRateMonotoneInThreshold(
        (tau) => runCascade(spec, input, { thresholds: c.thresholds.map(() => tau) }),
        taus,
      );
    },
  );

  test.prop([caseArb])(
    "τ = 1 reproduces the MainNet exactly; τ = 0 exits every row at the first exit",
    async (c) => {
      const log: string[] = [];
      const { spec } = makeSpec(c.weights, c.classes, c.depth, c.thresholds, log);
      const input: State = { x: matrix(c.x, c.rows, 3), id: 0 };
      const off = await runCascade(spec, input, { thresholds: c.thresholds.map(() => 1) });
      expect(Array.from(off.exitIndex).every((e) => e === -1)).toBe(true);
      expect(Array.from(off.logits)).toEqual(
        Array.from(
          (
            await reference(
              spec,
              input,
              c.thresholds.map(() => 1),
            )
          ).logits,
        ),
      );
      log.length = 0;
      const all = await runCascade(spec, input, { thresholds: c.thresholds.map(() => 0) });
      expect(Array.from(all.exitIndex).every((e) => e === 0)).toBe(true);
      expect(exitRate(all)).toBe(c.rows === 0 ? 0 : 1);
      // only the first stage ran (and only if there were rows)
      expect(log).toEqual(c.rows === 0 ? [] : [`stage0:${c.rows}`]);
    },
  );

  it("compacts: later stages see only the rows that stayed", async () => {
    const log: string[] = [];
    // exit 0 sees logits [x0, 0]: rows with x0 large are confident
    const w0 = Float32Array.from([20, 0, 0, 0, 0, 0]);
    const { spec } = makeSpec([w0, w0], 2, 1, [0.9], log);
    const x = matrix(Float32Array.from([3, 0, 0, 0, 0, 0, 3, 0, 0, 0.001, 0, 0]), 4, 3);
    const out = await runCascade(spec, { x, id: 0 });
    expect(out.exitCounts[0]! + out.exitCounts[1]!).toBe(4);
    expect(log[1]).toBe(`stage1:${out.exitCounts[1]}`);
    expect(out.exitCounts[1]).toBeLessThan(4);
  });

  it("never lets a NaN confidence exit", async () => {
    const { spec } = makeSpec(
      [Float32Array.from([Number.NaN, 0, 0, 0, 0, 0]), new Float32Array(6).fill(1)],
      2,
      1,
      [0],
      [],
    );
    const out = await runCascade(spec, { x: matrix(new Float32Array([1, 1, 1]), 1, 3), id: 0 });
    expect(out.exitIndex[0]).toBe(-1);
  });

  it("rejects τ outside [0, 1] by option name", async () => {
    const { spec } = makeSpec([new Float32Array(6), new Float32Array(6)], 2, 1, [0.5], []);
    const input = { x: matrix(new Float32Array(3), 1, 3), id: 0 };
    await expect(runCascade(spec, input, { thresholds: [1.5] })).rejects.toThrow(InvalidArgumentError);
    await expect(runCascade(spec, input, { thresholds: [Number.NaN] })).rejects.toThrow(/thresholds\[0\]/);
  });
});
