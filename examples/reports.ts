/**
 * `pnpm reports`: the SideNet report of each fixture (its cached artefact, attached if missing, and its
 * test split) into docs/reports/<fixture>/ — report.html, report.md and the SVG plots — and, when Debian's
 * chromium is installed, a screenshot of report.html rendered headless (report.png).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHROMIUM, CHROMIUM_FLAGS } from "./lib/chromium.js";
import { artefactDir, ensureArtefact, FIXTURES, ROOT } from "./lib/fixtures.js";

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
      f.testData,
      "--out",
      join(ROOT, "docs", "reports", f.name),
      "--name",
      `${f.name} (${f.describe})`,
    ],
    { cwd: ROOT, stdio: "inherit" },
  );
  screenshot(join(ROOT, "docs", "reports", f.name));
}

function screenshot(dir: string) {
  if (!existsSync(CHROMIUM)) {
    console.log(`no ${CHROMIUM}: skipping the screenshot (apt-get install chromium)`);
    return;
  }
  const profile = mkdtempSync(join(tmpdir(), "sidenet-chromium-"));
  try {
    execFileSync(
      CHROMIUM,
      [
        ...CHROMIUM_FLAGS,
        "--hide-scrollbars",
        `--user-data-dir=${profile}`,
        "--window-size=1300,3000",
        `--screenshot=${join(dir, "report.png")}`,
        `file://${join(dir, "report.html")}`,
      ],
      { stdio: ["ignore", "ignore", "ignore"], timeout: 120_000 },
    );
    console.log(`wrote ${join(dir, "report.png")}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
