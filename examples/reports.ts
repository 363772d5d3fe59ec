/**
 * `pnpm reports`: the SideNet report of each fixture (its cached artefact, attached if missing, and its
 * test split) into docs/reports/<fixture>/ — report.html, report.md and the SVG plots.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { artefactDir, DATA, ensureArtefact, FIXTURES, ROOT } from "./lib/fixtures.js";

const TEST = {
  bert: join(DATA, "spam-assassin", "test.jsonl"),
  resnet: join(DATA, "fashion-mnist", "test.jsonl"),
};

for (const f of FIXTURES) {
  await ensureArtefact(f);
  execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--conditions=source",
      join(ROOT, "packages", "cli", "src", "main.ts"),
      "report",
      artefactDir(f),
      "--data",
      TEST[f.name],
      "--out",
      join(ROOT, "docs", "reports", f.name),
      "--name",
      `${f.name} (${f.describe})`,
    ],
    { cwd: ROOT, stdio: "inherit" },
  );
}
