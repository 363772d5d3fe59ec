/**
 * `pnpm browser:measure`: the page on the demo's bert SideNet (attached first when missing, ≈ 4 min) in
 * headless Chromium: 32 test emails, classified at the artefact's τ, then "Compare with the MainNet"
 * (7 alternating rounds in the tab) — prints the page's figures and saves a screenshot to
 * docs/browser/page.png. Speed in the browser is wasm on this machine's CPU; the test only checks answers.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensureArtefact, FIXTURES, ROOT } from "@sidenet/examples/fixtures";
import { launch, oneLine, PageDriver, servePage } from "../test/harness.js";

const bert = FIXTURES.find((f) => f.name === "bert")!;
const artefact = await ensureArtefact(bert);
const texts = bert
  .split("test")
  .slice(0, 32)
  .map((r) => oneLine(r.input));

const served = await servePage(dirname(artefact));
const browser = await launch();
try {
  const page = new PageDriver(await browser.context.newPage());
  await page.open(`${served.url}?model=bert-sidenet`);
  console.log(`model: ${await page.page.locator("#model-info").textContent()}`);
  const report = async (what: string, rows: { exit: number }[]) => {
    const early = rows.filter((r) => r.exit >= 0).length;
    console.log(`${what}: ${early} of ${rows.length} emails answered by the SideNet`);
    const c = await page.compare();
    console.log(`  ${await page.page.locator("#comparison").textContent()} ${JSON.stringify(c)}`);
  };
  await report("artefact's τ", await page.classify(texts));
  // a stricter τ, so that some emails go on through the MainNet (the screenshot shows both kinds)
  await report("τ 0.99", await page.setTau(0.99));
  const shot = join(ROOT, "docs", "browser", "page.png");
  mkdirSync(dirname(shot), { recursive: true });
  await page.page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
  if (page.errors.length > 0) throw new Error(`page errors: ${page.errors.join("; ")}`);
} finally {
  await browser.close();
  await served.close();
}
