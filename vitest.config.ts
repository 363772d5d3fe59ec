import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests run on the workspace packages' sources, no build needed (as the "source" export condition does
// for tsx and tsc). Most specific first: "@sidenet/core/<entry>" before "@sidenet/core".
const src = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));
// SIDENET_TRANSFORMERS: another @huggingface/transformers build (its node ESM entry) for every import of
// it, to test the peer range at versions other than the workspace's (scripts/test/peers.sh).
const transformers = process.env.SIDENET_TRANSFORMERS;
const resolve = {
  alias: [
    ...(transformers ? [{ find: /^@huggingface\/transformers$/, replacement: transformers }] : []),
    { find: /^@sidenet\/core\/artefact$/, replacement: src("core/src/artefact/index.ts") },
    { find: /^@sidenet\/core\/runtime$/, replacement: src("core/src/runtime/index.ts") },
    { find: /^@sidenet\/core\/attach$/, replacement: src("core/src/attach/index.ts") },
    { find: /^@sidenet\/core\/node$/, replacement: src("core/src/node.ts") },
    { find: /^@sidenet\/core\/internal$/, replacement: src("core/src/internal.ts") },
    { find: /^@sidenet\/core$/, replacement: src("core/src/index.ts") },
    { find: /^@sidenet\/text$/, replacement: src("text/src/index.ts") },
    { find: /^@sidenet\/vision$/, replacement: src("vision/src/index.ts") },
  ],
};

// Every project draws its fast-check properties from the run's one seed (printed; FC_SEED replays it).
const setupFiles = [fileURLToPath(new URL("./scripts/test/fast-check.ts", import.meta.url))];
// `pnpm test` (the fast projects) leaves out each package's test/slow/; `pnpm test:slow` runs those,
// the headless browser and the fixtures' accuracy checks.
const SLOW = "test/slow/**";

/** A fast project: the package's tests outside test/slow/. */
const fast = (name: string, root: string, testTimeout: number) => ({
  resolve,
  test: { name, root, include: ["test/**/*.test.ts"], exclude: [SLOW], setupFiles, testTimeout },
});

export default defineConfig({
  resolve,
  test: {
    globalSetup: [
      fileURLToPath(new URL("./scripts/test/seed.ts", import.meta.url)),
      fileURLToPath(new URL("./scripts/test/no-cache.ts", import.meta.url)),
    ],
    projects: [
      fast("core", "packages/core", 60_000),
      fast("text", "packages/text", 300_000),
      fast("vision", "packages/vision", 300_000),
      fast("cli", "packages/cli", 600_000),
      {
        resolve,
        test: {
          name: "slow",
          root: "packages",
          include: [`*/${SLOW}/*.test.ts`],
          setupFiles,
          testTimeout: 900_000,
        },
      },
      {
        resolve,
        test: {
          name: "browser",
          root: "examples/browser",
          include: ["test/**/*.test.ts"],
          setupFiles,
          testTimeout: 300_000,
        },
      },
      {
        resolve,
        test: {
          name: "fixtures",
          root: "fixtures",
          include: ["test/**/*.test.ts"],
          setupFiles,
          testTimeout: 600_000,
        },
      },
    ],
  },
});
