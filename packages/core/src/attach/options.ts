import { DTYPE_SUFFIX } from "../artefact/files.js";
import { InvalidArgumentError } from "../errors.js";
import { POOLINGS } from "../pooling/index.js";
import { EXIT_CRITERIA } from "../routing/exit-rule.js";
import type { AttachOptions } from "./attach.js";

/** The attach options whose domain {@link checkAttachOptions} checks. */
export type CheckedAttachOptions = Pick<
  AttachOptions<unknown>,
  | "maxDrop"
  | "maxCost"
  | "minAgreement"
  | "risk"
  | "maxExits"
  | "criteria"
  | "poolings"
  | "taps"
  | "hiddenSize"
  | "seed"
  | "workers"
  | "attachCache"
  | "dtypes"
>;

/** How an option is named in messages: the CLI passes `{ maxDrop: "--max-drop", … }`. */
export type OptionNames = Partial<Record<keyof CheckedAttachOptions, string>>;

/**
 * Checks every attach option against its domain before any work starts, so that a bad value fails in
 * milliseconds with the option, the value and the accepted range — not after feature extraction.
 * `attachSideNet` calls it first; the CLI calls it with its own option names before reading any data.
 *
 * @example
 * ```ts
 * checkAttachOptions({ maxDrop: Number("abc") }, { maxDrop: "--max-drop" });
 * // InvalidArgumentError: --max-drop is NaN; expected a number of percentage points in [0, 100], e.g. 0.5.
 * ```
 */
export function checkAttachOptions(o: CheckedAttachOptions, names: OptionNames = {}): void {
  const name = (k: keyof CheckedAttachOptions) => names[k] ?? `attach: option \`${k}\``;
  const fail = (k: keyof CheckedAttachOptions, v: unknown, expected: string): never => {
    throw new InvalidArgumentError(
      `${name(k)} is ${typeof v === "string" ? JSON.stringify(v) : String(v)}; expected ${expected}.`,
    );
  };
  const inRange = (
    k: keyof CheckedAttachOptions,
    v: number | undefined,
    lo: number,
    hi: number,
    loOpen: boolean,
    expected: string,
  ) => {
    if (v === undefined) return;
    if (typeof v !== "number" || !Number.isFinite(v) || (loOpen ? v <= lo : v < lo) || v > hi)
      fail(k, v, expected);
  };
  const whole = (
    k: keyof CheckedAttachOptions,
    v: number | undefined,
    lo: number,
    hi: number,
    expected: string,
  ) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= lo && v <= hi)) fail(k, v, expected);
  };
  inRange("maxDrop", o.maxDrop, 0, 100, false, "a number of percentage points in [0, 100], e.g. 0.5");
  inRange("maxCost", o.maxCost, 0, 1, true, "a fraction of the MainNet's cost in (0, 1], e.g. 0.4");
  inRange("minAgreement", o.minAgreement, 0, 1, true, "a share of rows in (0, 1], e.g. 0.99");
  const budgets = (["maxDrop", "maxCost", "minAgreement"] as const).filter((k) => o[k] !== undefined);
  if (budgets.length > 1) {
    throw new InvalidArgumentError(
      `give ${budgets.map(name).join(" or ")}, not ${budgets.length === 2 ? "both" : "several"}.`,
    );
  }
  if (o.risk !== undefined) {
    if (typeof o.risk !== "number" || !(o.risk >= 0 && o.risk < 1)) {
      fail(
        "risk",
        o.risk,
        "a probability in [0, 1) (0.1: the budget holds with probability ≥ 90 %; 0: not certified)",
      );
    }
    if (o.risk > 0 && o.maxCost !== undefined) {
      throw new InvalidArgumentError(
        `${name("risk")} certifies an accuracy budget (or an agreement one): give it with ${name("maxDrop")} or ${name("minAgreement")}, not ${name("maxCost")}.`,
      );
    }
    if (o.risk > 0 && o.minAgreement === 1) {
      fail(
        "minAgreement",
        1,
        "a share below 1 with a risk: no number of rows certifies agreement on every new row",
      );
    }
  }
  whole(
    "maxExits",
    o.maxExits,
    1,
    Number.MAX_SAFE_INTEGER,
    "a whole number of exits per cascade ≥ 1, e.g. 3",
  );
  whole("hiddenSize", o.hiddenSize, 1, 65_536, "a whole number of hidden units ≥ 1");
  whole("seed", o.seed, 0, 2 ** 32 - 1, "a whole number in [0, 2^32)");
  whole("workers", o.workers, 1, 1024, "a whole number of worker threads ≥ 1 (1: train on this thread)");
  const c = o.attachCache;
  if (c !== undefined && c !== false && (typeof c !== "string" || c === ""))
    fail("attachCache", c, "a directory path, or false for no cache");
  const list = (k: "criteria" | "poolings", v: readonly string[] | undefined, allowed: readonly string[]) => {
    if (v === undefined) return;
    if (v.length === 0) fail(k, "", `one or more of ${allowed.join(", ")}`);
    for (const x of v) if (!allowed.includes(x)) fail(k, x, `one or more of ${allowed.join(", ")}`);
  };
  list("criteria", o.criteria, EXIT_CRITERIA);
  list("poolings", o.poolings, Object.keys(POOLINGS));
  for (const d of o.dtypes ?? []) {
    if (!Object.hasOwn(DTYPE_SUFFIX, d)) {
      throw new InvalidArgumentError(
        `${name("dtypes")} has "${d}"; expected some of ${Object.keys(DTYPE_SUFFIX).join(", ")} (dtype "${d}" is not one transformers.js loads; default: every dtype file the MainNet has).`,
      );
    }
  }
  if (o.taps !== undefined) {
    if (o.taps.length === 0)
      fail("taps", "", "one or more tensor names of the graph (see `sidenet inspect`)");
    for (const t of o.taps)
      if (typeof t !== "string" || t.trim() === "")
        fail("taps", t, "tensor names of the graph (see `sidenet inspect`)");
  }
}
