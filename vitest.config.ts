import { defineConfig } from "vitest/config";

const sourceFirst = { conditions: ["source"] };

export default defineConfig({
  resolve: sourceFirst,
  test: {
    projects: [
      { resolve: sourceFirst, test: { name: "core", root: "packages/core", include: ["test/**/*.test.ts"] } },
      {
        resolve: sourceFirst,
        test: { name: "text", root: "packages/text", include: ["test/**/*.test.ts"], testTimeout: 120_000 },
      },
      {
        resolve: sourceFirst,
        test: {
          name: "vision",
          root: "packages/vision",
          include: ["test/**/*.test.ts"],
          testTimeout: 120_000,
        },
      },
      {
        resolve: sourceFirst,
        test: { name: "fixtures", root: "fixtures", include: ["test/**/*.test.ts"], testTimeout: 600_000 },
      },
    ],
  },
});
