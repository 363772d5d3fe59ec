#!/usr/bin/env node
/**
 * The sidenet CLI: `inspect`, `sweep` / `attach`, `eval`, `report`, for text and image MainNets given as
 * a directory, a hub id or a URL. `npx sidenet …` from the package, `pnpm sidenet …` in the repository.
 */
import { resolve } from "node:path";
import { env } from "@huggingface/transformers";
import { SideNetError } from "@sidenet/core";
import { attach } from "./commands/attach.js";
import { evaluate } from "./commands/evaluate.js";
import { inspect } from "./commands/inspect.js";
import { type CliOptions, parseCli } from "./options.js";
import { USAGE } from "./usage.js";

async function run(o: CliOptions): Promise<void> {
  // hub files (MainNets and artefacts alike) go to this cache, as transformers.js's own downloads do
  if (o.cacheDir) env.cacheDir = resolve(o.cacheDir);
  if (o.command === "help") console.log(USAGE);
  else if (o.command === "inspect") await inspect(o);
  else if (o.command === "attach" || o.command === "sweep") await attach(o);
  else await evaluate(o);
}

/**
 * Every failure ends as one message and exit code 1: a SideNetError as it is (it says what was found,
 * what was expected, what to do), anything else as an unexpected error; stacks only with `--debug`.
 */
function fail(e: unknown, debug: boolean): void {
  process.exitCode = 1;
  if (debug) {
    console.error(e);
    return;
  }
  if (e instanceof SideNetError) console.error(`sidenet: ${e.message}`);
  else
    console.error(
      `sidenet: unexpected error: ${e instanceof Error ? e.message : String(e)}\n(run again with --debug for the stack trace, and please report it)`,
    );
}

// the hub host of the Python tools' convention, for mirrors and local hubs (transformers.js's env.remoteHost)
if (process.env.HF_ENDPOINT) env.remoteHost = process.env.HF_ENDPOINT.replace(/\/?$/, "/");
const argv = process.argv.slice(2);
let options: CliOptions | undefined;
try {
  options = parseCli(argv);
} catch (e) {
  fail(e, argv.includes("--debug"));
}
if (options) await run(options).catch((e: unknown) => fail(e, options!.debug));
