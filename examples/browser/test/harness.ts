/// <reference lib="dom" />
/** Drives the page in Debian's Chromium (never a downloaded browser) over a `vite build` + `vite preview`. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, CHROMIUM_FLAGS } from "@sidenet/examples/chromium";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { build, preview } from "vite";

export { CHROMIUM };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The page built for production and served by `vite preview`, with `/models/` from `modelsDir`. */
export async function servePage(modelsDir: string) {
  process.env.SIDENET_MODELS_DIR = modelsDir;
  const outDir = mkdtempSync(join(tmpdir(), "sidenet-page-"));
  const warnings: string[] = [];
  await build({
    root: ROOT,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
    plugins: [
      {
        name: "collect-warnings",
        configResolved(c) {
          const warn = c.logger.warn;
          c.logger.warn = (msg, o) => {
            warnings.push(msg);
            warn(msg, o);
          };
        },
      },
    ],
  });
  const server = await preview({ root: ROOT, build: { outDir }, preview: { port: 0, host: "127.0.0.1" } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("vite preview gave no URL");
  return {
    url,
    warnings,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Chromium headless with a fresh profile; `errors` collects page errors and failed requests. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "sidenet-chromium-"));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    viewport: { width: 1100, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A text as one line of the page's text box: whitespace folded, cut at 600 characters (typing stays quick). */
export const oneLine = (t: string) => t.replace(/\s+/g, " ").slice(0, 600).trim();

/** One row of the results table, at full precision (the row's data attributes). */
export interface PageRow {
  text: string;
  label: string;
  score: number;
  exit: number;
  confidence: number;
}

/** The page's controls, as a user works them. */
export class PageDriver {
  readonly errors: string[] = [];
  constructor(readonly page: Page) {
    page.on("pageerror", (e) => this.errors.push(e.message));
  }

  async open(url: string, timeout = 180_000) {
    await this.page.goto(url);
    await this.page.waitForFunction(
      () => {
        const s = document.getElementById("status")?.dataset.state;
        return s === "error" || (s === "ready" && document.getElementById("results")?.dataset.call);
      },
      null,
      { timeout },
    );
    const state = await this.page.locator("#status").getAttribute("data-state");
    if (state !== "ready")
      throw new Error(`the page did not load: ${await this.page.locator("#status").textContent()}`);
  }

  private call() {
    return this.page.locator("#results").getAttribute("data-call").then(Number);
  }

  /** Waits until a classification newer than `before` has finished, and returns its rows. */
  private async after(before: number): Promise<PageRow[]> {
    await this.page.waitForFunction(
      (n) => {
        const s = document.getElementById("status")?.dataset.state;
        return (
          s === "error" || (s === "ready" && Number(document.getElementById("results")?.dataset.call) > n)
        );
      },
      before,
      { timeout: 120_000 },
    );
    const state = await this.page.locator("#status").getAttribute("data-state");
    if (state !== "ready")
      throw new Error(`the page failed: ${await this.page.locator("#status").textContent()}`);
    return this.page.$$eval("#results tbody tr", (rows) =>
      rows.map((r) => {
        const d = (r as HTMLElement).dataset;
        return {
          text: d.text!,
          label: d.label!,
          score: Number(d.score),
          exit: Number(d.exit),
          confidence: Number(d.confidence),
        };
      }),
    );
  }

  /** Sets τ with the slider (a `change`, as a drag ends), which re-classifies. */
  async setTau(tau: number): Promise<PageRow[]> {
    const before = await this.call();
    await this.page.locator("#tau").fill(String(tau));
    return this.after(before);
  }

  /** Replaces the texts (one per line) and clicks Classify. */
  async classify(texts: readonly string[]): Promise<PageRow[]> {
    await this.page.locator("#texts").fill(texts.join("\n"));
    const before = await this.call();
    await this.page.locator("#classify").click();
    return this.after(before);
  }

  /** Clicks "Compare with the MainNet" and returns the page's medians (ms per call) and their ratio. */
  async compare(): Promise<{ sidenetMs: number; mainnetMs: number; speedup: number }> {
    await this.page.locator("#compare").click();
    await this.page.waitForFunction(
      () => {
        const s = document.getElementById("status")?.dataset.state;
        return s === "error" || (s === "ready" && document.getElementById("comparison")?.dataset.speedup);
      },
      null,
      { timeout: 600_000 },
    );
    const d = await this.page.locator("#comparison").evaluate((e) => ({ ...(e as HTMLElement).dataset }));
    if (!d.speedup)
      throw new Error(`the comparison failed: ${await this.page.locator("#status").textContent()}`);
    return { sidenetMs: Number(d.sidenetMs), mainnetMs: Number(d.mainnetMs), speedup: Number(d.speedup) };
  }

  /**
   * Types a new line `text` key by key at the end of the text box; the page classifies when typing pauses
   * (a pause mid-way on a slow machine classifies a prefix: wait for the classification of the whole line).
   */
  async type(text: string): Promise<PageRow[]> {
    let before = await this.call();
    await this.page.locator("#texts").press("ControlOrMeta+End");
    await this.page.locator("#texts").pressSequentially(`\n${text}`, { delay: 5 });
    for (;;) {
      const rows = await this.after(before);
      if (rows.at(-1)?.text === text) return rows;
      before = await this.call();
    }
  }
}

/** One row of the image tab's results table, at full precision. */
export interface ImageRow {
  file: string;
  label: string;
  score: number;
  exit: number;
  confidence: number;
}

/** The image tab, as a user works it: open the tab, pick files. */
export class ImageTabDriver {
  readonly errors: string[] = [];
  constructor(readonly page: Page) {
    page.on("pageerror", (e) => this.errors.push(e.message));
  }

  /** Opens the page on its image tab and waits for the image model. */
  async open(url: string, timeout = 180_000) {
    await this.page.goto(`${url}#image`);
    await this.page.waitForFunction(
      () => ["ready", "error"].includes(document.getElementById("image-status")?.dataset.state ?? ""),
      null,
      { timeout },
    );
    const state = await this.page.locator("#image-status").getAttribute("data-state");
    if (state !== "ready")
      throw new Error(
        `the image tab did not load: ${await this.page.locator("#image-status").textContent()}`,
      );
  }

  /** Picks `files` with the file input (as the file dialog would) and returns the rows shown for them. */
  async pick(files: readonly string[]): Promise<ImageRow[]> {
    const before = Number((await this.page.locator("#image-results").getAttribute("data-call")) ?? 0);
    await this.page.locator("#files").setInputFiles([...files]);
    await this.page.waitForFunction(
      (n) => {
        const s = document.getElementById("image-status")?.dataset.state;
        return (
          s === "error" ||
          (s === "ready" && Number(document.getElementById("image-results")?.dataset.call) > n)
        );
      },
      before,
      { timeout: 120_000 },
    );
    const state = await this.page.locator("#image-status").getAttribute("data-state");
    if (state !== "ready")
      throw new Error(`the image tab failed: ${await this.page.locator("#image-status").textContent()}`);
    return this.page.$$eval("#image-results tbody tr", (rows) =>
      rows.map((r) => {
        const d = (r as HTMLElement).dataset;
        return {
          file: d.file!,
          label: d.label!,
          score: Number(d.score),
          exit: Number(d.exit),
          confidence: Number(d.confidence),
        };
      }),
    );
  }
}
