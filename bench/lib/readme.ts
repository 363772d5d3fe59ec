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

/** A generated section of the README: its markers, and the heading to append it under when absent. */
export interface ReadmeSection {
  begin: string;
  end: string;
  heading: string;
}

/**
 * `readme` with the text between the section's markers replaced by `body` (the markers kept, a blank line
 * either side), or the section appended under its heading when the README has no markers yet.
 */
export function spliceSection(readme: string, section: ReadmeSection, body: string): string {
  const block = `${section.begin}\n\n${body}\n\n${section.end}`;
  const i = readme.indexOf(section.begin);
  const j = readme.indexOf(section.end);
  if (i < 0 || j < i) return `${readme.trimEnd()}\n\n## ${section.heading}\n\n${block}\n`;
  return readme.slice(0, i) + block + readme.slice(j + section.end.length);
}
