import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests run on the workspace packages' sources, no build needed (as the "source" export condition does
// for tsx and tsc). Most specific first: "@sidenet/core/hf" before "@sidenet/core".
const src = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));
const resolve = {
  alias: [
    { find: /^@sidenet\/core\/hf$/, replacement: src("core/src/hf/index.ts") },
    { find: /^@sidenet\/core\/node$/, replacement: src("core/src/node.ts") },
    { find: /^@sidenet\/core$/, replacement: src("core/src/index.ts") },
    { find: /^@sidenet\/text$/, replacement: src("text/src/index.ts") },
    { find: /^@sidenet\/vision$/, replacement: src("vision/src/index.ts") },
  ],
};

export default defineConfig({
  resolve,
  test: {
    projects: [
      {
        resolve,
        test: { name: "core", root: "packages/core", include: ["test/**/*.test.ts"], testTimeout: 60_000 },
      },
      {
        resolve,
        test: { name: "text", root: "packages/text", include: ["test/**/*.test.ts"], testTimeout: 300_000 },
      },
      {
        resolve,
        test: {
          name: "vision",
          root: "packages/vision",
          include: ["test/**/*.test.ts"],
          testTimeout: 300_000,
        },
      },
      {
        resolve,
        test: { name: "cli", root: "packages/cli", include: ["test/**/*.test.ts"], testTimeout: 600_000 },
      },
      {
        resolve,
        test: {
          name: "browser",
          root: "examples/browser",
          include: ["test/**/*.test.ts"],
          testTimeout: 300_000,
        },
      },
      {
        resolve,
        test: { name: "fixtures", root: "fixtures", include: ["test/**/*.test.ts"], testTimeout: 600_000 },
      },
    ],
  },
});
