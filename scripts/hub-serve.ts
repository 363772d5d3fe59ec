/**
 * Serves the shipped fixture MainNets (and any artefact directories given) as a hub on the loopback
 * address, to try the hub code path by hand: `pnpm tsx scripts/hub-serve.ts [id=dir …]`, then
 * `HF_ENDPOINT=<printed url> pnpm sidenet attach sidenet-fixtures/bert …`.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { startHub } from "./test/hub.js";

const models = join(import.meta.dirname, "..", "fixtures", "models");
const repos: Record<string, string> = {};
for (const name of readdirSync(models)) repos[`sidenet-fixtures/${name}`] = join(models, name);
for (const arg of process.argv.slice(2)) {
  const [id, dir] = arg.split("=");
  if (id && dir) repos[id] = dir;
}
const hub = await startHub(repos);
console.log(`hub at ${hub.url}: ${Object.keys(repos).join(", ")}`);
process.on("SIGINT", () => void hub.close().then(() => process.exit(0)));
