/** vitest `setupFiles`: every property of this worker runs from the run's seed (see ./seed.ts). */
import fc from "fast-check";

const seed = Number(process.env.FC_SEED);
if (Number.isSafeInteger(seed)) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
