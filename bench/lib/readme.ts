import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { writeFileAtomic } from "@sidenet/core/node";
import { ROOT } from "@sidenet/examples/fixtures";

/** The repository's README. */
export const README = join(ROOT, "README.md");

/** Writes a file and formats it as the repository formats it (Biome; lint checks it). */
export function writeFormatted(path: string, text: string): void {
  writeFileAtomic(path, text);
  execFileSync(join(ROOT, "node_modules", ".bin", "biome"), ["format", "--write", path], {
    cwd: ROOT,
    stdio: "ignore",
  });
}

/** Writes the README, formatted. */
export function writeReadme(text: string): void {
  writeFormatted(README, text);
}
