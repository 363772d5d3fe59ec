import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { writeFileAtomic } from "@sidenet/core/node";
import { ROOT } from "@sidenet/examples/fixtures";

/** The repository's README. */
export const README = join(ROOT, "README.md");

/** Writes the README and formats it as the repository formats markdown (Biome; lint checks it). */
export function writeReadme(text: string): void {
  writeFileAtomic(README, text);
  execFileSync(join(ROOT, "node_modules", ".bin", "biome"), ["format", "--write", README], {
    cwd: ROOT,
    stdio: "ignore",
  });
}
