/**
 * The fast-check seed of a test run, chosen once (vitest `globalSetup`) and handed to every test worker
 * through `FC_SEED`, so that a failing property can be replayed:
 * - `FC_SEED=<n>` given: that seed (replay a failure);
 * - on CI (`CI` set): a seed derived from the commit, so a commit's CI run is the same on every machine;
 * - otherwise a fresh random seed per run (local runs keep exploring), printed.
 */
import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";

function commitSeed(): { seed: number; commit: string } | undefined {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    // the first 8 hex digits as a signed 32-bit integer (fast-check seeds are 32-bit)
    return { seed: Number.parseInt(commit.slice(0, 8), 16) | 0, commit: commit.slice(0, 12) };
  } catch {
    return undefined;
  }
}

export default function setup(): void {
  let seed: number;
  let from: string;
  const given = process.env.FC_SEED;
  if (given !== undefined && given !== "") {
    seed = Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED is "${given}"; expected an integer.`);
    from = "FC_SEED";
  } else if (process.env.CI && commitSeed()) {
    const c = commitSeed()!;
    seed = c.seed;
    from = `commit ${c.commit}`;
  } else {
    seed = randomInt(-(2 ** 31), 2 ** 31 - 1);
    from = "random";
  }
  process.env.FC_SEED = String(seed);
  console.log(`fast-check seed ${seed} (${from}); replay with FC_SEED=${seed}`);
}
